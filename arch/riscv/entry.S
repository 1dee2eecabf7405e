/*
 * trap_vector: every trap taken in S-mode lands here (stvec, direct mode).
 * For now only the kernel traps: the frame goes on the current kernel
 * stack. Registers x1..x31 and sepc/sstatus/scause/stval are saved in
 * struct trapframe order (asm/trap.h).
 *
 * First, with only t0 spilled to sscratch, sp is checked against this
 * hart's limit (struct hart.trap_sp_min): a trap frame must fit above the
 * stack's guard page. If it does not, the stack has overflowed and the
 * hart moves to its emergency stack and panics, instead of faulting on
 * the guard page again and again.
 */
#include <asm/trap.h>

	.section .text
	.globl trap_vector
	.balign 4
trap_vector:
	csrw	sscratch, t0
	ld	t0, HART_TRAP_SP_MIN(tp)
	bltu	sp, t0, stack_overflow
	csrr	t0, sscratch
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

stack_overflow:
	mv	a3, sp
	lwu	t0, HART_CPU(tp)
	addi	t0, t0, 1
	slli	t0, t0, 12                      /* OVERFLOW_STACK_SIZE */
	lla	sp, overflow_stacks
	add	sp, sp, t0
	csrr	a0, sepc
	csrr	a1, stval
	csrr	a2, scause
	call	kernel_stack_overflow

	.section .bss
	.balign 16
overflow_stacks:                                /* one per hart */
	.space	OVERFLOW_STACK_SIZE * 32
