/*
 * The user FPU state. The kernel is built without F/D and never touches
 * the FPU registers itself: they hold the user's values while the kernel
 * runs, and the scheduler saves them (arch_fpu_save) when a task whose
 * sstatus.FS is dirty leaves a hart, and loads them (arch_fpu_restore)
 * when a task arrives on a hart that holds someone else's. A new process
 * gets them zeroed (arch_fpu_clear). sstatus.FS is turned on for the
 * duration of each (it stays as it was after).
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

/* void arch_fpu_save(struct arch_fpstate *fp) */
	.globl arch_fpu_save
	.balign 4
arch_fpu_save:
	li	t0, 0x6000
	csrrs	t1, sstatus, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, 256(a0)
	csrw	sstatus, t1
	ret

/* void arch_fpu_restore(const struct arch_fpstate *fp) */
	.globl arch_fpu_restore
	.balign 4
arch_fpu_restore:
	li	t0, 0x6000
	csrrs	t1, sstatus, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, 256(a0)
	fscsr	t0
	csrw	sstatus, t1
	ret
