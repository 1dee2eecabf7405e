/*
 * sifive: polled output on the SiFive UART ("sifive,uart0": FU540 of the
 * HiFive Unleashed and QEMU sifive_u, FU740 of the HiFive Unmatched).
 *
 * Registers, 32 bits each:
 *   0x00 txdata  [7:0] byte to send; reads [31] full (the 8-entry FIFO)
 *   0x04 rxdata  [7:0] byte received; [31] empty
 *   0x08 txctrl  [0] txen, [1] nstop, [18:16] txcnt (watermark)
 *   0x0c rxctrl  [0] rxen, [18:16] rxcnt
 *   0x10 ie      interrupt enables: [0] txwm, [1] rxwm
 *   0x14 ip      pending: [0] txwm while the transmit FIFO holds fewer
 *                than txcnt entries
 *   0x18 div     [15:0] baud rate = bus clock / (div + 1)
 *
 * The firmware has set the line up: the driver keeps div and nstop, never
 * touches the receiver, masks both interrupts and enables the transmitter
 * with a watermark of 1, so that ip.txwm means "FIFO empty". The UART has
 * no "shift register empty" bit: flush waits for an empty FIFO, then for
 * one frame at the slowest rate in use (FLUSH_FRAME_US, 11 bits at 9600
 * baud, rounded up).
 */
#include <pagoda/console.h>
#include <pagoda/dt.h>
#include <pagoda/irq.h>
#include <pagoda/mmio.h>
#include <pagoda/printk.h>
#include <asm/cpu.h>

#define SIFIVE_TXDATA   0x00
#define SIFIVE_TXCTRL   0x08
#define SIFIVE_IE       0x10
#define SIFIVE_IP       0x14
#define SIFIVE_DIV      0x18

#define TXDATA_FULL     (1u << 31)
#define TXCTRL_TXEN     (1u << 0)
#define TXCTRL_TXCNT(n) ((u32)(n) << 16)
#define TXCTRL_TXCNT_MASK TXCTRL_TXCNT(7)
#define IP_TXWM         (1u << 0)
#define DIV_MASK        0xffffu

#define FLUSH_FRAME_US  1200

static volatile u8 *uart_base;

static void sifive_putc(int c)
{
	while (mmio_read32(uart_base + SIFIVE_TXDATA) & TXDATA_FULL)
		arch_cpu_relax();
	mmio_write32(uart_base + SIFIVE_TXDATA, (u8)c);
}

/* Wait until the last byte has left the wire, so a power-off loses nothing. */
static void sifive_flush(void)
{
	u64 start;

	while (!(mmio_read32(uart_base + SIFIVE_IP) & IP_TXWM))
		arch_cpu_relax();
	start = arch_read_time();
	while (arch_read_time() - start < timebase_hz * FLUSH_FRAME_US / 1000000)
		arch_cpu_relax();
}

static void sifive_rebase(volatile u8 *base)
{
	sifive_flush();
	uart_base = base;
}

static void sifive_setup(volatile u8 *base, const struct dt_uart *u)
{
	u32 txctrl, div;

	uart_base = base;
	mmio_write32(base + SIFIVE_IE, 0);
	txctrl = mmio_read32(base + SIFIVE_TXCTRL) & ~TXCTRL_TXCNT_MASK;
	mmio_write32(base + SIFIVE_TXCTRL, txctrl | TXCTRL_TXEN | TXCTRL_TXCNT(1));
	div = mmio_read32(base + SIFIVE_DIV) & DIV_MASK;
	console_set_sink(sifive_putc, sifive_flush);
	if (u->clock)
		printk("console: sifive-uart0 at 0x%llx (div %u, %u baud)\n",
		       (unsigned long long)u->base, div, u->clock / (div + 1));
	else
		printk("console: sifive-uart0 at 0x%llx (div %u, clock unknown)\n",
		       (unsigned long long)u->base, div);
}

const struct uart_ops sifive_uart_ops = {
	.setup = sifive_setup,
	.rebase = sifive_rebase,
};
