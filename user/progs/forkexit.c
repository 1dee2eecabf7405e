/*
 * forkexit: processes born and reaped as fast as the harts allow, the
 * scheduler's races under load. PROCS workers each fork ROUNDS children
 * that exit at once with a status of their own (some yield first, some
 * fork a grandchild that outlives them and goes to init). A third of the
 * workers reap with a blocking wait4, a third poll with WNOHANG (so they
 * find a zombie the moment it exists), a third ignore SIGCHLD (the kernel
 * reaps, on an idle hart); every status is checked, and workers yield
 * between rounds, so tasks keep moving between the run queue and the
 * harts while zombies are reaped on other harts. What it proves, with its
 * protection named in docs/sched.md:
 *   - a zombie's kernel stack is freed only once its hart has switched
 *     away (on_cpu): with KMEM_POISON=1 a freed stack is filled with a
 *     pattern, so a task still on it crashes the kernel;
 *   - a task is never run by two harts at once (sched_lock held across
 *     the switch);
 *   - a wake-up is never lost between wait4's check and its sleep
 *     (tasklist_lock held until the task is on the wait queue).
 * A watchdog (ITIMER_REAL) ends the run with a line if it stops moving.
 *
 * Usage: forkexit PROCS ROUNDS        (e.g. forkexit 8 300)
 * Output: "forkexit: P procs, R rounds, ok", or the first failure; exit 0
 * iff ok.
 *
 * forkexit bomb: a fork bomb as root: children that sleep until killed are
 * forked until fork fails, which must be EAGAIN (the task limit, Linux's
 * threads-max), never a hang or a panic; then all are killed and reaped.
 * Output: "forkexit: bomb: N forks, then EAGAIN; all reaped".
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCHDOG_S 60

struct itimer {
	long interval_s, interval_us, value_s, value_us;
};

static void stuck(int sig)
{
	(void)sig;
	printf("forkexit: no progress for %d s: a lost wake-up or a stuck task\n", WATCHDOG_S);
	_exit(3);
}

/* Re-arm the watchdog: it fires only if this is not called for WATCHDOG_S. */
static void alive(void)
{
	struct itimer t = { 0, 0, WATCHDOG_S, 0 };

	syscall(SYS_setitimer, 0, &t, 0);
}

/* Sleep without waking: a long nanosleep, again and again. */
static void pause_forever(void)
{
	struct timespec t = { 1000, 0 };

	nanosleep(&t, NULL);
}

/* One child: exits with @code, after yielding or leaving an orphan. */
static void child(int code)
{
	if (code % 3 == 0)
		sched_yield();
	if (code % 7 == 0 && fork() == 0)
		_exit(0);               /* the grandchild goes to init */
	_exit(code);
}

/* Reap @pid: blocking (the reaper sleeps until woken), or polling with
 * WNOHANG (it finds the zombie the moment it exists, perhaps while its
 * hart is still on its stack). */
static pid_t reap(pid_t pid, int *status, bool poll)
{
	pid_t r;

	if (!poll)
		return waitpid(pid, status, 0);
	while ((r = waitpid(pid, status, WNOHANG)) == 0)
		;
	return r;
}

/* With SIGCHLD ignored the kernel reaps the child itself (an idle hart
 * frees it): wait until it is gone. */
static int autoreaped(pid_t pid)
{
	while (kill(pid, 0) == 0)
		sched_yield();
	return waitpid(pid, NULL, WNOHANG) < 0 ? 0 : 13;      /* no zombie left */
}

static int worker(int w, int rounds)
{
	int r, status, mode = w % 3;    /* 0 blocking wait, 1 polling, 2 SIGCHLD ignored */
	struct sigaction ign = { 0 };
	pid_t pid;

	if (mode == 2) {
		ign.sa_handler = SIG_IGN;
		sigaction(SIGCHLD, &ign, NULL);
	}
	for (r = 0; r < rounds; r++) {
		int code = (w * 31 + r) & 0x7f;

		pid = fork();
		if (pid < 0)
			return 10;
		if (pid == 0)
			child(code);
		if (mode == 2) {
			if (autoreaped(pid))
				return 13;
		} else {
			if (reap(pid, &status, mode == 1) != pid)
				return 11;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != code)
				return 12;
		}
		if (r & 1)
			sched_yield();
	}
	return 0;
}

#define BOMB_MAX 100000

static int bomb(void)
{
	int n = 0, status, reaped = 0, err;
	pid_t pid;

	for (;;) {
		pid = fork();
		if (pid == 0) {
			for (;;)
				pause_forever();
		}
		if (pid < 0 || ++n >= BOMB_MAX)
			break;
		if (!(n & 63))
			alive();
	}
	err = errno;
	kill(-1, SIGKILL);              /* everyone but init (us) */
	while (wait(&status) > 0)
		reaped++;
	if (pid >= 0 || err != EAGAIN || reaped != n) {
		printf("forkexit: bomb: %d forks, then %s (errno %d); %d reaped\n", n,
		       pid >= 0 ? "no failure" : "not EAGAIN", err, reaped);
		return 1;
	}
	printf("forkexit: bomb: %d forks, then EAGAIN; all reaped\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	int procs = argc > 2 ? atoi(argv[1]) : 8, rounds = argc > 2 ? atoi(argv[2]) : 300;
	struct sigaction sa = { 0 };
	int i, status, bad = 0, done = 0;
	pid_t pid, workers[64];

	sa.sa_handler = stuck;
	sigaction(SIGALRM, &sa, NULL);
	if (argc > 1 && !strcmp(argv[1], "bomb")) {
		alive();
		return bomb();
	}
	if (procs < 1 || procs > 64 || rounds < 1) {
		printf("usage: forkexit PROCS ROUNDS (PROCS 1..64)\n");
		return 2;
	}
	alive();
	for (i = 0; i < procs; i++) {
		pid = workers[i] = fork();
		if (pid < 0) {
			printf("forkexit: fork of worker %d failed\n", i);
			return 1;
		}
		if (pid == 0)
			_exit(worker(i, rounds));
	}
	while (done < procs) {
		pid = wait(&status);
		if (pid < 0)
			break;
		alive();
		for (i = 0; i < procs && workers[i] != pid; i++)
			;
		if (i == procs)
			continue;               /* an orphan init inherited */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			done++;
		else if (!bad)
			bad = status ? status : -1;
	}
	while (wait(&status) > 0)       /* the orphans init inherited */
		;
	if (bad || done < procs) {
		printf("forkexit: a worker failed: status 0x%x\n", bad);
		return 1;
	}
	printf("forkexit: %d procs, %d rounds, ok\n", procs, rounds);
	return 0;
}
