/*
 * regcheck's assembly part (rv64gc code, lp64 calling convention).
 *
 * regcheck_spin(struct rc_state *st) copies *st into its frame, loads every
 * register but sp (ra, gp and tp included), the 32 FP registers and fcsr
 * with st's values, and then loops: it compares every register with its
 * value, counts an iteration, and every (ymask + 1) iterations makes the
 * system call st names with everything loaded but that call's a0, a1 and
 * a7; after it, a1 and a7 must still hold the call's arguments, and the
 * three get their values back. The frame is addressed from sp, the one
 * register it keeps.
 *
 * A check needs two scratch registers: the iterations alternate between
 * t5/t6 and t3/t4, so that each of them holds its value for half of the
 * loop. The pair is saved to the frame first and checked last.
 *
 * It returns 0 when the iterations run out, or the number of the first
 * register found changed (st->bad_reg, with its contents in st->bad_val,
 * the iterations left in st->iters), after restoring ra, gp, tp and s0-s11.
 *
 * regcheck_handler(int sig) is a signal handler for SIGUSR1 and SIGUSR2: it
 * counts its run in regcheck_signals[sig == SIGUSR2], then overwrites every
 * register but sp and ra, and the FP registers and fcsr, so that only the
 * kernel's return from the signal can bring the interrupted values back.
 */
#include "regcheck.h"

#define SAVE_A    (RC_SIZE + 0)		/* the scratch pair, as it was */
#define SAVE_B    (RC_SIZE + 8)
#define STATE_PTR (RC_SIZE + 16)
#define SAVED     (RC_SIZE + 24)	/* ra, gp, tp, s0-s11 */
#define FRAME     (SAVED + 15 * 8)

#define SIGUSR1   10

	/* gp holds a test value here: no gp-relative addressing. */
	.option norelax

/* Every register the loop loads, by number: all but x0 and sp. */
#define XREGS 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, \
	19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, \
	18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
/* The registers regcheck_spin saves and restores for its caller. */
#define KEPT 1, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27

/* Register @got holds @num's contents, which differ from its value. */
.macro BAD got, num, scratch
	sd	\got, RC_BAD_VAL(sp)
	li	\scratch, \num
	sd	\scratch, RC_BAD_REG(sp)
	j	out
.endm

/* xN must hold its value; @s is scratch. */
.macro CHECKX num, s
	ld	\s, RC_X + 8 * \num(sp)
	beq	\s, x\num, 1f
	BAD	x\num, \num, \s
1:
.endm

/* fN must hold its value; @a and @b are scratch. */
.macro CHECKF num, a, b
	fmv.x.d	\a, f\num
	ld	\b, RC_F + 8 * \num(sp)
	beq	\a, \b, 1f
	BAD	\a, 32 + \num, \b
1:
.endm

/* Loads the FP registers and fcsr; @s is scratch. */
.macro LOAD_FP s
	.irp	num, FREGS
	fld	f\num, RC_F + 8 * \num(sp)
	.endr
	ld	\s, RC_FCSR(sp)
	fscsr	\s
.endm

/*
 * One iteration with xA and xB (numbers @na, @nb) as scratch: the check,
 * the count, the system call when it is due; then it reloads the pair.
 */
.macro PASS a, b, na, nb
	sd	\a, SAVE_A(sp)
	sd	\b, SAVE_B(sp)
	.irp	num, FREGS
	CHECKF	\num, \a, \b
	.endr
	frcsr	\a
	ld	\b, RC_FCSR(sp)
	beq	\a, \b, 1f
	BAD	\a, RC_REG_FCSR, \b
1:
	.irp	num, XREGS
	.if	(\num != \na) && (\num != \nb)
	CHECKX	\num, \b
	.endif
	.endr
	ld	\a, SAVE_A(sp)		/* the pair, as it was */
	ld	\b, RC_X + 8 * \na(sp)
	beq	\a, \b, 1f
	BAD	\a, \na, \b
1:	ld	\a, SAVE_B(sp)
	ld	\b, RC_X + 8 * \nb(sp)
	beq	\a, \b, 1f
	BAD	\a, \nb, \b
1:	ld	\a, RC_ITERS(sp)	/* count */
	addi	\a, \a, -1
	sd	\a, RC_ITERS(sp)
	beqz	\a, done
	ld	\b, RC_YMASK(sp)
	and	\b, \b, \a
	bnez	\b, 2f
	LOAD_FP	\a			/* the FP state dirty again */
	ld	a7, RC_SC_NR(sp)
	ld	a0, RC_SC_A0(sp)
	ld	a1, RC_SC_A1(sp)
	ecall
	ld	\b, RC_SC_A1(sp)
	beq	a1, \b, 1f
	BAD	a1, RC_REG_CALL_A1, \b
1:	ld	\b, RC_SC_NR(sp)
	beq	a7, \b, 1f
	BAD	a7, RC_REG_CALL_A7, \b
1:	ld	a0, RC_X + 8 * 10(sp)
	ld	a1, RC_X + 8 * 11(sp)
	ld	a7, RC_X + 8 * 17(sp)
2:	ld	\a, RC_X + 8 * \na(sp)
	ld	\b, RC_X + 8 * \nb(sp)
.endm

	.text
	.globl	regcheck_spin
	.type	regcheck_spin, @function
regcheck_spin:
	addi	sp, sp, -FRAME
	.set	k, 0
	.irp	num, KEPT
	sd	x\num, SAVED + 8 * k(sp)
	.set	k, k + 1
	.endr
	sd	a0, STATE_PTR(sp)
	.set	k, 0			/* copy *st into the frame */
	.rept	RC_SIZE / 8
	ld	t0, k(a0)
	sd	t0, k(sp)
	.set	k, k + 8
	.endr
	LOAD_FP	t0
	.irp	num, XREGS
	ld	x\num, RC_X + 8 * \num(sp)
	.endr
loop:
	PASS	t5, t6, 30, 31
	PASS	t3, t4, 28, 29
	j	loop

done:
	sd	zero, RC_BAD_REG(sp)
out:
	.set	k, 0
	.irp	num, KEPT
	ld	x\num, SAVED + 8 * k(sp)
	.set	k, k + 1
	.endr
	ld	a0, STATE_PTR(sp)
	ld	t0, RC_ITERS(sp)
	sd	t0, RC_ITERS(a0)
	ld	t0, RC_BAD_VAL(sp)
	sd	t0, RC_BAD_VAL(a0)
	ld	t0, RC_BAD_REG(sp)
	sd	t0, RC_BAD_REG(a0)
	mv	a0, t0
	addi	sp, sp, FRAME
	ret
	.size	regcheck_spin, . - regcheck_spin

	.globl	regcheck_handler
	.type	regcheck_handler, @function
regcheck_handler:
	addi	t0, a0, -SIGUSR1	/* 0 for SIGUSR1, 2 for SIGUSR2 */
	slli	t0, t0, 2
	lla	t1, regcheck_signals
	add	t1, t1, t0
	ld	t2, 0(t1)
	addi	t2, t2, 1
	sd	t2, 0(t1)
	.irp	num, XREGS
	.if	\num != 1
	li	x\num, 0x5eed0000 + \num
	.endif
	.endr
	.irp	num, FREGS
	fmv.d.x	f\num, t0
	.endr
	li	t0, 0x9f		/* frm 4, every flag */
	fscsr	t0
	ret
	.size	regcheck_handler, . - regcheck_handler

	.bss
	.balign	8
	.globl	regcheck_signals
	.type	regcheck_signals, @object
regcheck_signals:
	.zero	16
	.size	regcheck_signals, 16
