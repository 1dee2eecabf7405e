/* The trap frame saved by entry.S: x1..x31, then the trap CSRs. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#define TF_A0       9
#define TF_SEPC     31
#define TF_SSTATUS  32
#define TF_SCAUSE   33
#define TF_STVAL    34
#define TF_ORIG_A0  35
#define TF_SIZE     (36 * 8)    /* 16-byte aligned */

/* struct hart fields entry.S reads (checked in smp.c) */
#define HART_CPU            8
#define HART_TRAP_SP_MIN    24
#define HART_SCRATCH        32
#define HART_USER_KSP       40
#define HART_PROC           48
#define PROC_WORK           0   /* struct proc: the work word (checked in proc.c) */
#define OVERFLOW_STACK_SIZE 4096

#ifndef __ASSEMBLY__
#include <pagoda/types.h>

struct trapframe {
	u64 ra, sp, gp, tp, t0, t1, t2, s0, s1;
	u64 a0, a1, a2, a3, a4, a5, a6, a7;
	u64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	u64 t3, t4, t5, t6;
	u64 sepc, sstatus, scause, stval;
	u64 orig_a0;                    /* a system call's first argument (a restart needs it) */
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");
_Static_assert(__builtin_offsetof(struct trapframe, sepc) == TF_SEPC * 8, "sepc slot");
_Static_assert(__builtin_offsetof(struct trapframe, a0) == TF_A0 * 8, "a0 slot");

void trap_init_hart(void);
/* The stack limit a hart's traps are checked against (entry.S). */
static inline vaddr_t trap_sp_min(vaddr_t stack_top, u64 size)
{
	return stack_top - size + TF_SIZE;
}
long arch_probe_read_u8(const void *addr);         /* value, or -EFAULT */
long arch_probe_write_u8(void *addr, u8 v);        /* 0, or -EFAULT */
void trap_handler(struct trapframe *tf);
void user_trap_handler(struct trapframe *tf);

/* The trap frame of the process running on this hart: the top of its
 * kernel stack. */
struct trapframe *arch_user_frame(void);
/* The frame at the top of a kernel stack that ends at @kstack_top. */
static inline struct trapframe *arch_frame_of(vaddr_t kstack_top)
{
	return (struct trapframe *)(kstack_top - TF_SIZE);
}
/* sstatus.FS of a user frame: the FP registers changed since last saved. */
#define FRAME_FS_MASK   (3ul << 13)
#define FRAME_FS_CLEAN  (2ul << 13)
#define FRAME_FS_DIRTY  (3ul << 13)
static inline bool arch_frame_fp_dirty(const struct trapframe *tf)
{
	return (tf->sstatus & FRAME_FS_MASK) == FRAME_FS_DIRTY;
}
static inline void arch_frame_fp_set(struct trapframe *tf, u64 fs)
{
	tf->sstatus = (tf->sstatus & ~FRAME_FS_MASK) | fs;
}
/* Whether @tf is a system call's (scause ecall from U) not yet decided
 * about a restart; arch_frame_clear_syscall() marks it decided. */
static inline bool arch_frame_is_syscall(const struct trapframe *tf)
{
	return tf->scause == 8;         /* EXC_ECALL_U */
}
static inline void arch_frame_clear_syscall(struct trapframe *tf)
{
	tf->scause = ~0ul;
}
/* Called on the way back to user mode while the process has work
 * (struct proc.work): reschedule, deliver signals. @tf is complete. */
void user_return_work(struct trapframe *tf);
/* sstatus for a new user frame: U-mode, interrupts on, FPU usable. */
unsigned long arch_user_sstatus(void);
/* Zero the FPU registers and fcsr (a new process starts clean). */
void arch_fpu_clear(void);
#endif
#endif
