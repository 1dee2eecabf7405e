/* The local hart for code outside arch/: interrupt state, tp, time. */
#ifndef ASM_CPU_H
#define ASM_CPU_H
#include <asm/csr.h>

static inline unsigned long arch_irq_save(void) { return local_irq_save(); }
static inline void arch_irq_restore(unsigned long f) { local_irq_restore(f); }
static inline void arch_irq_enable(void) { local_irq_enable(); }
static inline void arch_irq_disable(void) { local_irq_disable(); }
static inline void arch_cpu_relax(void) { cpu_relax(); }
static inline void arch_wait_for_interrupt(void) { wait_for_interrupt(); }
static inline unsigned long arch_read_time(void) { return read_time(); }
static inline void *arch_this_hart(void)
{
	void *p;
	__asm__ ("mv %0, tp" : "=r"(p));
	return p;
}
#endif
