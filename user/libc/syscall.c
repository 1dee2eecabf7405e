/*
 * Pagoda libc: errno, the -errno convention and syscall().
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include "internal.h"

int errno;

long __syscall_ret(unsigned long r)
{
	if (r > -4096UL) {
		errno = (int)-r;
		return -1;
	}
	return (long)r;
}

/*
 * Reads six argument words whatever the caller passed: on this ABI the
 * missing ones are just whatever sits in the argument registers (or the
 * save area), and the kernel ignores the ones a call does not take.
 */
long syscall(long number, ...)
{
	va_list ap;
	long a, b, c, d, e, f;

	va_start(ap, number);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall6(number, a, b, c, d, e, f));
}
