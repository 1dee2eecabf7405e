/*
 * initlife: what the kernel owes init (pid 1), and the ends of vfork.
 * Run it as init, on several harts:
 *
 *   1. kill(1, SIGTERM), kill(1, SIGKILL) and kill(1, SIGSTOP) from a
 *      child return 0 and init goes on: init gets only the signals it has
 *      handlers for (Linux's SIGNAL_UNKILLABLE); a blocked one is pending
 *      until unblocked, and then dropped.
 *   2. A vfork parent killed while its child runs in the borrowed address
 *      space dies of SIGKILL; the child, reparented to init, keeps running
 *      in that space (it outlives its owner) until init kills it.
 *   3. SIGSTOP and at once SIGCONT, ROUNDS times, to a child spinning on
 *      another hart: it always runs again (a SIGCONT that comes between
 *      the stop signal's dequeue and the stop cancels the stop).
 *   4. With SIGCHLD ignored by init, ORPHANS grandchildren, each a zombie
 *      when its parent exits, go to init and are freed at once (more of
 *      them than the task limit allows): init never waits for them, and a
 *      wait at the end finds none (ECHILD). Kept, they would fill the
 *      task table.
 *   5. A token passed ROUNDS times each way between init and a child
 *      through one shared futex word (FUTEX_WAIT/FUTEX_WAKE, no
 *      timeouts): a wake-up lost between a waiter's check of the word and
 *      its sleep would stop both for good.
 *   6. Init exits with a child still running: the kernel kills it and
 *      powers off with init's status (the runner checks the "init: ...
 *      exited with status 0" line and the leak check).
 *
 * Usage: initlife ROUNDS ORPHANS      (e.g. initlife 2000 1500)
 * Output: one line per part, then "initlife: ok"; exit 0 iff all held.
 * A watchdog (ITIMER_REAL) ends the run with a line if a part stops moving.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCHDOG_S 60
#define P_PID      1
#define WNOWAIT_   0x01000000

struct itimer {
	long interval_s, interval_us, value_s, value_us;
};

static const char *part = "start";
static int round_;
static volatile long *shared;           /* a MAP_SHARED page every child sees */

static void stuck(int sig)
{
	(void)sig;
	printf("initlife: %s: no progress for %d s (round %d)\n", part, WATCHDOG_S, round_);
	_exit(3);
}

static void alive(void)
{
	struct itimer t = { 0, 0, WATCHDOG_S, 0 };

	syscall(SYS_setitimer, 0, &t, 0);
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

static void sleep_forever(void)
{
	struct timespec t = { 1000, 0 };

	for (;;)
		nanosleep(&t, NULL);
}

/* Wait until *@p differs from @old. */
static void await_change(volatile long *p, long old)
{
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) == old)
		sched_yield();
}

/* Also a blocked SIGUSR1 at SIG_DFL: it stays pending while blocked (as
 * for any process), and is dropped, not acted on, once unblocked. */
