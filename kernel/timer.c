/*
 * timer and IPI handlers. Each hart runs a periodic tick of HZ through
 * SBI set_timer (the VisionFive 2 has no Sstc); rdtime stays off hot paths
 * because it traps to OpenSBI on the board.
 */
#include <pagoda/irq.h>
#include <pagoda/hart.h>
#include <pagoda/proc.h>
#include <pagoda/sched.h>
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
	itimer_tick(arch_read_time());
	sched_tick();
}

/* An IPI: work smp_run_on_all() left for this hart, if any; otherwise a
 * kick (a task queued for an idle hart, a signal for the running one),
 * which needed only the trap itself. */
void irq_ipi(void)
{
	struct hart *h = this_hart();
	void (*fn)(void *) = __atomic_load_n(&h->work, __ATOMIC_ACQUIRE);

	__atomic_fetch_add(&h->ipis, 1, __ATOMIC_RELAXED);
	if (fn) {
		fn(h->work_arg);
		__atomic_store_n(&h->work, NULL, __ATOMIC_RELEASE);
	}
}
