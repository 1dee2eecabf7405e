/*
 * The console UART. drivers/serial/console.c picks the driver for the UART
 * the device tree chose (dt->uart.type) from a table and maps its
 * registers; each driver is one file that fills a struct uart_ops.
 */
#ifndef PAGODA_CONSOLE_H
#define PAGODA_CONSOLE_H
#include <pagoda/types.h>
struct dt_info;
struct dt_uart;

/*
 * A polled UART driver. Neither call may fail.
 *  setup  - take over the UART whose registers are mapped at @base, as the
 *           firmware left it (line settings kept), with its interrupts
 *           masked; switch printk to it (console_set_sink) and log one
 *           line "console: NAME at 0xPA (...)"
 *  rebase - wait until the UART has sent everything, then use the same
 *           registers at @base from now on
 */
struct uart_ops {
	void (*setup)(volatile u8 *base, const struct dt_uart *u);
	void (*rebase)(volatile u8 *base);
};

extern const struct uart_ops uart8250_ops;      /* ns16550a, DesignWare APB */
extern const struct uart_ops sifive_uart_ops;   /* sifive,uart0 */

/* Switch printk from the SBI console to the UART the DT names, if known. */
void console_init(const struct dt_info *dt);
/* Once the MMIO region manager is up: map the UART through ioremap. */
void console_remap(const struct dt_info *dt);
#endif
