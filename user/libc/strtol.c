/*
 * Pagoda libc: number parsing (strtol family, atoi) and small helpers.
 * Semantics of C11: leading white space, an optional sign, "0x"/"0X" for
 * base 16 (or base 0), a leading "0" for octal with base 0. Out of range:
 * ERANGE and the clamped value. strtoul negates a "-" value like glibc.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
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

/*
 * The shared parser: the magnitude of the number in @s, clamped at @limit
 * (then *@overflow is set); *@neg tells the sign. *@end is where parsing
 * stopped (@s itself if there was no number).
 */
static unsigned long long parse(const char *s, char **end, int base, bool *neg,
				unsigned long long limit, bool *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false;
	int d;

	*neg = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (; (d = digit_value(*p)) < base; p++) {
		any = true;
		if (v > (limit - d) / base) {
			*overflow = true;
			v = limit;
		} else if (!*overflow) {
			v = v * base + d;
		}
	}
	if (end)
		*end = (char *)(any ? p : s);
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long v = parse(s, end, base, &neg, ULLONG_MAX, &over);

	if (over) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

long long strtoll(const char *s, char **end, int base)
{
	bool neg, over;
	unsigned long long lim = (unsigned long long)LLONG_MAX + 1;
	unsigned long long v = parse(s, end, base, &neg, lim, &over);

	if (!neg && v == lim)
		over = true;
	if (over) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)-v : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}

long labs(long x)
{
	return x < 0 ? -x : x;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}
