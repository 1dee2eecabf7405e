/* SMP: bringing the other harts up, and reaching them with IPIs. */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H
#include <pagoda/types.h>

struct dt_info;
/* Start every usable hart but this one; returns how many are online. */
unsigned int smp_boot(const struct dt_info *dt);
/* Send an IPI to the hart at dense index @cpu. 0 or -errno. */
int smp_send_ipi(unsigned int cpu);
/*
 * smp_run_on_all - run @fn(@arg) on every online hart at once and wait
 * for all: here in the caller's context, on the others from the IPI
 * handler (interrupts off there), whatever they were running.
 */
void smp_run_on_all(void (*fn)(void *arg), void *arg);
/* Bring this (boot) hart's struct hart up: tp, traps. */
void smp_init_boot_hart(unsigned long hartid);
#endif
