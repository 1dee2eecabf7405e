/* Pagoda libc: clock_gettime, nanosleep and the clock ids of Linux. */
#ifndef _PAGODA_TIME_H
#define _PAGODA_TIME_H
#include <sys/types.h>
#include <bits/timespec.h>

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7

int clock_gettime(clockid_t clk, struct timespec *ts);
/* -1 and EINTR when a signal ends the sleep early; *rem gets what is left. */
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
