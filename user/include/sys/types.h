/*
 * Pagoda libc: the integer types of the Linux riscv64 (LP64) ABI, shared by
 * every other header. Widths match glibc on riscv64, so struct layouts
 * (struct stat, struct timespec) match the kernel's.
 */
#ifndef _PAGODA_SYS_TYPES_H
#define _PAGODA_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned int nlink_t;
typedef int blksize_t;
typedef long blkcnt_t;
typedef long time_t;
typedef int clockid_t;

#endif
