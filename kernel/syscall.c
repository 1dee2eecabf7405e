/*
 * The system call table: Linux riscv64 numbers to handlers, indexed by
 * arch/riscv/entry.S with the arguments still in their registers. A
 * number with no handler returns -ENOSYS and is logged the first time it
 * is seen.
 */
#include <pagoda/syscall.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>

#define E(name) [NR_##name] = sys_##name
const syscall_fn syscall_table[NR_SYSCALLS] = {
	E(getcwd), E(ioctl), E(openat), E(close), E(lseek), E(read), E(write),
	E(readv), E(writev), E(pread64), E(readlinkat), E(newfstatat), E(fstat),
	E(exit), E(exit_group), E(set_tid_address), E(set_robust_list),
	E(clock_gettime), E(sched_yield), E(rt_sigaction), E(rt_sigprocmask),
	E(reboot), E(uname), E(getrlimit), E(getpid), E(getppid), E(getuid),
	E(gettid), E(brk), E(munmap), E(mremap), E(mmap), E(mprotect), E(msync),
	E(mincore), E(madvise), E(prlimit64), E(getrandom),
	E(geteuid), E(getgid), [NR_getegid] = sys_getgid, E(setuid), E(setresuid),
	E(getresuid), E(setgid), E(setresgid), E(setrlimit),
	E(dup), E(dup3), E(fcntl),
	E(wait4), E(waitid), E(setsid), E(setpgid), E(getpgid), E(getsid),
	E(kill), E(tkill), E(tgkill), E(rt_sigpending), E(rt_sigsuspend), E(sigaltstack),
	E(rt_sigqueueinfo), E(rt_tgsigqueueinfo), E(ppoll),
	E(nanosleep), E(clock_nanosleep), E(setitimer), E(getitimer), E(execveat),
	/* the whole user register set (entry.S stubs) */
	[NR_clone] = sys_clone_full, [NR_clone3] = sys_clone3_full,
	[NR_execve] = sys_execve_full, [NR_rt_sigreturn] = sys_rt_sigreturn_full,
	E(gettimeofday), E(clock_getres), E(getcpu), E(futex),
};

/* One bit per number; the last bit stands for every number past the table. */
static u8 logged[NR_SYSCALLS / 8 + 1];

long syscall_unknown(u64 nr)
{
	u64 bit = MIN(nr, (u64)NR_SYSCALLS);

	if (logged[bit / 8] & (1u << (bit % 8)))
		return -ENOSYS;
	logged[bit / 8] |= 1u << (bit % 8);
	printk("syscall: pid %d: %llu is not implemented (ENOSYS)\n",
	       current_proc() ? current_proc()->pid : 0, (unsigned long long)nr);
	return -ENOSYS;
}
