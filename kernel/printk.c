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

struct outbuf {
	char *p;
	size_t left;
	size_t total;
};

static void out_c(struct outbuf *o, char c)
{
	if (o->left > 1) {
		*o->p++ = c;
		o->left--;
	}
	o->total++;
}

static void out_num(struct outbuf *o, unsigned long long v, unsigned int base,
		    bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		out_c(o, '-');
	for (width -= n + (neg ? 1 : 0); width > 0; width--)
		out_c(o, pad);
	if (neg && pad != '0')
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
}

static void out_str(struct outbuf *o, const char *s, int width)
{
	int len = (int)strlen(s ? s : "(null)");

	for (; width > len; width--)
		out_c(o, ' ');
	for (s = s ? s : "(null)"; *s; s++)
		out_c(o, *s);
}

/* Read one integer argument of the given length modifier count. */
static unsigned long long arg_uint(va_list *ap, int longs, bool sign)
{
	if (longs >= 1)
		return sign ? (unsigned long long)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	return sign ? (unsigned long long)(long long)va_arg(*ap, int) : va_arg(*ap, unsigned int);
}

static const char *out_conv(struct outbuf *o, const char *f, va_list *ap)
{
	char pad = ' ';
	int width = 0, longs = 0;
	long long sv;

	if (*f == '0')
		pad = '0', f++;
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z')
		longs++, f++;
	switch (*f) {
	case 'd': case 'i':
		sv = (long long)arg_uint(ap, longs, true);
		out_num(o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
			10, sv < 0, width, pad);
		break;
	case 'u': out_num(o, arg_uint(ap, longs, false), 10, false, width, pad); break;
	case 'x': out_num(o, arg_uint(ap, longs, false), 16, false, width, pad); break;
	case 'p':
		if (f[1] == 'S') {      /* %pS: a text address as symbol+offset */
			char sym[96];

			ksyms_format((vaddr_t)va_arg(*ap, void *), sym, sizeof(sym));
			out_str(o, sym, width);
			return f + 2;
		}
		out_c(o, '0'); out_c(o, 'x');
		out_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, 16, '0');
		break;
	case 'c': out_c(o, (char)va_arg(*ap, int)); break;
	case 's': out_str(o, va_arg(*ap, const char *), width); break;
	case '%': out_c(o, '%'); break;
	default: out_c(o, '%'); out_c(o, *f); break;
	}
	return *f ? f + 1 : f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%')
			out_c(&o, *fmt++);
		else
			fmt = out_conv(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		*o.p = 0;
	return (int)o.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
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
