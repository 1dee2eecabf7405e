/* bench: instruction counts per operation (tests/kernel/bench.c, `make bench`). */
#ifndef PAGODA_BENCH_H
#define PAGODA_BENCH_H
#include <pagoda/types.h>

extern u64 bench_mm_init_insns;         /* instret when mm_init returned */
extern u64 bench_paging_init_insns;     /* ... when paging init was done */
void bench_run_all(void);               /* pagoda.bench=1, one hart */
#endif
