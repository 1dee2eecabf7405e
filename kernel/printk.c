/*
 * printk: formatted output to the console.
 *
 * The sink starts as the SBI legacy console and becomes the UART once its
 * driver is up. A line is formatted into a local buffer, then written
 * whole under console_lock, so harts do not interleave within a line;
 * console_write() sends a buffer of raw bytes (user output) the same way.
 * printk may be called with interrupts on or off; the lock is taken with
 * interrupts off. A hart that panics while holding the lock takes it over.
 */
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <pagoda/hart.h>
#include <pagoda/ksyms.h>
#include <asm/sbi.h>
#include <string.h>

static void (*console_putc)(int c) = sbi_console_putchar;
static void (*console_flusher)(void);
static struct spinlock console_lock;

void console_set_sink(void (*putc)(int c), void (*flush)(void))
{
	console_putc = putc;
	console_flusher = flush;
}

void console_flush(void)
{
	if (console_flusher)
		console_flusher();
}

/*
 * Send @n bytes of @s to the sink under console_lock, each one as it is
 * (NUL bytes included) except '\n', which goes out as "\r\n" (a tty's
 * ONLCR, which a serial terminal needs).
 */
void console_write(const char *s, size_t n)
{
	unsigned long flags;
	size_t i;

	flags = spin_lock_irqsave_or_steal(&console_lock, hart_in_panic());
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc((u8)s[i]);
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, strlen(buf));
}
