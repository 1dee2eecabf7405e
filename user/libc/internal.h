/*
 * Pagoda libc internals: the raw system call (ecall with the number in a7,
 * arguments in a0..a5, the result in a0) and the pieces the libc files
 * share. Not installed for programs.
 *
 * The kernel returns -4095..-1 for -errno; every other value is a result
 * (addresses above 2^63 included, which is why the test is unsigned).
 */
#ifndef _PAGODA_LIBC_INTERNAL_H
#define _PAGODA_LIBC_INTERNAL_H
#include <stdarg.h>
#include <sys/types.h>

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}

static inline long __syscall0(long n)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0");

	__asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
	return a0;
}

#define __syscall1(n, a)          __syscall3(n, a, 0, 0)
#define __syscall2(n, a, b)       __syscall3(n, a, b, 0)
#define __syscall4(n, a, b, c, d) __syscall6(n, a, b, c, d, 0, 0)
#define __syscall5(n, a, b, c, d, e) __syscall6(n, a, b, c, d, e, 0)

/* A raw result as the C library returns it: -errno becomes -1 and errno. */
long __syscall_ret(unsigned long r);

/* libc/start.c: the auxiliary vector (pairs, AT_NULL-terminated). */
extern unsigned long *__auxv;

/* libc/stdio.c: write out stdout and stderr (exit and abort call it). */
void __stdio_flush_all(void);

/*
 * libc/format.c: the printf engine. A sink collects bytes in buf; when buf
 * is full it calls drain (which empties it) or, without one, counts and
 * drops the rest. total counts every byte produced.
 */
struct fmt_sink {
	char *buf;
	size_t cap;
	size_t pos;
	size_t total;
	int saw_newline;
	void (*drain)(struct fmt_sink *s);
};
void __fmt_putc(struct fmt_sink *s, char c);
void __fmt_write(struct fmt_sink *s, const char *p, size_t n);
void __fmt_vformat(struct fmt_sink *s, const char *fmt, va_list ap);

#endif
