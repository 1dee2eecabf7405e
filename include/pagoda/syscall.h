/*
 * System calls: Linux riscv64 numbers (asm-generic/unistd.h) and errno
 * values. A user ecall arrives in arch/riscv/entry.S with the number in a7
 * and arguments in a0..a5, which it leaves in place to call the handler
 * syscall_table[a7]; the result (a value or -errno) goes back in a0.
 * Each handler is declared with SYSCALL(name) and takes all six raw
 * argument registers; it casts the ones it uses. An unknown number gets
 * -ENOSYS and a log line the first time it is seen.
 *
 * The numbers are also read by entry.S (no C below them in assembly).
 */
#ifndef PAGODA_SYSCALL_H
#define PAGODA_SYSCALL_H

#define NR_getcwd               17
#define NR_ioctl                29
#define NR_openat               56
#define NR_close                57
#define NR_lseek                62
#define NR_read                 63
#define NR_write                64
#define NR_readv                65
#define NR_writev               66
#define NR_pread64              67
#define NR_readlinkat           78
#define NR_newfstatat           79
#define NR_fstat                80
#define NR_exit                 93
#define NR_exit_group           94
#define NR_set_tid_address      96
#define NR_futex                98
#define NR_set_robust_list      99
#define NR_clock_gettime        113
#define NR_sched_yield          124
#define NR_kill                 129
#define NR_tgkill               131
#define NR_rt_sigaction         134
#define NR_rt_sigprocmask       135
#define NR_reboot               142
#define NR_uname                160
#define NR_getrlimit            163
#define NR_getpid               172
#define NR_getppid              173
#define NR_getuid               174
#define NR_geteuid              175
#define NR_getgid               176
#define NR_getegid              177
#define NR_gettid               178
#define NR_sysinfo              179
#define NR_brk                  214
#define NR_munmap               215
#define NR_mremap               216
#define NR_mmap                 222
#define NR_mprotect             226
#define NR_msync                227
#define NR_mincore              232
#define NR_madvise              233
#define NR_prlimit64            261
#define NR_getrandom            278
#define NR_rseq                 293
#define NR_SYSCALLS             294     /* table size: highest number + 1 */

#ifndef __ASSEMBLY__
#include <pagoda/types.h>

#define SYSCALL(name) long sys_##name(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);

/* entry.S calls syscall_table[nr] for nr < NR_SYSCALLS when it is not
 * NULL, and syscall_unknown(nr) otherwise: -ENOSYS, logged once per
 * number. */
extern const syscall_fn syscall_table[NR_SYSCALLS];
long syscall_unknown(u64 nr);

/* kernel/syscall.c: the table, filled from these (defined by each area) */
SYSCALL(getpid);
SYSCALL(gettid);
SYSCALL(getppid);
SYSCALL(getuid);
SYSCALL(exit);
SYSCALL(exit_group);
SYSCALL(set_tid_address);
SYSCALL(set_robust_list);
SYSCALL(rt_sigaction);
SYSCALL(rt_sigprocmask);
SYSCALL(prlimit64);
SYSCALL(getrlimit);
SYSCALL(getrandom);
SYSCALL(uname);
SYSCALL(clock_gettime);
SYSCALL(reboot);
SYSCALL(sched_yield);
/* kernel/fs/fs.c: files of the initramfs and the console */
SYSCALL(openat);
SYSCALL(close);
SYSCALL(read);
SYSCALL(write);
SYSCALL(readv);
SYSCALL(writev);
SYSCALL(pread64);
SYSCALL(lseek);
SYSCALL(fstat);
SYSCALL(newfstatat);
SYSCALL(ioctl);
SYSCALL(readlinkat);
SYSCALL(getcwd);
/* mm/sys_mm.c: the mmap family */
SYSCALL(brk);
SYSCALL(mmap);
SYSCALL(munmap);
SYSCALL(mprotect);
SYSCALL(mremap);
SYSCALL(madvise);
SYSCALL(mincore);
SYSCALL(msync);
#endif /* __ASSEMBLY__ */
#endif
