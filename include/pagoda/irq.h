/* Interrupt handlers called from arch trap code, and the timer API. */
#ifndef PAGODA_IRQ_H
#define PAGODA_IRQ_H
#include <pagoda/types.h>

void irq_ipi(void);
void irq_timer(void);

#define HZ 100
extern u64 timebase_hz;
void timer_init_hart(void);     /* arm the periodic tick on this hart */
#endif
