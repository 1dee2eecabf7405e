/*
 * proc_conform: processes checked against Linux: fork, wait4 and waitid,
 * vfork, posix_spawn, clone3, execve and its limits, copy-on-write across
 * fork, the zero page, signals, RLIMIT_NPROC and sessions.
 *
 * One table row per case. Each case runs in a process of its own (forked
 * from main, made leader of a process group of its own), so that a case
 * that faults, hangs or leaves children behind cannot disturb the next:
 * the case process prints its line and exits 0 (passed) or 1 (failed);
 * main prints a "not ok" line for any other end, and kills a case process
 * still running after CASE_SECONDS. Every line is a fixed text filled with
 * observed values that do not change from run to run: statuses, errno and
 * si_code names, byte values, and relations ("the child", "==") instead
 * of pids, addresses or times; a case never depends on how long something
 * takes, only on the order the kernel must keep. So the output of a correct
 * kernel is the same on any number of harts, and tests/expected/
 * proc_conform.out holds it as riscv64 Linux 6.12 prints it.
 *
 * Children report to their parent through a MAP_SHARED|MAP_ANONYMOUS page
 * ('sh', mapped by main before the first fork) and wait for each other on
 * its gates; exec'd children report through their exit status only (see
 * proc_child.c), so nothing here needs a pipe or a file system, except
 * the one row marked "needs memfd_create".
 *
 * Usage: proc_conform [HELPER], HELPER being the path of proc_child
 * (default /proc_child). Last line "proc_conform: P passed, F failed";
 * the exit status is 0 iff F == 0.
 *
 * The expected output is regenerated with real Linux (rvlinux boots
 * riscv64 Linux 6.12 and runs the program as a child of its /init):
 *
 *   make user
 *   SMP=1 FILES=build/user/proc_child /work/shared/oracle/rvlinux run \
 *       build/user/proc_conform | grep -E '^(not )?ok |^proc_conform: ' \
 *       > tests/expected/proc_conform.out
 *
 * and the same with SMP=4 must print the same lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <time.h>
#include <unistd.h>

#define PG		4096UL
#define KIB		1024UL
#define MIB		(1024UL * KIB)
#define CASE_SECONDS	20	/* a case process still running then is killed */
#define WAIT_MS		10000	/* the longest a gate or a poll waits */
#define NO_CHILD	INT_MIN	/* exec_child(): fork failed */
#define EXEC_FAILED	255	/* exit status of a child whose execve failed */
/* Linux: the longest argument or environment string, its NUL included. */
#define MAX_ARG_STRLEN	(32 * PG)
#define BIG_UID		1000	/* a user that is not root */
#define STR_LEN		200	/* the longest name str() makes */

/* What children share with their parent (zeroed before each case). */
struct shared {
	int gate[4];		/* set to 1 by gate_open(), awaited by gate_wait() */
	long v[8];		/* values a child reports to its parent */
	int exec_errno;		/* errno of the failed execve in exec_child() */
};

/* struct clone_args of <linux/sched.h>, the CLONE_ARGS_SIZE_VER0 part. */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

struct row {
	const char *name;
	bool (*run)(void);	/* sets 'detail', returns true iff it passed */
};

/* How a si_code is printed; signo 0 for the codes of every signal. */
struct code_name {
	int signo;
	int code;
	const char *name;
};

static struct shared *sh;
static const char *helper = "/proc_child";
static pid_t top_pid;			/* main's pid */
static char detail[640];		/* the running case's observations */
static char *const no_env[] = { NULL };

/* What the signal handlers saw (each case starts with zeros). */
static volatile sig_atomic_t hits, last_sig, depth, max_depth;
static volatile pid_t victim;		/* killed by on_alarm_kill() */
static siginfo_t info;			/* on_info()'s last siginfo */
static siginfo_t fault_info;		/* on_fault()'s last siginfo */
static sigjmp_buf fault_jmp;
static volatile uintptr_t handler_local;	/* address of a handler's local */
static volatile int handler_ss_flags;	/* sigaltstack's ss_flags in a handler */

static const struct code_name code_names[] = {
	{ 0, SI_USER, "SI_USER" },
	{ 0, SI_QUEUE, "SI_QUEUE" },
	{ 0, SI_TKILL, "SI_TKILL" },
	{ 0, SI_KERNEL, "SI_KERNEL" },
	{ SIGCHLD, CLD_EXITED, "CLD_EXITED" },
	{ SIGCHLD, CLD_KILLED, "CLD_KILLED" },
	{ SIGCHLD, CLD_DUMPED, "CLD_DUMPED" },
	{ SIGCHLD, CLD_STOPPED, "CLD_STOPPED" },
	{ SIGCHLD, CLD_CONTINUED, "CLD_CONTINUED" },
	{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR" },
	{ SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR" },
	{ SIGBUS, BUS_ADRALN, "BUS_ADRALN" },
	{ SIGBUS, BUS_ADRERR, "BUS_ADRERR" },
	{ SIGBUS, BUS_OBJERR, "BUS_OBJERR" },
};

/* proc_child's exit bits, mode by mode (proc_child.c). */
static const char *const mirror_bits[] = { "counts differ", "a string differs", NULL };
static const char *const fds_bits[] = { "fd 10 open", "fd 11 closed or FD_CLOEXEC", NULL };
static const char *const sigs_bits[] = { "SIGUSR1 not default", "SIGUSR2 not ignored",
	"mask not {SIGTERM}", "SIGTERM not pending", NULL };
static const char *const strlen_bits[] = { "wrong length", NULL };
static const char *const args_bits[] = { "wrong count", "wrong length", NULL };

/* ---- output and names --------------------------------------------------- */

static void out(const char *fmt, ...)
{
	char buf[sizeof(detail) + 128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(1, buf, n) != n)
		_exit(3);
}

/* Records what the case saw; returns @ok, the case's verdict. */
static bool say(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return ok;
}

/* printf into one of eight rotating buffers: for the names below. */
static const char *str(const char *fmt, ...)
{
	static char bufs[8][STR_LEN];
	static unsigned int next;
	char *s = bufs[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, STR_LEN, fmt, ap);
	va_end(ap);
	return s;
}

/* "ENOENT" for ENOENT; "0" for 0. */
static const char *en(int e)
{
	const char *name = e ? strerrorname_np(e) : "0";

	return name ? name : str("errno %d", e);
}

/* -errno if @r is -1, else @r: a system call's result as one value. */
static long xr(long r)
{
	return r == -1 ? -errno : r;
}

/* A result that may be a pid: "the child" (== @child), "0", "another pid", or the errno name. */
static const char *who(long r, pid_t child)
{
	if (r < 0)
		return en((int)-r);
	if (r == 0)
		return "0";
	return r == child ? "the child" : "another pid";
}

/* A wait status as "0x%04x", or the errno name of a failed wait. */
static const char *sts(int st)
{
	if (st == NO_CHILD)
		return "no child (fork failed)";
	return st < 0 ? en(-st) : str("0x%04x", st);
}

static const char *code_str(int signo, int code)
{
	size_t i;

	for (i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
		if (code_names[i].code == code &&
		    (code_names[i].signo == signo || (code <= 0 && !code_names[i].signo)))
			return code_names[i].name;
	return str("si_code %d", code);
}

/* "the address" if @got == @want, else how far off it is. */
static const char *at(const void *got, const volatile void *want)
{
	if (got == want)
		return "the address";
	return str("off by %ld", (long)((uintptr_t)got - (uintptr_t)want));
}

static const char *rel(bool equal)
{
	return equal ? "==" : "!=";
}

/*
 * What became of an exec_child(): the errno of a failed execve; with
 * @bits, proc_child's verdict ("all checks held", or the checks named by
 * its exit bits); without, its status.
 */
static const char *verdict(int r, const char *const *bits)
{
	char failed[STR_LEN] = "";
	int i, n = 0;

	if (r < 0 && r != NO_CHILD)
		return en(-r);
	if (r == NO_CHILD || !bits || !WIFEXITED(r))
		return sts(r);
	if (r == 0)
		return "all checks held";
	for (i = 0; bits[i] && n < STR_LEN; i++)
		if (WEXITSTATUS(r) & (1 << i))
			n += snprintf(failed + n, STR_LEN - n, " %s;", bits[i]);
	return str("exit %d:%s", WEXITSTATUS(r), failed);
}

static bool no_fork(void)
{
	return say(false, "fork: %s", en(errno));
}

/* ---- processes ---------------------------------------------------------- */

static void nap_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

static void gate_open(int g)
{
	__atomic_store_n(&sh->gate[g], 1, __ATOMIC_RELEASE);
}

/* Waits until gate @g is open; false after WAIT_MS. */
static bool gate_wait(int g)
{
	int ms;

	for (ms = 0; !__atomic_load_n(&sh->gate[g], __ATOMIC_ACQUIRE); ms++) {
		if (ms == WAIT_MS)
			return false;
		nap_ms(1);
	}
	return true;
}

/* Waits for @pid (retrying after a signal); its raw status or -errno. */
static int reap(pid_t pid)
{
	pid_t r;
	int st;

	do
		r = wait4(pid, &st, 0, NULL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : st;
}

static int kill_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	return reap(pid);
}

/* A child that sleeps in pause() until it is killed; its pid, or -1. */
static pid_t fork_paused(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

static pid_t fork_exit(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

/*
 * Forks a child that runs @prep (if any), then execve(@path, @argv, @envp).
 * Returns the child's wait status, -errno if execve failed, NO_CHILD if
 * fork did.
 */
static int exec_child(const char *path, char *const argv[], char *const envp[],
		      void (*prep)(void))
{
	pid_t pid;
	int st;

	sh->exec_errno = 0;
	pid = fork();
	if (pid == 0) {
		if (prep)
			prep();
		execve(path, argv, envp);
		sh->exec_errno = errno;
		_exit(EXEC_FAILED);
	}
	if (pid < 0)
		return NO_CHILD;
	st = reap(pid);
	return sh->exec_errno ? -sh->exec_errno : st;
}

/* ---- memory ------------------------------------------------------------- */

/* @len bytes of read-write anonymous memory, MAP_PRIVATE or MAP_SHARED (@type). */
static volatile unsigned char *map(size_t len, int type)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A page that was mapped and is not any more. */
static volatile unsigned char *unmapped(void)
{
	volatile unsigned char *p = map(PG, MAP_PRIVATE);

	munmap((void *)p, PG);
	return p;
}

/* A string of @n 'a's, or NULL. */
static char *string_of(size_t n)
{
	char *s = (char *)map(n + 1, MAP_PRIVATE);

	if (s)
		memset(s, 'a', n);
	return s;
}

static bool no_memory(void)
{
	return say(false, "mmap: %s", en(errno));
}

/* ---- signals ------------------------------------------------------------ */

static void on_signal(int sig)
{
	hits++;
	last_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	info = *si;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_info = *si;
	siglongjmp(fault_jmp, 1);
}

static int handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	return sigaction(sig, &sa, NULL);
}

static int handle_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = flags | SA_SIGINFO };

	return sigaction(sig, &sa, NULL);
}

/* sigprocmask(@how) of {@a, @b}; 0 stands for no signal. */
static int mask(int how, int a, int b)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	return sigprocmask(how, &s, NULL);
}

/* True iff @s holds exactly {@a, @b} (0 for no signal). */
static bool only(const sigset_t *s, int a, int b)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(s, sig) != (sig == a || sig == b))
			return false;
	return true;
}

