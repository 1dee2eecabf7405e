/*
 * vsnprintf: the kernel's one printf engine (printk, panic, reasons and
 * self-test messages, the device-tree module's messages).
 *
 * Conversions: %d %i %u %x with an optional width, zero-padded with a
 * leading 0; "l", "ll" and "z" take a 64-bit argument; %c; %s with an
 * optional width and a precision (%.Ns, %.*s: at most N bytes); %p (16 hex
 * digits after 0x) and %pS (a kernel text address as symbol+offset); %%.
 * The output is cut to fit @size with a NUL; the return value is the
 * length the whole output would have had, as C's snprintf.
 */
#include <pagoda/printk.h>
#include <pagoda/ksyms.h>
#include <string.h>

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

/* @s, at most @prec bytes of it (prec < 0: all), right-aligned in @width. */
static void out_str(struct outbuf *o, const char *s, int width, int prec)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);
	for (; width > len; width--)
		out_c(o, ' ');
	while (len--)
		out_c(o, *s++);
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
	int width = 0, longs = 0, prec = -1;
	long long sv;

	if (*f == '0')
		pad = '0', f++;
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	if (f[0] == '.' && f[1] == '*') {
		prec = va_arg(*ap, int);
		f += 2;
	} else if (*f == '.') {
		for (prec = 0; *++f >= '0' && *f <= '9';)
			prec = prec * 10 + (*f - '0');
	}
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
			out_str(o, sym, width, -1);
			return f + 2;
		}
		out_c(o, '0'); out_c(o, 'x');
		out_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, 16, '0');
		break;
	case 'c': out_c(o, (char)va_arg(*ap, int)); break;
	case 's': out_str(o, va_arg(*ap, const char *), width, prec); break;
	case '%': out_c(o, '%'); break;
	case '\0': return f;
	default: out_c(o, '%'); out_c(o, *f); break;
	}
	return f + 1;
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

