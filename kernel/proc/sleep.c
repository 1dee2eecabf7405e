/*
 * sleep: the calls that wait for time, and the interval timer
 * (nanosleep, clock_nanosleep, setitimer, getitimer). Time is the timer
 * counter (arch time), whose epoch is the boot for every clock (see
 * clock_gettime in kernel/sys.c). A sleep ends at the first scheduler
 * tick at or after its deadline (docs/sched.md: 100 Hz).
 *
 * ITIMER_REAL: each process with one armed is on itimer_list, checked by
 * every hart's tick; at expiry the process gets SIGALRM and the timer
 * re-arms with its interval.
 *
 * Locking: (i) itimer_lock guards the list and the itimer fields; it is
 * taken before tasklist_lock (signal_send), never inside it.
 */
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/syscall.h>
#include <pagoda/time.h>
#include <pagoda/uaccess.h>
#include <asm/cpu.h>

#define USEC_PER_SEC    1000000ull
#define TIMER_ABSTIME   1
#define ITIMER_REAL     0
#define ITIMER_VIRTUAL  1
#define ITIMER_PROF     2

static struct spinlock itimer_lock;
static struct proc *itimer_list;        /* (i) */

#define KTIME_MAX_NS    ((u64)INT64_MAX)        /* Linux's longest time, about 292 years */