static bool blocked_only(int a, int b)
{
	sigset_t s;

	return sigprocmask(SIG_BLOCK, NULL, &s) == 0 && only(&s, a, b);
}

static bool pending_only(int a, int b)
{
	sigset_t s;

	return sigpending(&s) == 0 && only(&s, a, b);
}

/* ITIMER_REAL: SIGALRM after @first_ms, then every @every_ms (0: once). */
static void arm(long first_ms, long every_ms)
{
	struct itimerval it = {
		.it_interval = { every_ms / 1000, (every_ms % 1000) * 1000 },
		.it_value = { first_ms / 1000, (first_ms % 1000) * 1000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Loads from (or, with @store, stores 0x5a to) @p with a handler for @sig
 * that jumps back here; true iff it faulted, the siginfo in fault_info.
 */
static bool faults(int sig, volatile unsigned char *p, bool store)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO }, old;
	volatile bool hit = false;

	memset(&fault_info, 0, sizeof(fault_info));
	sigaction(sig, &sa, &old);
	if (sigsetjmp(fault_jmp, 1))
		hit = true;
	else if (store)
		*p = 0x5a;
	else
		(void)*p;
	sigaction(sig, &old, NULL);
	return hit;
}

/* "SIGSEGV SEGV_ACCERR at the address" for the last fault at @p, or "no fault". */
static const char *fault_str(bool hit, volatile unsigned char *p)
{
	if (!hit)
		return "no fault";
	return str("SIG%s %s at %s", sigabbrev_np(fault_info.si_signo) ?: "?",
		   code_str(fault_info.si_signo, fault_info.si_code), at(fault_info.si_addr, p));
}

/* ---- fork and wait ------------------------------------------------------ */

static bool fork_returns(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sh->v[0] = 1;
		sh->v[1] = getpid();
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] == 1 && sh->v[1] == pid,
		   "fork() returns %s in the child and %s in the parent",
		   sh->v[0] ? "0" : "no 0", pid == sh->v[1] ? "the child's pid" : "another value");
}

static bool fork_getppid(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sh->v[0] = getppid();
		sh->v[1] = getpid();
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] == getpid() && sh->v[1] != getpid(),
		   "the child's getppid() %s the parent's getpid(), its getpid() %s the "
		   "parent's",
		   rel(sh->v[0] == getpid()), rel(sh->v[1] == getpid()));
}

/* The status word is (code & 0xff) << 8: exit(256) reads as exit(0). */
static bool wait4_exit_codes(void)
{
	static const int codes[] = { 0, 1, 42, 255, 256 };
	char seen[STR_LEN];
	bool ok = true;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork_exit(codes[i]);
		int st = pid < 0 ? NO_CHILD : reap(pid);

		ok &= st == (codes[i] & 0xff) << 8 && WIFEXITED(st) &&
		      WEXITSTATUS(st) == (codes[i] & 0xff);
		if (n < (int)sizeof(seen))
			n += snprintf(seen + n, sizeof(seen) - n, " %s", sts(st));
	}
	return say(ok, "exit 0, 1, 42, 255, 256 give status%s", seen);
}

static bool wait4_sigkill(void)
{
	pid_t pid = fork_paused();
	int st;

	if (pid < 0)
		return no_fork();
	st = kill_reap(pid);
	return say(st == SIGKILL && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		   "status %s, WIFSIGNALED %d, WTERMSIG %d", sts(st),
		   st >= 0 && WIFSIGNALED(st), st >= 0 ? WTERMSIG(st) : -1);
}

/* RLIMIT_CORE is 0 (main): no core dump, so no 0x80 in the status. */
static bool wait4_sigsegv(void)
{
	volatile unsigned char *bad = unmapped();
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		*bad = 1;
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	st = reap(pid);
	return say(st == SIGSEGV && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV &&
		   !WCOREDUMP(st), "a store to an unmapped page: status %s", sts(st));
}

static bool wait4_wnohang(void)
{
	pid_t pid = fork_paused();
	long one, any;
	int st;

	if (pid < 0)
		return no_fork();
	one = xr(wait4(pid, &st, WNOHANG, NULL));
	any = xr(wait4(-1, &st, WNOHANG, NULL));
	st = kill_reap(pid);
	return say(one == 0 && any == 0 && st == SIGKILL,
		   "while the child runs: WNOHANG on it gives %s, on any child %s; "
		   "after SIGKILL %s", who(one, pid), who(any, pid), sts(st));
}

