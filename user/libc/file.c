/*
 * Pagoda libc: opening and inspecting files (<fcntl.h>, <sys/stat.h>).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "internal.h"

/* The asm-generic layout of riscv64 Linux, field by field. */
_Static_assert(sizeof(struct stat) == 128, "struct stat size");
_Static_assert(offsetof(struct stat, st_mode) == 16, "st_mode");
_Static_assert(offsetof(struct stat, st_rdev) == 32, "st_rdev");
_Static_assert(offsetof(struct stat, st_size) == 48, "st_size");
_Static_assert(offsetof(struct stat, st_blksize) == 56, "st_blksize");
_Static_assert(offsetof(struct stat, st_blocks) == 64, "st_blocks");
_Static_assert(offsetof(struct stat, st_atim) == 72, "st_atim");
_Static_assert(offsetof(struct stat, st_ctim) == 104, "st_ctim");

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall4(SYS_openat, dirfd, (long)path, flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return __syscall_ret(__syscall4(SYS_openat, AT_FDCWD, (long)path, flags, mode));
}

int fstat(int fd, struct stat *st)
{
	return __syscall_ret(__syscall2(SYS_fstat, fd, (long)st));
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return __syscall_ret(__syscall4(SYS_newfstatat, dirfd, (long)path, (long)st, flags));
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}
