/*
 * harness: what every host unit test shares. One line per case on stdout,
 * the format tests/run.py reads:
 *   ok NAME
 *   not ok NAME: why it failed
 *   skip NAME: why it could not run here
 * Lines starting with "#" are notes the runner ignores. The exit status is
 * 1 when a case failed, else 0.
 *
 * $TEST_FILTER (set by `tests/run.py -k WORD`) runs only the cases whose
 * "PROGRAM: NAME" contains WORD; the others are neither run nor printed.
 *
 * One seeded PRNG (xorshift64*): every random choice of a test comes from
 * it, so a seed reproduces a run on any host.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

/* A case returns NULL (ok), test_failf(...) (failed) or test_skip(...). */
typedef const char *(*test_case_fn)(void);

/* True when @name passes $TEST_FILTER: the case is to be run and reported. */
bool test_selected(const char *name);
/* Print @name's line for the outcome @err (NULL, a failf or a skip result). */
void test_report(const char *name, const char *err);
/* If @name is selected: run @fn and report it. */
void test_run(const char *name, test_case_fn fn);
/* Cases that failed so far; the program's exit status (0 or 1). */
int test_failures(void);
int test_exit_status(void);

/* Format why a case failed; the arguments may include an earlier message. */
const char *test_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Format why a case cannot run here: test_report prints a counted skip. */
const char *test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A failed check: leave the case with the formatted reason. */
#define CHECK(cond, ...)                                \
	do {                                            \
		if (!(cond))                            \
			return test_failf(__VA_ARGS__); \
	} while (0)

/* A helper that failed (returned non-NULL): leave the case with its reason. */
#define TRY(expr)                                       \
	do {                                            \
		const char *e_ = (expr);                \
		if (e_)                                 \
			return e_;                      \
	} while (0)

/* ---- the PRNG ------------------------------------------------------------- */

/* Restart the sequence from @seed (any value, 0 included). */
void test_srand(uint64_t seed);
uint64_t test_rand(void);
/* Uniform in [0, n), n > 0. */
uint64_t test_rand_below(uint64_t n);
/* The number in the environment variable @env (strtoull, base 0), else @dflt. */
uint64_t test_env_u64(const char *env, uint64_t dflt);

#endif
