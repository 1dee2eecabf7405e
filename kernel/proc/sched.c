/*
 * sched: one run queue, every hart (include/pagoda/sched.h, docs/sched.md).
 *
 * Switching: schedule_locked() runs with sched_lock held and interrupts
 * off, picks the next task and calls arch_switch_to() still holding the
 * lock. Whatever runs next on this hart (the task switched to, back from
 * its own schedule_locked(), or a new task in sched_tail()) finishes the
 * switch and releases the lock. So no other hart can pick a task while
 * its stack is still in use here; on_cpu says the same to the reaper of a
 * task that switched away for the last time.
 *
 * Sleeping: a task on a waitq, on the timer list, or both, in state
 * TASK_SLEEPING; sched_wake()/a deadline/a signal make it TASK_RUNNING
 * and queue it. An idle hart is woken by an IPI when a task is queued.
 */
#include <pagoda/sched.h>
#include <pagoda/proc.h>
#include <pagoda/as.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/signal.h>
#include <pagoda/smp.h>
#include <asm/trap.h>
#include <asm/cpu.h>
#include <string.h>

struct spinlock sched_lock;
unsigned int nr_tasks;                  /* (t) */
static struct proc *rq_head, *rq_tail;  /* (s) */
static struct proc *timer_list;         /* (s) sleepers with a deadline, soonest first */
static u64 idle_harts;                  /* (s) harts asleep in their idle loop */
static struct proc idle_tasks[MAX_HARTS];
static int fp_owner_pid[MAX_HARTS];     /* (o) whose FP registers the hart holds */
static struct proc *switched_from[MAX_HARTS];   /* (s) the task a switch left */
static vaddr_t idle_sp_min[MAX_HARTS];  /* (c) the trap limit of each hart's own stack */

static bool is_idle(const struct proc *p)
{
	return p >= idle_tasks && p < idle_tasks + MAX_HARTS;
}

/* ---- the run queue ------------------------------------------------------ */

static void rq_push(struct proc *p)
{
	unsigned int cpu;

	assert_held(&sched_lock);
	p->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = p;
	else
		rq_head = p;
	rq_tail = p;
	if (!idle_harts)
		return;
	cpu = lowest_bit(idle_harts);      /* wake one sleeping hart */
	idle_harts &= ~(1ull << cpu);
	if (cpu != this_hart()->cpu)
		smp_send_ipi(cpu);
}

static struct proc *rq_pop(void)
{
	struct proc *p = rq_head;

	assert_held(&sched_lock);
	if (p) {
		rq_head = p->rq_next;
		if (!rq_head)
			rq_tail = NULL;
	}
	return p;
}

/* ---- switching ----------------------------------------------------------- */

/* The FP registers of @prev, which leaves this hart: saved if it changed them. */
static void fpu_switch_out(struct proc *prev)
{
	struct trapframe *tf = arch_frame_of(prev->kstack + KSTACK_SIZE);

	if (!arch_frame_fp_dirty(tf))
		return;
	arch_fpu_save(&prev->fp);
	arch_frame_fp_set(tf, FRAME_FS_CLEAN);
	prev->fp_cpu = this_hart()->cpu;
	fp_owner_pid[this_hart()->cpu] = prev->pid;
}

/* The FP registers of @next: loaded unless this hart still holds them. */
static void fpu_switch_in(struct proc *next)
{
	unsigned int cpu = this_hart()->cpu;

	if (fp_owner_pid[cpu] == next->pid && next->fp_cpu == (int)cpu)
		return;
	arch_fpu_restore(&next->fp);
	next->fp_cpu = cpu;
	fp_owner_pid[cpu] = next->pid;
}

/* The hart's view of @next: its address space, its trap stack. */
static void hart_enter(struct hart *h, struct proc *next)
{
	if (next->as != h->as) {
		if (h->as)
			as_deactivate(h->as);
		if (next->as)
			as_activate(next->as);
	}
	if (is_idle(next)) {
		h->user_ksp = 0;
		h->trap_sp_min = idle_sp_min[h->cpu];
	} else {
		h->user_ksp = next->kstack + KSTACK_SIZE;
		h->trap_sp_min = trap_sp_min(h->user_ksp, KSTACK_SIZE);
		fpu_switch_in(next);
	}
	h->proc = next;
}