u64 time_add(u64 a, u64 b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* @sec seconds and @frac parts of @per_sec (nanoseconds, microseconds) in
 * arch time; as on Linux (ktime_set), anything past KTIME_MAX
 * nanoseconds is KTIME_MAX. */
static u64 to_time(u64 sec, u64 frac, u64 per_sec)
{
	u64 ns = sec >= KTIME_MAX_NS / NSEC_PER_SEC ? KTIME_MAX_NS :
		 MIN(sec * NSEC_PER_SEC + frac * (NSEC_PER_SEC / per_sec), KTIME_MAX_NS);

	return ns / NSEC_PER_SEC * timebase_hz + ns % NSEC_PER_SEC * timebase_hz / NSEC_PER_SEC;
}

u64 ns_to_time(u64 sec, u64 nsec)
{
	return to_time(sec, nsec, NSEC_PER_SEC);
}

static struct kernel_timespec time_to_ts(u64 t)
{
	return (struct kernel_timespec){ (s64)(t / timebase_hz),
					 (s64)((t % timebase_hz) * NSEC_PER_SEC / timebase_hz) };
}

/* Sleep until arch time @deadline: 0, or -EINTR when a signal came. */
static int sleep_until(u64 deadline)
{
	unsigned long irq = arch_irq_save();
	int r;

	do
		r = sched_sleep(NULL, NULL, deadline, SLEEP_INTR);
	while (r == 0);
	arch_irq_restore(irq);
	return r == -ETIMEDOUT ? 0 : r;
}

/* The sleep of nanosleep and clock_nanosleep; @rem gets what was left
 * when a signal ended it early (relative sleeps only). */
static long do_nanosleep(const void *ureq, void *urem, bool abs)
{
	struct kernel_timespec req, rem;
	u64 now = arch_read_time(), deadline;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	deadline = ns_to_time((u64)req.tv_sec, (u64)req.tv_nsec);
	if (!abs)
		deadline = time_add(deadline, now);
	if (deadline <= now)
		return 0;
	if (!sleep_until(deadline))
		return 0;
	if (!abs && urem) {
		now = arch_read_time();
		rem = time_to_ts(deadline > now ? deadline - now : 0);
		if (copy_to_user(urem, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return -ERESTARTNOHAND;
}

/* nanosleep(req, rem) */
SYSCALL(nanosleep)
{
	return do_nanosleep((const void *)a0, (void *)a1, false);
}

/* clock_nanosleep(clock, flags, req, rem): errors are returned, as Linux. */
SYSCALL(clock_nanosleep)
{
	int clock = (int)a0;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_TAI)
		return -EINVAL;
	return do_nanosleep((const void *)a2, (void *)a3, a1 & TIMER_ABSTIME);
}

/* ---- ITIMER_REAL ----------------------------------------------------------- */

struct kernel_itimerval {
	struct kernel_timeval interval, value;
};

static u64 tv_to_time(const struct kernel_timeval *tv)
{
	return to_time((u64)tv->tv_sec, (u64)tv->tv_usec, USEC_PER_SEC);
}

static struct kernel_timeval time_to_tv(u64 t)
{
	return (struct kernel_timeval){ (s64)(t / timebase_hz),
					(s64)((t % timebase_hz) * USEC_PER_SEC / timebase_hz) };
}

static void itimer_unlink(struct proc *p)
{
	struct proc **pp;

	assert_held(&itimer_lock);
	for (pp = &itimer_list; *pp && *pp != p; pp = &(*pp)->itimer_next)
		;
	if (*pp)
		*pp = p->itimer_next;
	p->itimer_next = NULL;
}

/* The current value of @p's timer. (i) held. */
static struct kernel_itimerval itimer_get(const struct proc *p, u64 now)
{
	struct kernel_itimerval v = { time_to_tv(p->itimer_real_interval), { 0, 0 } };

	if (p->itimer_real_at)
		v.value = time_to_tv(p->itimer_real_at > now ? p->itimer_real_at - now : 1);
	return v;
}

/* A process that exits takes its timer off the list. */
void itimer_exit(struct proc *p)
{
	unsigned long irq = spin_lock_irqsave(&itimer_lock);

	if (p->itimer_real_at)
		itimer_unlink(p);
	p->itimer_real_at = 0;
	spin_unlock_irqrestore(&itimer_lock, irq);
}

/* Every hart's tick: SIGALRM to processes whose timer expired. */
void itimer_tick(u64 now)
{
	struct proc *p, *next;

	if (!__atomic_load_n(&itimer_list, __ATOMIC_RELAXED))
		return;
	spin_lock(&itimer_lock);
	for (p = itimer_list; p; p = next) {
		next = p->itimer_next;
		if (p->itimer_real_at > now)
			continue;
		if (p->itimer_real_interval) {
			p->itimer_real_at = time_add(now, p->itimer_real_interval);
		} else {
			p->itimer_real_at = 0;
			itimer_unlink(p);
		}
		signal_send(p, SIGALRM, SI_KERNEL, 0);
	}
	spin_unlock(&itimer_lock);
}

/* setitimer(which, new, old): ITIMER_REAL only; the CPU-time timers are
 * accepted and never fire (no CPU accounting yet). */
SYSCALL(setitimer)
{
	struct proc *p = current_proc();
	struct kernel_itimerval new = { { 0, 0 }, { 0, 0 } }, old;
	u64 now = arch_read_time();
	unsigned long irq;

	if (a0 > ITIMER_PROF)
		return -EINVAL;
	if (a1 && copy_from_user(&new, (const void *)a1, sizeof(new)))
		return -EFAULT;
	if (new.value.tv_usec < 0 || new.value.tv_usec >= (s64)USEC_PER_SEC || new.value.tv_sec < 0 ||
	    new.interval.tv_usec < 0 || new.interval.tv_usec >= (s64)USEC_PER_SEC || new.interval.tv_sec < 0)
		return -EINVAL;
	if (a0 != ITIMER_REAL) {
		old = (struct kernel_itimerval){ { 0, 0 }, { 0, 0 } };
	} else {
		irq = spin_lock_irqsave(&itimer_lock);
		old = itimer_get(p, now);
		if (p->itimer_real_at)
			itimer_unlink(p);
		p->itimer_real_at = (new.value.tv_sec || new.value.tv_usec) ?
				    time_add(now, tv_to_time(&new.value)) : 0;
		p->itimer_real_interval = p->itimer_real_at ? tv_to_time(&new.interval) : 0;
		if (p->itimer_real_at) {
			p->itimer_next = itimer_list;
			itimer_list = p;
		}
		spin_unlock_irqrestore(&itimer_lock, irq);
	}
	if (a2 && copy_to_user((void *)a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* getitimer(which, value) */
SYSCALL(getitimer)
{
	struct kernel_itimerval v = { { 0, 0 }, { 0, 0 } };
	unsigned long irq;

	if (a0 > ITIMER_PROF)
		return -EINVAL;
	if (a0 == ITIMER_REAL) {
		irq = spin_lock_irqsave(&itimer_lock);
		v = itimer_get(current_proc(), arch_read_time());
		spin_unlock_irqrestore(&itimer_lock, irq);
	}
	return copy_to_user((void *)a1, &v, sizeof(v)) ? -EFAULT : 0;
}

/* ---- ppoll ------------------------------------------------------------------ */

#define POLLIN          0x0001
#define POLLOUT         0x0004
#define POLLNVAL        0x0020
#define POLL_FDS_MAX    NR_OPEN

struct pollfd {
	int fd;
	short events, revents;
};

/* Every file here is always ready (the initramfs, the console): each
 * valid fd reports the POLLIN and POLLOUT it asked for, an invalid one
 * POLLNVAL. The number of fds with something to report. */
static int poll_scan(struct pollfd *fds, u64 n)
{
	int ready = 0;
	u64 i;

	for (i = 0; i < n; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (!proc_file(current_proc(), fds[i].fd))
			fds[i].revents = POLLNVAL;
		else
			fds[i].revents = fds[i].events & (POLLIN | POLLOUT);
		ready += fds[i].revents != 0;
	}
	return ready;
}

/*
 * ppoll(fds, nfds, timeout, sigmask, sigsetsize): with no fd ready (none
 * asked for: glibc's pause() is ppoll(NULL, 0, NULL, NULL)), sleep until
 * the timeout or a signal, with @sigmask blocked meanwhile as
 * rt_sigsuspend does. EINTR after a handler, as Linux (-ERESTARTNOHAND).
 */
SYSCALL(ppoll)
{
	struct proc *p = current_proc();
	struct pollfd fds[POLL_FDS_MAX];
	struct kernel_timespec ts;
	u64 n = a1, deadline = 0, mask;
	int ready, r;

	if (n > POLL_FDS_MAX)
		return -EINVAL;
	if (n && copy_from_user(fds, (const void *)a0, n * sizeof(fds[0])))
		return -EFAULT;
	if (a2) {
		if (copy_from_user(&ts, (const void *)a2, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
			return -EINVAL;
		deadline = time_add(arch_read_time(), ns_to_time((u64)ts.tv_sec, (u64)ts.tv_nsec));
	}
	if (a3) {
		if (a4 != sizeof(u64))
			return -EINVAL;
		if (copy_from_user(&mask, (const void *)a3, sizeof(mask)))
			return -EFAULT;
	}
	ready = poll_scan(fds, n);
	if (ready || (a2 && !ts.tv_sec && !ts.tv_nsec)) {
		r = ready;
	} else {
		if (a3) {
			p->saved_sigmask = p->sigmask;
			p->restore_sigmask = true;
			__atomic_store_n(&p->sigmask, mask & ~SIG_UNBLOCKABLE, __ATOMIC_SEQ_CST);
			signal_recalc(p);
		}
		r = sleep_until(deadline) ? -ERESTARTNOHAND : 0;
		if (!r && a3) {         /* the timeout: the mask comes back now */
			p->restore_sigmask = false;
			__atomic_store_n(&p->sigmask, p->saved_sigmask, __ATOMIC_SEQ_CST);
			signal_recalc(p);
		}
	}
	if (n && copy_to_user((void *)a0, fds, n * sizeof(fds[0])))
		return -EFAULT;
	return r;
}
