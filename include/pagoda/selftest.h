/*
 * In-kernel self-tests, run at the end of boot. Each case prints one line:
 *   selftest: NAME ok
 *   selftest: NAME FAIL: what was expected and what was seen
 * and the count of failures decides the kernel's exit status.
 */
#ifndef PAGODA_SELFTEST_H
#define PAGODA_SELFTEST_H
struct dt_info;

/* Print "selftest: NAME ok" or "selftest: NAME FAIL: why"; 1 if failed. */
int selftest_report(const char *name, const char *fail);
/* A failure message formatted into a buffer of the caller's (one per file). */
#define SELFTEST_FAIL(buf, ...) ({ snprintf(buf, sizeof(buf), __VA_ARGS__); (const char *)buf; })
int selftest_run_all(const struct dt_info *dt);   /* number failed */
int selftest_mm(void);                          /* number failed */
int selftest_paging(void);                      /* number failed */
extern unsigned int shoot_rounds;               /* pagoda.shootdown=N */
#define SHOOT_ROUNDS_MAX 100000                 /* about an hour under TCG */
/* Deliberate failures asked for by the bootargs "pagoda.test=NAME". */
void selftest_run_fault(const char *name);
#endif