static bool kill_init_from_child(void)
{
	sigset_t usr1, pending;
	bool was_pending;
	int status;
	pid_t pid;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pid = fork();
	if (pid == 0) {
		shared[0] = kill(1, SIGTERM);
		shared[1] = kill(1, SIGKILL);
		shared[2] = kill(1, SIGSTOP);
		shared[3] = kill(1, SIGUSR1);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		return false;
	sigemptyset(&pending);
	syscall(SYS_rt_sigpending, &pending, sizeof(pending));
	was_pending = sigismember(&pending, SIGUSR1) == 1;
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	printf("initlife: kill(1, SIGTERM/SIGKILL/SIGSTOP/SIGUSR1) from a child: %ld %ld %ld %ld; "
	       "the blocked SIGUSR1 %s pending; init runs on\n",
	       shared[0], shared[1], shared[2], shared[3], was_pending ? "was" : "was not");
	return !shared[0] && !shared[1] && !shared[2] && !shared[3] && was_pending;
}

static bool vfork_parent_killed(void)
{
	int status_a, status_b;
	pid_t a, b;
	long seen;

	shared[0] = shared[1] = 0;
	a = fork();
	if (a == 0) {
		b = vfork();
		if (b == 0) {
			shared[1] = getpid();
			for (;;) {              /* in A's space, until killed */
				__atomic_fetch_add(&shared[0], 1, __ATOMIC_RELEASE);
				sched_yield();
			}
		}
		_exit(b < 0 ? 2 : 1);   /* only once the child is gone */
	}
	if (a < 0)
		return false;
	await_change(&shared[0], 0);
	b = (pid_t)shared[1];
	kill(a, SIGKILL);
	if (waitpid(a, &status_a, 0) != a)
		return false;
	seen = __atomic_load_n(&shared[0], __ATOMIC_ACQUIRE);
	await_change(&shared[0], seen); /* still running, the space its own now */
	kill(b, SIGKILL);
	if (waitpid(b, &status_b, 0) != b)   /* reparented to init */
		return false;
	printf("initlife: a vfork parent killed: status 0x%04x; its child runs on in the space, "
	       "then ends with 0x%04x\n", status_a, status_b);
	return status_a == SIGKILL && status_b == SIGKILL;
}

static bool stop_cont(int rounds)
{
	int i, status;
	pid_t pid;

	shared[0] = 0;
	pid = fork();
	if (pid == 0)
		for (;;)
			__atomic_fetch_add(&shared[0], 1, __ATOMIC_RELEASE);
	if (pid < 0)
		return false;
	round_ = -1;
	await_change(&shared[0], 0);
	for (i = 0; i < rounds; i++) {
		round_ = i;
		kill(pid, SIGSTOP);
		kill(pid, SIGCONT);
		await_change(&shared[0], __atomic_load_n(&shared[0], __ATOMIC_ACQUIRE));
		if (!(i & 63))
			alive();
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return false;
	printf("initlife: SIGSTOP then SIGCONT %d times: the child ran again every time\n", rounds);
	return status == SIGKILL;
}

static long futex(volatile long *w, int op, long val)
{
	return syscall(SYS_futex, w, op, val, 0, 0, 0);
}

#define FUTEX_WAIT_ 0
#define FUTEX_WAKE_ 1

/* shared[0] (its low word): 1 the child's turn, 2 init's. */
static bool futex_pingpong(int rounds)
{
	volatile int *w = (volatile int *)&shared[0];
	int i, v, status;
	pid_t pid;

	*w = 2;
	pid = fork();
	if (pid == 0) {
		for (;;) {
			while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) != 1)
				futex((volatile long *)w, FUTEX_WAIT_, v);
			__atomic_store_n(w, 2, __ATOMIC_RELEASE);
			futex((volatile long *)w, FUTEX_WAKE_, 1 << 30);
		}
	}
	if (pid < 0)
		return false;
	for (i = 0; i < rounds; i++) {
		round_ = i;
		__atomic_store_n(w, 1, __ATOMIC_RELEASE);
		futex((volatile long *)w, FUTEX_WAKE_, 1 << 30);
		while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 1)
			futex((volatile long *)w, FUTEX_WAIT_, 1);
		if (!(i & 1023))
			alive();
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return false;
	printf("initlife: a futex token passed %d times each way\n", rounds);
	return status == SIGKILL;
}

/* A child that leaves a zombie grandchild behind when it exits. */
static void leave_zombie(void)
{
	char si[128];
	pid_t g;

	set_handler(SIGCHLD, SIG_DFL);  /* its own child stays a zombie */
	g = fork();
	if (g == 0)
		_exit(0);
	if (g < 0)
		_exit(1);
	syscall(SYS_waitid, P_PID, g, si, WEXITED | WNOWAIT_, 0);
	_exit(0);
}

static bool orphans(int n)
{
	int i;
	pid_t pid;

	set_handler(SIGCHLD, SIG_IGN);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			leave_zombie();
		if (pid < 0) {
			printf("initlife: orphan %d: fork fails with errno %d\n", i, errno);
			return false;
		}
		while (kill(pid, 0) == 0)       /* gone without a wait */
			sched_yield();
		if (!(i & 63))
			alive();
	}
	set_handler(SIGCHLD, SIG_DFL);
	pid = waitpid(-1, NULL, WNOHANG);
	printf("initlife: %d zombie orphans of children reparented and freed; wait then gives %s\n",
	       n, pid < 0 && errno == ECHILD ? "ECHILD" : "a child");
	return pid < 0 && errno == ECHILD;
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[1]) : 2000, n = argc > 2 ? atoi(argv[2]) : 1500;
	bool ok = true;
	pid_t pid;

	if (getpid() != 1) {
		printf("initlife: must run as init\n");
		return 2;
	}
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 2;
	set_handler(SIGALRM, stuck);
	alive();
	part = "kill init";
	ok &= kill_init_from_child();
	part = "vfork parent killed";
	ok &= vfork_parent_killed();
	part = "stop and continue";
	ok &= stop_cont(rounds);
	part = "orphans";
	ok &= orphans(n);
	part = "futex ping-pong";
	ok &= futex_pingpong(rounds * 10);
	part = "exit with a child alive";
	pid = fork();
	if (pid == 0)
		sleep_forever();
	printf("initlife: %s\n", ok && pid > 0 ? "ok" : "FAILED");
	return ok && pid > 0 ? 0 : 1;
}
