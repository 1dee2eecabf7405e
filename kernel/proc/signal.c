/*
 * signal: raising and delivering Linux signals (include/pagoda/signal.h,
 * docs/signals.md).
 *
 * Raising: a signal sets its bit in the target's sigpending (atomic, any
 * hart) and, when it was not pending yet, records its siginfo (under
 * tasklist_lock). When it is not blocked, the target gets WORK_SIGNAL and
 * a kick: woken from an interruptible sleep, or interrupted by an IPI on
 * its hart. A signal whose action is to ignore it is dropped at once
 * (unless blocked: the action may change before it is unblocked).
 * Signals 1..31 are not queued: raising a pending one again is lost, as
 * on Linux; 32..64 (real-time) are not queued either (one each).
 *
 * Delivering: on its way back to user mode the task takes the
 * lowest-numbered unblocked pending signal and runs its default action
 * (ignore, or end the process with the signal in its wait status) or
 * builds Linux riscv64's struct rt_sigframe on its user stack (or the
 * alternate one) and enters the handler with ra pointing at the vDSO's
 * __vdso_rt_sigreturn, which calls rt_sigreturn to put everything back.
 * A system call the signal interrupted is restarted or fails with EINTR
 * by Linux's rules (-ERESTARTSYS and SA_RESTART, ...).
 */
#include <asm/switch.h>
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/printk.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/syscall.h>
#include <pagoda/uaccess.h>
#include <pagoda/vdso.h>
#include <string.h>

/* Default actions: ignore (SIGCONT continues, which happens when it is
 * raised), stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU), or end the process. */
#define SIG_DEFAULT_IGNORE (SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | \
			    SIGBIT(SIGCONT))
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define SS_AUTODISARM   (1u << 31)
#define MINSIGSTKSZ     2048

/* ---- Linux riscv64's frame (uapi asm/sigcontext.h, asm/ucontext.h) --- */

struct user_siginfo {
	int signo, errno_, code, pad0;
	union {                         /* fill_siginfo clears it whole */
		struct { int pid; u32 uid; int status; int pad; u64 utime, stime; } chld;
		struct { int pid; u32 uid; u64 value; } kill;      /* kill, sigqueue, tkill */
		u64 addr;
		u8 bytes[112];
	};
};
_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo is 128 bytes");

struct user_stack {
	u64 sp;
	int flags, pad;
	u64 size;
};

struct sigcontext {
	u64 regs[32];                   /* pc, then x1..x31 */
	struct {
		u64 f[32];
		u32 fcsr;
		u32 pad[3];
		u8 rest[528 - 256 - 16];        /* the q_ext union; ends with the end header: zeros */
	} fp __attribute__((aligned(16)));
};
_Static_assert(sizeof(struct sigcontext) == 784, "sigcontext layout");

struct ucontext {
	u64 flags;
	u64 link;
	struct user_stack stack;
	u64 sigmask;
	u8 unused[120];
	struct sigcontext mcontext __attribute__((aligned(16)));
};
_Static_assert(__builtin_offsetof(struct ucontext, mcontext) == 176, "uc_mcontext offset");

struct rt_sigframe {
	struct user_siginfo info;
	struct ucontext uc;
};
_Static_assert(sizeof(struct rt_sigframe) == 1088, "rt_sigframe size");

/* ---- raising ------------------------------------------------------------ */

#define SIG_STOPPERS    (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define RTQ_MAX         1024            /* queued real-time signals per process */

static u64 sig_handler(const struct proc *p, int sig)
{
	return p->sigactions[sig - 1].handler;
}

/* Whether @p's action for @sig is to ignore it (Linux's sig_handler_ignored). */
static bool sig_handler_ignored(const struct proc *p, int sig)
{
	u64 h = sig_handler(p, sig);

	return h == SIG_IGN || (h == SIG_DFL && (SIG_DEFAULT_IGNORE & SIGBIT(sig)));
}

/* Whether raising @sig on @p drops it at once: ignored and not blocked
 * (the action may change before a blocked one is unblocked). */
static bool sig_ignored(const struct proc *p, int sig)
{
	if (__atomic_load_n(&p->sigmask, __ATOMIC_SEQ_CST) & SIGBIT(sig))
		return false;
	return sig_handler_ignored(p, sig);
}