/* After a switch, on the task switched to: the task it left is off
 * this hart (its stack is free to be reaped, or run elsewhere). */
static void switch_done(void)
{
	unsigned int cpu = this_hart()->cpu;

	assert_held(&sched_lock);
	switched_from[cpu]->on_cpu = false;
	switched_from[cpu] = NULL;
}

/* A new task's first code (arch_ret_from_fork): finish the switch,
 * release the lock its switcher held, then what the child does first
 * (CLONE_CHILD_SETTID). */
void sched_tail(void)
{
	switch_done();
	spin_unlock(&sched_lock);
	proc_child_start(current_proc());
}

/* Switch to the next runnable task (or the idle task). sched_lock held,
 * interrupts off; it is held again on return, by whoever switched back. */
static void schedule_locked(void)
{
	struct hart *h = this_hart();
	struct proc *prev = h->proc, *next;

	assert_held(&sched_lock);
	__atomic_fetch_and(&prev->work, ~WORK_RESCHED, __ATOMIC_RELAXED);
	if (prev->state == TASK_RUNNING && !is_idle(prev))
		rq_push(prev);
	next = rq_pop();
	if (!next)
		next = &idle_tasks[h->cpu];
	if (next == prev)
		return;
	/* A queued task has left its last hart: that switch finished under
	 * this lock before anyone could take the task off the queue. */
	if (unlikely(next->on_cpu && !is_idle(next)))
		panic("schedule: pid %d taken off the queue while still on a hart", next->pid);
	if (!is_idle(prev))
		fpu_switch_out(prev);
	next->on_cpu = true;
	switched_from[h->cpu] = prev;
	hart_enter(h, next);
	arch_switch_to(&prev->ctx, &next->ctx);
	switch_done();                  /* back on prev, on whichever hart picked it */
}

static void schedule(void)
{
	unsigned long irq = spin_lock_irqsave(&sched_lock);

	schedule_locked();
	spin_unlock_irqrestore(&sched_lock, irq);
}

void sched_yield(void)
{
	schedule();
}

void sched_start(struct proc *p)
{
	unsigned long irq = spin_lock_irqsave(&sched_lock);

	p->state = TASK_RUNNING;
	rq_push(p);
	spin_unlock_irqrestore(&sched_lock, irq);
}

__noreturn void sched_exit(void)
{
	arch_irq_disable();
	spin_lock(&sched_lock);
	current_proc()->state = TASK_ZOMBIE;
	schedule_locked();
	panic("sched_exit: a zombie ran again");
}

void sched_cond_resched(void)
{
	struct proc *p = current_proc();

	if (arch_timer_pending())
		irq_timer();            /* interrupts are off in the kernel: take the tick here */
	if (p && (__atomic_load_n(&p->work, __ATOMIC_RELAXED) & WORK_RESCHED))
		schedule();
}

/* ---- sleeping and waking ---------------------------------------------- */

static void timer_insert(struct proc *p)
{
	struct proc **pp = &timer_list;

	assert_held(&sched_lock);
	while (*pp && (*pp)->wake_at <= p->wake_at)
		pp = &(*pp)->timer_next;
	p->timer_next = *pp;
	*pp = p;
}

static void timer_remove(struct proc *p)
{
	struct proc **pp = &timer_list;

	while (*pp && *pp != p)
		pp = &(*pp)->timer_next;
	if (*pp)
		*pp = p->timer_next;
}

static void wq_remove(struct proc *p)
{
	struct proc **pp;

	assert_held(&sched_lock);
	if (!p->wq)
		return;
	for (pp = &p->wq->head; *pp && *pp != p; pp = &(*pp)->wq_next)
		;
	if (*pp)
		*pp = p->wq_next;
	p->wq = NULL;
}

/* @p, asleep, runs again. (s) held. */
static void wake_locked(struct proc *p)
{
	assert_held(&sched_lock);
	if (p->state != TASK_SLEEPING)
		return;
	wq_remove(p);
	if (p->wake_at)
		timer_remove(p);
	p->wake_at = 0;
	p->state = TASK_RUNNING;
	rq_push(p);
}

