/*
 * regcheck: the layout of struct rc_state (regcheck.c), shared with the
 * assembly part (regcheck_asm.S), which addresses it by these offsets.
 */
#ifndef REGCHECK_H
#define REGCHECK_H

/* uint64_t x[32]: x1..x31's values by number (x0 and x2 unused) */
#define RC_X        0
#define RC_F        256	/* uint64_t f[32]: f0..f31's values, raw bits */
#define RC_FCSR     512	/* fcsr's value */
#define RC_ITERS    520	/* iterations left */
#define RC_YMASK    528	/* a system call when iterations left & mask == 0 */
#define RC_SC_NR    536	/* that call: number, a0, a1 */
#define RC_SC_A0    544
#define RC_SC_A1    552
/* result: 0, 1..31 for xN, 32 + N for fN, or RC_REG_* */
#define RC_BAD_REG  560
#define RC_BAD_VAL  568	/* result: what that register held */
#define RC_SIZE     576

#define RC_REG_FCSR    64	/* fcsr */
#define RC_REG_CALL_A1 65	/* a1 after the system call, not its argument */
#define RC_REG_CALL_A7 66	/* a7 after the system call, not its number */

#endif