static bool signal_live(const struct proc *p)
{
	return __atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) &
	       ~__atomic_load_n(&p->sigmask, __ATOMIC_SEQ_CST);
}

/*
 * A sender sets the pending bit and then WORK_SIGNAL; this clears
 * WORK_SIGNAL and then looks at the pending set again, so a signal raised
 * meanwhile is seen by one of the two (all accesses sequentially
 * consistent) and its WORK_SIGNAL is never lost.
 */
void signal_recalc(struct proc *p)
{
	if (!signal_live(p)) {
		__atomic_fetch_and(&p->work, ~WORK_SIGNAL, __ATOMIC_SEQ_CST);
		if (!signal_live(p))
			return;
	}
	__atomic_fetch_or(&p->work, WORK_SIGNAL, __ATOMIC_SEQ_CST);
}

static int raise_locked(struct proc *p, int sig, const struct ksiginfo *si);

/* The parent of @p learns that it stopped or continued (@code
 * CLD_STOPPED or CLD_CONTINUED): a report for wait, and SIGCHLD unless
 * the parent asked SA_NOCLDSTOP. (t) held. */
static void notify_parent_stop(struct proc *p, int code, int sig)
{
	struct proc *parent = p->parent;
	struct ksiginfo si = { code, p->pid, p->uid, sig, 0, 0 };

	assert_held(&tasklist_lock);
	p->wait_report = code == CLD_STOPPED ? WAIT_STOPPED : WAIT_CONTINUED;
	if (!parent)
		return;
	if (!(parent->sigactions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		raise_locked(parent, SIGCHLD, &si);
	sched_wake(&parent->child_wait);
}

/* Linux's prepare_signal: SIGCONT continues a stopped process and drops
 * pending stop signals (and one taken but not yet acted on); a stop
 * signal drops a pending SIGCONT. (t) held. */
static void prepare_signal(struct proc *p, int sig)
{
	if (sig == SIGCONT) {
		__atomic_fetch_and(&p->sigpending, ~SIG_STOPPERS, __ATOMIC_SEQ_CST);
		p->stop_dequeued = false;
		if (p->stopped) {
			p->stopped = false;
			notify_parent_stop(p, CLD_CONTINUED, SIGCONT);
			sched_wake(&p->stop_wait);
		}
	} else if (SIGBIT(sig) & SIG_STOPPERS) {
		__atomic_fetch_and(&p->sigpending, ~SIGBIT(SIGCONT), __ATOMIC_SEQ_CST);
	}
}

/* Queue a real-time signal: 0, or -EAGAIN when the queue is full or no
 * memory is left. (t) held. */
static int rtq_add(struct proc *p, int sig, const struct ksiginfo *si)
{
	struct sigqueue *q, **pp;

	if (p->rtq_len >= RTQ_MAX || !(q = kmalloc(sizeof(*q), GFP_KERNEL)))
		return -EAGAIN;
	q->next = NULL;
	q->sig = sig;
	q->info = *si;
	for (pp = &p->rtq; *pp; pp = &(*pp)->next)
		;
	*pp = q;
	p->rtq_len++;
	return 0;
}

/* Raise @sig with siginfo @si on @p: 0, or -EAGAIN (a real-time signal
 * that could not be queued). (t) held. */
static int raise_locked(struct proc *p, int sig, const struct ksiginfo *si)
{
	u64 bit = SIGBIT(sig);

	assert_held(&tasklist_lock);
	if (p->exited)
		return 0;
	prepare_signal(p, sig);
	if (sig_ignored(p, sig))
		return 0;
	/* Init gets only the signals it has handlers for (Linux's
	 * SIGNAL_UNKILLABLE): dropped here unless blocked, and at delivery
	 * if still SIG_DFL then. Its faults are not raised here. */
	if (p->pid == 1 && sig_handler(p, sig) == SIG_DFL &&
	    !(__atomic_load_n(&p->sigmask, __ATOMIC_SEQ_CST) & bit))
		return 0;
	if (sig >= SIGRTMIN) {
		if (rtq_add(p, sig, si))
			return -EAGAIN;
		__atomic_fetch_or(&p->sigpending, bit, __ATOMIC_SEQ_CST);
	} else if (!(__atomic_fetch_or(&p->sigpending, bit, __ATOMIC_SEQ_CST) & bit)) {
		p->siginfo[sig - 1] = *si;
	}
	if (bit & ~__atomic_load_n(&p->sigmask, __ATOMIC_SEQ_CST) || sig == SIGKILL) {
		__atomic_fetch_or(&p->work, WORK_SIGNAL, __ATOMIC_SEQ_CST);
		if (p != current_proc())        /* the sender sees its own work on its way out */
			sched_kick(p);
	}
	if (sig == SIGKILL && p->stopped)
		sched_wake(&p->stop_wait);
	return 0;
}

void signal_send_locked(struct proc *p, int sig, int code, u64 val)
{
	struct ksiginfo si = { code, (int)val, 0, 0, val, 0 };

	raise_locked(p, sig, &si);
}

void signal_send(struct proc *p, int sig, int code, u64 val)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);

	signal_send_locked(p, sig, code, val);
	spin_unlock_irqrestore(&tasklist_lock, irq);
}

