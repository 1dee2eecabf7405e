/*
 * The vDSO's entry points that are one system call each, as on Linux
 * riscv: the signal return, whose address the kernel puts in ra when it
 * calls a handler (riscv has no SA_RESTORER; its unwind entry is marked
 * as a signal frame, and `li a7, 139; ecall` are the two words unwinders
 * recognize), and getcpu.
 */
#include <pagoda/syscall.h>

	.text
	.globl	__vdso_rt_sigreturn
	.type	__vdso_rt_sigreturn, @function
__vdso_rt_sigreturn:
	.cfi_startproc
	.cfi_signal_frame
	li	a7, NR_rt_sigreturn
	ecall
	.cfi_endproc
	.size	__vdso_rt_sigreturn, . - __vdso_rt_sigreturn

/* int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused) */
	.globl	__vdso_getcpu
	.type	__vdso_getcpu, @function
__vdso_getcpu:
	.cfi_startproc
	li	a7, NR_getcpu
	ecall
	ret
	.cfi_endproc
	.size	__vdso_getcpu, . - __vdso_getcpu
