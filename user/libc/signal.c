/*
 * Pagoda libc: the <signal.h> calls. sigaction and sigprocmask pass the
 * kernel's own structures (sizeof(sigset_t) is the kernel's _NSIG / 8);
 * the sigset functions reject numbers outside 1..64 with EINVAL, as
 * glibc does.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include "internal.h"

_Static_assert(sizeof(sigset_t) == 8, "the kernel's sigset_t");
_Static_assert(sizeof(struct sigaction) == 24, "the kernel's struct sigaction");
_Static_assert(offsetof(struct sigaction, sa_mask) == 16, "sa_mask last");
_Static_assert(sizeof(siginfo_t) == 128, "the kernel's siginfo");
_Static_assert(offsetof(siginfo_t, si_pid) == 16, "siginfo fields at 16");

int kill(pid_t pid, int sig)
{
	return __syscall_ret(__syscall2(SYS_kill, pid, sig));
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return __syscall_ret(__syscall4(SYS_rt_sigaction, sig, (long)act,
					(long)old, sizeof(sigset_t)));
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return __syscall_ret(__syscall4(SYS_rt_sigprocmask, how, (long)set,
					(long)old, sizeof(sigset_t)));
}

int sigemptyset(sigset_t *set)
{
	set->sig[0] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = ~0UL;
	return 0;
}

/* The bit of @sig in a sigset_t, or 0 (and EINVAL) if it has none. */
static unsigned long sig_bit(int sig)
{
	if (sig < 1 || sig > SIGRTMAX) {
		errno = EINVAL;
		return 0;
	}
	return 1UL << (sig - 1);
}

int sigaddset(sigset_t *set, int sig)
{
	unsigned long bit = sig_bit(sig);

	set->sig[0] |= bit;
	return bit ? 0 : -1;
}

int sigdelset(sigset_t *set, int sig)
{
	unsigned long bit = sig_bit(sig);

	set->sig[0] &= ~bit;
	return bit ? 0 : -1;
}

int sigismember(const sigset_t *set, int sig)
{
	unsigned long bit = sig_bit(sig);

	if (!bit)
		return -1;
	return (set->sig[0] & bit) != 0;
}