void signal_send_chld(struct proc *parent, struct proc *child, int wstatus)
{
	struct ksiginfo si = { (wstatus & 0x7f) ? CLD_KILLED : CLD_EXITED, child->pid, child->uid,
			       (wstatus & 0x7f) ? wstatus & 0x7f : (wstatus >> 8) & 0xff, 0, 0 };

	assert_held(&tasklist_lock);
	raise_locked(parent, child->exit_signal, &si);
}

/* A process that is gone drops its queued signals. */
void signal_release(struct proc *p)
{
	while (p->rtq) {
		struct sigqueue *q = p->rtq;

		p->rtq = q->next;
		kfree(q);
	}
	p->rtq_len = 0;
}

void signal_exec(struct proc *p)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);
	int i;

	for (i = 0; i < NSIG; i++)
		if (p->sigactions[i].handler != SIG_IGN)
			p->sigactions[i] = (struct k_sigaction){ 0 };
	spin_unlock_irqrestore(&tasklist_lock, irq);
	p->sigaltstack_sp = p->sigaltstack_size = 0;
	p->sigaltstack_flags = SS_DISABLE;
}

void signal_fork(struct proc *c, const struct proc *p)
{
	memcpy(c->sigactions, p->sigactions, sizeof(c->sigactions));
	c->sigmask = p->sigmask;
	c->sigaltstack_sp = p->sigaltstack_sp;
	c->sigaltstack_size = p->sigaltstack_size;
	c->sigaltstack_flags = p->sigaltstack_flags;
}

/*
 * A fault (SIGSEGV, SIGBUS, SIGILL, ...) of the current task. With a
 * handler that may run, the signal is queued and delivered on the way
 * out; the faulting instruction runs again after the handler returns.
 * Otherwise (no handler, or the signal blocked or ignored, which Linux
 * overrides for faults) the process ends now, with the one-line report.
 */
void signal_fault(int sig, int code, u64 addr, const char *what, u64 pc)
{
	struct proc *p = current_proc();
	u64 h = sig_handler(p, sig);
	struct ksiginfo si = { code, 0, 0, 0, addr, 0 };
	unsigned long irq;

	if (h == SIG_DFL || h == SIG_IGN || (p->sigmask & SIGBIT(sig)) ||
	    (p->sigpending & SIGBIT(sig)))
		proc_kill(sig, what, addr, pc);
	irq = spin_lock_irqsave(&tasklist_lock);
	raise_locked(p, sig, &si);
	spin_unlock_irqrestore(&tasklist_lock, irq);
}

/* ---- delivering ---------------------------------------------------------- */

static bool on_altstack(const struct proc *p, u64 sp)
{
	return p->sigaltstack_size && sp > p->sigaltstack_sp &&
	       sp - p->sigaltstack_sp <= p->sigaltstack_size;
}

/* Linux's layout follows si_code: a user's signal (kill, tkill, sigqueue:
 * code <= 0) carries pid, uid and value whatever its number; the
 * kernel's faults carry the address, its SIGCHLD the child. */
static void fill_siginfo(struct user_siginfo *ui, int sig, const struct ksiginfo *si)
{
	bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
		     sig == SIGTRAP;

	memset(ui, 0, sizeof(*ui));
	ui->signo = sig;
	ui->code = si->code;
	if (si->code > 0 && si->code != SI_KERNEL && fault) {
		ui->addr = si->addr;
	} else if (si->code > 0 && sig == SIGCHLD) {
		ui->chld.pid = si->pid;
		ui->chld.status = si->status;
		ui->chld.uid = si->uid;
	} else {
		ui->kill.pid = si->pid;
		ui->kill.uid = si->uid;
		ui->kill.value = si->value;
	}
}

