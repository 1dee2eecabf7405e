/*
 * Pagoda libc: output streams over the printf engine. stdout keeps a
 * BUFSIZ buffer, written out when it fills, after any call that wrote a
 * newline, and at exit; stderr (and dprintf) write out at the end of every
 * call. A stream that fails to write drops the bytes and reports EOF from
 * fflush.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

struct pagoda_file {
	int fd;
	bool line_buffered;     /* flush after a call that wrote '\n' */
	bool error;             /* a write failed since the last fflush */
	struct fmt_sink sink;
};

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = write(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

static void file_drain(struct fmt_sink *s)
{
	FILE *f = (FILE *)((char *)s - offsetof(FILE, sink));

	if (s->pos && write_all(f->fd, s->buf, s->pos))
		f->error = true;
	s->pos = 0;
}

static char stdout_buf[BUFSIZ];
static char stderr_buf[128];

static FILE files[] = {
	{ .fd = 1, .line_buffered = true,
	  .sink = { stdout_buf, sizeof(stdout_buf), 0, 0, 0, file_drain } },
	{ .fd = 2,
	  .sink = { stderr_buf, sizeof(stderr_buf), 0, 0, 0, file_drain } },
};
FILE *stdout = &files[0];
FILE *stderr = &files[1];

int fflush(FILE *f)
{
	bool err;

	if (!f)
		return (fflush(stdout) | fflush(stderr)) ? EOF : 0;
	file_drain(&f->sink);
	err = f->error;
	f->error = false;
	return err ? EOF : 0;
}

void __stdio_flush_all(void)
{
	fflush(NULL);
}

/* End of one call on @f: write out what its buffering mode asks for. */
static void file_end_call(FILE *f)
{
	if (!f->line_buffered || f->sink.saw_newline)
		file_drain(&f->sink);
	f->sink.saw_newline = 0;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	size_t before = f->sink.total;

	__fmt_vformat(&f->sink, fmt, ap);
	file_end_call(f);
	return (int)(f->sink.total - before);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[128];
	FILE f = { .fd = fd, .sink = { buf, sizeof(buf), 0, 0, 0, file_drain } };

	__fmt_vformat(&f.sink, fmt, ap);
	file_drain(&f.sink);
	return f.error ? -1 : (int)f.sink.total;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_sink s = { buf, size ? size - 1 : 0, 0, 0, 0, NULL };

	__fmt_vformat(&s, fmt, ap);
	if (size)
		buf[s.pos] = '\0';
	return (int)s.total;
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

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	__fmt_write(&f->sink, p, size * n);
	file_end_call(f);
	return n;
}

int fputs(const char *s, FILE *f)
{
	__fmt_write(&f->sink, s, strlen(s));
	file_end_call(f);
	return 0;
}

int fputc(int c, FILE *f)
{
	__fmt_putc(&f->sink, (char)c);
	file_end_call(f);
	return (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int puts(const char *s)
{
	size_t n = strlen(s);

	__fmt_write(&stdout->sink, s, n);
	__fmt_putc(&stdout->sink, '\n');
	file_end_call(stdout);
	return n + 1 > 0x7fffffff ? 0x7fffffff : (int)(n + 1);
}
