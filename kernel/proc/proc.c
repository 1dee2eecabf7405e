/*
 * proc: creating, ending and reaping tasks (docs/processes.md).
 *
 * A task is born with proc_alloc() (a struct proc, a kernel stack, a pid)
 * and becomes runnable through sched_start(). It ends in proc_exit():
 * it gives back its files and address space itself, becomes a zombie
 * under tasklist_lock, tells its parent (SIGCHLD and a wake-up), and
 * switches away for good. Its parent reaps it with wait4/waitid
 * (kernel/proc/wait.c), which frees the struct and the stack; a task
 * nobody will wait for (its parent ignores SIGCHLD, or it has none) is
 * put on the dead list instead, which the next fork or wait, or an idle
 * hart, empties.
 *
 * Children of an exiting task go to init (pid 1). When init exits, every
 * other process gets SIGKILL; once all are gone the boot hart's idle loop
 * powers off with init's status (kernel/proc/init.c).
 */
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/exec.h>
#include <pagoda/hart.h>
#include <pagoda/initramfs.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/uaccess.h>
#include <string.h>

struct spinlock tasklist_lock;
static struct proc *pid_table[PID_MAX];        /* (t) */
static int last_pid;                            /* (t) */
static struct proc *dead_list;                  /* (t) zombies nobody waits for */
static struct proc *init_proc;                  /* (t) pid 1 while it lives */
static bool init_exited;                        /* (t) */
static int init_wstatus;                        /* (t) */
unsigned int max_tasks;                         /* (c) the fork limit (threads-max) */

_Static_assert(__builtin_offsetof(struct proc, work) == PROC_WORK, "entry.S offset");

