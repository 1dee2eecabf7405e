/*
 * Pagoda libc: memory and string functions. memset, memcpy and memmove
 * move a word at a time once both ends are aligned; the rest go a byte at
 * a time. Built with -fno-builtin and -fno-tree-loop-distribute-patterns so
 * the compiler does not turn these loops back into calls to themselves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORD sizeof(unsigned long)
#define ALIGNED(p) (((uintptr_t)(p) & (WORD - 1)) == 0)

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	unsigned long w = (unsigned char)c * (~0UL / 0xff);

	while (n && !ALIGNED(p)) {
		*p++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD; n -= WORD, p += WORD)
		*(unsigned long *)p = w;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (((uintptr_t)dp & (WORD - 1)) == ((uintptr_t)sp & (WORD - 1))) {
		while (n && !ALIGNED(dp)) {
			*dp++ = *sp++;
			n--;
		}
		for (; n >= WORD; n -= WORD, dp += WORD, sp += WORD)
			*(unsigned long *)dp = *(const unsigned long *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	/* Overlapping with d above s: copy from the end down. */
	dp += n;
	sp += n;
	while (n--)
		*--dp = *--sp;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
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
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

char *strcpy(char *restrict d, const char *restrict s)
{
	char *r = d;

	while ((*d++ = *s++))
		;
	return r;
}

/* Copies at most @n bytes and pads with NULs to @n; no NUL if s is long. */
char *strncpy(char *restrict d, const char *restrict s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}

char *strcat(char *restrict d, const char *restrict s)
{
	strcpy(d + strlen(d), s);
	return d;
}

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}
