/*
 * Pagoda libc: the printf engine behind every *printf. It formats into a
 * struct fmt_sink (libc/internal.h) and follows glibc's output for the
 * conversions it supports (see <stdio.h>): "(null)" for a NULL %s,
 * "(nil)" for a NULL %p, precision overriding the 0 flag for integers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"

void __fmt_putc(struct fmt_sink *s, char c)
{
	if (s->pos == s->cap && s->drain)
		s->drain(s);
	if (s->pos < s->cap)
		s->buf[s->pos++] = c;
	if (c == '\n')
		s->saw_newline = 1;
	s->total++;
}

void __fmt_write(struct fmt_sink *s, const char *p, size_t n)
{
	while (n--)
		__fmt_putc(s, *p++);
}

static void put_repeat(struct fmt_sink *s, char c, int n)
{
	while (n-- > 0)
		__fmt_putc(s, c);
}

/* One conversion's flags, width and precision (-1: none given). */
struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;
};

/* @body of @len bytes, padded to the field width. */
static void put_field(struct fmt_sink *s, const struct spec *sp,
		      const char *body, int len)
{
	int pad = sp->width - len;

	if (!sp->left)
		put_repeat(s, ' ', pad);
	__fmt_write(s, body, len);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

/*
 * An integer: @prefix ("-", "+", " ", "0x", "0" or ""), then at least
 * prec digits of @v in @base, the whole padded to the width with spaces,
 * or with zeros after the prefix (0 flag, no precision, not left).
 */
static void put_number(struct fmt_sink *s, const struct spec *sp,
		       unsigned long long v, unsigned int base, bool upper,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = strlen(prefix), zeros, pad;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	/* Precision 0 with value 0 prints no digits at all. */
	if (n == 0 && sp->prec != 0)
		tmp[n++] = '0';
	zeros = sp->prec > n ? sp->prec - n : 0;
	pad = sp->width - plen - zeros - n;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		put_repeat(s, ' ', pad);
	__fmt_write(s, prefix, plen);
	put_repeat(s, '0', zeros);
	while (n)
		__fmt_putc(s, tmp[--n]);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

/* Length modifiers, as the size of the argument they select. */
enum len { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

static long long arg_signed(va_list *ap, enum len l)
{
	switch (l) {
	case L_CHAR:
		return (signed char)va_arg(*ap, int);
	case L_SHORT:
		return (short)va_arg(*ap, int);
	case L_LONG:
		return va_arg(*ap, long);
	case L_LLONG:
		return va_arg(*ap, long long);
	case L_SIZE:
		return va_arg(*ap, ssize_t);
	case L_MAX:
		return va_arg(*ap, intmax_t);
	case L_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(va_list *ap, enum len l)
{
	switch (l) {
	case L_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case L_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case L_LONG:
		return va_arg(*ap, unsigned long);
	case L_LLONG:
		return va_arg(*ap, unsigned long long);
	case L_SIZE:
		return va_arg(*ap, size_t);
	case L_MAX:
		return va_arg(*ap, uintmax_t);
	case L_PTRDIFF:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse flags, width, precision and length at *@fmt (just past the '%'). */
static enum len parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	const char *f = *fmt;
	enum len l = L_INT;

	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	switch (*f) {
	case 'h':
		l = f[1] == 'h' ? L_CHAR : L_SHORT;
		f += l == L_CHAR ? 2 : 1;
		break;
	case 'l':
		l = f[1] == 'l' ? L_LLONG : L_LONG;
		f += l == L_LLONG ? 2 : 1;
		break;
	case 'z':
		l = L_SIZE;
		f++;
		break;
	case 'j':
		l = L_MAX;
		f++;
		break;
	case 't':
		l = L_PTRDIFF;
		f++;
		break;
	}
	*fmt = f;
	return l;
}

static void put_string(struct fmt_sink *s, const struct spec *sp, const char *str)
{
	int len;

	/* glibc prints "(null)" only if the precision leaves room for it. */
	if (!str)
		str = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
	len = sp->prec >= 0 ? (int)strnlen(str, sp->prec) : (int)strlen(str);
	put_field(s, sp, str, len);
}

static void put_pointer(struct fmt_sink *s, struct spec *sp, void *p)
{
	if (!p) {
		sp->prec = -1;
		put_string(s, sp, "(nil)");
		return;
	}
	put_number(s, sp, (uintptr_t)p, 16, false, "0x");
}

static int octal_digits(unsigned long long v)
{
	int n = 0;

	for (; v; v >>= 3)
		n++;
	return n;
}

/* A signed conversion (%d %i): its sign or the + / space flag as prefix. */
static void put_signed(struct fmt_sink *s, const struct spec *sp, long long v)
{
	const char *prefix = sp->plus ? "+" : sp->space ? " " : "";
	unsigned long long mag = v;

	if (v < 0) {
		prefix = "-";
		mag = -mag;
	}
	put_number(s, sp, mag, 10, false, prefix);
}

/* One conversion at *@fmt (the character after flags/width/length). */
static void convert(struct fmt_sink *s, const char *start, const char **fmt,
		    struct spec *sp, enum len l, va_list *ap)
{
	char c = **fmt;
	unsigned long long u;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		put_signed(s, sp, arg_signed(ap, l));
		break;
	case 'u':
		put_number(s, sp, arg_unsigned(ap, l), 10, false, "");
		break;
	case 'o':
		u = arg_unsigned(ap, l);
		/* '#': the first digit is a 0, unless the precision gives one. */
		put_number(s, sp, u, 8, false,
			   sp->alt && u && sp->prec <= octal_digits(u) ? "0" : "");
		break;
	case 'x':
	case 'X':
		u = arg_unsigned(ap, l);
		put_number(s, sp, u, 16, c == 'X',
			   sp->alt && u ? (c == 'X' ? "0X" : "0x") : "");
		break;
	case 'p':
		put_pointer(s, sp, va_arg(*ap, void *));
		break;
	case 's':
		put_string(s, sp, va_arg(*ap, const char *));
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_field(s, sp, &ch, 1);
		break;
	case '%':
		__fmt_putc(s, '%');
		break;
	case 'f': case 'F': case 'e': case 'E':
	case 'g': case 'G': case 'a': case 'A':
		/* Not supported: keep the arguments in step, show the text. */
		(void)va_arg(*ap, double);
		__fmt_write(s, start, *fmt + 1 - start);
		break;
	case '\0':
		/* A lone '%' at the end: print it, stay on the NUL. */
		__fmt_write(s, start, *fmt - start);
		(*fmt)--;
		break;
	default:
		__fmt_write(s, start, *fmt + 1 - start);
		break;
	}
}

void __fmt_vformat(struct fmt_sink *s, const char *fmt, va_list ap)
{
	va_list args;
	struct spec sp;
	const char *start;
	enum len l;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			__fmt_putc(s, *fmt);
			continue;
		}
		start = fmt++;
		l = parse_spec(&fmt, &sp, &args);
		convert(s, start, &fmt, &sp, l, &args);
	}
	va_end(args);
}
