/*
 * Power-off with an exit status, always logged first ("pagoda: power off,
 * status N"). On QEMU virt the sifive,test finisher makes the status QEMU's
 * own exit status; elsewhere SBI SRST shuts the system down (reason "system
 * failure" when the status is not 0). When the firmware cannot shut down,
 * the hart halts, or, with the boot option pagoda.poweroff=reboot (QEMU
 * sifive_u, whose firmware has only a reboot device), the system is reset
 * (drivers/power.c).
 */
#ifndef PAGODA_POWER_H
#define PAGODA_POWER_H
#include <pagoda/types.h>

#define EXIT_OK         0
#define EXIT_BAD_INPUT  1       /* unusable device tree or similar */
#define EXIT_PANIC      2       /* a kernel bug */

struct dt_info;
void power_init(const struct dt_info *dt);
void power_remap(const struct dt_info *dt);     /* through ioremap */
/* Without a shutdown, reset instead of halting (pagoda.poweroff=reboot). */
void power_set_reboot_fallback(bool reboot);
__noreturn void kernel_poweroff(int status);
#endif
