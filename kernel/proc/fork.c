/*
 * fork: clone and clone3 for new processes (docs/processes.md).
 *
 * A fork (no CLONE_VM) gets a copy-on-write copy of the address space
 * (as_fork, mm/), the same open files (shared open file descriptions),
 * the signal actions, mask and alternate stack, the limits and ids, and a
 * copy of the caller's user registers with a0 = 0. CLONE_VM|CLONE_VFORK
 * (vfork, posix_spawn) shares the parent's address space until the child
 * calls execve or exits, and the parent sleeps until then. Threads
 * (CLONE_THREAD and the flags that come with it) are not yet here: EINVAL.
 */
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/syscall.h>
#include <pagoda/uaccess.h>
#include <string.h>

#define CSIGNAL                 0x000000ff
#define CLONE_VM                0x00000100
#define CLONE_FS                0x00000200
#define CLONE_FILES             0x00000400
#define CLONE_SIGHAND           0x00000800
#define CLONE_PIDFD             0x00001000
#define CLONE_PTRACE            0x00002000
#define CLONE_VFORK             0x00004000
#define CLONE_PARENT            0x00008000
#define CLONE_THREAD            0x00010000
#define CLONE_NEWNS             0x00020000
#define CLONE_SYSVSEM           0x00040000
#define CLONE_SETTLS            0x00080000
#define CLONE_PARENT_SETTID     0x00100000
#define CLONE_CHILD_CLEARTID    0x00200000
#define CLONE_DETACHED          0x00400000
#define CLONE_UNTRACED          0x00800000
#define CLONE_CHILD_SETTID      0x01000000
/* What a process (not a thread) may ask for here. */
#define CLONE_SUPPORTED (CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED | \
			 CLONE_UNTRACED | CLONE_PTRACE)

struct clone_req {
	u64 flags;
	int exit_signal;
	vaddr_t stack;                  /* the child's sp, 0: the parent's */
	vaddr_t tls;
	vaddr_t parent_tid, child_tid;
};

