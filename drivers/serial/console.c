/*
 * console: the driver for the UART the device tree chose, and the mapping
 * of its registers. The device tree module names the UART's type
 * (dt->uart.type); uart_drivers[] gives its driver, which only touches
 * registers. The registers are mapped twice: through an early device slot
 * at boot, then through ioremap once the MMIO region manager exists.
 */
#include <pagoda/console.h>
#include <pagoda/dt.h>
#include <pagoda/printk.h>
#include <pagoda/mmio.h>
#include <pagoda/ioremap.h>

#define UART_MAP_DEFAULT 0x100  /* when the node's reg has no size */

static const struct uart_ops *const uart_drivers[] = {
	[DT_UART_NS16550] = &uart8250_ops,
	[DT_UART_DW_APB]  = &uart8250_ops,
	[DT_UART_SIFIVE]  = &sifive_uart_ops,
};

static const struct uart_ops *console_uart;     /* NULL: the SBI console */

static u64 uart_map_size(const struct dt_uart *u)
{
	return u->size ? u->size : UART_MAP_DEFAULT;
}

void console_init(const struct dt_info *dt)
{
	const struct dt_uart *u = &dt->uart;
	const struct uart_ops *ops = NULL;
	volatile u8 *base;

	if ((unsigned int)u->type < ARRAY_SIZE(uart_drivers))
		ops = uart_drivers[u->type];
	if (!ops) {
		printk("console: no known UART, staying on the SBI console\n");
		return;
	}
	base = early_ioremap(u->base, uart_map_size(u));
	if (!base) {
		printk("console: cannot map UART at 0x%llx, staying on SBI\n",
		       (unsigned long long)u->base);
		return;
	}
	console_uart = ops;
	ops->setup(base, u);
}

void console_remap(const struct dt_info *dt)
{
	volatile u8 *base;

	if (!console_uart)
		return;
	base = ioremap(dt->uart.base, uart_map_size(&dt->uart));
	if (!base) {
		printk("console: ioremap of the UART failed, keeping the early mapping\n");
		return;
	}
	console_uart->rebase(base);
}