/* sc_regs is pc, then x1..x31: the trap frame starts with x1..x31. */
_Static_assert(__builtin_offsetof(struct trapframe, t6) == 30 * 8, "x1..x31 first in the frame");

/* The FP state in a frame: Linux's d_ext (f0..f31, fcsr), as arch_fpu_save
 * stores it; the rest of the q_ext space is left alone but for its last
 * 12 bytes (reserved word, end header), which are zero. */
_Static_assert(sizeof(struct arch_fpstate) == 264, "f0..f31 and a 64-bit fcsr word");
#define FP_TAIL_OFF     512             /* 4 bytes of padding, the reserved word, the header */
#define FP_TAIL_LEN     16

/* Straight into the registers, which are this task's on this hart: marked
 * dirty, they reach proc.fp at the next switch. */
static void fp_from_user(struct trapframe *tf, const struct sigcontext *sc)
{
	arch_fpu_restore((const struct arch_fpstate *)&sc->fp);
	arch_frame_fp_set(tf, FRAME_FS_DIRTY);
}

/* A system call interrupted by a signal: restart it, or make it EINTR. */
static void syscall_restart(struct trapframe *tf, const struct k_sigaction *a)
{
	long r = (long)tf->a0;

	if (!arch_frame_is_syscall(tf))
		return;
	arch_frame_clear_syscall(tf);   /* decided once */
	if (r != -ERESTARTSYS && r != -ERESTARTNOINTR && r != -ERESTARTNOHAND)
		return;
	if (a && (r == -ERESTARTNOHAND || (r == -ERESTARTSYS && !(a->flags & SA_RESTART)))) {
		tf->a0 = (u64)-EINTR;
		return;
	}
	tf->a0 = tf->orig_a0;
	tf->sepc -= 4;
}

/*
 * Write the frame at @uf: what Linux writes and nothing else (no kernel
 * bytes reach the user through the parts it leaves alone): the siginfo
 * and the ucontext's head, pc, x1..x31 straight from the trap frame, the
 * FP state, the end header.
 */
static int write_frame(vaddr_t uf, const struct rt_sigframe *f, const struct trapframe *tf)
{
	const u8 *k = (const u8 *)f;
	u64 mc = __builtin_offsetof(struct rt_sigframe, uc.mcontext);
	u64 head = __builtin_offsetof(struct rt_sigframe, uc.unused);
	u64 fp = __builtin_offsetof(struct rt_sigframe, uc.mcontext.fp);
	static const u8 zero[FP_TAIL_LEN];

	return copy_to_user((void *)uf, k, head) ||
	       copy_to_user((void *)(uf + mc), &tf->sepc, sizeof(u64)) ||
	       copy_to_user((void *)(uf + mc + 8), tf, 31 * sizeof(u64)) ||
	       copy_to_user((void *)(uf + fp), k + fp, sizeof(struct arch_fpstate)) ||
	       copy_to_user((void *)(uf + fp + FP_TAIL_OFF), zero, FP_TAIL_LEN) ? -EFAULT : 0;
}

static int setup_frame(struct proc *p, struct trapframe *tf, int sig,
		       const struct k_sigaction *a, const struct ksiginfo *si, u64 oldmask)
{
	struct rt_sigframe f;           /* only the parts write_frame copies are filled */
	u64 sp = tf->sp;
	vaddr_t uf;

	if ((a->flags & SA_ONSTACK) && p->sigaltstack_size && !on_altstack(p, sp))
		sp = p->sigaltstack_sp + p->sigaltstack_size;
	uf = (sp - sizeof(f)) & ~15ul;
	fill_siginfo(&f.info, sig, si);
	f.uc.flags = 0;
	f.uc.link = 0;
	f.uc.stack.sp = p->sigaltstack_sp;
	f.uc.stack.size = p->sigaltstack_size;
	f.uc.stack.flags = !p->sigaltstack_size ? SS_DISABLE : on_altstack(p, tf->sp) ? SS_ONSTACK : 0;
	f.uc.stack.pad = 0;
	f.uc.sigmask = oldmask;
	arch_fpu_save((struct arch_fpstate *)&f.uc.mcontext.fp);     /* live: this task's */
	if (write_frame(uf, &f, tf))
		return -EFAULT;
	if (p->sigaltstack_flags & SS_AUTODISARM)
		p->sigaltstack_sp = p->sigaltstack_size = 0;
	tf->sp = uf;
	tf->ra = vdso_sym_sigreturn(p->as);
	tf->a0 = (u64)sig;
	tf->a1 = uf + __builtin_offsetof(struct rt_sigframe, info);
	tf->a2 = uf + __builtin_offsetof(struct rt_sigframe, uc);
	tf->sepc = a->handler;
	return 0;
}

