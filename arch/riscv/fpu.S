/*
 * The user FPU state. The kernel is built without F/D and never touches
 * the FPU registers, and one process at a time runs on a hart, so they
 * need no saving across traps; a new process gets them zeroed here.
 * sstatus.FS is turned on for the duration (it stays as it was after).
 */
	.option	arch, +d
	.section .text
	.globl arch_fpu_clear
	.balign 4
arch_fpu_clear:
	li	t0, 0x6000              /* sstatus.FS */
	csrrs	t1, sstatus, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.d.x	f\n, zero
	.endr
	fscsr	zero
	csrw	sstatus, t1
	ret
