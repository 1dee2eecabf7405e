/*
 * harness: case reporting, the case filter and the PRNG every host unit
 * test shares (see harness.h for the output format).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char fail_msg[1024];
static char skip_msg[1024];
static int nfailed;
static uint64_t rand_state = 1;

bool test_selected(const char *name)
{
	const char *filter = getenv("TEST_FILTER");
	char full[512];

	if (!filter || !*filter)
		return true;
	snprintf(full, sizeof(full), "%s: %s", program_invocation_short_name, name);
	return strstr(full, filter) != NULL;
}

void test_report(const char *name, const char *err)
{
	if (!test_selected(name))
		return;
	if (err == skip_msg) {
		printf("skip %s: %s\n", name, err);
	} else if (err) {
		printf("not ok %s: %s\n", name, err);
		nfailed++;
	} else {
		printf("ok %s\n", name);
	}
	fflush(stdout);
}

void test_run(const char *name, test_case_fn fn)
{
	if (test_selected(name))
		test_report(name, fn());
}

int test_failures(void)
{
	return nfailed;
}

int test_exit_status(void)
{
	return nfailed ? 1 : 0;
}

/* Format into a scratch buffer first: an argument may be @out itself. */
static const char *format_into(char *out, size_t size, const char *fmt, va_list ap)
{
	char tmp[sizeof(fail_msg)];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	memcpy(out, tmp, size < sizeof(tmp) ? size : sizeof(tmp));
	out[size - 1] = '\0';
	return out;
}

const char *test_failf(const char *fmt, ...)
{
	va_list ap;
	const char *r;

	va_start(ap, fmt);
	r = format_into(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
	return r;
}

const char *test_skip(const char *fmt, ...)
{
	va_list ap;
	const char *r;

	va_start(ap, fmt);
	r = format_into(skip_msg, sizeof(skip_msg), fmt, ap);
	va_end(ap);
	return r;
}

/* ---- the PRNG: xorshift64*, the state never 0 ------------------------------ */

void test_srand(uint64_t seed)
{
	rand_state = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!rand_state)
		rand_state = 1;
}

uint64_t test_rand(void)
{
	uint64_t x = rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rand_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t test_rand_below(uint64_t n)
{
	return (uint64_t)(((unsigned __int128)test_rand() * n) >> 64);
}

uint64_t test_env_u64(const char *env, uint64_t dflt)
{
	const char *s = getenv(env);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}
