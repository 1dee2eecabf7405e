/*
 * regcheck: every register of a process must survive preemption, system
 * calls and signal handlers, with other processes running on every hart.
 *
 * Usage: regcheck [-s] [-x] PROCS ITERS     (e.g. regcheck -s 8 300000)
 *
 * The parent starts PROCS processes. Process i loads every integer register
 * but sp (ra, gp and tp included), the 32 FP registers and fcsr with values
 * derived from i, then runs ITERS iterations of a loop that compares every
 * register with its value (regcheck_asm.S, about 200 instructions an
 * iteration). Every YIELD_EVERY iterations it makes a system call with the
 * registers loaded: sched_yield, or with -s a kill() of itself. With more
 * processes than harts the timer preempts each of them many times in the
 * middle of the loop.
 *
 *  -s  signals as well: SIGUSR1 and SIGUSR2 run regcheck_handler, which
 *      overwrites every register but sp and ra, the FP registers and fcsr.
 *      Each process sends itself SIGUSR2 instead of calling sched_yield, and
 *      checks afterwards that the handler ran exactly once per SIGUSR2; the
 *      parent sends every process SIGUSR1 every 10 ms while they run, which
 *      lands anywhere (and on top of a SIGUSR2 handler too). Both signals
 *      stay blocked until the process has its handler.
 *  -x  start the processes with vfork and execve of argv[0] (arguments
 *      "-w I ITERS SIGNALS") instead of fork, so each runs a fresh image.
 *
 * Output: "regcheck: N procs, ok" and exit 0; or, for each process that
 * failed, one line naming the register and its contents, e.g.
 * "regcheck: proc 3: s5 (x21) is 0x0 instead of 0x8bf2e0c2d5b1c3a7, 1200
 * iterations left", and exit 1.
 *
 * Built for rv64gc with the lp64 calling convention (the libc has no FP),
 * from this file and regcheck_asm.S (see user/user.mk).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "regcheck.h"

#define MAX_PROCS	64
#define YIELD_EVERY	4096UL		/* a power of two */
#define KICK_MS		10		/* the parent's SIGUSR1 period */

struct rc_state {
	uint64_t x[32];
	uint64_t f[32];
	uint64_t fcsr;
	uint64_t iters;
	uint64_t ymask;
	uint64_t sc_nr, sc_a0, sc_a1;
	uint64_t bad_reg, bad_val;
};

_Static_assert(offsetof(struct rc_state, f) == RC_F, "regcheck.h");
_Static_assert(offsetof(struct rc_state, fcsr) == RC_FCSR, "regcheck.h");
_Static_assert(offsetof(struct rc_state, iters) == RC_ITERS, "regcheck.h");
_Static_assert(offsetof(struct rc_state, ymask) == RC_YMASK, "regcheck.h");
_Static_assert(offsetof(struct rc_state, sc_nr) == RC_SC_NR, "regcheck.h");
_Static_assert(offsetof(struct rc_state, sc_a0) == RC_SC_A0, "regcheck.h");
_Static_assert(offsetof(struct rc_state, sc_a1) == RC_SC_A1, "regcheck.h");
_Static_assert(offsetof(struct rc_state, bad_reg) == RC_BAD_REG, "regcheck.h");
_Static_assert(offsetof(struct rc_state, bad_val) == RC_BAD_VAL, "regcheck.h");
_Static_assert(sizeof(struct rc_state) == RC_SIZE, "regcheck.h");

/* regcheck_asm.S */
long regcheck_spin(struct rc_state *st);
void regcheck_handler(int sig);
extern uint64_t regcheck_signals[2];	/* handler runs: SIGUSR1, SIGUSR2 */

static const char *const xname[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6",
	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const fname[32] = {
	"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1",
	"fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3",
	"fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9",
	"ft10", "ft11",
};

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* Process @idx's register values, and the call its loop makes. */
static void fill_state(struct rc_state *st, unsigned idx, unsigned long iters,
		       bool sig)
{
	unsigned k;

	memset(st, 0, sizeof(*st));
	for (k = 0; k < 32; k++) {
		st->x[k] = splitmix64(idx * 64 + k);
		st->f[k] = splitmix64(idx * 64 + 32 + k);
	}
	st->fcsr = (idx % 5) << 5 | ((idx * 7 + 3) & 0x1f);
	st->iters = iters;
	st->ymask = YIELD_EVERY - 1;
	st->sc_nr = sig ? SYS_kill : SYS_sched_yield;
	st->sc_a0 = sig ? (uint64_t)getpid() : 0;
	st->sc_a1 = sig ? SIGUSR2 : 0;
}

static void changed_text(char *buf, size_t size, const struct rc_state *st)
{
	unsigned r = st->bad_reg;

	if (r < 32)
		snprintf(buf, size, "%s (x%u) is 0x%lx instead of 0x%lx",
			 xname[r], r, (unsigned long)st->bad_val,
			 (unsigned long)st->x[r]);
	else if (r < 64)
		snprintf(buf, size, "%s (f%u) is 0x%lx instead of 0x%lx",
			 fname[r - 32], r - 32, (unsigned long)st->bad_val,
			 (unsigned long)st->f[r - 32]);
	else if (r == RC_REG_FCSR)
		snprintf(buf, size, "fcsr is 0x%lx instead of 0x%lx",
			 (unsigned long)st->bad_val, (unsigned long)st->fcsr);
	else
		snprintf(buf, size, "%s is 0x%lx after the system call "
			 "instead of 0x%lx", r == RC_REG_CALL_A1 ? "a1" : "a7",
			 (unsigned long)st->bad_val, (unsigned long)(
			 r == RC_REG_CALL_A1 ? st->sc_a1 : st->sc_nr));
}

static void block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(how, &set, NULL);
}

