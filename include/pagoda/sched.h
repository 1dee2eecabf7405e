/*
 * sched: the scheduler (kernel/proc/sched.c; docs/sched.md).
 *
 * One run queue for every hart, first in first out, under sched_lock;
 * every hart picks the next task from it, so tasks migrate freely. Each
 * hart has an idle task (its boot stack) that runs when the queue is
 * empty and sleeps in wfi. A task runs until it sleeps, exits, yields,
 * or its time slice (one 100 Hz tick while others wait) ends: the tick
 * marks it, and it switches on its way back to user mode, or at a
 * sched_cond_resched() in a long kernel loop. The kernel is not
 * preempted otherwise: it runs with interrupts off, so no spinlock is
 * ever held across a switch except sched_lock itself, which the
 * switching hart hands over to the task it switches to.
 *
 * Locking (docs/locking.md): (s) sched_lock, below every other lock but
 * the allocators'.
 */
#ifndef PAGODA_SCHED_H
#define PAGODA_SCHED_H
#include <pagoda/types.h>
#include <pagoda/spinlock.h>

struct proc;

/* A queue of sleeping tasks, woken together. */
struct waitq {
	struct proc *head;              /* (s) */
};

/* Task states (struct proc.state) */
enum {
	TASK_RUNNING,                   /* on a hart or on the run queue */
	TASK_SLEEPING,                  /* on a waitq and/or the timer list */
	TASK_ZOMBIE,                    /* exited, waiting to be reaped */
};

/* struct proc.work bits: what the task has to do before user mode. */
#define WORK_RESCHED    1ul             /* its slice ended, or a better task woke */
#define WORK_SIGNAL     2ul             /* a signal may be deliverable */

extern struct spinlock sched_lock;

/* Boot: the idle task of this hart; then the scheduler runs on it. */
void sched_init_hart(void);
/* The idle loop of this hart: run tasks, or wfi. Never returns. */
__noreturn void sched_idle(void);
/* Make a new task runnable (its context is set up to start). */
void sched_start(struct proc *p);
/* Give up the hart: to the next task if one waits. */
void sched_yield(void);
/* The current task switches away for good (it is a zombie). */
__noreturn void sched_exit(void);
/* In long kernel loops: switch if the slice has ended. No lock held. */
void sched_cond_resched(void);

/* What ends a sleep besides a wake-up and the deadline. */
enum {
	SLEEP_UNINTR,                   /* nothing */
	SLEEP_INTR,                     /* any signal the task would take */
	SLEEP_KILLABLE,                 /* SIGKILL only */
};

/*
 * Sleep on @wq (may be NULL: a timeout only) until sched_wake(), until
 * @deadline (arch time; 0: none), or, as @mode (SLEEP_*) says, until a
 * signal is pending. The caller holds @lk (may be NULL), with interrupts
 * off; it is released while asleep and taken again before returning. The
 * caller checks its condition in a loop. 0, -ETIMEDOUT or -EINTR.
 */
int sched_sleep(struct waitq *wq, struct spinlock *lk, u64 deadline, int mode);
/* Wake every task sleeping on @wq. */
void sched_wake(struct waitq *wq);
/* Wake @p if it sleeps interruptibly, and make it look at its work
 * (an IPI when it runs on another hart). */
void sched_kick(struct proc *p);

/* Per-hart tick (timer interrupt): the slice, and sleepers whose time came. */
void sched_tick(void);
/* Tasks that exist (not yet reaped), the idle tasks excepted. */
extern unsigned int nr_tasks;
#endif