/* Whether a signal ends @p's sleep of @mode. */
static bool signal_waiting(const struct proc *p, int mode)
{
	if (mode == SLEEP_KILLABLE)
		return __atomic_load_n(&p->sigpending, __ATOMIC_SEQ_CST) & SIGBIT(SIGKILL);
	return mode == SLEEP_INTR && (__atomic_load_n(&p->work, __ATOMIC_SEQ_CST) & WORK_SIGNAL);
}

int sched_sleep(struct waitq *wq, struct spinlock *lk, u64 deadline, int mode)
{
	struct proc *p = current_proc();
	int r = 0;

	if (lk)
		assert_held(lk);
	spin_lock(&sched_lock);         /* before lk goes: a waker needs both */
	if (lk)
		spin_unlock(lk);
	if (signal_waiting(p, mode)) {
		r = -EINTR;
	} else if (deadline && arch_read_time() >= deadline) {
		r = -ETIMEDOUT;
	} else {
		p->state = TASK_SLEEPING;
		p->sleep_mode = (u8)mode;
		p->timed_out = false;
		if (wq) {
			p->wq = wq;
			p->wq_next = wq->head;
			wq->head = p;
		}
		p->wake_at = deadline;
		if (deadline)
			timer_insert(p);
		schedule_locked();
		if (p->timed_out)
			r = -ETIMEDOUT;
		else if (signal_waiting(p, mode))
			r = -EINTR;
	}
	spin_unlock(&sched_lock);
	if (lk)
		spin_lock(lk);
	return r;
}

void sched_wake(struct waitq *wq)
{
	unsigned long irq = spin_lock_irqsave(&sched_lock);

	while (wq->head)
		wake_locked(wq->head);
	spin_unlock_irqrestore(&sched_lock, irq);
}

void sched_kick(struct proc *p)
{
	unsigned long irq = spin_lock_irqsave(&sched_lock);
	unsigned int cpu;

	if (p->state == TASK_SLEEPING && signal_waiting(p, p->sleep_mode)) {
		wake_locked(p);
	} else if (p->on_cpu && p != current_proc()) {
		for (cpu = 0; cpu < nr_hart_slots; cpu++)
			if (harts[cpu].proc == p)
				smp_send_ipi(cpu);      /* it traps, and sees its work */
	}
	spin_unlock_irqrestore(&sched_lock, irq);
}

/* ---- the tick and the idle loop ---------------------------------------- */

void sched_tick(void)
{
	struct proc *p = current_proc();
	u64 now = arch_read_time();

	if (!p)
		return;
	if (__atomic_load_n(&timer_list, __ATOMIC_RELAXED)) {
		spin_lock(&sched_lock);
		while (timer_list && timer_list->wake_at <= now) {
			struct proc *t = timer_list;

			t->timed_out = true;
			wake_locked(t);
		}
		spin_unlock(&sched_lock);
	}
	if (!is_idle(p) && __atomic_load_n(&rq_head, __ATOMIC_RELAXED))
		__atomic_fetch_or(&p->work, WORK_RESCHED, __ATOMIC_RELAXED);
}

void sched_init_hart(void)
{
	struct hart *h = this_hart();
	struct proc *idle = &idle_tasks[h->cpu];

	idle->state = TASK_RUNNING;
	idle->on_cpu = true;
	idle->fp_cpu = -1;
	strlcpy(idle->name, "idle", sizeof(idle->name));
	fp_owner_pid[h->cpu] = -1;
	idle_sp_min[h->cpu] = h->trap_sp_min;
	h->proc = idle;
}

__noreturn void sched_idle(void)
{
	struct hart *h = this_hart();

	for (;;) {
		proc_idle();
		arch_irq_disable();
		spin_lock(&sched_lock);
		if (rq_head) {
			schedule_locked();
			spin_unlock(&sched_lock);
		} else {
			idle_harts |= 1ull << h->cpu;
			spin_unlock(&sched_lock);
			if (!__atomic_load_n(&h->work, __ATOMIC_ACQUIRE) &&
			    !__atomic_load_n(&rq_head, __ATOMIC_RELAXED))
				arch_wait_for_interrupt();
			spin_lock(&sched_lock);
			idle_harts &= ~(1ull << h->cpu);
			spin_unlock(&sched_lock);
		}
		arch_irq_enable();              /* pending interrupts are taken here */
	}
}
