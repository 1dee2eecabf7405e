/* The local hart for code outside arch/: interrupt state, tp, time. */
#ifndef ASM_CPU_H
#define ASM_CPU_H
#include <asm/csr.h>

static inline unsigned long arch_irq_save(void) { return local_irq_save(); }
static inline void arch_irq_restore(unsigned long f) { local_irq_restore(f); }
static inline void arch_irq_enable(void) { local_irq_enable(); }
static inline void arch_irq_disable(void) { local_irq_disable(); }
/*
 * For short sections that do not touch sstatus themselves: the old value is
 * kept whole (no masking), and csrs of it sets back exactly SIE, since every
 * other bit it sets is still set.
 */
static inline unsigned long arch_irq_save_short(void)
{
	unsigned long f;
	__asm__ __volatile__("csrrc %0, sstatus, %1" : "=r"(f) : "rK"(SSTATUS_SIE) : "memory");
	return f;
}
static inline void arch_irq_restore_short(unsigned long f) { csr_set(sstatus, f); }
static inline void arch_cpu_relax(void) { cpu_relax(); }
/* A timer interrupt waits (taken when interrupts are turned on). */
static inline bool arch_timer_pending(void) { return csr_read(sip) & SIP_STIP; }
static inline void arch_wait_for_interrupt(void) { wait_for_interrupt(); }
static inline unsigned long arch_read_time(void) { return read_time(); }
static inline unsigned long arch_read_instret(void) { return read_instret(); }
/*
 * tp holds this hart's struct hart. A task that sleeps may wake on another
 * hart, with another tp: a volatile read each time, which the compiler
 * can neither merge with an earlier one nor keep across a call.
 */
static inline void *arch_this_hart(void)
{
	void *h;

	__asm__ __volatile__("mv %0, tp" : "=r"(h));
	return h;
}
#endif
