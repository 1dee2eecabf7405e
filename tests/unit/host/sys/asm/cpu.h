/*
 * Host stand-in for arch/riscv/include/asm/cpu.h, for the syscall tests
 * (test_fs: kernel/fs.c and kernel/sys_misc.c). Unit tests only.
 *
 * The timer and the instruction counter read variables the test sets
 * (sys_host.c defines them), so clock_gettime and the random generator's
 * seed are known values. Interrupt state is a flag. The tests run on one
 * thread, so a spinlock that has to spin could never be released:
 * arch_cpu_relax reports the deadlock through panic().
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

extern unsigned long host_time;         /* arch_read_time() */
extern unsigned long host_instret;      /* arch_read_instret() */
extern unsigned long host_irqs_on;      /* 1: "interrupts" enabled */
__attribute__((noreturn)) void host_spin_deadlock(void);

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irqs_on;

	host_irqs_on = 0;
	return f;
}

static inline void arch_irq_restore(unsigned long f) { host_irqs_on = f; }
static inline void arch_irq_enable(void) { host_irqs_on = 1; }
static inline void arch_irq_disable(void) { host_irqs_on = 0; }
static inline void arch_cpu_relax(void) { host_spin_deadlock(); }
extern char host_hart;                  /* the one "hart": spinlock holders */
static inline void *arch_this_hart(void) { return &host_hart; }
static inline unsigned long arch_read_time(void) { return host_time; }
static inline unsigned long arch_read_instret(void) { return host_instret; }
#endif
