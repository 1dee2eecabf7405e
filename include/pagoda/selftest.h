/*
 * In-kernel self-tests, run at the end of boot when the bootargs ask for
 * them (pagoda.selftests=on). The run first names every case on one line:
 *   selftests: N to run: NAME NAME ...
 * then each case prints one line:
 *   selftest: NAME ok
 *   selftest: NAME FAIL: what was expected and what was seen
 * and the count of failures decides the kernel's exit status. The tables
 * below are the only list of cases: tests/run.py learns it from that line.
 */
#ifndef PAGODA_SELFTEST_H
#define PAGODA_SELFTEST_H
struct dt_info;

/* One case: run() returns NULL when it passed, else what it saw. */
struct selftest {
	const char *name;
	const char *(*run)(void);
};

/* Each file's cases, in order, ended by { NULL, NULL }. */
extern const struct selftest selftests_mm[];          /* tests/kernel/selftest_mm.c */
extern const struct selftest selftests_paging[];      /* tests/kernel/selftest_paging.c */

/* A failure message formatted into a buffer of the caller's (one per file). */
#define SELFTEST_FAIL(buf, ...) ({ snprintf(buf, sizeof(buf), __VA_ARGS__); (const char *)buf; })
int selftest_run_all(const struct dt_info *dt);   /* number failed */
extern unsigned int shoot_rounds;               /* pagoda.shootdown=N */
#define SHOOT_ROUNDS_MAX 100000                 /* about an hour under TCG */
/* Deliberate failures asked for by the bootargs "pagoda.test=NAME". */
void selftest_run_fault(const char *name);
#endif