/* The siginfo of real-time signal @sig: the oldest queued. (t) held. */
static void rtq_take(struct proc *p, int sig, struct ksiginfo *si)
{
	struct sigqueue **pp, *q;
	bool more = false;

	for (pp = &p->rtq; *pp && (*pp)->sig != sig; pp = &(*pp)->next)
		;
	q = *pp;
	if (q) {
		*si = q->info;
		*pp = q->next;
		p->rtq_len--;
		kfree(q);
	}
	for (q = p->rtq; q && !more; q = q->next)
		more = q->sig == sig;
	if (!more)
		__atomic_fetch_and(&p->sigpending, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
}

/* Forget pending @sig and its queued instances. (t) held. */
static void signal_flush_locked(struct proc *p, int sig)
{
	struct sigqueue **pp = &p->rtq, *q;

	assert_held(&tasklist_lock);
	__atomic_fetch_and(&p->sigpending, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
	while ((q = *pp)) {
		if (q->sig == sig) {
			*pp = q->next;
			p->rtq_len--;
			kfree(q);
		} else {
			pp = &q->next;
		}
	}
}

/* The lowest unblocked pending signal, taken off the pending set; 0 if
 * none. A stop signal taken is marked, so that a SIGCONT raised before
 * do_stop() runs cancels the stop. */
static int dequeue(struct proc *p, struct ksiginfo *si)
{
	unsigned long irq;
	u64 live;
	int sig;

	if (!(__atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) & ~p->sigmask))
		return 0;
	irq = spin_lock_irqsave(&tasklist_lock);
	/* Again under the lock: a SIGCONT may have just dropped a stop signal. */
	live = __atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) & ~p->sigmask;
	if (!live) {
		spin_unlock_irqrestore(&tasklist_lock, irq);
		return 0;
	}
	sig = live & SIGBIT(SIGKILL) ? SIGKILL : (int)lowest_bit(live) + 1;
	if (sig >= SIGRTMIN) {
		rtq_take(p, sig, si);
	} else {
		*si = p->siginfo[sig - 1];
		__atomic_fetch_and(&p->sigpending, ~SIGBIT(sig), __ATOMIC_SEQ_CST);
		if (SIGBIT(sig) & SIG_STOPPERS)
			p->stop_dequeued = true;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return sig;
}

/* A stop signal's default action: stopped until SIGCONT (or SIGKILL). */
static void do_stop(struct proc *p, int sig)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);

	if (!p->stop_dequeued) {        /* a SIGCONT came after it was taken */
		spin_unlock_irqrestore(&tasklist_lock, irq);
		return;
	}
	p->stop_dequeued = false;
	p->stopped = true;
	p->stop_sig = sig;
	notify_parent_stop(p, CLD_STOPPED, sig);
	while (p->stopped && !(__atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) & SIGBIT(SIGKILL)))
		sched_sleep(&p->stop_wait, &tasklist_lock, 0, SLEEP_KILLABLE);
	p->stopped = false;
	spin_unlock_irqrestore(&tasklist_lock, irq);
}

