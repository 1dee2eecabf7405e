/*
 * Pagoda libc: clocks and sleeping. There is no vDSO: every read is a
 * system call.
 */
#include <sys/syscall.h>
#include <time.h>
#include "internal.h"

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return __syscall_ret(__syscall2(SYS_clock_gettime, clk, (long)ts));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return __syscall_ret(__syscall2(SYS_nanosleep, (long)req, (long)rem));
}
