/*
 * timer and IPI handlers. Each hart runs a periodic tick of HZ through
 * SBI set_timer (the VisionFive 2 has no Sstc); rdtime stays off hot paths
 * because it traps to OpenSBI on the board.
 */
#include <pagoda/irq.h>
#include <pagoda/hart.h>
#include <asm/sbi.h>
#include <asm/cpu.h>

u64 timebase_hz;

static void timer_arm(void)
{
	sbi_set_timer(arch_read_time() + timebase_hz / HZ);
}

void timer_init_hart(void)
{
	timer_arm();
}

void irq_timer(void)
{
	this_hart()->ticks++;
	timer_arm();
}

void irq_ipi(void)
{
	__atomic_fetch_add(&this_hart()->ipis, 1, __ATOMIC_RELAXED);
}