/* A free pid after the last one given, wrapping past PID_MAX to 2. (t) held. */
static int pid_alloc(struct proc *p)
{
	int i, pid = last_pid;

	assert_held(&tasklist_lock);
	for (i = 0; i < PID_MAX; i++) {
		pid = pid + 1 < PID_MAX ? pid + 1 : 2;
		if (!pid_table[pid]) {
			pid_table[pid] = p;
			last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

struct proc *proc_find(int pid)
{
	assert_held(&tasklist_lock);
	return pid > 0 && pid < PID_MAX ? pid_table[pid] : NULL;
}

/* Linux's threads-max: a task's stack at most an eighth of memory. */
static unsigned int tasks_limit(void)
{
	u64 n = buddy_managed_pages() / (8 * (KSTACK_SIZE / PAGE_SIZE));

	return (unsigned int)MIN(MAX(n, 20ull), (u64)PID_MAX - 2);
}

/*
 * A new task with a pid and a kernel stack, nothing else: not in any
 * family, not runnable. NULL with *@err -EAGAIN (too many tasks) or
 * -ENOMEM.
 */
struct proc *proc_new(int *err)
{
	struct proc *p;
	struct page *stack = NULL;
	unsigned long irq;

	proc_reap_dead();               /* their pids and memory first */
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	*err = -ENOMEM;
	if (!p || !(stack = page_alloc(KSTACK_ORDER, GFP_KERNEL)))
		goto out_free;
	p->kstack = (vaddr_t)page_va(stack);
	p->fp_cpu = -1;
	irq = spin_lock_irqsave(&tasklist_lock);
	if (!max_tasks)
		max_tasks = tasks_limit();
	*err = nr_tasks >= max_tasks ? -EAGAIN : pid_alloc(p);
	if (*err > 0) {
		p->pid = *err;
		nr_tasks++;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	if (*err > 0)
		return p;
out_free:
	if (stack)
		page_free(stack, KSTACK_ORDER);
	kfree(p);
	return NULL;
}

/* Give back @p's pid, stack and struct; it never runs again and no hart
 * is on its stack. */
void proc_free(struct proc *p)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);

	pid_table[p->pid] = NULL;
	nr_tasks--;
	signal_release(p);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	if (KMEM_POISON)        /* a task still on this stack would crash at once */
		memset((void *)p->kstack, 0x6b, KSTACK_SIZE);
	page_free(pa_to_page(virt_to_phys((void *)p->kstack)), KSTACK_ORDER);
	kfree(p);
}

/* Wait until no hart runs on @p's stack: it switched away for good. */
void proc_wait_off_cpu(struct proc *p)
{
	unsigned long irq;

	for (;;) {
		irq = spin_lock_irqsave(&sched_lock);
		if (!p->on_cpu) {
			spin_unlock_irqrestore(&sched_lock, irq);
			return;
		}
		spin_unlock_irqrestore(&sched_lock, irq);
		arch_cpu_relax();
	}
}

/* ---- family ------------------------------------------------------------- */

/* Make @c a child of @parent. (t) held. */
void proc_link_child(struct proc *parent, struct proc *c)
{
	assert_held(&tasklist_lock);
	c->parent = parent;
	c->sibling = parent->children;
	parent->children = c;
}

/* Take @c out of its parent's children. (t) held. */
void proc_unlink_child(struct proc *c)
{
	struct proc **pp;

	assert_held(&tasklist_lock);
	if (!c->parent)
		return;
	for (pp = &c->parent->children; *pp && *pp != c; pp = &(*pp)->sibling)
		;
	if (*pp)
		*pp = c->sibling;
	c->parent = NULL;
	c->sibling = NULL;
}

static void dead_list_add(struct proc *p)
{
	assert_held(&tasklist_lock);
	p->sibling = dead_list;
	dead_list = p;
}

/* Whether @parent lets its children vanish when they exit (SIGCHLD
 * ignored, or SA_NOCLDWAIT), as Linux does. */
static bool parent_autoreaps(const struct proc *parent, int sig)
{
	const struct k_sigaction *a = &parent->sigactions[SIGCHLD - 1];

	return sig == SIGCHLD && (a->handler == (u64)SIG_IGN || (a->flags & SA_NOCLDWAIT));
}

/* @p's children go to init, with SIGCHLD as their exit signal (Linux's
 * reparent_leader), or, with init gone, to nobody. A zombie among them
 * is reported to init as if it had just exited: freed at once when init
 * lets its children vanish. Without init, zombies are dropped and the
 * others will be when they exit. (t) held. */
static void reparent_children(struct proc *p)
{
	while (p->children) {
		struct proc *c = p->children;

		proc_unlink_child(c);
		c->exit_signal = SIGCHLD;
		if (!init_proc || init_proc == p) {
			if (c->exited)
				dead_list_add(c);
		} else if (c->exited && parent_autoreaps(init_proc, SIGCHLD)) {
			dead_list_add(c);
			if (init_proc->sigactions[SIGCHLD - 1].handler != SIG_IGN)
				signal_send_chld(init_proc, c, c->exit_code);
		} else {
			proc_link_child(init_proc, c);
			if (c->exited) {
				signal_send_chld(init_proc, c, c->exit_code);
				sched_wake(&init_proc->child_wait);
			}
		}
	}
}

/* @p exits with @wstatus: its parent learns of it. (t) held. */
static void notify_parent(struct proc *p, int wstatus)
{
	struct proc *parent = p->parent;

	p->exit_code = wstatus;
	p->exited = true;
	if (!parent) {
		dead_list_add(p);
		return;
	}
	if (parent_autoreaps(parent, p->exit_signal)) {
		proc_unlink_child(p);
		dead_list_add(p);
		if (parent->sigactions[SIGCHLD - 1].handler != SIG_IGN)
			signal_send_chld(parent, p, wstatus);   /* SA_NOCLDWAIT: still told */
		sched_wake(&parent->child_wait);        /* a wait4 may now find no child */
		return;
	}
	if (p->exit_signal)
		signal_send_chld(parent, p, wstatus);
	sched_wake(&parent->child_wait);
}

/* The vfork parent of @p may run again. (t) held. */
void proc_vfork_done(struct proc *p)
{
	struct proc *parent = p->vfork_parent;

	assert_held(&tasklist_lock);
	if (!parent)
		return;
	p->vfork_parent = NULL;
	parent->vfork_done = true;
	sched_wake(&parent->vfork_wait);
}

/* CLONE_CHILD_CLEARTID: with a space shared (a vfork child), the tid
 * word there becomes 0, as Linux's mm_release does when others use the
 * space; a process alone in its space skips it. */
void proc_clear_child_tid(struct proc *p)
{
	if (p->clear_child_tid && p->as_borrowed)
		put_user_u32(p->clear_child_tid, 0);
	p->clear_child_tid = 0;
}

/* Kill every process but init, which is exiting. (t) held. */
static void kill_all_but_init(void)
{
	int pid;

	for (pid = 2; pid < PID_MAX; pid++)
		if (pid_table[pid] && !pid_table[pid]->exited)
			signal_send_locked(pid_table[pid], SIGKILL, SI_KERNEL, 0);
}

/* Give back what the process holds: files, and its hold on its address
 * space (the space goes with its last user: a vfork child borrowing it
 * keeps its parent's alive). */
static void release_resources(struct proc *p)
{
	struct addr_space *as = p->as;
	unsigned long irq;

	proc_files_release(p);
	if (!as)
		return;
	irq = spin_lock_irqsave(&tasklist_lock);
	as_deactivate(as);
	p->as = NULL;                   /* (t): the OOM killer reads it */
	spin_unlock_irqrestore(&tasklist_lock, irq);
	oom_space_put(as);
}

__noreturn void proc_exit(int wstatus)
{
	struct proc *p = current_proc();
	unsigned long irq;

	proc_clear_child_tid(p);
	itimer_exit(p);
	release_resources(p);
	irq = spin_lock_irqsave(&tasklist_lock);
	proc_vfork_done(p);
	if (p == init_proc) {
		init_exited = true;
		init_wstatus = wstatus;
		kill_all_but_init();
		init_proc = NULL;
	}
	reparent_children(p);
	notify_parent(p, wstatus);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	sched_exit();
}

__noreturn void proc_kill(int signo, const char *what, vaddr_t addr, vaddr_t pc)
{
	struct proc *p = current_proc();

	printk("pid %d (%s): killed by signal %d: %s at 0x%lx, pc 0x%lx\n",
	       p->pid, p->name, signo, what, addr, pc);
	proc_exit(signo);
}

/* ---- init and the end ----------------------------------------------------- */

/* Free the zombies nobody waits for. */
void proc_reap_dead(void)
{
	unsigned long irq;
	struct proc *p;

	if (!__atomic_load_n(&dead_list, __ATOMIC_RELAXED))
		return;
	for (;;) {
		irq = spin_lock_irqsave(&tasklist_lock);
		p = dead_list;
		if (p)
			dead_list = p->sibling;
		spin_unlock_irqrestore(&tasklist_lock, irq);
		if (!p)
			return;
		proc_wait_off_cpu(p);
		proc_free(p);
	}
}

bool proc_all_done(int *status)
{
	unsigned long irq;
	bool done;

	proc_reap_dead();
	irq = spin_lock_irqsave(&tasklist_lock);
	done = init_exited && !nr_tasks;
	*status = init_wstatus & 0x7f ? 128 + (init_wstatus & 0x7f) : (init_wstatus >> 8) & 0xff;
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return done;
}

void proc_idle(void)
{
	proc_reap_dead();
	if (this_hart()->cpu == 0)
		init_check_done();
}

/* A new task's first code in the kernel, before user mode. */
void proc_child_start(struct proc *p)
{
	if (p->set_child_tid)
		put_user_u32(p->set_child_tid, p->pid);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The new task @p starts in user mode with its frame (at the top of its
 * kernel stack) when the scheduler first picks it. */
void proc_set_start(struct proc *p)
{
	p->ctx.ra = (u64)arch_ret_from_fork;
	p->ctx.sp = (u64)arch_frame_of(p->kstack + KSTACK_SIZE);
}

int proc_start_init(const char *path, char *const argv[], char *const envp[])
{
	const struct ramfs_file *rf = initramfs_lookup(path);
	const char *reason = "";
	unsigned long irq;
	struct proc *p;
	int err;

	if (!rf || (rf->mode & S_IFMT) != S_IFREG) {
		printk("exec: %s: %s\n", path, rf ? "not a regular file" : "no such file");
		return rf ? -EACCES : -ENOENT;
	}
	p = proc_new(&err);
	if (p && !(p->as = as_create()))
		err = -ENOMEM;
	if (p && p->as && (err = proc_files_init(p)) == 0) {
		strlcpy(p->name, base_name(path), sizeof(p->name));
		rlimits_init(p->rlimits);
		p->pgid = p->sid = p->pid;
		irq = arch_irq_save();
		as_activate(p->as);
		err = exec_load(p->as, rf, path, argv, envp,
				arch_frame_of(p->kstack + KSTACK_SIZE), &reason);
		as_deactivate(p->as);
		arch_irq_restore(irq);
		if (err)
			printk("exec: %s: %s\n", path, reason);
	}
	if (err) {
		if (p) {
			proc_files_release(p);
			if (p->as)
				as_destroy(p->as);
			proc_free(p);
		}
		if (err == -ENOMEM)
			printk("exec: %s: out of memory\n", path);
		return err;
	}
	irq = spin_lock_irqsave(&tasklist_lock);
	init_proc = p;
	spin_unlock_irqrestore(&tasklist_lock, irq);
	proc_set_start(p);
	sched_start(p);
	return 0;
}