static void install_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = regcheck_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	block_signals(SIG_UNBLOCK);
}

/* Process @idx: the loop, then its verdict as an exit status. */
static int run_proc(unsigned idx, unsigned long iters, bool sig)
{
	unsigned long want = sig ? (iters - 1) / YIELD_EVERY : 0;
	struct rc_state st;
	char buf[120];

	if (sig)
		install_handler();
	fill_state(&st, idx, iters, sig);
	if (regcheck_spin(&st)) {
		changed_text(buf, sizeof(buf), &st);
		printf("regcheck: proc %u: %s, %lu iterations left\n", idx,
		       buf, (unsigned long)st.iters);
		return 1;
	}
	if (regcheck_signals[1] != want) {
		printf("regcheck: proc %u: the SIGUSR2 handler ran %lu times, "
		       "expected %lu\n", idx, (unsigned long)regcheck_signals[1],
		       want);
		return 1;
	}
	return 0;
}

static pid_t start_forked(unsigned idx, unsigned long iters, bool sig)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exit(run_proc(idx, iters, sig));
	return pid;
}

/* The child runs only execve or _exit: it shares our memory until then. */
static pid_t start_execed(const char *self, unsigned idx, unsigned long iters,
			  bool sig)
{
	char a_idx[16], a_iters[24];
	char *argv[] = { (char *)self, "-w", a_idx, a_iters, sig ? "1" : "0",
			 NULL };
	pid_t pid;

	snprintf(a_idx, sizeof(a_idx), "%u", idx);
	snprintf(a_iters, sizeof(a_iters), "%lu", iters);
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execve(self, argv, environ);
		_exit(127);
	}
	return pid;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Reaps the processes of @pid (0 once reaped) into @st; with @kick, sends
 * each one still running SIGUSR1 every KICK_MS meanwhile.
 */
static void reap_all(pid_t *pid, int *st, unsigned n, bool kick)
{
	unsigned left = n, i;

	while (left) {
		for (i = 0; i < n; i++) {
			if (!pid[i])
				continue;
			if (kick)
				kill(pid[i], SIGUSR1);
			if (waitpid(pid[i], &st[i], kick ? WNOHANG : 0) ==
			    pid[i]) {
				pid[i] = 0;
				left--;
			}
		}
		if (left && kick)
			pause_ms(KICK_MS);
	}
}

/* A line for each process that ended otherwise than by exit 0 or 1. */
static bool all_ok(const int *st, unsigned n)
{
	bool ok = true;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (st[i])
			ok = false;
		if (WIFSIGNALED(st[i]))
			printf("regcheck: proc %u: killed by signal %d\n", i,
			       WTERMSIG(st[i]));
		else if (WEXITSTATUS(st[i]) > 1)
			printf("regcheck: proc %u: exit %d\n", i,
			       WEXITSTATUS(st[i]));
	}
	return ok;
}

static int usage(void)
{
	printf("usage: regcheck [-s] [-x] PROCS ITERS (PROCS 1..%u, ITERS > 0)\n",
	       MAX_PROCS);
	return 2;
}

int main(int argc, char **argv)
{
	bool sig = false, exec = false;
	pid_t pid[MAX_PROCS];
	int st[MAX_PROCS], a = 1;
	unsigned long iters;
	unsigned n, i;

	if (argc == 5 && !strcmp(argv[1], "-w"))
		return run_proc(strtoul(argv[2], NULL, 0),
				strtoul(argv[3], NULL, 0), argv[4][0] == '1');
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-s"))
			sig = true;
		else if (!strcmp(argv[a], "-x"))
			exec = true;
		else
			return usage();
	}
	if (argc - a != 2)
		return usage();
	n = strtoul(argv[a], NULL, 0);
	iters = strtoul(argv[a + 1], NULL, 0);
	if (n < 1 || n > MAX_PROCS || iters < 1)
		return usage();
	if (sig)
		block_signals(SIG_BLOCK);
	for (i = 0; i < n; i++) {
		pid[i] = exec ? start_execed(argv[0], i, iters, sig) :
				start_forked(i, iters, sig);
		if (pid[i] < 0) {
			printf("regcheck: fork: errno %d\n", errno);
			return 1;
		}
	}
	reap_all(pid, st, n, sig);
	if (!all_ok(st, n))
		return 1;
	printf("regcheck: %u procs, ok\n", n);
	return 0;
}
