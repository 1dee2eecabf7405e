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

#define NR_getcwd              17
#define NR_dup                 23
#define NR_dup3                24
#define NR_fcntl               25
#define NR_ioctl               29
#define NR_openat              56
#define NR_close               57
#define NR_lseek               62
#define NR_read                63
#define NR_write               64
#define NR_readv               65
#define NR_writev              66
#define NR_pread64             67
#define NR_ppoll               73
#define NR_readlinkat          78
#define NR_newfstatat          79
#define NR_fstat               80
#define NR_exit                93
#define NR_exit_group          94
#define NR_waitid              95
#define NR_set_tid_address     96
#define NR_futex               98
#define NR_set_robust_list     99
#define NR_nanosleep           101
#define NR_getitimer           102
#define NR_setitimer           103
#define NR_clock_gettime       113
#define NR_clock_getres        114
#define NR_clock_nanosleep     115
#define NR_sched_yield         124
#define NR_kill                129
#define NR_tkill               130
#define NR_tgkill              131
#define NR_sigaltstack         132
#define NR_rt_sigsuspend       133
#define NR_rt_sigaction        134
#define NR_rt_sigprocmask      135
#define NR_rt_sigpending       136
#define NR_rt_sigqueueinfo     138
#define NR_rt_sigreturn        139
#define NR_reboot              142
#define NR_setgid              144
#define NR_setuid              146
#define NR_setresuid           147
#define NR_getresuid           148
#define NR_setresgid           149
#define NR_setpgid             154
#define NR_getpgid             155
#define NR_getsid              156
#define NR_setsid              157
#define NR_uname               160
#define NR_getrlimit           163
#define NR_setrlimit           164
#define NR_getcpu              168
#define NR_gettimeofday        169
#define NR_getpid              172
#define NR_getppid             173
#define NR_getuid              174
#define NR_geteuid             175
#define NR_getgid              176
#define NR_getegid             177
#define NR_gettid              178
#define NR_sysinfo             179
#define NR_brk                 214
#define NR_munmap              215
#define NR_mremap              216
#define NR_clone               220
#define NR_execve              221
#define NR_mmap                222
#define NR_mprotect            226
#define NR_msync               227
#define NR_mincore             232
#define NR_madvise             233
#define NR_rt_tgsigqueueinfo   240
#define NR_wait4               260
#define NR_prlimit64           261
#define NR_getrandom           278
#define NR_execveat            281
#define NR_rseq                293
#define NR_clone3              435
#define NR_SYSCALLS             436     /* table size: highest number + 1 */

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
SYSCALL(geteuid);
SYSCALL(getgid);
SYSCALL(setuid);
SYSCALL(setresuid);
SYSCALL(getresuid);
SYSCALL(setgid);
SYSCALL(setresgid);
SYSCALL(setrlimit);
/* kernel/time.c: time of day, clock resolution, the current hart */
SYSCALL(gettimeofday);
SYSCALL(clock_getres);
SYSCALL(getcpu);
/* kernel/proc/: processes, signals, sleeping, futexes */
SYSCALL(futex);
SYSCALL(clone);
SYSCALL(clone3);
SYSCALL(execve);
SYSCALL(execveat);
SYSCALL(wait4);
SYSCALL(waitid);
SYSCALL(setsid);
SYSCALL(setpgid);
SYSCALL(getpgid);
SYSCALL(getsid);
SYSCALL(kill);
SYSCALL(tkill);
SYSCALL(tgkill);
SYSCALL(rt_sigpending);
SYSCALL(rt_sigsuspend);
SYSCALL(rt_sigreturn);
SYSCALL(sigaltstack);
SYSCALL(rt_sigqueueinfo);
SYSCALL(rt_tgsigqueueinfo);
SYSCALL(ppoll);
SYSCALL(nanosleep);
SYSCALL(clock_nanosleep);
SYSCALL(setitimer);
SYSCALL(getitimer);
/* entry.S: stubs that save the whole user register set first */
SYSCALL(clone_full);
SYSCALL(clone3_full);
SYSCALL(execve_full);
SYSCALL(rt_sigreturn_full);
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
SYSCALL(dup);
SYSCALL(dup3);
SYSCALL(fcntl);
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