/* Linux's copy_process checks, in its order; then what is not here yet. */
static int clone_check(const struct clone_req *r)
{
	if ((r->flags & CLONE_THREAD) && !(r->flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((r->flags & CLONE_SIGHAND) && !(r->flags & CLONE_VM))
		return -EINVAL;
	if (r->flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((r->flags & CLONE_VM) && !(r->flags & CLONE_VFORK))
		return -EINVAL;         /* a thread-like sharer: the threads issue */
	return 0;
}

/* The child's user registers: the caller's, a0 = 0, maybe a new sp and tp. */
static void child_frame(struct proc *c, const struct clone_req *r)
{
	struct trapframe *tf = arch_frame_of(c->kstack + KSTACK_SIZE);

	*tf = *arch_user_frame();
	tf->a0 = 0;
	arch_frame_clear_syscall(tf);   /* not a system call to restart */
	if (r->stack)
		tf->sp = r->stack;
	if (r->flags & CLONE_SETTLS)
		tf->tp = r->tls;
	/* The FP registers are live on this hart: the child starts with them. */
	arch_fpu_save(&c->fp);
	c->fp_cpu = -1;
	proc_set_start(c);
}

static int copy_process_state(struct proc *c, struct proc *p, const struct clone_req *r)
{
	struct addr_space *as = p->as;
	unsigned long irq;

	memcpy(c->name, p->name, sizeof(c->name));
	memcpy(c->rlimits, p->rlimits, sizeof(c->rlimits));
	c->uid = p->uid;
	c->euid = p->euid;
	c->suid = p->suid;
	signal_fork(c, p);
	c->exit_signal = r->exit_signal;
	if (r->flags & CLONE_CHILD_SETTID)
		c->set_child_tid = r->child_tid;
	if (r->flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->child_tid;
	if (r->flags & CLONE_VM) {
		c->as_borrowed = true;
		as_get(as);
	} else if (!(as = as_fork(p->as))) {
		return -ENOMEM;
	}
	irq = spin_lock_irqsave(&tasklist_lock);
	c->as = as;                     /* (t): the child is in the pid table already */
	spin_unlock_irqrestore(&tasklist_lock, irq);
	proc_files_fork(c, p);
	return 0;
}

#define RLIMIT_NPROC 6

/* Linux's RLIMIT_NPROC for a non-root real uid: its processes (zombies
 * too) may not reach the limit. Root is exempt. */
static bool nproc_exceeded(const struct proc *p)
{
	unsigned long irq;
	u64 n = 0;
	int pid;

	if (!p->uid)
		return false;
	irq = spin_lock_irqsave(&tasklist_lock);
	for (pid = 1; pid < PID_MAX; pid++) {
		struct proc *t = proc_find(pid);

		if (t && t->uid == p->uid)
			n++;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return n >= p->rlimits[RLIMIT_NPROC].cur;
}

/*
 * The vfork parent @p sleeps until its child @c has called execve or
 * exited (the flag is the parent's own: the child may be freed by then).
 * SIGKILL ends the wait, as on Linux; the child, still running, then
 * holds the only other reference to the space and no longer points at
 * the parent.
 */
static void vfork_wait(struct proc *p, struct proc *c)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);

	while (!p->vfork_done) {
		if (sched_sleep(&p->vfork_wait, &tasklist_lock, 0, SLEEP_KILLABLE) == -EINTR &&
		    !p->vfork_done) {
			c->vfork_parent = NULL;         /* alive: it has not let go of p yet */
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
}

static long do_clone(const struct clone_req *r)
{
	struct proc *p = current_proc(), *c;
	unsigned long irq;
	int err = clone_check(r), pid;

	if (err)
		return err;
	if (nproc_exceeded(p))
		return -EAGAIN;
	c = proc_new(&err);
	if (!c)
		return err;
	err = copy_process_state(c, p, r);
	if (err) {
		proc_free(c);
		return err;
	}
	child_frame(c, r);
	pid = c->pid;
	if (r->flags & CLONE_PARENT_SETTID)
		(void)put_user_u32(r->parent_tid, pid);        /* a fault is ignored, as on Linux */
	irq = spin_lock_irqsave(&tasklist_lock);
	proc_link_child(p, c);
	c->pgid = p->pgid;
	c->sid = p->sid;
	if (r->flags & CLONE_VFORK) {
		c->vfork_parent = p;
		p->vfork_done = false;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	sched_start(c);
	if (r->flags & CLONE_VFORK)
		vfork_wait(p, c);
	return pid;
}

/* clone(flags, stack, parent_tid, tls, child_tid): riscv64's argument order. */
SYSCALL(clone)
{
	struct clone_req r = { a0 & ~(u64)CSIGNAL, (int)(a0 & CSIGNAL), a1, a3, a2, a4 };

	if (r.exit_signal > NSIG)
		return -EINVAL;
	return do_clone(&r);
}

struct clone_args {
	u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
	    set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64

/* clone3(args, size) */
SYSCALL(clone3)
{
	struct clone_args ka = { 0 };
	u64 size = a1, i;
	struct clone_req r;
	u8 b;

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(&ka, (const void *)a0, MIN(size, sizeof(ka))))
		return -EFAULT;
	for (i = sizeof(ka); i < size; i++) {   /* a newer struct: the rest must be 0 */
		if (copy_from_user(&b, (const u8 *)a0 + i, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if ((ka.flags & CSIGNAL) || ka.exit_signal > NSIG || ka.set_tid || ka.set_tid_size)
		return -EINVAL;
	if ((ka.stack == 0) != (ka.stack_size == 0))
		return -EINVAL;
	r = (struct clone_req){ ka.flags, (int)ka.exit_signal,
		ka.stack ? ka.stack + ka.stack_size : 0, ka.tls, ka.parent_tid, ka.child_tid };
	return do_clone(&r);
}
