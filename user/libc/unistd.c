/*
 * Pagoda libc: the <unistd.h> wrappers.
 */
#include <errno.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal.h"

ssize_t read(int fd, void *buf, size_t n)
{
	return __syscall_ret(__syscall3(SYS_read, fd, (long)buf, (long)n));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return __syscall_ret(__syscall3(SYS_write, fd, (long)buf, (long)n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return __syscall_ret(__syscall4(SYS_pread64, fd, (long)buf, (long)n, off));
}

int close(int fd)
{
	return __syscall_ret(__syscall1(SYS_close, fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return __syscall_ret(__syscall3(SYS_lseek, fd, off, whence));
}

pid_t getpid(void)
{
	return __syscall0(SYS_getpid);
}

pid_t getppid(void)
{
	return __syscall0(SYS_getppid);
}

pid_t gettid(void)
{
	return __syscall0(SYS_gettid);
}

uid_t getuid(void)
{
	return __syscall0(SYS_getuid);
}

int sched_yield(void)
{
	return __syscall_ret(__syscall0(SYS_sched_yield));
}

int getpagesize(void)
{
	unsigned long sz = getauxval(AT_PAGESZ);

	return sz ? (int)sz : 4096;
}

/* The few names programs ask for. The number of harts is not told to user
 * space yet (sched_getaffinity comes with threads): one CPU. */
long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return getpagesize();
	case _SC_CLK_TCK:
		return 100;
	case _SC_OPEN_MAX:
		return 64;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1;
	}
	errno = EINVAL;
	return -1;
}

void _exit(int status)
{
	for (;;)
		__syscall1(SYS_exit_group, status);
}
