/*
 * Pagoda libc: creating, replacing and waiting for processes. riscv64 has
 * no fork system call: fork is clone with only SIGCHLD (no thread ids to
 * set, since the libc keeps no thread structure), vfork is clone with
 * CLONE_VM | CLONE_VFORK. wait4 is the one wait call; waitpid and wait
 * are wait4 with fewer arguments.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"

#define CLONE_VM    0x00000100
#define CLONE_VFORK 0x00004000

#define VFORK_FLAGS (CLONE_VM | CLONE_VFORK | SIGCHLD)
#define STR(x)      #x
#define XSTR(x)     STR(x)

pid_t fork(void)
{
	return __syscall_ret(__syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0));
}

/*
 * vfork cannot be C: the child runs on the parent's stack until it calls
 * _exit or execve, so nothing may be stored there between the ecall and
 * the return (a C function's epilogue would pop the frame under the
 * parent). This one keeps everything in registers; on an error it goes on
 * to __syscall_ret, which sets errno and returns -1 to vfork's caller.
 */
__asm__(
	"	.pushsection .text.vfork, \"ax\", @progbits\n"
	"	.globl vfork\n"
	"	.type vfork, @function\n"
	"vfork:\n"
	"	li a0, " XSTR(VFORK_FLAGS) "\n"
	"	li a1, 0\n"
	"	li a2, 0\n"
	"	li a3, 0\n"
	"	li a4, 0\n"
	"	li a7, " XSTR(SYS_clone) "\n"
	"	ecall\n"
	"	li t0, -4096\n"
	"	bgtu a0, t0, 1f\n"
	"	ret\n"
	"1:	tail __syscall_ret\n"
	"	.size vfork, . - vfork\n"
	"	.popsection\n");

int execve(const char *path, char *const argv[], char *const envp[])
{
	return __syscall_ret(__syscall3(SYS_execve, (long)path, (long)argv,
					(long)envp));
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
	return __syscall_ret(__syscall4(SYS_wait4, pid, (long)status, options,
					(long)usage));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}