void signal_deliver(struct trapframe *tf)
{
	struct proc *p = current_proc();
	struct ksiginfo si = { 0 };
	struct k_sigaction a;
	u64 oldmask;
	int sig = dequeue(p, &si);

	if (!sig) {
		syscall_restart(tf, NULL);
		if (p->restore_sigmask) {
			p->restore_sigmask = false;
			p->sigmask = p->saved_sigmask;
		}
		signal_recalc(p);
		return;
	}
	a = p->sigactions[sig - 1];
	if (sig == SIGKILL)
		proc_exit(SIGKILL);
	if (a.handler == SIG_IGN || (a.handler == SIG_DFL && p->pid == 1))
		return;                 /* look again */
	if (a.handler == SIG_DFL) {
		if (SIG_DEFAULT_IGNORE & SIGBIT(sig))
			return;
		if (SIGBIT(sig) & SIG_STOPPERS) {
			do_stop(p, sig);
			return;
		}
		proc_exit(sig);
	}
	syscall_restart(tf, &a);
	oldmask = p->restore_sigmask ? p->saved_sigmask : p->sigmask;
	p->restore_sigmask = false;
	if (setup_frame(p, tf, sig, &a, &si, oldmask)) {
		printk("pid %d (%s): killed by signal %d: no room for the signal frame of signal %d at sp 0x%lx\n",
		       p->pid, p->name, SIGSEGV, sig, tf->sp);
		proc_exit(SIGSEGV);
	}
	if (a.flags & SA_RESETHAND) {
		unsigned long irq = spin_lock_irqsave(&tasklist_lock);

		p->sigactions[sig - 1].handler = SIG_DFL;
		spin_unlock_irqrestore(&tasklist_lock, irq);
	}
	p->sigmask = oldmask | a.mask | ((a.flags & SA_NODEFER) ? 0 : SIGBIT(sig));
	p->sigmask &= ~SIG_UNBLOCKABLE;
	signal_recalc(p);
}

/* ---- system calls --------------------------------------------------------- */

#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2

/* The sa_flags bits Linux keeps; others read back as 0 so that user space
 * can tell them unsupported (SA_UNSUPPORTED, 0x400, among them). */
#define SA_KNOWN_FLAGS  (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x00000800u /* SA_EXPOSE_TAGBITS */ | \
			 SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND)

/* riscv has no SA_RESTORER: the user's struct sigaction is handler, flags, mask. */
_Static_assert(sizeof(struct k_sigaction) == 24, "riscv64 struct sigaction");