static bool wait_echild(void)
{
	siginfo_t si;
	long a, b, c;
	int st;

	a = xr(wait4(-1, &st, 0, NULL));
	b = xr(wait4(-1, &st, WNOHANG, NULL));
	c = xr(waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
	return say(a == -ECHILD && b == -ECHILD && c == -ECHILD,
		   "no children: wait4 %s, wait4 WNOHANG %s, waitid P_ALL WNOHANG %s",
		   who(a, 0), who(b, 0), who(c, 0));
}

/* waitid needs one of WEXITED, WSTOPPED, WCONTINUED; wait4 knows no WNOWAIT. */
static bool wait_einval(void)
{
	pid_t pid = fork_paused();
	siginfo_t si;
	long a, b;
	int st;

	if (pid < 0)
		return no_fork();
	a = xr(waitid(P_PID, pid, &si, WNOHANG));
	b = xr(wait4(pid, &st, WNOWAIT, NULL));
	st = kill_reap(pid);
	return say(a == -EINVAL && b == -EINVAL && st == SIGKILL,
		   "waitid without WEXITED %s, wait4 with WNOWAIT %s", who(a, pid), who(b, pid));
}

static const char *siginfo_str(long r, const siginfo_t *si, pid_t pid)
{
	return str("returns %s, si_signo %d, %s, si_pid %s, si_status %d, si_uid %s",
		   who(r, pid), si->si_signo, code_str(si->si_signo, si->si_code),
		   who(si->si_pid, pid), si->si_status,
		   si->si_uid == getuid() ? "getuid()" : "another uid");
}

static bool waitid_exited(void)
{
	pid_t pid = fork_exit(7);
	siginfo_t si;
	long r;

	if (pid < 0)
		return no_fork();
	memset(&si, 0xff, sizeof(si));
	r = xr(waitid(P_PID, pid, &si, WEXITED));
	return say(r == 0 && si.si_signo == SIGCHLD && si.si_code == CLD_EXITED &&
		   si.si_pid == pid && si.si_status == 7 && si.si_uid == getuid(),
		   "exit(7): %s", siginfo_str(r, &si, pid));
}

/* Killed by @sig, waited for with waitid(P_PID): the siginfo checked. */
static bool waitid_killed_by(int sig, char *buf, size_t len)
{
	volatile unsigned char *bad = unmapped();
	pid_t pid = fork();
	siginfo_t si;
	long r;

	if (pid == 0) {
		if (sig == SIGSEGV)
			*bad = 1;
		for (;;)
			pause();
	}
	if (pid < 0) {
		snprintf(buf, len, "fork: %s", en(errno));
		return false;
	}
	if (sig != SIGSEGV)
		kill(pid, sig);
	memset(&si, 0xff, sizeof(si));
	r = xr(waitid(P_PID, pid, &si, WEXITED));
	snprintf(buf, len, "%s", siginfo_str(r, &si, pid));
	return r == 0 && si.si_signo == SIGCHLD && si.si_code == CLD_KILLED &&
	       si.si_pid == pid && si.si_status == sig;
}

static bool waitid_killed(void)
{
	char k[STR_LEN], s[STR_LEN];
	bool ok_k = waitid_killed_by(SIGKILL, k, sizeof(k));
	bool ok_s = waitid_killed_by(SIGSEGV, s, sizeof(s));

	return say(ok_k && ok_s, "SIGKILL: %s; SIGSEGV: %s", k, s);
}

/* With WNOHANG and no child ready, Linux writes a siginfo of zeros. */
static bool waitid_p_all_wnohang(void)
{
	pid_t pid = fork_paused();
	siginfo_t a, b;
	long ra, rb;

	if (pid < 0)
		return no_fork();
	memset(&a, 0xff, sizeof(a));
	ra = xr(waitid(P_ALL, 0, &a, WEXITED | WNOHANG));
	kill(pid, SIGKILL);
	memset(&b, 0xff, sizeof(b));
	rb = xr(waitid(P_ALL, 0, &b, WEXITED));
	return say(ra == 0 && a.si_pid == 0 && a.si_signo == 0 && rb == 0 &&
		   b.si_pid == pid && b.si_code == CLD_KILLED,
		   "running: returns %s, si_pid %s, si_signo %d; after SIGKILL: %s",
		   who(ra, pid), who(a.si_pid, pid), a.si_signo, siginfo_str(rb, &b, pid));
}

static bool zombie_until_reaped(void)
{
	pid_t pid = fork_exit(3);
	long seen, alive, again, gone;
	siginfo_t si;
	int st;

	if (pid < 0)
		return no_fork();
	memset(&si, 0, sizeof(si));
	seen = xr(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	alive = xr(kill(pid, 0));
	st = reap(pid);
	again = xr(wait4(pid, NULL, 0, NULL));
	gone = xr(kill(pid, 0));
	return say(seen == 0 && si.si_pid == pid && si.si_status == 3 && alive == 0 &&
		   st == 0x0300 && again == -ECHILD && gone == -ESRCH,
		   "WNOWAIT sees %s exit %d; kill(child, 0) %s; wait4 %s; again %s; "
		   "kill(child, 0) %s", who(si.si_pid, pid), si.si_status, who(alive, pid),
		   sts(st), who(again, pid), who(gone, pid));
}

/*
 * The grandchild outlives the child: its parent becomes init (pid 1), or
 * main where main is init itself (as on Pagoda, with init=/proc_conform).
 * The grandchild polls getppid() until it changes and reports the new one.
 */
static bool orphan_reparented(void)
{
	pid_t child = fork(), now;
	int ms;

	if (child == 0) {
		if (fork() == 0) {
			pid_t dead = getppid();

			gate_open(0);
			for (ms = 0; getppid() == dead && ms < WAIT_MS; ms++)
				nap_ms(1);
			sh->v[0] = dead;
			sh->v[1] = getppid();
			gate_open(1);
			_exit(0);
		}
		gate_wait(0);
		_exit(0);
	}
	if (child < 0)
		return no_fork();
	reap(child);
	if (!gate_wait(1))
		return say(false, "the grandchild did not report");
	now = sh->v[1];
	return say(sh->v[0] == child && now != child && (now == 1 || now == top_pid),
		   "the grandchild's getppid() %s the child's pid, then moves %s",
		   rel(sh->v[0] == child), now == child ? "nowhere" :
		   now == 1 || now == top_pid ? "to init" : "to another process");
}

static bool wait4_stop_continue(void)
{
	pid_t pid = fork_paused();
	int stopped = -1, cont = -1, st;
	long a, b;

	if (pid < 0)
		return no_fork();
	kill(pid, SIGSTOP);
	a = xr(wait4(pid, &stopped, WUNTRACED, NULL));
	kill(pid, SIGCONT);
	b = xr(wait4(pid, &cont, WCONTINUED, NULL));
	st = kill_reap(pid);
	return say(a == pid && WIFSTOPPED(stopped) && WSTOPSIG(stopped) == SIGSTOP &&
		   b == pid && WIFCONTINUED(cont) && st == SIGKILL,
		   "SIGSTOP: WUNTRACED gives %s %s; SIGCONT: WCONTINUED gives %s %s; "
		   "SIGKILL: %s", who(a, pid), sts(stopped), who(b, pid), sts(cont), sts(st));
}

/* ---- vfork, posix_spawn, clone3 ----------------------------------------- */

/*
 * vfork: the child borrows the parent's memory, and the parent waits until
 * the child ends or executes. The child stores 1, then either executes
 * proc_child "exit 5" (@exec) or yields, stores 2 and calls _exit(4).
 */
static bool vfork_then(bool exec, int want_v, int want_st)
{
	char *argv[] = { "proc_child", "exit", "5", NULL };
	volatile int v = 0;
	pid_t pid = vfork();
	int st;

	if (pid == 0) {
		v = 1;
		if (exec)
			execve(helper, argv, no_env);
		sched_yield();
		v = 2;
		_exit(exec ? EXEC_FAILED : 4);
	}
	if (pid < 0)
		return no_fork();
	st = reap(pid);
	return say(v == want_v && st == want_st,
		   "the parent resumes after %s and reads the child's last store (%d); "
		   "status %s", exec ? "execve" : "_exit", v, sts(st));
}

static bool vfork_exit(void)
{
	return vfork_then(false, 2, 0x0400);
}

static bool vfork_execve(void)
{
	return vfork_then(true, 1, 0x0500);
}

/* glibc's posix_spawn: clone(CLONE_VM|CLONE_VFORK) and execve on a stack of its own. */
static bool posix_spawn_exit(void)
{
	char *argv[] = { "proc_child", "exit", "6", NULL };
	pid_t pid = 0;
	int r, st = NO_CHILD;

	r = posix_spawn(&pid, helper, NULL, NULL, argv, no_env);
	if (r == 0)
		st = reap(pid);
	return say(r == 0 && pid > 0 && st == 0x0600,
		   "returns %s with pid %s 0; status %s", en(r), pid > 0 ? ">" : "<=", sts(st));
}

/* glibc learns of the failed execve through the shared memory, reaps the child. */
static bool posix_spawn_enoent(void)
{
	char *argv[] = { "no-such-program", NULL };
	pid_t pid = 0;
	long left;
	int r;

	r = posix_spawn(&pid, "/no-such-program", NULL, NULL, argv, no_env);
	left = xr(wait4(-1, NULL, WNOHANG, NULL));
	return say(r == ENOENT && left == -ECHILD,
		   "returns %s; no child left: wait4 %s", en(r), who(left, 0));
}

/* Flags 0 and exit_signal SIGCHLD: a fork; a size below VER0 (64) is EINVAL. */
static bool clone3_fork(void)
{
	struct clone3_args a = { .exit_signal = SIGCHLD };
	long small, r;
	int st = NO_CHILD;

	small = xr(syscall(SYS_clone3, &a, 32));
	r = syscall(SYS_clone3, &a, sizeof(a));
	if (r == 0)
		_exit(9);
	r = xr(r);
	if (r > 0)
		st = reap(r);
	return say(small == -EINVAL && r > 0 && st == 0x0900,
		   "size 32 gives %s; size 64 gives %s, its status %s", who(small, 0),
		   r > 0 ? "a pid" : who(r, 0), sts(st));
}

/* ---- execve ------------------------------------------------------------- */

static bool execve_argv_envp(void)
{
	char *argv[] = { "proc_child", "mirror", "a b", "", "tab\there", "x=y", NULL };
	char *envp[] = { "PC0=a b", "PC1=", "PC2=tab\there", "PC3=x=y", NULL };
	int r = exec_child(helper, argv, envp, NULL);

	return say(r == 0, "argv of 6 and envp of 4 strings (one empty, one with a "
		   "blank, one with a tab): %s", verdict(r, mirror_bits));
}

static bool execve_status(void)
{
	char *argv[] = { "proc_child", "exit", "77", NULL };
	int r = exec_child(helper, argv, no_env, NULL);

	return say(r == 0x4d00, "the new image's exit(77) reaches the parent: status %s",
		   sts(r));
}

/* Close-on-exec closes in the new image only, and fork keeps the flag. */
static bool execve_cloexec(void)
{
	char *argv[] = { "proc_child", "fds", "10", "11", NULL };
	long a = xr(dup3(1, 10, O_CLOEXEC)), b = xr(dup2(1, 11)), flags;
	int r;

	if (a != 10 || b != 11)
		return say(false, "dup3: %s, dup2: %s", en(-a), en(-b));
	r = exec_child(helper, argv, no_env, NULL);
	flags = xr(fcntl(10, F_GETFD));
	return say(r == 0 && flags == FD_CLOEXEC,
		   "fd 10 from dup3(O_CLOEXEC) closed, fd 11 from dup2 open in the new "
		   "image: %s; the parent's fd 10 %s FD_CLOEXEC",
		   verdict(r, fds_bits), flags == FD_CLOEXEC ? "keeps" : "lost");
}

/* A directory is no executable: EACCES (do_open_execat: not S_ISREG). */
static bool execve_bad_paths(void)
{
	char *argv[] = { "x", NULL };
	int missing = exec_child("/no-such-program", argv, no_env, NULL);
	int empty = exec_child("", argv, no_env, NULL);
	int dir = exec_child("/", argv, no_env, NULL);

	return say(missing == -ENOENT && empty == -ENOENT && dir == -EACCES,
		   "a missing file gives %s, the empty path %s, a directory %s",
		   verdict(missing, NULL), verdict(empty, NULL), verdict(dir, NULL));
}

/* Linux: one string may have MAX_ARG_STRLEN (32 pages) bytes, its NUL included. */
static bool execve_arg_strlen(void)
{
	char len[16], *s = string_of(MAX_ARG_STRLEN - 1);
	char *argv[] = { "proc_child", "strlen", len, s, NULL };
	int r;

	if (!s)
		return no_memory();
	snprintf(len, sizeof(len), "%lu", MAX_ARG_STRLEN - 1);
	r = exec_child(helper, argv, no_env, NULL);
	return say(r == 0, "one argument of 131071 characters (128 KiB with the NUL) "
		   "arrives whole: %s", verdict(r, strlen_bits));
}

static bool execve_arg_too_long(void)
{
	char *at_limit = string_of(MAX_ARG_STRLEN), *big = string_of(200 * KIB);
	char *argv[] = { "proc_child", "exit", "0", at_limit, NULL };
	char *envp[] = { at_limit, NULL };
	int a, b, c;

	if (!at_limit || !big)
		return no_memory();
	a = exec_child(helper, argv, no_env, NULL);
	argv[3] = big;
	b = exec_child(helper, argv, no_env, NULL);
	c = exec_child(helper, (char *[]){ "proc_child", "exit", "0", NULL }, envp, NULL);
	return say(a == -E2BIG && b == -E2BIG && c == -E2BIG,
		   "an argument of 131072 characters gives %s, of 200 KiB %s; "
		   "an environment string of 131072 %s", verdict(a, NULL), verdict(b, NULL),
		   verdict(c, NULL));
}

/* Runs proc_child "args" with @n copies of @s (@len characters); the verdict. */
static int exec_args(int n, char *s, size_t len)
{
	char count[16], length[16];
	char **argv = calloc(n + 5, sizeof(char *));
	int i, r;

	if (!argv)
		return -ENOMEM;
	snprintf(count, sizeof(count), "%d", n);
	snprintf(length, sizeof(length), "%zu", len);
	argv[0] = "proc_child";
	argv[1] = "args";
	argv[2] = count;
	argv[3] = length;
	for (i = 0; i < n; i++)
		argv[4 + i] = s;
	r = exec_child(helper, argv, no_env, NULL);
	free(argv);
	return r;
}

static int set_stack_limit(rlim_t bytes)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl))
		return -errno;
	rl.rlim_cur = bytes;
	return setrlimit(RLIMIT_STACK, &rl) ? -errno : 0;
}

/*
 * Linux (bprm_stack_limits): all strings and pointers together may take a
 * quarter of RLIMIT_STACK, at most 6 MiB and at least 128 KiB (ARG_MAX).
 * With 16 KiB strings: 20 (320 KiB) pass with an 8 MiB stack limit; with
 * 1 MiB (a 256 KiB budget) 12 (192 KiB) pass and 20 do not; with 256 KiB
 * the floor of 128 KiB lets 6 (96 KiB) pass. (Linux copies arguments at
 * about 1 MiB/s under QEMU: the sizes are kept small.)
 */
static bool execve_args_total(void)
{
	static const struct { rlim_t stack; int n; } tries[] = {
		{ 8 * MIB, 20 }, { 1 * MIB, 12 }, { 1 * MIB, 20 }, { 256 * KIB, 6 },
	};
	size_t len = 16 * KIB - 1, i;
	char *s = string_of(len);
	int r[4], e;

	if (!s)
		return no_memory();
	for (i = 0; i < 4; i++) {
		e = set_stack_limit(tries[i].stack);
		if (e)
			return say(false, "setrlimit(RLIMIT_STACK): %s", en(-e));
		r[i] = exec_args(tries[i].n, s, len);
	}
	return say(r[0] == 0 && r[1] == 0 && r[2] == -E2BIG && r[3] == 0,
		   "16 KiB arguments: stack limit 8 MiB, 20 of them: %s; 1 MiB, 12: %s; "
		   "1 MiB, 20: %s; 256 KiB, 6: %s", verdict(r[0], args_bits),
		   verdict(r[1], args_bits), verdict(r[2], args_bits), verdict(r[3], args_bits));
}

/* ---- copy-on-write ------------------------------------------------------ */

/*
 * Maps a private page holding 0x11 at *@pp and forks a child that, once
 * gate 0 opens, reads it (sh->v[0]), writes 0x33 and reads it again
 * (sh->v[1]); the parent opens the gate after its own change to the page.
 * The child's pid, or -1 with the reason said.
 */
static pid_t fork_late_reader(volatile unsigned char **pp)
{
	volatile unsigned char *p = *pp = map(PG, MAP_PRIVATE);
	pid_t pid;

	if (!p) {
		no_memory();
		return -1;
	}
	p[0] = 0x11;
	pid = fork();
	if (pid == 0) {
		gate_wait(0);
		sh->v[0] = p[0];
		p[0] = 0x33;
		sh->v[1] = p[0];
		_exit(0);
	}
	if (pid < 0)
		no_fork();
	return pid;
}

/*
 * A page of @type (MAP_PRIVATE or MAP_SHARED) holding 0x11, and a child
 * that writes first: the child reads the page (seen[0]) and writes 0x22;
 * then the parent reads it (seen[1]) and writes 0x33; then the child reads
 * it again (seen[2]), and the parent last (seen[3]). Says what it saw;
 * true iff it saw @want.
 */
