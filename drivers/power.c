/*
 * power: the kernel's one way out. The QEMU "sifive,test" finisher takes
 * 0x5555 for a clean exit and (status << 16) | 0x3333 for a failure, which
 * QEMU turns into its own exit status. Without a finisher, SBI SRST.
 */
#include <pagoda/power.h>
#include <pagoda/dt.h>
#include <pagoda/printk.h>
#include <pagoda/mmio.h>
#include <pagoda/ioremap.h>
#include <asm/sbi.h>
#include <asm/cpu.h>

#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile u8 *finisher;

void power_init(const struct dt_info *dt)
{
	if (dt->finisher_pa)
		finisher = early_ioremap(dt->finisher_pa, 4);
}

void power_remap(const struct dt_info *dt)
{
	volatile u8 *f;

	if (!finisher)
		return;
	f = ioremap(dt->finisher_pa, 4);
	if (f)
		finisher = f;
}

__noreturn void kernel_poweroff(int status)
{
	printk("pagoda: power off, status %d\n", status);
	console_flush();
	if (finisher)
		mmio_write32(finisher, status ? ((u32)status << 16) | FINISHER_FAIL
				     : FINISHER_PASS);
	sbi_system_reset(SBI_SRST_SHUTDOWN,
			 status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	for (;;) {
		arch_irq_disable();
		arch_wait_for_interrupt();
	}
}
