/*
 * Pagoda libc: open/openat and the O_* flags, with the values of Linux's
 * generic fcntl.h (the ones riscv64 uses). O_LARGEFILE is 0, as in glibc
 * on 64-bit targets: the kernel implies it.
 */
#ifndef _PAGODA_FCNTL_H
#define _PAGODA_FCNTL_H
#include <sys/types.h>

#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_NDELAY    O_NONBLOCK
#define O_DSYNC     00010000
#define O_ASYNC     00020000
#define O_DIRECT    00040000
#define O_LARGEFILE 0
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_PATH      010000000
#define O_TMPFILE   (020000000 | O_DIRECTORY)

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_EACCESS          0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000

#define F_DUPFD     0
#define F_GETFD     1
#define F_SETFD     2
#define F_GETFL     3
#define F_SETFL     4
#define FD_CLOEXEC  1

/* The third argument, mode_t mode, is read only with O_CREAT or O_TMPFILE. */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);

#endif