static bool child_writes_first(int type, const long want[4])
{
	volatile unsigned char *p = map(PG, type);
	long seen[4];
	pid_t pid;

	if (!p)
		return no_memory();
	p[0] = 0x11;
	pid = fork();
	if (pid == 0) {
		sh->v[0] = p[0];
		p[0] = 0x22;
		gate_open(0);
		gate_wait(1);
		sh->v[1] = p[0];
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	gate_wait(0);
	seen[1] = p[0];
	p[0] = 0x33;
	gate_open(1);
	reap(pid);
	seen[0] = sh->v[0];
	seen[2] = sh->v[1];
	seen[3] = p[0];
	return say(!memcmp(seen, want, sizeof(seen)),
		   "the child reads 0x%lx and writes 0x22; the parent then reads 0x%lx and "
		   "writes 0x33; the child then reads 0x%lx, the parent 0x%lx",
		   seen[0], seen[1], seen[2], seen[3]);
}

static bool cow_child_writes_first(void)
{
	static const long want[4] = { 0x11, 0x11, 0x22, 0x33 };

	return child_writes_first(MAP_PRIVATE, want);
}

static bool cow_parent_writes_first(void)
{
	volatile unsigned char *p;
	pid_t pid = fork_late_reader(&p);
	int mine;

	if (pid < 0)
		return false;
	p[0] = 0x22;
	mine = p[0];
	gate_open(0);
	reap(pid);
	return say(mine == 0x22 && sh->v[0] == 0x11 && sh->v[1] == 0x33 && p[0] == 0x22,
		   "the parent writes 0x22 and reads 0x%x; then the child reads 0x%lx, "
		   "writes 0x33 and reads 0x%lx; the parent still reads 0x%x",
		   mine, sh->v[0], sh->v[1], p[0]);
}

static bool cow_mremap_in_child(void)
{
	volatile unsigned char *p = map(PG, MAP_PRIVATE), *dst = map(PG, MAP_PRIVATE);
	pid_t pid;

	if (!p || !dst)
		return no_memory();
	p[0] = 0x11;
	pid = fork();
	if (pid == 0) {
		volatile unsigned char *q = mremap((void *)p, PG, PG,
						   MREMAP_MAYMOVE | MREMAP_FIXED, (void *)dst);

		if (q != dst)
			_exit(1);
		sh->v[0] = q[0];
		q[0] = 0x22;
		sh->v[1] = q[0];
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	return say(reap(pid) == 0 && sh->v[0] == 0x11 && sh->v[1] == 0x22 &&
		   p[0] == 0x11 && dst[0] == 0,
		   "the child moves the page (MREMAP_FIXED), reads 0x%lx there and writes "
		   "0x%lx; the parent reads 0x%x at the old address, 0x%x at the target",
		   sh->v[0], sh->v[1], p[0], dst[0]);
}

static bool cow_mremap_in_parent(void)
{
	volatile unsigned char *p, *q;
	pid_t pid = fork_late_reader(&p);

	if (pid < 0)
		return false;
	q = mremap((void *)p, PG, 2 * PG, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		kill_reap(pid);
		return say(false, "mremap: %s", en(errno));
	}
	q[0] = 0x22;
	gate_open(0);
	reap(pid);
	return say(sh->v[0] == 0x11 && sh->v[1] == 0x33 && q[0] == 0x22,
		   "the parent grows the page by a move and writes 0x22; the child reads 0x%lx "
		   "and writes 0x%lx; the parent still reads 0x%x", sh->v[0], sh->v[1], q[0]);
}

static bool cow_mprotect_in_child(void)
{
	volatile unsigned char *p = map(PG, MAP_PRIVATE);
	pid_t pid;
	bool ro;

	if (!p)
		return no_memory();
	p[0] = 0x11;
	mprotect((void *)p, PG, PROT_READ);
	pid = fork();
	if (pid == 0) {
		if (mprotect((void *)p, PG, PROT_READ | PROT_WRITE))
			_exit(1);
		p[0] = 0x22;
		sh->v[0] = p[0];
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	ro = faults(SIGSEGV, p, true);
	return say(sh->v[0] == 0x22 && p[0] == 0x11 && ro,
		   "the child makes the read-only page writable and writes 0x%lx; the parent "
		   "reads 0x%x and its store %s", sh->v[0], p[0], ro ? "faults" : "does not fault");
}

/* MADV_DONTNEED drops the parent's copy only: it reads zeros, the child the old value. */
static bool cow_dontneed_in_parent(void)
{
	volatile unsigned char *p;
	pid_t pid = fork_late_reader(&p);
	int mine;

	if (pid < 0)
		return false;
	madvise((void *)p, PG, MADV_DONTNEED);
	mine = p[0];
	gate_open(0);
	reap(pid);
	return say(mine == 0 && sh->v[0] == 0x11 && sh->v[1] == 0x33 && p[0] == 0,
		   "after MADV_DONTNEED the parent reads 0x%x; the child reads 0x%lx and writes "
		   "0x%lx; the parent still reads 0x%x", mine, sh->v[0], sh->v[1], p[0]);
}

/* MAP_SHARED|MAP_ANONYMOUS: each sees the other's stores. */
static bool shared_anon_both_ways(void)
{
	static const long want[4] = { 0x11, 0x22, 0x33, 0x33 };

	return child_writes_first(MAP_SHARED, want);
}

/* A private page holding 0x11, given @advice; NULL (and why) if that failed. */
static volatile unsigned char *advised_page(int advice)
{
	volatile unsigned char *p = map(PG, MAP_PRIVATE);

	if (!p || madvise((void *)p, PG, advice)) {
		say(false, "mmap or madvise: %s", en(errno));
		return NULL;
	}
	p[0] = 0x11;
	return p;
}

static bool madv_dontfork(void)
{
	volatile unsigned char *p = advised_page(MADV_DONTFORK);
	pid_t pid;

	if (!p)
		return false;
	pid = fork();
	if (pid == 0) {
		sh->v[0] = faults(SIGSEGV, p, false);
		sh->v[1] = fault_info.si_signo;
		sh->v[2] = fault_info.si_code;
		sh->v[3] = (uintptr_t)fault_info.si_addr - (uintptr_t)p;
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] && sh->v[1] == SIGSEGV && sh->v[2] == SEGV_MAPERR &&
		   sh->v[3] == 0 && p[0] == 0x11,
		   "the child's load %s: signo %ld, %s, %ld bytes off the address; "
		   "the parent reads 0x%x", sh->v[0] ? "faults" : "does not fault", sh->v[1],
		   code_str(sh->v[1], sh->v[2]), sh->v[3], p[0]);
}

static bool madv_wipeonfork(void)
{
	volatile unsigned char *p = advised_page(MADV_WIPEONFORK);
	pid_t pid;

	if (!p)
		return false;
	pid = fork();
	if (pid == 0) {
		sh->v[0] = p[0];
		p[0] = 0x22;
		sh->v[1] = p[0];
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] == 0 && sh->v[1] == 0x22 && p[0] == 0x11,
		   "the child reads 0x%lx and writes 0x%lx; the parent reads 0x%x",
		   sh->v[0], sh->v[1], p[0]);
}

/* Two words a page, at its start and its end. */
static long count_bad(volatile unsigned char *p, size_t pages, unsigned long key)
{
	long bad = 0;
	size_t i;

	for (i = 0; i < pages; i++) {
		volatile unsigned long *w = (volatile unsigned long *)(p + i * PG);

		bad += w[0] != (i ^ key) || w[PG / 8 - 1] != ~(i ^ key);
	}
	return bad;
}

static void fill(volatile unsigned char *p, size_t pages, unsigned long key)
{
	size_t i;

	for (i = 0; i < pages; i++) {
		volatile unsigned long *w = (volatile unsigned long *)(p + i * PG);

		w[0] = i ^ key;
		w[PG / 8 - 1] = ~(i ^ key);
	}
}

static bool cow_8mib(void)
{
	const size_t pages = 8 * MIB / PG;
	volatile unsigned char *p = map(8 * MIB, MAP_PRIVATE);
	pid_t pid;
	long bad;

	if (!p)
		return no_memory();
	fill(p, pages, 0x1234);
	pid = fork();
	if (pid == 0) {
		sh->v[0] = count_bad(p, pages, 0x1234);
		fill(p, pages, 0xabcd);
		sh->v[1] = count_bad(p, pages, 0xabcd);
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	bad = count_bad(p, pages, 0x1234);
	return say(sh->v[0] == 0 && sh->v[1] == 0 && bad == 0,
		   "2048 pages: the child finds %ld wrong, rewrites all and finds %ld wrong; "
		   "the parent then finds %ld wrong", sh->v[0], sh->v[1], bad);
}

/* Linux maps the zero page on a read fault: mincore counts it resident. */
static bool zero_page(void)
{
	volatile unsigned char *p = map(2 * PG, MAP_PRIVATE);
	unsigned char before = 9, after = 9, next = 9;
	long nonzero = 0, rest = 0, second = 0;
	size_t i;
	int w;

	if (!p)
		return no_memory();
	mincore((void *)p, PG, &before);
	for (i = 0; i < PG; i++)
		nonzero += p[i] != 0;
	mincore((void *)p, PG, &after);
	p[0] = 0x5a;
	w = p[0];
	for (i = 1; i < PG; i++)
		rest += p[i] != 0;
	for (i = 0; i < PG; i++)
		second += p[PG + i] != 0;
	mincore((void *)(p + PG), PG, &next);
	return say(before == 0 && nonzero == 0 && after == 1 && w == 0x5a && rest == 0 &&
		   second == 0 && next == 1,
		   "untouched: mincore %d; read: %ld nonzero bytes, mincore %d; a store of 0x5a "
		   "reads 0x%x, the rest %ld nonzero; the next page read: %ld nonzero, "
		   "mincore %d", before, nonzero, after, w, rest, second, next);
}

/* ---- signal delivery ---------------------------------------------------- */

static bool signal_handler(void)
{
	long r;
	int seen;

	handle(SIGUSR1, on_signal, 0);
	r = xr(kill(getpid(), SIGUSR1));
	seen = hits;
	return say(r == 0 && seen == 1 && last_sig == SIGUSR1,
		   "kill(getpid(), SIGUSR1) returns %s after the handler ran %d time(s) "
		   "with signo %d", who(r, 0), seen, last_sig);
}

static const char *info_str(void)
{
	return str("%d run(s): si_signo %d, %s, si_pid %s getpid(), si_uid %s getuid()",
		   hits, info.si_signo, code_str(info.si_signo, info.si_code),
		   rel(info.si_pid == getpid()), rel(info.si_uid == getuid()));
}

static bool siginfo_kill(void)
{
	handle_info(SIGUSR1, on_info, 0);
	kill(getpid(), SIGUSR1);
	return say(hits == 1 && info.si_signo == SIGUSR1 && info.si_code == SI_USER &&
		   info.si_pid == getpid() && info.si_uid == getuid(),
		   "kill: %s", info_str());
}

static bool siginfo_tgkill(void)
{
	handle_info(SIGUSR2, on_info, 0);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	return say(hits == 1 && info.si_signo == SIGUSR2 && info.si_code == SI_TKILL &&
		   info.si_pid == getpid() && info.si_uid == getuid(),
		   "tgkill: %s", info_str());
}

static bool siginfo_sigqueue(void)
{
	handle_info(SIGUSR1, on_info, 0);
	sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 1234 });
	return say(hits == 1 && info.si_code == SI_QUEUE && info.si_pid == getpid() &&
		   info.si_value.sival_int == 1234,
		   "sigqueue: %s, si_value %d", info_str(), info.si_value.sival_int);
}

/*
 * Loads from (or, with @store, stores to) @p; true iff it did not fault
 * when @code is 0, else iff it raised @sig with si_code @code and si_addr
 * @p. *@seen says what happened.
 */
