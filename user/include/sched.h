/*
 * Pagoda libc: <sched.h>, where glibc declares sched_yield (the libc also
 * declares it in <unistd.h>, user/libc/unistd.c has it).
 */
#ifndef _PAGODA_SCHED_H
#define _PAGODA_SCHED_H

int sched_yield(void);

#endif
