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
 * From user mode: the frame goes just below hart.user_ksp, the top of the
 * running task's kernel stack (the scheduler sets it at every switch).
 * A system call saves the caller-saved registers, user sp, gp and tp and
 * the trap CSRs, and goes straight to its handler in syscall_table; s0..s11
 * reach the frame only when something needs the whole set (the slow way
 * out, with work to do; clone, execve, rt_sigreturn). Every other trap
 * saves every register and goes to user_trap_handler. ret_to_user
 * restores the frame and sets sscratch back to the struct hart just
 * before sret.
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
	.macro SAVE_CALLEE_SAVED
	.irp n, 8,9,18,19,20,21,22,23,24,25,26,27
	sd	x\n, ((\n - 1) * 8)(sp)
	.endr
	.endm
	.macro RESTORE_CALLEE_SAVED
	.irp n, 8,9,18,19,20,21,22,23,24,25,26,27
	ld	x\n, ((\n - 1) * 8)(sp)
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
	 * the table, with a0..a5 still the user's arguments and sp the frame.
	 * stval is not saved (it says nothing about an ecall).
	 */
	addi	t1, t1, 4
	sd	t1, (TF_SEPC * 8)(sp)
	sd	a0, (TF_ORIG_A0 * 8)(sp)
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
	ld	t0, HART_PROC(tp)       /* work for the way out: the slow path */
	ld	t0, PROC_WORK(t0)
	bnez	t0, syscall_work
	j	ret_to_user
syscall_none:
	mv	a0, a7
	call	syscall_unknown
	j	syscall_done
syscall_work:
	SAVE_CALLEE_SAVED
	j	ret_work

user_trap:                              /* t1 = sepc */
	sd	t1, (TF_SEPC * 8)(sp)
	csrr	t1, stval
	sd	t1, (TF_STVAL * 8)(sp)
	SAVE_CALLEE_SAVED
	mv	a0, sp
	call	user_trap_handler
	/* fall through */

/*
 * Back to user mode through a complete frame at sp (s0..s11 included):
 * first the work the process has (a reschedule, a signal to deliver:
 * user_return_work() loops until there is none, and returns with
 * interrupts off, so nothing new is missed before sret but what an IPI
 * brings, and an IPI traps again at once in user mode).
 */
	.globl ret_to_user_full
ret_to_user_full:
	ld	t0, HART_PROC(tp)
	ld	t0, PROC_WORK(t0)
	beqz	t0, 1f
ret_work:
	mv	a0, sp
	call	user_return_work
1:	RESTORE_CALLEE_SAVED
	/* fall through */

/*
 * Back to user mode with the frame at sp. On the fast way out of a system
 * call only the registers a C function may clobber travel through the
 * frame: s0..s11 are callee-saved, so every C path from the trap back to
 * here leaves them as the user had them. The frame's sstatus has SIE
 * clear (a trap clears it before it is saved; user frames are made so),
 * so writing it first turns interrupts off before sepc and sscratch
 * change.
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
 * System calls that read or replace the whole user register set (clone
 * copies it, execve and rt_sigreturn replace it): the table points at
 * these stubs, which store s0..s11 in the frame first and leave through
 * ret_to_user_full, which loads every register from it.
 */
	.macro FULL_FRAME_SYSCALL name
	.globl sys_\name\()_full
	.balign 4
sys_\name\()_full:
	SAVE_CALLEE_SAVED
	call	sys_\name
	sd	a0, (TF_A0 * 8)(sp)
	j	ret_to_user_full
	.endm
	FULL_FRAME_SYSCALL clone
	FULL_FRAME_SYSCALL clone3
	FULL_FRAME_SYSCALL execve
	FULL_FRAME_SYSCALL rt_sigreturn

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