static bool fault_is(int sig, int code, volatile unsigned char *p, bool store,
		     const char **seen)
{
	bool hit = faults(sig, p, store);

	*seen = fault_str(hit, p);
	if (!code)
		return !hit;
	return hit && fault_info.si_signo == sig && fault_info.si_code == code &&
	       fault_info.si_addr == p;
}

static bool sigsegv_accerr(void)
{
	volatile unsigned char *ro = map(PG, MAP_PRIVATE), *none = map(PG, MAP_PRIVATE);
	const char *w, *r;
	bool ok;

	if (!ro || !none)
		return no_memory();
	mprotect((void *)ro, PG, PROT_READ);
	mprotect((void *)none, PG, PROT_NONE);
	ok = fault_is(SIGSEGV, SEGV_ACCERR, ro + 100, true, &w);
	ok &= fault_is(SIGSEGV, SEGV_ACCERR, none + 7, false, &r);
	return say(ok, "a store to PROT_READ: %s; a load from PROT_NONE: %s", w, r);
}

static bool sigsegv_maperr(void)
{
	volatile unsigned char *bad = unmapped();
	const char *r, *w;
	bool ok;

	ok = fault_is(SIGSEGV, SEGV_MAPERR, bad + 8, false, &r);
	ok &= fault_is(SIGSEGV, SEGV_MAPERR, bad + 16, true, &w);
	return say(ok, "a load from an unmapped page: %s; a store: %s", r, w);
}

/*
 * A one-page MAP_SHARED|MAP_ANONYMOUS object grown in place to two pages
 * by mremap: the second page lies past the object's end, SIGBUS.
 */
