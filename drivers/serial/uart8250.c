/*
 * uart8250: polled output on an ns16550a-compatible UART, including the
 * Synopsys DesignWare APB UART of the JH7110 (reg-shift 2, 32-bit access).
 *
 * The firmware has already set the line up (baud rate, 8N1): the driver
 * never writes the divisor or LCR, so it cannot trip the DesignWare
 * "busy" rule (LCR writable only while USR.busy is clear) and never
 * changes the baud rate under the user's terminal. It only masks the
 * UART's interrupts and writes THR when LSR.THRE is set.
 */
#include <pagoda/console.h>
#include <pagoda/dt.h>
#include <pagoda/printk.h>
#include <pagoda/mmio.h>

#define UART_THR  0
#define UART_IER  1
#define UART_LSR  5
#define LSR_THRE  0x20
#define LSR_TEMT  0x40

static volatile u8 *uart_base;
static unsigned int uart_shift, uart_width;

static u32 uart_read(unsigned int reg)
{
	volatile u8 *p = uart_base + (reg << uart_shift);

	return uart_width == 4 ? mmio_read32(p) : mmio_read8(p);
}

static void uart_write(unsigned int reg, u32 v)
{
	volatile u8 *p = uart_base + (reg << uart_shift);

	if (uart_width == 4)
		mmio_write32(p, v);
	else
		mmio_write8(p, (u8)v);
}

static void uart_putc(int c)
{
	while (!(uart_read(UART_LSR) & LSR_THRE))
		;
	uart_write(UART_THR, (u32)c);
}

/* Wait until the shift register is empty, so a power-off loses nothing. */
static void uart_flush(void)
{
	while (!(uart_read(UART_LSR) & LSR_TEMT))
		;
}

/* After paging: the same registers through the ioremap window. */
static void uart_rebase(volatile u8 *base)
{
	uart_flush();
	uart_base = base;
}

static void uart_setup(volatile u8 *base, const struct dt_uart *u)
{
	uart_base = base;
	uart_shift = u->reg_shift;
	uart_width = u->reg_io_width == 4 ? 4 : 1;
	uart_write(UART_IER, 0);
	console_set_sink(uart_putc, uart_flush);
	printk("console: %s at 0x%llx (reg-shift %u, reg-io-width %u)\n",
	       u->type == DT_UART_DW_APB ? "dw-apb-uart" : "ns16550a",
	       (unsigned long long)u->base, uart_shift, uart_width);
}

const struct uart_ops uart8250_ops = {
	.setup = uart_setup,
	.rebase = uart_rebase,
};
