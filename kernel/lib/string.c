/* string: the freestanding C string functions the kernel and libfdt use. */
#include <string.h>
#include <stdlib.h>
#include <pagoda/types.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (IS_ALIGNED((uintptr_t)d | (uintptr_t)s | n, 8)) {
		for (; n >= 32; n -= 32, d += 32, s += 32) {    /* four words a turn */
			u64 a = ((const u64 *)s)[0], b = ((const u64 *)s)[1];
			u64 c = ((const u64 *)s)[2], e = ((const u64 *)s)[3];

			((u64 *)d)[0] = a, ((u64 *)d)[1] = b, ((u64 *)d)[2] = c, ((u64 *)d)[3] = e;
		}
		for (; n; n -= 8, d += 8, s += 8)
			*(u64 *)d = *(const u64 *)s;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* Eight zero words from q[i]: explicit stores, never a loop the
 * compiler could turn back into a call to memset. */
#define ZERO8(q, i) \
	((q)[(i)] = 0, (q)[(i) + 1] = 0, (q)[(i) + 2] = 0, (q)[(i) + 3] = 0, \
	 (q)[(i) + 4] = 0, (q)[(i) + 5] = 0, (q)[(i) + 6] = 0, (q)[(i) + 7] = 0)

/* Zero the 512 bytes at @q (8-byte aligned): 64 stores. */
static inline void zero_512(u64 *q)
{
	ZERO8(q, 0), ZERO8(q, 8), ZERO8(q, 16), ZERO8(q, 24);
	ZERO8(q, 32), ZERO8(q, 40), ZERO8(q, 48), ZERO8(q, 56);
}

/* 512 stores, 128 per loop iteration: 8-byte stores are the widest the
 * kernel has (rv64imac: no vector, and no Zicboz to zero a cache block). */
void clear_page(void *page)
{
	u64 *q = page, *end = q + 512;

	for (; q < end; q += 128) {
		zero_512(q);
		zero_512(q + 64);
	}
}

/*
 * Zeroing goes 512, 128, 64 or 8 bytes per loop iteration, the most the
 * alignment of the block allows.
 */
void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (c == 0 && IS_ALIGNED((uintptr_t)d | n, 512)) {  /* pages, tables */
		for (; n; n -= 512, d += 512)
			zero_512((u64 *)d);
		return dst;
	}
	if (c == 0 && IS_ALIGNED((uintptr_t)d | n, 128)) {
		for (; n; n -= 128, d += 128) {
			u64 *q = (u64 *)d;

			q[0] = 0, q[1] = 0, q[2] = 0, q[3] = 0;
			q[4] = 0, q[5] = 0, q[6] = 0, q[7] = 0;
			q[8] = 0, q[9] = 0, q[10] = 0, q[11] = 0;
			q[12] = 0, q[13] = 0, q[14] = 0, q[15] = 0;
		}
		return dst;
	}
	if (c == 0 && IS_ALIGNED((uintptr_t)d | n, 64)) {
		for (; n; n -= 64, d += 64) {
			u64 *q = (u64 *)d;

			q[0] = 0, q[1] = 0, q[2] = 0, q[3] = 0;
			q[4] = 0, q[5] = 0, q[6] = 0, q[7] = 0;
		}
		return dst;
	}
	if (c == 0 && IS_ALIGNED((uintptr_t)d | n, 8)) {
		for (; n; n -= 8, d += 8)
			*(u64 *)d = 0;
		return dst;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/* strlcpy - copy with truncation, always terminated; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 32) == 'x') {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; (d = digit_value(*s)) < base; s++)
		v = v * base + d;
	if (end)
		*end = (char *)s;
	return v;
}