static bool sigbus_shared_grown(void)
{
	volatile unsigned char *p = map(2 * PG, MAP_PRIVATE), *q;
	const char *in, *past;
	bool ok;

	if (!p)
		return no_memory();
	munmap((void *)(p + PG), PG);
	if (mmap((void *)p, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != p)
		return no_memory();
	q = mremap((void *)p, PG, 2 * PG, 0);
	if (q != p)
		return say(false, "mremap in place: %s", en(errno));
	ok = fault_is(SIGBUS, 0, p, true, &in);
	ok &= fault_is(SIGBUS, BUS_ADRERR, p + PG + 8, true, &past);
	return say(ok, "a store to the first page: %s; to the grown page: %s", in, past);
}

/* Needs memfd_create: a mapping of two pages over a file of one. */
static bool sigbus_memfd(void)
{
	int fd = memfd_create("proc_conform", 0);
	volatile unsigned char *p;
	const char *in, *past;
	bool ok;

	if (fd < 0 || ftruncate(fd, PG))
		return say(false, "memfd_create or ftruncate: %s", en(errno));
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return no_memory();
	ok = fault_is(SIGBUS, 0, p + 5, false, &in);
	ok &= fault_is(SIGBUS, BUS_ADRERR, p + PG + 5, false, &past);
	return say(ok, "memfd of one page mapped as two: a load from the first: %s; from the "
		   "second: %s", in, past);
}

/* Makes the faulting page writable and returns: the store runs again. */
static void on_fault_unprotect(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (++hits > 3)
		signal(sig, SIG_DFL);
	mprotect((void *)((uintptr_t)si->si_addr & ~(PG - 1)), PG, PROT_READ | PROT_WRITE);
}

static bool sigsegv_fix_and_retry(void)
{
	volatile unsigned char *p = map(PG, MAP_PRIVATE);

	if (!p)
		return no_memory();
	mprotect((void *)p, PG, PROT_READ);
	handle_info(SIGSEGV, on_fault_unprotect, 0);
	p[5] = 0x77;
	return say(hits == 1 && p[5] == 0x77,
		   "the handler ran %d time(s), made the page writable, and the retried "
		   "store left 0x%x", hits, p[5]);
}

static void on_altstack(int sig)
{
	char local;
	stack_t ss;

	(void)sig;
	hits++;
	handler_local = (uintptr_t)&local;
	handler_ss_flags = sigaltstack(NULL, &ss) ? -1 : ss.ss_flags;
}

static const char *ss_str(int flags)
{
	if (flags == SS_ONSTACK)
		return "SS_ONSTACK";
	if (flags == SS_DISABLE)
		return "SS_DISABLE";
	return str("%d", flags);
}

static bool sigaltstack_used(void)
{
	const size_t len = 64 * KIB;
	volatile unsigned char *alt = map(len, MAP_PRIVATE);
	stack_t ss = { .ss_size = len }, after;
	bool in_on, in_off;
	int on_flags;

	if (!alt)
		return no_memory();
	ss.ss_sp = (void *)alt;
	if (sigaltstack(&ss, NULL))
		return say(false, "sigaltstack: %s", en(errno));
	handle(SIGUSR1, on_altstack, SA_ONSTACK);
	handle(SIGUSR2, on_altstack, 0);
	kill(getpid(), SIGUSR1);
	in_on = handler_local - (uintptr_t)alt < len;
	on_flags = handler_ss_flags;
	kill(getpid(), SIGUSR2);
	in_off = handler_local - (uintptr_t)alt < len;
	sigaltstack(NULL, &after);
	return say(hits == 2 && in_on && on_flags == SS_ONSTACK && !in_off &&
		   handler_ss_flags == 0 && after.ss_flags == 0,
		   "SA_ONSTACK: the handler's local is %s the alternate stack, ss_flags %s; "
		   "without: %s it, ss_flags %s; after the handlers: ss_flags %s",
		   in_on ? "inside" : "outside", ss_str(on_flags),
		   in_off ? "inside" : "outside", ss_str(handler_ss_flags),
		   ss_str(after.ss_flags));
}

/* ---- masks, pending signals, inheritance -------------------------------- */

static bool sigprocmask_pending(void)
{
	int ran_blocked, ran_after;
	bool was_pending, still_pending;

	handle(SIGUSR1, on_signal, 0);
	mask(SIG_BLOCK, SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	ran_blocked = hits;
	was_pending = pending_only(SIGUSR1, 0);
	mask(SIG_UNBLOCK, SIGUSR1, 0);
	ran_after = hits;
	still_pending = !pending_only(0, 0);
	return say(ran_blocked == 0 && was_pending && ran_after == 1 && !still_pending,
		   "blocked: the handler ran %d time(s), sigpending %s {SIGUSR1}; "
		   "unblocked: it ran %d time(s) before sigprocmask returned, sigpending %s {}",
		   ran_blocked, rel(was_pending), ran_after, rel(!still_pending));
}

/* Blocked standard signals coalesce; real-time signals queue. */
static bool signals_queue(void)
{
	int std, rt;

	handle(SIGUSR1, on_signal, 0);
	handle(SIGRTMIN, on_signal, 0);
	mask(SIG_BLOCK, SIGUSR1, SIGRTMIN);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	mask(SIG_UNBLOCK, SIGUSR1, 0);
	std = hits;
	hits = 0;
	kill(getpid(), SIGRTMIN);
	kill(getpid(), SIGRTMIN);
	mask(SIG_UNBLOCK, SIGRTMIN, 0);
	rt = hits;
	return say(std == 1 && rt == 2,
		   "sent twice while blocked: SIGUSR1 runs its handler %d time(s), "
		   "SIGRTMIN %d time(s)", std, rt);
}

/* A child inherits the mask and the handlers but no pending signal. */
static bool sigmask_across_fork(void)
{
	pid_t pid;
	bool pending_kept;

	handle(SIGUSR1, on_signal, 0);
	mask(SIG_BLOCK, SIGUSR1, SIGUSR2);
	kill(getpid(), SIGUSR1);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa;

		sh->v[0] = blocked_only(SIGUSR1, SIGUSR2);
		sh->v[1] = pending_only(0, 0);
		sh->v[2] = !sigaction(SIGUSR1, NULL, &sa) && sa.sa_handler == on_signal;
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	pending_kept = pending_only(SIGUSR1, 0);
	mask(SIG_UNBLOCK, SIGUSR1, 0);
	return say(sh->v[0] && sh->v[1] && sh->v[2] && pending_kept && hits == 1,
		   "the child's mask %s {SIGUSR1, SIGUSR2}, its pending set %s {}, its "
		   "SIGUSR1 handler %s the parent's; the parent's SIGUSR1 %s pending "
		   "and runs %d time(s) when unblocked", rel(sh->v[0]), rel(sh->v[1]),
		   rel(sh->v[2]), pending_kept ? "stays" : "is no longer", hits);
}

static void pend_sigterm(void)
{
	kill(getpid(), SIGTERM);
}

/* execve keeps the mask, the pending signals and SIG_IGN; handlers become SIG_DFL. */
static bool signals_across_execve(void)
{
	char *argv[] = { "proc_child", "sigs", NULL };
	int r;

	handle(SIGUSR1, on_signal, 0);
	signal(SIGUSR2, SIG_IGN);
	mask(SIG_BLOCK, SIGTERM, 0);
	r = exec_child(helper, argv, no_env, pend_sigterm);
	return say(r == 0, "caught SIGUSR1, ignored SIGUSR2, blocked and pending SIGTERM "
		   "before execve: %s", verdict(r, sigs_bits));
}

static bool sigchld_handler(void)
{
	sigset_t none;
	pid_t pid;
	long r;
	int st;

	handle_info(SIGCHLD, on_info, 0);
	mask(SIG_BLOCK, SIGCHLD, 0);
	pid = fork_exit(5);
	if (pid < 0)
		return no_fork();
	sigemptyset(&none);
	r = xr(sigsuspend(&none));
	st = reap(pid);
	return say(r == -EINTR && hits == 1 && info.si_signo == SIGCHLD &&
		   info.si_code == CLD_EXITED && info.si_pid == pid && info.si_status == 5 &&
		   st == 0x0500,
		   "sigsuspend returns %s after %d SIGCHLD: %s, si_pid %s, si_status %d; "
		   "then wait4 gives %s", who(r, pid), hits, code_str(SIGCHLD, info.si_code),
		   who(info.si_pid, pid), info.si_status, sts(st));
}

/* Polls kill(@pid, 0) until it fails; its -errno, or 0 after WAIT_MS. */
static long wait_gone(pid_t pid)
{
	long r;
	int ms;

	for (ms = 0; (r = xr(kill(pid, 0))) == 0 && ms < WAIT_MS; ms++)
		nap_ms(1);
	return r;
}

/*
 * SIGCHLD ignored: the kernel reaps children itself; wait4 waits for them
 * all to end, then fails with ECHILD (the child's last store shows that it
 * had ended), and kill soon finds no process (on several harts the child
 * may still be torn down when wait4 returns, hence the poll).
 */
static bool sigchld_ignored(void)
{
	pid_t pid;
	long r, k;

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0) {
		nap_ms(20);
		sh->v[0] = 1;
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	r = xr(wait4(-1, NULL, 0, NULL));
	k = wait_gone(pid);
	return say(r == -ECHILD && sh->v[0] == 1 && k == -ESRCH,
		   "wait4 gives %s %s the child ended; kill(child, 0) then %s",
		   who(r, pid), sh->v[0] ? "after" : "before", who(k, pid));
}

static bool sa_resethand(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct sigaction sa;

		handle(SIGUSR1, on_signal, SA_RESETHAND);
		kill(getpid(), SIGUSR1);
		sh->v[0] = hits;
		sh->v[1] = !sigaction(SIGUSR1, NULL, &sa) && sa.sa_handler == SIG_DFL;
		kill(getpid(), SIGUSR1);
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	st = reap(pid);
	return say(sh->v[0] == 1 && sh->v[1] && st == SIGUSR1,
		   "the first SIGUSR1 runs the handler %ld time(s) and leaves %s; the second "
		   "kills: status %s", sh->v[0], sh->v[1] ? "SIG_DFL" : "the handler", sts(st));
}

/* Sends itself the same signal from the handler, until it ran three times. */
static void on_nest(int sig)
{
	hits++;
	if (++depth > max_depth)
		max_depth = depth;
	if (hits < 3)
		kill(getpid(), sig);
	depth--;
}

static bool sa_nodefer(void)
{
	int runs, deepest;

	handle(SIGUSR1, on_nest, SA_NODEFER);
	kill(getpid(), SIGUSR1);
	runs = hits;
	deepest = max_depth;
	hits = max_depth = 0;
	handle(SIGUSR1, on_nest, 0);
	kill(getpid(), SIGUSR1);
	return say(runs == 3 && deepest == 3 && hits == 3 && max_depth == 1,
		   "a handler that signals itself: with SA_NODEFER %d runs nested %d deep; "
		   "without, %d runs nested %d deep", runs, deepest, hits, max_depth);
}

/* ---- interrupted calls and timers --------------------------------------- */

static void on_alarm_kill(int sig)
{
	(void)sig;
	hits++;
	if (victim > 0)
		kill(victim, SIGKILL);
}

/*
 * A SIGALRM every 50 ms interrupts wait4 on a child that waits forever.
 * With SA_RESTART the handler kills the child and wait4 goes on to return
 * it; without, wait4 fails with EINTR. Whether the first SIGALRM comes
 * before or during wait4, the results are the same.
 */
static bool sa_restart_wait4(void)
{
	int st;
	long r;

	victim = fork_paused();
	if (victim < 0)
		return no_fork();
	handle(SIGALRM, on_alarm_kill, SA_RESTART);
	arm(50, 50);
	r = xr(wait4(victim, &st, 0, NULL));
	arm(0, 0);
	return say(r == victim && st == SIGKILL && hits > 0,
		   "SA_RESTART: wait4 returns %s with status %s after the handler killed it",
		   who(r, victim), r == victim ? sts(st) : "none");
}

static bool no_sa_restart_wait4(void)
{
	pid_t pid = fork_paused();
	int st;
	long r;

	if (pid < 0)
		return no_fork();
	handle(SIGALRM, on_signal, 0);
	arm(50, 50);
	r = xr(wait4(pid, &st, 0, NULL));
	arm(0, 0);
	st = kill_reap(pid);
	return say(r == -EINTR && hits > 0 && st == SIGKILL,
		   "without SA_RESTART: wait4 gives %s after the handler ran; the child "
		   "then ends with %s", who(r, pid), sts(st));
}

static bool sigsuspend_eintr(void)
{
	sigset_t none;
	long r;

	handle(SIGALRM, on_signal, 0);
	mask(SIG_BLOCK, SIGALRM, 0);
	arm(20, 0);
	sigemptyset(&none);
	r = xr(sigsuspend(&none));
	return say(r == -EINTR && hits == 1 && blocked_only(SIGALRM, 0),
		   "sigsuspend(empty mask) with SIGALRM blocked returns %s after the handler "
		   "ran %d time(s); the mask then %s {SIGALRM}", who(r, 0), hits,
		   rel(blocked_only(SIGALRM, 0)));
}

static bool pause_eintr(void)
{
	long r;

	handle(SIGALRM, on_signal, 0);
	arm(20, 20);
	r = xr(pause());
	arm(0, 0);
	return say(r == -EINTR && hits > 0, "pause returns %s after the handler ran",
		   who(r, 0));
}

/* The remaining time is what is left of the request: above 0, below 5 s. */
static bool nanosleep_eintr(void)
{
	struct timespec req = { 5, 0 }, rem = { -1, -1 }, rem2 = { -1, -1 };
	bool left, left2;
	long r;
	int c;

	handle(SIGALRM, on_signal, 0);
	arm(50, 50);
	r = xr(nanosleep(&req, &rem));
	c = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem2);
	arm(0, 0);
	left = rem.tv_sec >= 0 && rem.tv_sec < 5 && (rem.tv_sec || rem.tv_nsec > 0);
	left2 = rem2.tv_sec >= 0 && rem2.tv_sec < 5 && (rem2.tv_sec || rem2.tv_nsec > 0);
	return say(r == -EINTR && left && c == EINTR && left2,
		   "a 5 s nanosleep returns %s with %s time left; clock_nanosleep returns "
		   "%s with %s", who(r, 0), left ? "some" : "no sensible", en(c),
		   left2 ? "some" : "no sensible");
}

/*
 * A 10 s one-shot timer, replaced by a 20 ms one: setitimer reports what
 * was left of the first (between 0 and 10 s, however slow the machine);
 * SIGALRM comes once, and the timer is then disarmed.
 */
static bool setitimer_real(void)
{
	struct itimerval ten = { .it_value = { 10, 0 } }, fast = { .it_value = { 0, 20000 } };
	struct itimerval left, after;
	sigset_t none;
	bool ticking;

	handle(SIGALRM, on_signal, 0);
	mask(SIG_BLOCK, SIGALRM, 0);
	setitimer(ITIMER_REAL, &ten, NULL);
	setitimer(ITIMER_REAL, &fast, &left);
	sigemptyset(&none);
	sigsuspend(&none);
	getitimer(ITIMER_REAL, &after);
	ticking = left.it_value.tv_sec >= 0 && left.it_value.tv_sec < 10 &&
		  (left.it_value.tv_sec || left.it_value.tv_usec) &&
		  !left.it_interval.tv_sec && !left.it_interval.tv_usec;
	return say(ticking && hits == 1 && last_sig == SIGALRM && !after.it_value.tv_sec &&
		   !after.it_value.tv_usec,
		   "replacing a 10 s one-shot timer returns %s; the 20 ms one runs the SIGALRM "
		   "handler %d time(s); then getitimer shows %s",
		   ticking ? "0 to 10 s left" : "another value", hits,
		   !after.it_value.tv_sec && !after.it_value.tv_usec ? "0" : "time left");
}

/* alarm() returns the seconds left, rounded to nearest, at least 1 while armed. */
static bool alarm_sigalrm(void)
{
	unsigned int first, again, cancel;
	sigset_t none;

	handle(SIGALRM, on_signal, 0);
	mask(SIG_BLOCK, SIGALRM, 0);
	first = alarm(1);
	again = alarm(1);
	sigemptyset(&none);
	sigsuspend(&none);
	cancel = alarm(0);
	return say(first == 0 && again == 1 && hits == 1 && last_sig == SIGALRM && cancel == 0,
		   "alarm(1) returns %u, again at once %u; SIGALRM runs the handler %d time(s); "
		   "alarm(0) then returns %u", first, again, hits, cancel);
}

static bool uncatchable(void)
{
	struct sigaction sa = { .sa_handler = on_signal }, ign = { .sa_handler = SIG_IGN }, old;
	long k, s, i, q;

	k = xr(sigaction(SIGKILL, &sa, NULL));
	s = xr(sigaction(SIGSTOP, &sa, NULL));
	i = xr(sigaction(SIGKILL, &ign, NULL));
	q = xr(sigaction(SIGSTOP, NULL, &old));
	mask(SIG_BLOCK, SIGKILL, SIGUSR1);
	mask(SIG_BLOCK, SIGSTOP, 0);
	return say(k == -EINVAL && s == -EINVAL && i == -EINVAL && q == 0 &&
		   blocked_only(SIGUSR1, 0),
		   "sigaction: SIGKILL handler %s, SIGSTOP handler %s, SIGKILL SIG_IGN %s, "
		   "SIGSTOP query %s; blocking SIGKILL, SIGSTOP, SIGUSR1 blocks %s SIGUSR1",
		   who(k, 0), who(s, 0), who(i, 0), who(q, 0),
		   blocked_only(SIGUSR1, 0) ? "only" : "more than");
}

/*
 * siglongjmp out of the SIGSEGV handler: with sigsetjmp(env, 1) the mask
 * from before the fault is back (SIGSEGV unblocked, so a second fault is
 * caught too); with sigsetjmp(env, 0) SIGSEGV stays blocked, as the kernel
 * left it for the handler.
 */
static bool siglongjmp_from_sigsegv(void)
{
	volatile unsigned char *volatile bad = unmapped();
	volatile int jumps = 0;
	bool restored, kept;

	handle_info(SIGSEGV, on_fault, 0);
	if (sigsetjmp(fault_jmp, 1))
		jumps++;
	if (jumps < 2)
		(void)*bad;
	restored = blocked_only(0, 0);
	if (!sigsetjmp(fault_jmp, 0))
		(void)*bad;
	kept = blocked_only(SIGSEGV, 0);
	return say(jumps == 2 && restored && kept,
		   "with sigsetjmp(env, 1) %d faults jump out and the mask then %s {}; "
		   "with sigsetjmp(env, 0) the mask after the jump %s {SIGSEGV}",
		   jumps, rel(restored), rel(kept));
}

/* ---- limits ------------------------------------------------------------- */

/*
 * RLIMIT_NPROC counts the processes of the real uid, the caller included,
 * and does not hold for root: a child sets a limit of 20, becomes uid
 * BIG_UID and forks until fork fails. Needs setresuid and an enforced
 * RLIMIT_NPROC: Linux gives 19 children, then EAGAIN.
 */
static int fork_bomb(void)
{
	struct rlimit rl = { 20, 20 };
	pid_t kids[64];
	int n = 0, i, reaped = 0;

	if (setrlimit(RLIMIT_NPROC, &rl) || setresuid(BIG_UID, BIG_UID, BIG_UID)) {
		sh->v[3] = errno;
		return 1;
	}
	sh->v[1] = 0;
	while (n < 64) {
		pid_t pid = fork_paused();

		if (pid < 0) {
			sh->v[1] = errno;
			break;
		}
		kids[n++] = pid;
	}
	for (i = 0; i < n; i++)
		reaped += kill_reap(kids[i]) == SIGKILL;
	sh->v[0] = n;
	sh->v[2] = reaped;
	sh->v[4] = xr(wait4(-1, NULL, WNOHANG, NULL));
	return 0;
}

static bool rlimit_nproc(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(fork_bomb());
	if (pid < 0)
		return no_fork();
	st = reap(pid);
	if (st != 0)
		return say(false, "setrlimit or setresuid: %s (status %s)", en(sh->v[3]), sts(st));
	return say(sh->v[0] == 19 && sh->v[1] == EAGAIN && sh->v[2] == 19 &&
		   sh->v[4] == -ECHILD,
		   "uid %d with RLIMIT_NPROC 20: %ld forks, then %s; %ld reaped, then wait4 %s",
		   BIG_UID, sh->v[0], en(sh->v[1]), sh->v[2], who(sh->v[4], 0));
}

/* ---- sessions and process groups ---------------------------------------- */

/* The child has reported: it opens gate 0 and stays until the parent opens gate 1. */
static void __attribute__((noreturn)) stay_until_seen(void)
{
	gate_open(0);
	gate_wait(1);
	_exit(0);
}

static bool setsid_child(void)
{
	pid_t sid0 = getsid(0), pid = fork();
	bool sid, pgid;

	if (pid == 0) {
		pid_t me = getpid();

		sh->v[0] = setsid() == me;
		sh->v[1] = getsid(0) == me && getpgid(0) == me;
		stay_until_seen();
	}
	if (pid < 0)
		return no_fork();
	gate_wait(0);
	sid = getsid(pid) == pid;
	pgid = getpgid(pid) == pid;
	gate_open(1);
	reap(pid);
	return say(sh->v[0] && sh->v[1] && sid && pgid && getsid(0) == sid0,
		   "setsid() %s the child's pid; its getsid(0) and getpgid(0) %s it; the "
		   "parent's getsid(child) %s it, getpgid(child) %s it; the parent's session "
		   "%s", rel(sh->v[0]), rel(sh->v[1]), rel(sid), rel(pgid),
		   getsid(0) == sid0 ? "unchanged" : "changed");
}

/* A process group leader cannot start a session. */
static bool setsid_group_leader(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sh->v[0] = xr(setpgid(0, 0));
		sh->v[1] = xr(setsid());
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] == 0 && sh->v[1] == -EPERM,
		   "setpgid(0, 0) %s, then setsid() %s", who(sh->v[0], 0), who(sh->v[1], 0));
}

