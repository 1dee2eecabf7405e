/*
 * time: Linux's clock ids and the time structures of its riscv64 ABI
 * (asm-generic: 64-bit seconds everywhere), shared by the time system
 * calls and the vDSO image, which is built from the same headers.
 */
#ifndef PAGODA_TIME_H
#define PAGODA_TIME_H
#include <pagoda/types.h>

#define CLOCK_REALTIME                  0
#define CLOCK_MONOTONIC                 1
#define CLOCK_PROCESS_CPUTIME_ID        2
#define CLOCK_THREAD_CPUTIME_ID         3
#define CLOCK_MONOTONIC_RAW             4
#define CLOCK_REALTIME_COARSE           5
#define CLOCK_MONOTONIC_COARSE          6
#define CLOCK_BOOTTIME                  7
#define CLOCK_TAI                       11
#define MAX_CLOCKS                      16      /* Linux's: ids 0..15 */

#define NSEC_PER_SEC                    1000000000ull
#define NSEC_PER_USEC                   1000ull

struct kernel_timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

/* gettimeofday's: struct __kernel_old_timeval, 64-bit on riscv64 */
struct kernel_timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct kernel_timezone {
	s32 tz_minuteswest;             /* minutes west of Greenwich */
	s32 tz_dsttime;                 /* type of DST correction */
};
#endif
