/*
 * oom: the out-of-memory killer (docs/processes.md, "Out of memory").
 *
 * When a page fault finds no free frame, the process with the largest
 * footprint (its resident pages plus its page-table pages, Linux's
 * badness without the adjustments) gets SIGKILL and one log line. The
 * faulting process then sleeps until some process has given its memory
 * back (or a short while), and its access is retried; if it was the
 * victim, it dies instead. One victim at a time: while a victim is dying,
 * further shortages wait for it rather than killing another.
 *
 * Init (pid 1) is never chosen, nor a vfork child (its space is its
 * parent's; Linux's in_vfork), as on Linux. Every process in the
 * victim's space gets SIGKILL (a vfork child borrowing it), and the
 * victim counts as gone only when its space is destroyed, when the
 * memory really comes back: the space, not the pid, is what the killer
 * waits for.
 *
 * Locking: the choice and the kills are made under tasklist_lock, which
 * every change of a process's space pointer holds too, so the spaces read
 * here are alive; their footprints are read without their own lock (a
 * snapshot is enough to choose).
 */
#include <pagoda/as.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <asm/cpu.h>

static struct waitq oom_wait;           /* (s) faulting tasks waiting for memory */
static const struct addr_space *oom_victim;     /* (t) the space being freed, or NULL;
						 * read without it in oom_space_put */
/* oom_victim while the victim's space is being destroyed: no process has
 * it, so no one is killed for it, and its address may be reused at once. */
static const u8 oom_draining;
#define OOM_DRAINING    ((const struct addr_space *)&oom_draining)
static u64 oom_kills;                   /* (a) */

#define OOM_RETRY_MS    100

/* Pages a process would give back by dying (with the sharers of its
 * space). (t) held. */
static u64 footprint(const struct proc *p)
{
	const struct addr_space *as = p->as;

	assert_held(&tasklist_lock);
	if (!as)
		return 0;
	return __atomic_load_n(&as->rss, __ATOMIC_RELAXED) +
	       __atomic_load_n(&as->pm.tables, __ATOMIC_RELAXED);
}

/* The living process with the largest footprint, init aside. (t) held. */
static struct proc *choose_victim(void)
{
	struct proc *best = NULL;
	u64 best_pages = 0;
	int pid;

	for (pid = 2; pid < PID_MAX; pid++) {
		struct proc *p = proc_find(pid);
		u64 n;

		if (!p || p->exited || p->as_borrowed || (p->sigpending & SIGBIT(SIGKILL)))
			continue;
		n = footprint(p);
		if (n > best_pages) {
			best = p;
			best_pages = n;
		}
	}
	return best;
}

/* SIGKILL to every process in @as that has not had it yet (a process
 * forked into it while the last kill was sent is caught next time).
 * (t) held. */
static void kill_space(const struct addr_space *as)
{
	int pid;

	for (pid = 2; pid < PID_MAX; pid++) {
		struct proc *p = proc_find(pid);

		if (p && p->as == as && !p->exited && !(p->sigpending & SIGBIT(SIGKILL)))
			signal_send_locked(p, SIGKILL, SI_KERNEL, 0);
	}
}

/*
 * A page fault of the current process found no memory. Kill the largest
 * process (unless a victim is still dying), then wait for memory to come
 * back: true, and the caller retries the access (returning to user mode
 * does). False when no process holds memory to give back: the caller
 * ends itself.
 */
bool oom_kill_and_wait(void)
{
	struct proc *me = current_proc(), *v = NULL;
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);

	if (oom_victim) {
		kill_space(oom_victim);
	} else if ((v = choose_victim())) {
		__atomic_store_n(&oom_victim, v->as, __ATOMIC_RELAXED);
		__atomic_fetch_add(&oom_kills, 1, __ATOMIC_RELAXED);
		printk("oom: killed pid %d (%s): rss %llu KiB\n", v->pid, v->name,
		       (unsigned long long)(__atomic_load_n(&v->as->rss, __ATOMIC_RELAXED) *
					    (PAGE_SIZE / 1024)));
		kill_space(oom_victim);
	}
	if (!oom_victim) {
		spin_unlock_irqrestore(&tasklist_lock, irq);
		return false;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	if (__atomic_load_n(&me->sigpending, __ATOMIC_RELAXED) & SIGBIT(SIGKILL))
		return true;            /* the victim: it dies on its way out */
	irq = arch_irq_save();
	sched_sleep(&oom_wait, NULL, arch_read_time() + timebase_hz * OOM_RETRY_MS / 1000, SLEEP_INTR);
	arch_irq_restore(irq);
	return true;
}

/*
 * No process points at @as any more when its last user lets go here, so
 * the killer cannot choose it from now on: if it is not the victim yet,
 * it never will be, and the unlocked look is enough.
 */
void oom_space_put(struct addr_space *as)
{
	bool victim;
	unsigned long irq;

	if (!as_put(as))
		return;
	victim = __atomic_load_n(&oom_victim, __ATOMIC_RELAXED) == as;
	if (victim) {
		irq = spin_lock_irqsave(&tasklist_lock);
		__atomic_store_n(&oom_victim, OOM_DRAINING, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&tasklist_lock, irq);
	}
	as_destroy(as);
	if (victim) {
		irq = spin_lock_irqsave(&tasklist_lock);
		__atomic_store_n(&oom_victim, NULL, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&tasklist_lock, irq);
	}
	if (__atomic_load_n(&oom_wait.head, __ATOMIC_RELAXED))
		sched_wake(&oom_wait);
}

u64 oom_kill_count(void)
{
	return __atomic_load_n(&oom_kills, __ATOMIC_RELAXED);
}