static bool setpgid_child(void)
{
	pid_t pgid0 = getpgid(0), pid = fork();
	bool seen;

	if (pid == 0) {
		sh->v[0] = xr(setpgid(0, 0));
		sh->v[1] = getpgid(0) == getpid();
		stay_until_seen();
	}
	if (pid < 0)
		return no_fork();
	gate_wait(0);
	seen = getpgid(pid) == pid;
	gate_open(1);
	reap(pid);
	return say(sh->v[0] == 0 && sh->v[1] && seen && getpgid(0) == pgid0,
		   "setpgid(0, 0) in the child %s; its getpgid(0) %s its pid; the parent's "
		   "getpgid(child) %s it; the parent's group %s", who(sh->v[0], 0),
		   rel(sh->v[1]), rel(seen), getpgid(0) == pgid0 ? "unchanged" : "changed");
}

/* The parent puts two children in a group led by the first and kills the group. */
static bool kill_process_group(void)
{
	pid_t a = fork_paused(), b = fork_paused();
	long sa, sb, after;
	int sta, stb;

	if (a < 0 || b < 0)
		return no_fork();
	sa = xr(setpgid(a, a));
	sb = xr(setpgid(b, a));
	sh->v[0] = getpgid(b) == a;
	kill(-a, SIGKILL);
	sta = reap(a);
	stb = reap(b);
	after = xr(kill(-a, 0));
	return say(sa == 0 && sb == 0 && sh->v[0] && sta == SIGKILL && stb == SIGKILL &&
		   after == -ESRCH,
		   "setpgid(a, a) %s, setpgid(b, a) %s, getpgid(b) %s a; kill(-a, SIGKILL) "
		   "ends a with %s and b with %s; kill(-a, 0) then %s", who(sa, 0), who(sb, 0),
		   rel(sh->v[0]), sts(sta), sts(stb), who(after, 0));
}

static bool session_inherited(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		sh->v[0] = getsid(0) == getsid(getppid());
		sh->v[1] = getpgid(0) == getpgid(getppid());
		_exit(0);
	}
	if (pid < 0)
		return no_fork();
	reap(pid);
	return say(sh->v[0] && sh->v[1],
		   "the child's getsid(0) %s the parent's, its getpgid(0) %s the parent's",
		   rel(sh->v[0]), rel(sh->v[1]));
}

/* ---- the table and main ------------------------------------------------- */

/* ---- more corners: tid words, siginfo layouts, waitid's uid, SIG_IGN ---- */

/* Raw clone (riscv64's order: flags, stack, parent_tid, tls, child_tid)
 * with CLONE_CHILD_SETTID and CLONE_PARENT_SETTID: the child finds its pid
 * in its copy of the word, the parent the child's in its own. A parent
 * word that cannot be written is ignored: clone still makes the child. */
static bool clone_settid(void)
{
	static pid_t ctid, ptid;
	long r, bad;
	int st = NO_CHILD, st2 = NO_CHILD;

	ctid = ptid = 0;
	r = syscall(SYS_clone, CLONE_CHILD_SETTID | CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0,
		    &ctid);
	if (r == 0)
		_exit(ctid == getpid() ? 0 : 1);
	r = xr(r);
	if (r > 0)
		st = reap(r);
	bad = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, (void *)8, 0, NULL);
	if (bad == 0)
		_exit(3);
	bad = xr(bad);
	if (bad > 0)
		st2 = reap(bad);
	return say(r > 0 && st == 0 && ptid == r && bad > 0 && st2 == 0x0300,
		   "the child's word %s its pid (status %s), the parent's word %s the child's "
		   "pid; a parent word at address 8: clone returns %s, the child ends with %s",
		   st == 0 ? "==" : "!=", sts(st), rel(ptid == r), bad > 0 ? "a pid" : who(bad, 0),
		   sts(st2));
}

/* The layout of a siginfo follows si_code, not the signal: a kill() of a
 * fault signal or of SIGCHLD carries the sender, as any kill does. */
static bool siginfo_kill_layouts(void)
{
	char first[STR_LEN];
	bool segv, chld;

	handle_info(SIGSEGV, on_info, 0);
	kill(getpid(), SIGSEGV);
	segv = hits == 1 && info.si_code == SI_USER && info.si_pid == getpid() &&
	       info.si_uid == getuid();
	snprintf(first, sizeof(first), "%s", info_str());
	hits = 0;
	memset(&info, 0, sizeof(info));
	handle_info(SIGCHLD, on_info, 0);
	kill(getpid(), SIGCHLD);
	chld = hits == 1 && info.si_code == SI_USER && info.si_pid == getpid() &&
	       info.si_uid == getuid();
	return say(segv && chld, "kill of SIGSEGV: %s; of SIGCHLD: %s", first, info_str());
}

/* waitid's si_uid is the child's real uid, not the waiter's. */
static bool waitid_child_uid(void)
{
	siginfo_t si;
	pid_t pid;
	long r;

	pid = fork();
	if (pid == 0)
		_exit(setresuid(BIG_UID, BIG_UID, BIG_UID) ? 1 : 4);
	if (pid < 0)
		return no_fork();
	memset(&si, 0xff, sizeof(si));
	r = xr(waitid(P_PID, pid, &si, WEXITED));
	return say(r == 0 && si.si_status == 4 && si.si_uid == BIG_UID,
		   "a child that became uid %d and exited 4: si_status %d, si_uid %d", BIG_UID,
		   si.si_status, (int)si.si_uid);
}

/* Setting SIG_IGN drops a pending real-time signal with every queued
 * instance: a handler installed after it never runs for them. */
static bool sig_ign_drops_queue(void)
{
	bool empty;
	int i;

	mask(SIG_BLOCK, SIGRTMIN, 0);
	for (i = 0; i < 3; i++)
		sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = i });
	handle(SIGRTMIN, SIG_IGN, 0);
	handle(SIGRTMIN, on_signal, 0);
	empty = pending_only(0, 0);
	mask(SIG_UNBLOCK, SIGRTMIN, 0);
	return say(empty && hits == 0,
		   "3 queued while blocked, then SIG_IGN and a handler: sigpending %s {}, the "
		   "handler ran %d time(s) when unblocked", rel(empty), hits);
}

/* A sleep too long to count in timer ticks (2^62 s) still sleeps until a
 * signal; a timer armed with 2^40 s reads back as Linux's longest time,
 * KTIME_MAX nanoseconds (9223372036 s), less what has passed. */
static bool nanosleep_huge(void)
{
	struct timespec req = { (time_t)1 << 62, 0 }, rem = { -1, -1 };
	struct itimerval huge = { .it_value = { (time_t)1 << 40, 0 } }, left;
	const time_t ktime_max_s = 9223372036;
	bool capped;
	long r;

	handle(SIGALRM, on_signal, 0);
	arm(50, 0);
	r = xr(nanosleep(&req, &rem));
	arm(0, 0);
	setitimer(ITIMER_REAL, &huge, NULL);
	getitimer(ITIMER_REAL, &left);
	capped = left.it_value.tv_sec <= ktime_max_s && left.it_value.tv_sec > ktime_max_s - 100;
	arm(0, 0);
	return say(r == -EINTR && hits == 1 && capped,
		   "nanosleep of 2^62 s returns %s after the handler ran %d time(s); a timer "
		   "of 2^40 s reads back %s", who(r, 0), hits,
		   capped ? "within 100 s below 9223372036 s" : str("%lld s", (long long)left.it_value.tv_sec));
}

/* SA_NOCLDWAIT with a handler: the child leaves no zombie, yet its
 * SIGCHLD still comes (only SIG_IGN suppresses it). */
static bool sa_nocldwait_handler(void)
{
	sigset_t none;
	pid_t pid;
	long r;

	handle_info(SIGCHLD, on_info, SA_NOCLDWAIT);
	mask(SIG_BLOCK, SIGCHLD, 0);
	pid = fork_exit(6);
	if (pid < 0)
		return no_fork();
	sigemptyset(&none);
	sigsuspend(&none);
	r = xr(wait4(-1, NULL, 0, NULL));
	return say(hits == 1 && info.si_pid == pid && r == -ECHILD,
		   "the handler ran %d time(s), si_pid %s the child; wait4 then gives %s", hits,
		   rel(info.si_pid == pid), who(r, pid));
}

/* ---- futex --------------------------------------------------------------- */

static long fx(volatile void *uaddr, int op, unsigned int val, const struct timespec *t,
	       volatile void *uaddr2, unsigned int val3)
{
	return xr(syscall(SYS_futex, uaddr, op, val, t, uaddr2, val3));
}

