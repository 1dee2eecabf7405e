/*
 * power: the kernel's one way out, after the line "pagoda: power off,
 * status N" (the status a test reads when QEMU's exit status cannot carry
 * it). In order:
 *  - the QEMU "sifive,test" finisher (virt): 0x5555 for a clean exit,
 *    (status << 16) | 0x3333 for a failure, which QEMU turns into its own
 *    exit status;
 *  - SBI SRST shutdown, reason "system failure" when the status is not 0;
 *  - when the firmware cannot shut down and pagoda.poweroff=reboot was
 *    given, an SBI SRST cold reboot: QEMU's OpenSBI 1.1 on sifive_u has a
 *    reboot device (gpio-restart) but no shutdown device, and under
 *    -no-reboot the reset ends QEMU (status 0). It is asked for, not the
 *    default, because a board that reboots boots the kernel again, for ever;
 *  - otherwise, or when that returns too, the hart waits with interrupts off.
 * docs/boot.md says what each machine does.
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
static bool reboot_fallback;

void power_set_reboot_fallback(bool reboot)
{
	reboot_fallback = reboot;
}

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
	unsigned long reason = status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;
	int err;

	printk("pagoda: power off, status %d\n", status);
	console_flush();
	if (finisher)
		mmio_write32(finisher, status ? ((u32)status << 16) | FINISHER_FAIL
				     : FINISHER_PASS);
	err = sbi_system_reset(SBI_SRST_SHUTDOWN, reason);
	if (reboot_fallback) {
		printk("pagoda: SBI shutdown failed (%d), cold reboot instead\n", err);
		console_flush();
		err = sbi_system_reset(SBI_SRST_COLD_REBOOT, reason);
		printk("pagoda: SBI reboot failed (%d), halted\n", err);
	} else {
		printk("pagoda: SBI shutdown failed (%d), halted "
		       "(pagoda.poweroff=reboot resets instead)\n", err);
	}
	console_flush();
	for (;;) {
		arch_irq_disable();
		arch_wait_for_interrupt();
	}
}