/* rt_sigaction(sig, act, oldact, sigsetsize) */
SYSCALL(rt_sigaction)
{
	struct proc *p = current_proc();
	const void *uact = (const void *)a1;
	void *uoact = (void *)a2;
	struct k_sigaction act, old;
	int sig = (int)a0;

	if (a3 != sizeof(u64))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (sig < 1 || sig > NSIG || (uact && (SIGBIT(sig) & SIG_UNBLOCKABLE)))
		return -EINVAL;
	old = p->sigactions[sig - 1];
	if (uact) {
		unsigned long irq = spin_lock_irqsave(&tasklist_lock);

		act.flags &= SA_KNOWN_FLAGS;
		act.mask &= ~SIG_UNBLOCKABLE;
		p->sigactions[sig - 1] = act;
		/* A pending signal that is now ignored goes away, blocked or
		 * not, with every queued instance of it (Linux). */
		if (sig_handler_ignored(p, sig))
			signal_flush_locked(p, sig);
		spin_unlock_irqrestore(&tasklist_lock, irq);
	}
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The blocked mask after applying @set with @how: 0 or -EINVAL. */
static int sigmask_apply(u64 *mask, int how, u64 set)
{
	set &= ~SIG_UNBLOCKABLE;
	switch (how) {
	case SIG_BLOCK:
		*mask |= set;
		return 0;
	case SIG_UNBLOCK:
		*mask &= ~set;
		return 0;
	case SIG_SETMASK:
		*mask = set;
		return 0;
	default:
		return -EINVAL;
	}
}

/* rt_sigprocmask(how, set, oldset, sigsetsize): @how is checked only with a set. */
SYSCALL(rt_sigprocmask)
{
	struct proc *p = current_proc();
	u64 old = p->sigmask, set, mask = p->sigmask;
	int r;

	if (a3 != sizeof(u64))
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, (const void *)a1, sizeof(set)))
			return -EFAULT;
		r = sigmask_apply(&mask, (int)a0, set);
		if (r)
			return r;
		__atomic_store_n(&p->sigmask, mask, __ATOMIC_SEQ_CST);
		signal_recalc(p);
	}
	if (a2 && copy_to_user((void *)a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigpending(set, sigsetsize): pending and blocked. */
SYSCALL(rt_sigpending)
{
	struct proc *p = current_proc();
	u64 set = __atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) & p->sigmask;

	if (a1 != sizeof(u64))
		return -EINVAL;
	return copy_to_user((void *)a0, &set, sizeof(set)) ? -EFAULT : 0;
}

/* rt_sigsuspend(mask, sigsetsize): wait for a signal with @mask blocked;
 * the old mask comes back after the handler (through its frame). */
SYSCALL(rt_sigsuspend)
{
	struct proc *p = current_proc();
	unsigned long irq;
	u64 mask;

	if (a1 != sizeof(u64))
		return -EINVAL;
	if (copy_from_user(&mask, (const void *)a0, sizeof(mask)))
		return -EFAULT;
	p->saved_sigmask = p->sigmask;
	p->restore_sigmask = true;
	__atomic_store_n(&p->sigmask, mask & ~SIG_UNBLOCKABLE, __ATOMIC_SEQ_CST);
	signal_recalc(p);
	irq = arch_irq_save();
	while (sched_sleep(NULL, NULL, 0, SLEEP_INTR) != -EINTR)
		;
	arch_irq_restore(irq);
	return -ERESTARTNOHAND;
}

/* The parts of a frame rt_sigreturn reads: the ucontext's head (flags,
 * link, the alternate stack, the mask), the FP state, and pc and x1..x31,
 * which go straight into the trap frame @tf (a failure kills the task). */
static int read_frame(vaddr_t uf, struct rt_sigframe *f, struct trapframe *tf)
{
	u8 *k = (u8 *)f;
	u64 uc = __builtin_offsetof(struct rt_sigframe, uc);
	u64 mc = __builtin_offsetof(struct rt_sigframe, uc.mcontext);
	u64 fp = __builtin_offsetof(struct rt_sigframe, uc.mcontext.fp);

	return copy_from_user(k + uc, (const void *)(uf + uc),
			      __builtin_offsetof(struct ucontext, unused)) ||
	       copy_from_user(&tf->sepc, (const void *)(uf + mc), sizeof(u64)) ||
	       copy_from_user(tf, (const void *)(uf + mc + 8), 31 * sizeof(u64)) ||
	       copy_from_user(k + fp, (const void *)(uf + fp), sizeof(struct arch_fpstate)) ?
	       -EFAULT : 0;
}

/* rt_sigreturn(): back from a handler, through the frame at sp. */
SYSCALL(rt_sigreturn)
{
	struct proc *p = current_proc();
	struct trapframe *tf = arch_user_frame();
	struct rt_sigframe f;
	u64 sstatus = tf->sstatus;

	if (read_frame(tf->sp, &f, tf)) {
		printk("pid %d (%s): killed by signal %d: bad signal frame at sp 0x%lx\n",
		       p->pid, p->name, SIGSEGV, tf->sp);
		proc_exit(SIGSEGV);
	}
	__atomic_store_n(&p->sigmask, f.uc.sigmask & ~SIG_UNBLOCKABLE, __ATOMIC_SEQ_CST);
	signal_recalc(p);
	tf->sstatus = sstatus;
	arch_frame_clear_syscall(tf);   /* not a system call to restart */
	fp_from_user(tf, &f.uc.mcontext);
	if ((!(f.uc.stack.flags & SS_DISABLE) || p->sigaltstack_size) && !on_altstack(p, tf->sp)) {
		p->sigaltstack_sp = f.uc.stack.sp;
		p->sigaltstack_size = (f.uc.stack.flags & SS_DISABLE) ? 0 : f.uc.stack.size;
	}
	return (long)tf->a0;
}

/* sigaltstack(ss, old_ss) */
SYSCALL(sigaltstack)
{
	struct proc *p = current_proc();
	u64 sp = arch_user_frame()->sp;
	struct user_stack old = { p->sigaltstack_sp,
		(int)(on_altstack(p, sp) ? SS_ONSTACK : p->sigaltstack_size ? 0 : SS_DISABLE) |
		(int)(p->sigaltstack_flags & SS_AUTODISARM), 0, p->sigaltstack_size }, ss;
	u32 mode;

	if (a0) {
		if (copy_from_user(&ss, (const void *)a0, sizeof(ss)))
			return -EFAULT;
		if (on_altstack(p, sp))
			return -EPERM;
		mode = (u32)ss.flags & ~SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.size = 0;
			ss.sp = 0;
		} else if (ss.size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		p->sigaltstack_sp = ss.sp;
		p->sigaltstack_size = ss.size;
		p->sigaltstack_flags = (u32)ss.flags & SS_AUTODISARM;
	}
	if (a1 && copy_to_user((void *)a1, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* May the current process signal @t? Root may; others only their own uid. */
static bool may_signal(const struct proc *t)
{
	const struct proc *p = current_proc();

	return !p->euid || p->euid == t->uid || p->euid == t->suid ||
	       p->uid == t->uid || p->uid == t->suid;
}

/* Send to one process: 0, -ESRCH or -EPERM. (t) held. */
static int kill_one(struct proc *t, int sig, int code)
{
	struct ksiginfo si = { code, current_proc()->pid, current_proc()->uid, 0, 0, 0 };

	if (!t)
		return -ESRCH;          /* a zombie still exists: 0, and nothing happens */
	if (!may_signal(t))
		return -EPERM;
	return sig ? raise_locked(t, sig, &si) : 0;
}

/* kill(-1) and kill(-pgid): every match; -ESRCH when none. (t) held. */
static int kill_many(int pgid, int sig)
{
	struct proc *me = current_proc();
	int pid, r = -ESRCH, found = 0, ok = 0;

	for (pid = 2; pid < PID_MAX; pid++) {
		struct proc *t = proc_find(pid);

		if (!t || t->exited || (pgid ? t->pgid != pgid : t == me))
			continue;
		found++;
		if (!kill_one(t, sig, SI_USER))
			ok++;
	}
	if (pgid && proc_find(1) && proc_find(1)->pgid == pgid && !proc_find(1)->exited) {
		found++;
		if (!kill_one(proc_find(1), sig, SI_USER))
			ok++;
	}
	if (found)
		r = ok ? 0 : -EPERM;
	return r;
}

SYSCALL(kill)
{
	int pid = (int)a0, sig = (int)a1, r;
	unsigned long irq;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	irq = spin_lock_irqsave(&tasklist_lock);
	if (pid > 0)
		r = kill_one(proc_find(pid), sig, SI_USER);
	else if (pid == -1)
		r = kill_many(0, sig);
	else
		r = kill_many(pid ? -pid : current_proc()->pgid, sig);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

static long tkill(int tgid, int tid, int sig)
{
	unsigned long irq;
	struct proc *t;
	long r;

	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	irq = spin_lock_irqsave(&tasklist_lock);
	t = proc_find(tid);
	r = t && tgid > 0 && t->pid != tgid ? -ESRCH : kill_one(t, sig, SI_TKILL);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

SYSCALL(tkill)
{
	return tkill(0, (int)a0, (int)a1);
}

SYSCALL(tgkill)
{
	if ((int)a0 <= 0)
		return -EINVAL;
	return tkill((int)a0, (int)a1, (int)a2);
}

/* The siginfo a sigqueue caller supplies: si_code, si_pid, si_uid, si_value. */
static int queueinfo_from_user(const void *uinfo, int sig, int target, struct ksiginfo *si)
{
	struct user_siginfo ui;

	if (copy_from_user(&ui, uinfo, sizeof(ui)))
		return -EFAULT;
	/* Only the kernel may claim a kernel or tkill origin, except to itself. */
	if ((ui.code >= 0 || ui.code == SI_TKILL) && target != current_proc()->pid)
		return -EPERM;
	*si = (struct ksiginfo){ ui.code, ui.kill.pid, ui.kill.uid, 0, 0, ui.kill.value };
	return 0;
}

static long sigqueue_to(int tgid, int tid, int sig, const void *uinfo)
{
	struct ksiginfo si;
	unsigned long irq;
	struct proc *t;
	long r;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	r = queueinfo_from_user(uinfo, sig, tid, &si);
	if (r)
		return r;
	irq = spin_lock_irqsave(&tasklist_lock);
	t = proc_find(tid);
	if (!t || (tgid > 0 && t->pid != tgid))
		r = -ESRCH;
	else if (!may_signal(t))
		r = -EPERM;
	else if (sig)
		r = raise_locked(t, sig, &si);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

/* rt_sigqueueinfo(pid, sig, info) */
SYSCALL(rt_sigqueueinfo)
{
	return sigqueue_to(0, (int)a0, (int)a1, (const void *)a2);
}

/* rt_tgsigqueueinfo(tgid, tid, sig, info) */
SYSCALL(rt_tgsigqueueinfo)
{
	if ((int)a0 <= 0 || (int)a1 <= 0)
		return -EINVAL;
	return sigqueue_to((int)a0, (int)a1, (int)a2, (const void *)a3);
}