/* The errors a single process sees. */
static bool futex_errors(void)
{
	static unsigned int word = 5;
	long again, misaligned, nomap, unknown, bitset0, nobody, rt_wake, rt_wait, high, none;
	void *pn = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	again = fx(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
	misaligned = fx((char *)&word + 1, FUTEX_WAIT_PRIVATE, 5, NULL, NULL, 0);
	nomap = fx(unmapped(), FUTEX_WAIT, 0, NULL, NULL, 0);
	unknown = fx(&word, 99, 0, NULL, NULL, 0);
	bitset0 = fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 5, NULL, NULL, 0);
	nobody = fx(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	rt_wake = fx(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0);
	rt_wait = fx(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 4, NULL, NULL, 0);
	high = fx((void *)0xffffffc000000000ul, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	none = pn == MAP_FAILED ? 1 : fx(pn, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return say(again == -EAGAIN && misaligned == -EINVAL && nomap == -EFAULT &&
		   unknown == -ENOSYS && bitset0 == -EINVAL && nobody == 0 && rt_wake == -ENOSYS &&
		   rt_wait == -ENOSYS && high == -EFAULT && none == -EFAULT,
		   "wait on a changed word %s, misaligned %s, unmapped %s, PROT_NONE %s; op 99 %s; "
		   "bitset 0 %s; a wake with no waiter %s, at a kernel address %s; "
		   "FUTEX_CLOCK_REALTIME on a wake %s, on FUTEX_WAIT %s",
		   who(again, 0), who(misaligned, 0), who(nomap, 0), who(none, 0), who(unknown, 0),
		   who(bitset0, 0), who(nobody, 0), who(high, 0), who(rt_wake, 0), who(rt_wait, 0));
}

static bool futex_timeouts(void)
{
	static unsigned int word;
	struct timespec rel = { 0, 20000000 }, now, past = { 0, 0 }, bad = { 0, 1000000000 };
	long r1, r2, r3, r4, r5;

	r1 = fx(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	r2 = fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY);
	r3 = fx(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, FUTEX_BITSET_MATCH_ANY);
	r4 = fx(&word, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0);
	r5 = fx(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &past, NULL,
		FUTEX_BITSET_MATCH_ANY);
	return say(r1 == -ETIMEDOUT && r2 == -ETIMEDOUT && r3 == -ETIMEDOUT && r4 == -EINVAL &&
		   r5 == -ETIMEDOUT,
		   "relative 20 ms %s; absolute CLOCK_MONOTONIC now + 20 ms %s, 0 %s; tv_nsec 1e9 "
		   "%s; absolute CLOCK_REALTIME 0 %s", who(r1, 0), who(r2, 0), who(r3, 0),
		   who(r4, 0), who(r5, 0));
}

static void on_alarm_bump(int sig)
{
	(void)sig;
	hits++;
	__atomic_store_n((unsigned int *)&sh->v[0], 1, __ATOMIC_RELEASE);
}

/* A signal ends a wait: EINTR without SA_RESTART; with it the wait starts
 * again, finds the word the handler changed, and gives EAGAIN. */
static bool futex_wait_signal(void)
{
	volatile unsigned int *w = (volatile unsigned int *)&sh->v[0];
	long plain, restarted;

	handle(SIGALRM, on_alarm_bump, 0);
	*w = 0;
	arm(30, 0);
	plain = fx(w, FUTEX_WAIT, 0, NULL, NULL, 0);
	handle(SIGALRM, on_alarm_bump, SA_RESTART);
	*w = 0;
	arm(30, 0);
	restarted = fx(w, FUTEX_WAIT, 0, NULL, NULL, 0);
	return say(plain == -EINTR && restarted == -EAGAIN && hits == 2,
		   "without SA_RESTART the wait gives %s; with it %s; the handler ran %d time(s)",
		   who(plain, 0), who(restarted, 0), hits);
}

/* Processes meet on a MAP_SHARED word with shared futexes; a private
 * wake from another process reaches no one. */
static bool futex_shared_across_fork(void)
{
	volatile unsigned int *w = (volatile unsigned int *)&sh->v[0];
	long priv = 0, shared = 0;
	int i, st = NO_CHILD;
	pid_t pid;

	*w = 0;
	pid = fork();
	if (pid == 0) {
		gate_open(0);
		_exit(fx(w, FUTEX_WAIT, 0, NULL, NULL, 0) == 0 ? 0 : 1);
	}
	if (pid < 0)
		return no_fork();
	gate_wait(0);
	for (i = 0; i < 20; i++)
		priv += fx(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	for (i = 0; i < WAIT_MS && !shared; i++) {
		shared = fx(w, FUTEX_WAKE, 1, NULL, NULL, 0);
		if (!shared)
			nap_ms(1);
	}
	st = reap(pid);
	return say(priv == 0 && shared == 1 && st == 0,
		   "20 private wakes from the parent wake %ld; a shared wake wakes %ld, and the "
		   "child's wait returns 0 (status %s)", priv, shared, sts(st));
}

/* Two waiters on A: CMP_REQUEUE with a stale value is EAGAIN; REQUEUE
 * with no wake moves both to B, where one wake of 2 ends both. */
static bool futex_requeue(void)
{
	volatile unsigned int *a = (volatile unsigned int *)&sh->v[0];
	volatile unsigned int *b = (volatile unsigned int *)&sh->v[1];
	long stale, moved = 0, woken = 0, left;
	pid_t pid[2];
	int i, st[2], ms;

	*a = 7;
	*b = 0;
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(fx(a, FUTEX_WAIT, 7, NULL, NULL, 0) == 0 ? 0 : 1);
		if (pid[i] < 0)
			return no_fork();
	}
	stale = fx(a, FUTEX_CMP_REQUEUE, 0, (void *)(long)1, b, 8);
	for (ms = 0; ms < WAIT_MS && moved < 2; ms++) {
		moved += fx(a, FUTEX_CMP_REQUEUE, 0, (void *)(long)2, b, 7);
		if (moved < 2)
			nap_ms(1);
	}
	woken = fx(b, FUTEX_WAKE, 2, NULL, NULL, 0);
	left = fx(a, FUTEX_WAKE, 2, NULL, NULL, 0);
	st[0] = reap(pid[0]);
	st[1] = reap(pid[1]);
	return say(stale == -EAGAIN && moved == 2 && woken == 2 && left == 0 && st[0] == 0 &&
		   st[1] == 0,
		   "CMP_REQUEUE with 8 != 7 %s; requeued %ld to B; a wake on B wakes %ld, on A %ld; "
		   "the waiters end with %s and %s", who(stale, 0), moved, woken, left,
		   sts(st[0]), sts(st[1]));
}

static const struct row rows[] = {
	{ "fork-returns", fork_returns },
	{ "fork-getppid", fork_getppid },
	{ "wait4-exit-codes", wait4_exit_codes },
	{ "wait4-sigkill", wait4_sigkill },
	{ "wait4-sigsegv", wait4_sigsegv },
	{ "wait4-wnohang-running", wait4_wnohang },
	{ "wait-echild", wait_echild },
	{ "wait-einval", wait_einval },
	{ "waitid-exited", waitid_exited },
	{ "waitid-killed", waitid_killed },
	{ "waitid-p-all-wnohang", waitid_p_all_wnohang },
	{ "zombie-until-reaped", zombie_until_reaped },
	{ "orphan-reparented", orphan_reparented },
	{ "wait4-stop-continue", wait4_stop_continue },
	{ "vfork-exit", vfork_exit },
	{ "vfork-execve", vfork_execve },
	{ "posix-spawn", posix_spawn_exit },
	{ "posix-spawn-enoent", posix_spawn_enoent },
	{ "clone3-fork", clone3_fork },
	{ "execve-argv-envp", execve_argv_envp },
	{ "execve-status", execve_status },
	{ "execve-cloexec", execve_cloexec },
	{ "execve-bad-paths", execve_bad_paths },
	{ "execve-arg-strlen", execve_arg_strlen },
	{ "execve-arg-too-long", execve_arg_too_long },
	{ "execve-args-total", execve_args_total },
	{ "cow-child-writes-first", cow_child_writes_first },
	{ "cow-parent-writes-first", cow_parent_writes_first },
	{ "cow-mremap-in-child", cow_mremap_in_child },
	{ "cow-mremap-in-parent", cow_mremap_in_parent },
	{ "cow-mprotect-in-child", cow_mprotect_in_child },
	{ "cow-dontneed-in-parent", cow_dontneed_in_parent },
	{ "shared-anon-both-ways", shared_anon_both_ways },
	{ "madv-dontfork", madv_dontfork },
	{ "madv-wipeonfork", madv_wipeonfork },
	{ "cow-8mib", cow_8mib },
	{ "zero-page", zero_page },
	{ "signal-handler", signal_handler },
	{ "siginfo-kill", siginfo_kill },
	{ "siginfo-tgkill", siginfo_tgkill },
	{ "siginfo-sigqueue", siginfo_sigqueue },
	{ "sigsegv-accerr", sigsegv_accerr },
	{ "sigsegv-maperr", sigsegv_maperr },
	{ "sigbus-shared-anon-grown", sigbus_shared_grown },
	{ "sigbus-memfd", sigbus_memfd },
	{ "sigsegv-fix-and-retry", sigsegv_fix_and_retry },
	{ "sigaltstack", sigaltstack_used },
	{ "sigprocmask-pending", sigprocmask_pending },
	{ "signals-queue", signals_queue },
	{ "sigmask-across-fork", sigmask_across_fork },
	{ "signals-across-execve", signals_across_execve },
	{ "sigchld-handler", sigchld_handler },
	{ "sigchld-ignored", sigchld_ignored },
	{ "sa-resethand", sa_resethand },
	{ "sa-nodefer", sa_nodefer },
	{ "sa-restart-wait4", sa_restart_wait4 },
	{ "no-sa-restart-wait4", no_sa_restart_wait4 },
	{ "sigsuspend", sigsuspend_eintr },
	{ "pause", pause_eintr },
	{ "nanosleep-eintr", nanosleep_eintr },
	{ "setitimer-real", setitimer_real },
	{ "alarm", alarm_sigalrm },
	{ "sigkill-sigstop-uncatchable", uncatchable },
	{ "siglongjmp-from-sigsegv", siglongjmp_from_sigsegv },
	{ "rlimit-nproc-fork-bomb", rlimit_nproc },
	{ "setsid-child", setsid_child },
	{ "setsid-group-leader", setsid_group_leader },
	{ "setpgid-child", setpgid_child },
	{ "kill-process-group", kill_process_group },
	{ "session-inherited", session_inherited },
	{ "clone-settid", clone_settid },
	{ "siginfo-kill-layouts", siginfo_kill_layouts },
	{ "waitid-child-uid", waitid_child_uid },
	{ "sig-ign-drops-queue", sig_ign_drops_queue },
	{ "nanosleep-huge", nanosleep_huge },
	{ "sa-nocldwait-handler", sa_nocldwait_handler },
	{ "futex-errors", futex_errors },
	{ "futex-timeouts", futex_timeouts },
	{ "futex-wait-signal", futex_wait_signal },
	{ "futex-shared-across-fork", futex_shared_across_fork },
	{ "futex-requeue", futex_requeue },
};

/*
 * Waits for the case process @pid, polling, and kills it (and its process
 * group) after CASE_SECONDS. Its raw status, or -ETIMEDOUT, or -errno.
 */
static int wait_case(pid_t pid)
{
	struct timespec t0, now;
	long nap = 1;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= CASE_SECONDS) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -ETIMEDOUT;
		}
		nap_ms(nap);
		if (nap < 16)
			nap *= 2;
	}
}

/* Runs row @n in a process of its own; true iff it passed. */
static bool run_row(int n, const struct row *r)
{
	pid_t pid;
	int st;

	memset(sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0) {
		bool ok;

		setpgid(0, 0);
		ok = r->run();
		out("%s %d %s: %s\n", ok ? "ok" : "not ok", n, r->name, detail);
		_exit(!ok);
	}
	if (pid < 0) {
		out("not ok %d %s: fork of the case process: %s\n", n, r->name, en(errno));
		return false;
	}
	st = wait_case(pid);
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) <= 1)
		return WEXITSTATUS(st) == 0;
	if (st == -ETIMEDOUT)
		out("not ok %d %s: still running after %d s\n", n, r->name, CASE_SECONDS);
	else
		out("not ok %d %s: the case process ended with %s\n", n, r->name, sts(st));
	return false;
}

int main(int argc, char **argv)
{
	const int count = sizeof(rows) / sizeof(rows[0]);
	struct rlimit no_core = { 0, 0 };
	int i, passed = 0, failed = 0;

	if (argc > 1)
		helper = argv[1];
	top_pid = getpid();
	setrlimit(RLIMIT_CORE, &no_core);
	sh = (struct shared *)map(PG, MAP_SHARED);
	if (!sh) {
		out("proc_conform: mmap of the shared page: %s\n", en(errno));
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (run_row(i + 1, &rows[i]))
			passed++;
		else
			failed++;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	out("proc_conform: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
