/*
 * Pagoda libc: formatted output. Conversions: %d %i %u %o %x %X %p %s %c %%
 * with the length modifiers hh h l ll z j t, flags - 0 + space #, a field
 * width and a precision (either may be *). No floating point: %f %e %g %a
 * consume their double and print the conversion text as is.
 *
 * stdout is line buffered (flushed at a newline and at exit), stderr is
 * flushed at the end of every call. There is no input side.
 */
#ifndef _PAGODA_STDIO_H
#define _PAGODA_STDIO_H
#include <stdarg.h>
#include <sys/types.h>

#define EOF (-1)
#define BUFSIZ 512

typedef struct pagoda_file FILE;
extern FILE *stdout;
extern FILE *stderr;
#define stdout stdout
#define stderr stderr

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int sprintf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);
int putchar(int c);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
/* Write out what @f holds; NULL: every stream. 0, or EOF on a write error. */
int fflush(FILE *f);

#endif
