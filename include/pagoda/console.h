/* The console UART driver: ns16550a and Synopsys DesignWare APB UARTs. */
#ifndef PAGODA_CONSOLE_H
#define PAGODA_CONSOLE_H
struct dt_info;
/* Switch printk from the SBI console to the UART the DT names, if known. */
void console_init(const struct dt_info *dt);
/* Once the MMIO region manager is up: map the UART through ioremap. */
void console_remap(const struct dt_info *dt);
#endif
