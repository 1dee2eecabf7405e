/*
 * Host stand-in for arch/riscv/include/asm/cpu.h (unit tests only).
 *
 * Interrupt state is a flag the harness can check; the current hart is a
 * pointer the test switches (host_set_hart). The tests run on one thread,
 * so a spinlock that has to spin can never be released: arch_cpu_relax
 * reports the deadlock through panic().
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

extern void *host_cur_hart;             /* struct hart *, set by host_set_hart */
extern unsigned long host_irqs_on;      /* 1: "interrupts" enabled */
__attribute__((noreturn)) void host_spin_deadlock(void);

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irqs_on;

	host_irqs_on = 0;
	return f;
}

static inline void arch_irq_restore(unsigned long f) { host_irqs_on = f; }
static inline unsigned long arch_irq_save_short(void) { return arch_irq_save(); }
static inline void arch_irq_restore_short(unsigned long f) { arch_irq_restore(f); }
static inline void arch_irq_enable(void) { host_irqs_on = 1; }
static inline void arch_irq_disable(void) { host_irqs_on = 0; }
static inline void arch_cpu_relax(void) { host_spin_deadlock(); }
static inline void arch_wait_for_interrupt(void) { }
static inline unsigned long arch_read_time(void) { return 0; }
static inline unsigned long arch_read_instret(void) { return 0; }
static inline void *arch_this_hart(void) { return host_cur_hart; }
#endif
