/*
 * memblock: the boot bump allocator. It hands out pages from the usable
 * ranges of the physical memory map, lowest first, until the buddy
 * allocator takes over what is left. Nothing reserved is ever returned.
 */
#ifndef PAGODA_MEMBLOCK_H
#define PAGODA_MEMBLOCK_H
#include <pagoda/types.h>

struct dt_info;
#define MEMBLOCK_MAX 64

struct memblock_range {
	paddr_t base;
	paddr_t end;                    /* exclusive */
	paddr_t next;                   /* first unallocated byte */
};

/* Take the usable ranges of @dt below @limit (exclusive). */
void memblock_init(const struct dt_info *dt, paddr_t limit);
/* 0 and *pa set, or -ENOMEM. @align is a power of two. Not zeroed. */
int memblock_alloc(u64 size, u64 align, paddr_t *pa);
/* After the buddy allocator took over: every later memblock_alloc fails. */
void memblock_close(void);
unsigned int memblock_ranges(const struct memblock_range **out);
#endif
