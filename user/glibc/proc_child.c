/*
 * proc_child: the program proc_conform executes (at /proc_child). It
 * checks what it inherited across execve and says so in its exit status
 * only, so that it needs no pipe or file to report through:
 *
 *   proc_child exit N          exits with N
 *   proc_child mirror S...     the environment is "PC0=S0", "PC1=S1", ...
 *                              for the strings S after the mode, in order
 *                              (1: the counts differ, 2: a string differs)
 *   proc_child fds A B         fd A is closed (fcntl F_GETFD is EBADF) and
 *                              fd B open without FD_CLOEXEC
 *                              (1: A is open, 2: B is closed or FD_CLOEXEC)
 *   proc_child sigs            SIGUSR1 has the default action, SIGUSR2 is
 *                              ignored, SIGTERM alone is blocked, SIGTERM
 *                              is pending (1, 2, 4, 8 in that order)
 *   proc_child strlen N S      S has N characters (1 if not)
 *   proc_child args N L S...   N strings S of L characters each follow
 *                              (1: another count, 2: another length)
 *
 * Any other use exits with 64. Statuses 0 to 15 are the checks' bits;
 * proc_conform reserves 255 for an execve that failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE	64

struct mode {
	const char *name;
	int min_args;	/* arguments after the mode, at the least */
	int (*run)(int argc, char **argv, char **envp);
};

static int mode_exit(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)envp;
	return atoi(argv[2]);
}

static int mode_mirror(int argc, char **argv, char **envp)
{
	char want[256];
	int i, envc = 0, bad = 0;

	while (envp[envc])
		envc++;
	if (envc != argc - 2)
		return 1;
	for (i = 0; i < envc; i++) {
		snprintf(want, sizeof(want), "PC%d=%s", i, argv[i + 2]);
		bad |= strcmp(envp[i], want) != 0;
	}
	return bad ? 2 : 0;
}

static int mode_fds(int argc, char **argv, char **envp)
{
	int closed = atoi(argv[2]), open = atoi(argv[3]), bad = 0;

	(void)argc;
	(void)envp;
	if (fcntl(closed, F_GETFD) != -1 || errno != EBADF)
		bad |= 1;
	if (fcntl(open, F_GETFD) != 0)
		bad |= 2;
	return bad;
}

/* True iff @sig has the handler @h (SIG_DFL or SIG_IGN). */
static int has_action(int sig, void (*h)(int))
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == h;
}

static int mode_sigs(int argc, char **argv, char **envp)
{
	sigset_t mask, pending;
	int sig, bad = 0;

	(void)argc;
	(void)argv;
	(void)envp;
	if (!has_action(SIGUSR1, SIG_DFL))
		bad |= 1;
	if (!has_action(SIGUSR2, SIG_IGN))
		bad |= 2;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&mask, sig) != (sig == SIGTERM))
			bad |= 4;
	if (sigpending(&pending) || !sigismember(&pending, SIGTERM))
		bad |= 8;
	return bad;
}

static int mode_strlen(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)envp;
	return strlen(argv[3]) != strtoul(argv[2], NULL, 0);
}

static int mode_args(int argc, char **argv, char **envp)
{
	int i, n = atoi(argv[2]);
	size_t len = strtoul(argv[3], NULL, 0);

	(void)envp;
	if (argc != n + 4)
		return 1;
	for (i = 4; i < argc; i++)
		if (strlen(argv[i]) != len)
			return 2;
	return 0;
}

static const struct mode modes[] = {
	{ "exit", 1, mode_exit },
	{ "mirror", 0, mode_mirror },
	{ "fds", 2, mode_fds },
	{ "sigs", 0, mode_sigs },
	{ "strlen", 2, mode_strlen },
	{ "args", 2, mode_args },
};

int main(int argc, char **argv, char **envp)
{
	size_t i;

	if (argc < 2)
		return USAGE;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			return argc - 2 < modes[i].min_args ? USAGE :
				modes[i].run(argc, argv, envp);
	return USAGE;
}
