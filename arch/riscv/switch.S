/*
 * arch_switch_to and arch_ret_from_fork (asm/switch.h).
 *
 * Only ra, sp and s0..s11 are saved: arch_switch_to is an ordinary call,
 * so everything else is the caller's to lose. tp is the struct hart and
 * stays: the task continues on whatever hart switches to it.
 */
	.section .text
	.globl arch_switch_to
	.balign 4
arch_switch_to:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (16 + \n * 8)(a0)
	.endr
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (16 + \n * 8)(a1)
	.endr
	ret

/* sp is the new task's trap frame (fork put it there). */
	.globl arch_ret_from_fork
	.balign 4
arch_ret_from_fork:
	call	sched_tail
	j	ret_to_user_full
