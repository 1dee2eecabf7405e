/* Pagoda libc: struct timespec, for <time.h> and <sys/stat.h>. */
#ifndef _PAGODA_BITS_TIMESPEC_H
#define _PAGODA_BITS_TIMESPEC_H
#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

#endif
