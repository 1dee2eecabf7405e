/*
 * errno values: Linux's numbers, because user programs speak the Linux
 * riscv64 ABI and kernel functions return 0 or -E*.
 *
 * The kernel (-D__KERNEL__, -nostdinc) gets the definitions below. Host
 * builds (unit tests, dtinfo) take the C library's <errno.h> first; on a
 * Linux host its values are the same, and each definition here is guarded so
 * the two never clash.
 */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H

#ifndef __KERNEL__
#include <errno.h>
#endif

#ifndef EPERM
#define EPERM      1
#endif
#ifndef ENOENT
#define ENOENT     2
#endif
#ifndef ESRCH
#define ESRCH      3
#endif
#ifndef EINTR
#define EINTR      4
#endif
#ifndef EIO
#define EIO        5
#endif
#ifndef ENXIO
#define ENXIO      6
#endif
#ifndef E2BIG
#define E2BIG      7
#endif
#ifndef ENOEXEC
#define ENOEXEC    8
#endif
#ifndef EBADF
#define EBADF      9
#endif
#ifndef ECHILD
#define ECHILD     10
#endif
#ifndef EAGAIN
#define EAGAIN     11
#endif
#ifndef ENOMEM
#define ENOMEM     12
#endif
#ifndef EACCES
#define EACCES     13
#endif
#ifndef EFAULT
#define EFAULT     14
#endif
#ifndef EBUSY
#define EBUSY      16
#endif
#ifndef EEXIST
#define EEXIST     17
#endif
#ifndef ENODEV
#define ENODEV     19
#endif
#ifndef ENOTDIR
#define ENOTDIR    20
#endif
#ifndef EISDIR
#define EISDIR     21
#endif
#ifndef EINVAL
#define EINVAL     22
#endif
#ifndef ENFILE
#define ENFILE     23
#endif
#ifndef EMFILE
#define EMFILE     24
#endif
#ifndef ENOTTY
#define ENOTTY     25
#endif
#ifndef EFBIG
#define EFBIG      27
#endif
#ifndef ENOSPC
#define ENOSPC     28
#endif
#ifndef ESPIPE
#define ESPIPE     29
#endif
#ifndef EROFS
#define EROFS      30
#endif
#ifndef ERANGE
#define ERANGE     34
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36
#endif
#ifndef ENOSYS
#define ENOSYS     38
#endif
#ifndef ELOOP
#define ELOOP      40
#endif
#ifndef EOVERFLOW
#define EOVERFLOW  75
#endif

#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif

#ifndef ETIMEDOUT
#define ETIMEDOUT  110
#endif

#ifndef EINPROGRESS
#define EINPROGRESS 115
#endif

/* Kernel-internal: an interrupted system call, restarted or turned into
 * EINTR by the signal code (kernel/proc/signal.c); never seen by users. */
#define ERESTARTSYS     512     /* restart if the handler has SA_RESTART */
#define ERESTARTNOINTR  513     /* always restart */
#define ERESTARTNOHAND  514     /* restart only when no handler runs */

#endif
