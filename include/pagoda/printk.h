/* printk and panic: the kernel log, one lock, one sink (console_putc). */
#ifndef PAGODA_PRINTK_H
#define PAGODA_PRINTK_H

#include <stdarg.h>
#include <pagoda/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write @n bytes as they are (NULs too), '\n' as "\r\n", under the console
 * lock taken once, so no other output lands inside them. */
void console_write(const char *s, size_t n);
void console_set_sink(void (*putc)(int c), void (*flush)(void));
void console_flush(void);

__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Broken kernel invariants: panic naming the function. */
#define BUG_ON(cond) do { if (unlikely(cond)) \
	panic("%s: BUG_ON(%s) at %s:%d", __func__, #cond, __FILE__, __LINE__); } while (0)
#endif
