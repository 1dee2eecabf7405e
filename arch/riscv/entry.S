/*
 * trap_vector: every trap taken in S-mode lands here (stvec, direct mode).
 *
 * sscratch tells where the trap came from: 0 while the hart runs kernel
 * code, this hart's struct hart while it runs user code. The first
 * instruction swaps it with tp, so tp is the struct hart either way.
 *
 * From the kernel: the frame goes on the current kernel stack. First,
 * with only t0 spilled (to hart.entry_scratch), sp is checked against
 * this hart's limit (hart.trap_sp_min): a trap frame must fit above the
 * stack's guard page. If it does not, the stack has overflowed and the
 * hart moves to its emergency stack and panics, instead of faulting on
 * the guard page again and again.
 *
 * From user mode: the frame goes just below hart.user_ksp (set by
 * arch_user_run); it holds the caller-saved registers, user sp, gp and tp
 * and the trap CSRs, but not s0..s11, which C code preserves (a future
 * fork or signal frame must save them). sscratch becomes 0; a system call
 * goes straight to its handler in syscall_table, anything else to
 * user_trap_handler; ret_to_user then restores the frame and sets
 * sscratch back to the struct hart just before sret.
 *
 * Registers x1..x31 and sepc/sstatus/scause/stval are saved in struct
 * trapframe order (asm/trap.h). sstatus.SUM is cleared after it is saved:
 * only uaccess.S sets it.
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <pagoda/syscall.h>

/* ra, gp, t0..t6, a0..a7: the registers a C call may change (and gp). */
	.macro SAVE_CALLER_SAVED
	sd	x1, 0(sp)
	.irp n, 3,5,6,7,10,11,12,13,14,15,16,17,28,29,30,31
	sd	x\n, ((\n - 1) * 8)(sp)
	.endr
	.endm
	.macro RESTORE_CALLER_SAVED
	ld	x1, 0(sp)
	.irp n, 3,5,6,7,10,11,12,13,14,15,16,17,28,29,30,31
	ld	x\n, ((\n - 1) * 8)(sp)
	.endr
	.endm
#define SSTATUS_SUM_BIT 0x40000

	.section .text
	.globl trap_vector
	.balign 4
trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, from_user
	csrrw	tp, sscratch, zero      /* kernel: tp back, sscratch 0 again */
	sd	t0, HART_SCRATCH(tp)
	ld	t0, HART_TRAP_SP_MIN(tp)
	bltu	sp, t0, stack_overflow
	ld	t0, HART_SCRATCH(tp)
	addi	sp, sp, -TF_SIZE
	sd	x1, 0(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, ((\n - 1) * 8)(sp)
	.endr
	addi	t0, sp, TF_SIZE
	sd	t0, 8(sp)               /* sp before the trap */
	call	save_csrs

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

/* sepc, sstatus, scause, stval into the frame at sp; SUM off. Uses t0. */
save_csrs:
	csrr	t0, sepc
	sd	t0, (TF_SEPC * 8)(sp)
	csrr	t0, sstatus
	sd	t0, (TF_SSTATUS * 8)(sp)
	csrr	t0, scause
	sd	t0, (TF_SCAUSE * 8)(sp)
	csrr	t0, stval
	sd	t0, (TF_STVAL * 8)(sp)
	li	t0, SSTATUS_SUM_BIT
	csrc	sstatus, t0
	ret

from_user:                              /* tp = struct hart, sscratch = user tp */
	sd	sp, HART_SCRATCH(tp)
	ld	sp, HART_USER_KSP(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_CALLER_SAVED
	ld	t0, HART_SCRATCH(tp)
	sd	t0, 8(sp)               /* user sp */
	csrrw	t0, sscratch, zero      /* user tp; from now on a trap is the kernel's */
	sd	t0, 24(sp)
	csrr	t0, sstatus
	sd	t0, (TF_SSTATUS * 8)(sp)
	csrr	t0, scause
	sd	t0, (TF_SCAUSE * 8)(sp)
	csrr	t1, sepc
	li	t2, EXC_ECALL_U
	bne	t0, t2, user_trap
	/*
	 * A system call: back past the ecall, then the handler straight from
	 * the table, with a0..a5 still the user's arguments. stval is not
	 * saved (it says nothing about an ecall).
	 */
	addi	t1, t1, 4
	sd	t1, (TF_SEPC * 8)(sp)
	li	t0, NR_SYSCALLS
	bgeu	a7, t0, syscall_none
	lla	t0, syscall_table
	slli	t1, a7, 3
	add	t0, t0, t1
	ld	t0, 0(t0)
	beqz	t0, syscall_none
	jalr	t0
syscall_done:
	sd	a0, (TF_A0 * 8)(sp)
	j	ret_to_user
syscall_none:
	mv	a0, a7
	call	syscall_unknown
	j	syscall_done

user_trap:                              /* t1 = sepc */
	sd	t1, (TF_SEPC * 8)(sp)
	csrr	t1, stval
	sd	t1, (TF_STVAL * 8)(sp)
	mv	a0, sp
	call	user_trap_handler
	/* fall through */

/*
 * Back to user mode with the frame at sp. Only the registers a C
 * function may clobber travel through the frame: s0..s11 are
 * callee-saved, so every C path from the trap back to here leaves them
 * as the user had them (arch_user_run loads them once). The frame's
 * sstatus has SIE clear (a trap clears it before it is saved; user
 * frames are made so), so writing it first turns interrupts off before
 * sepc and sscratch change.
 */
ret_to_user:
	ld	t0, (TF_SSTATUS * 8)(sp)
	csrw	sstatus, t0
	ld	t0, (TF_SEPC * 8)(sp)
	csrw	sepc, t0
	csrw	sscratch, tp            /* the next trap comes from user mode */
	RESTORE_CALLER_SAVED
	ld	tp, 24(sp)
	ld	sp, 8(sp)
	sret

/*
 * long arch_user_run(const struct trapframe *tf): save the callee-saved
 * registers (the kernel context to come back to), make the space below
 * them the user trap frame area, copy @tf there and enter user mode.
 */
	.globl arch_user_run
	.balign 4
arch_user_run:
	addi	sp, sp, -112
	sd	ra, 0(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (8 + \n * 8)(sp)
	.endr
	sd	sp, HART_USER_CTX(tp)
	sd	sp, HART_USER_KSP(tp)
	addi	sp, sp, -TF_SIZE
	li	t0, 0
1:	add	t1, a0, t0              /* copy the frame, a word at a time */
	ld	t2, 0(t1)
	add	t1, sp, t0
	sd	t2, 0(t1)
	addi	t0, t0, 8
	li	t1, TF_SIZE
	bltu	t0, t1, 1b
	.irp n, 8,9,18,19,20,21,22,23,24,25,26,27      /* s0..s11, once */
	ld	x\n, ((\n - 1) * 8)(sp)
	.endr
	j	ret_to_user

/* __noreturn void arch_user_return(long value): back out of arch_user_run. */
	.globl arch_user_return
	.balign 4
arch_user_return:
	ld	sp, HART_USER_CTX(tp)
	ld	ra, 0(sp)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (8 + \n * 8)(sp)
	.endr
	addi	sp, sp, 112
	sd	zero, HART_USER_CTX(tp)
	ret

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
