/*
 * trap_vector: every trap taken in S-mode lands here (stvec, direct mode).
 * For now only the kernel traps (sscratch = 0): the frame goes on the
 * current kernel stack. Registers x1..x31 and sepc/sstatus/scause/stval
 * are saved in struct trapframe order (asm/trap.h).
 */
#include <asm/trap.h>

	.section .text
	.globl trap_vector
	.balign 4
trap_vector:
	addi	sp, sp, -TF_SIZE
	sd	x1, 0(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, ((\n - 1) * 8)(sp)
	.endr
	addi	t0, sp, TF_SIZE
	sd	t0, 8(sp)               /* sp before the trap */
	csrr	t0, sepc
	sd	t0, (TF_SEPC * 8)(sp)
	csrr	t0, sstatus
	sd	t0, (TF_SSTATUS * 8)(sp)
	csrr	t0, scause
	sd	t0, (TF_SCAUSE * 8)(sp)
	csrr	t0, stval
	sd	t0, (TF_STVAL * 8)(sp)

	mv	a0, sp
	call	trap_handler

	ld	t0, (TF_SEPC * 8)(sp)
	csrw	sepc, t0
	ld	t0, (TF_SSTATUS * 8)(sp)
	csrw	sstatus, t0
	ld	x1, 0(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, ((\n - 1) * 8)(sp)
	.endr
	addi	sp, sp, TF_SIZE
	sret
