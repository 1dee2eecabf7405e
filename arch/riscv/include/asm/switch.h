/*
 * Context switch and FPU state of a task (kernel/proc/sched.c calls these).
 *
 * struct arch_context is the kernel side of a task that is not running:
 * where arch_switch_to() left it (ra, sp and the callee-saved s0..s11).
 * The user's registers are in its trap frame at the top of its kernel
 * stack; C code preserves the user's s0..s11 across the switch.
 */
#ifndef ASM_SWITCH_H
#define ASM_SWITCH_H
#include <pagoda/types.h>

struct arch_context {
	u64 ra, sp, s[12];
};

/* The user FP registers and fcsr, saved when a task leaves a hart with
 * sstatus.FS dirty. */
struct arch_fpstate {
	u64 f[32];
	u64 fcsr;
};

/* Save the running context in @prev and continue in @next. Returns when
 * some hart switches back to @prev. */
void arch_switch_to(struct arch_context *prev, struct arch_context *next);
/* A new task's first instruction (its context's ra): sched_tail(), then
 * back to user mode through its trap frame, every register from the frame. */
void arch_ret_from_fork(void);
void arch_fpu_save(struct arch_fpstate *fp);
void arch_fpu_restore(const struct arch_fpstate *fp);
#endif
