/*
 * buddy: the frame allocator over all usable RAM.
 *
 * Blocks of 2^order pages (order 0 = 4 KiB ... MAX_ORDER = 1 GiB), each
 * naturally aligned, in free lists per zone and order; freeing coalesces
 * with the buddy block when it is free and of the same order. Order-0
 * pages also pass through a per-hart cache, so the common path takes no
 * lock. The code touches only struct page, never page contents, so it runs
 * unchanged in host tests over a simulated arena.
 *
 * Lock order: zone->lock is innermost; per-hart caches need interrupts
 * off, not a lock. All allocation failure is a NULL return.
 */
#ifndef PAGODA_BUDDY_H
#define PAGODA_BUDDY_H

#include <pagoda/page.h>
#include <pagoda/spinlock.h>

#define MAX_BANKS       16
#define PCP_HIGH        64              /* a hart keeps at most this many */
#define PCP_BATCH       16              /* moved to/from the zone at once */
#define PCP_BATCH_ORDER 4
_Static_assert(PCP_BATCH == 1 << PCP_BATCH_ORDER, "a batch is one block");

typedef unsigned int gfp_t;
#define GFP_KERNEL      0u              /* any zone, highest first */
#define GFP_DMA32       (1u << 0)       /* only below 4 GiB */
#define __GFP_ZERO      (1u << 1)       /* zeroed (page_alloc, kmalloc) */

struct free_area {
	struct page *head;              /* (z) doubly linked through page */
	u64 count;                      /* (z) blocks in the list */
};

struct zone {
	struct spinlock lock;
	struct free_area free[NR_ORDERS];       /* (z) */
	u64 free_pages;                 /* (z) pages in the free lists */
	u64 managed_pages;              /* (z) pages ever given to the zone */
};

struct mem_bank {                       /* (c) after buddy_add_bank */
	u64 base_pfn;
	u64 npages;
	struct page *pages;
};

extern struct zone zones[NR_ZONES];

/* Describe a bank of RAM and its page array; every page starts reserved. */
int buddy_add_bank(paddr_t base, u64 npages, struct page *pages);
/* Hand [start, end) (page-aligned, inside one bank) to the allocator. */
void buddy_free_range(paddr_t start, paddr_t end);
/* Forget all banks and zones (host tests start each case afresh). */
void buddy_reset(void);

struct page *buddy_alloc(unsigned int order, gfp_t gfp, u16 owner);
void buddy_free(struct page *page, unsigned int order);
/* Return this hart's cached pages to the zones (before exact accounting). */
void buddy_drain_local(void);

extern struct mem_bank mem_banks[MAX_BANKS];

/*
 * Bank 0 seen from the direct map, for the kfree fast path: the struct page
 * of address va is pages[(va - va_base) >> 12] when that index < npages.
 * Set by whoever knows the direct map (the kernel's mm_init, host tests).
 */
struct bank0_lookup {
	vaddr_t va_base;
	u64 npages;
	struct page *pages;
};
extern struct bank0_lookup bank0_lookup;
struct page *pfn_to_page_slow(u64 pfn);

/* NULL outside every bank. Bank 0 (often the only one) is checked inline. */
static inline struct page *pfn_to_page(u64 pfn)
{
	if (likely(pfn - mem_banks[0].base_pfn < mem_banks[0].npages))
		return mem_banks[0].pages + (pfn - mem_banks[0].base_pfn);
	return pfn_to_page_slow(pfn);
}
u64 page_to_pfn_slow(const struct page *page);
static inline u64 page_to_pfn(const struct page *page)
{
	u64 i = (u64)(page - mem_banks[0].pages);

	if (likely(i < mem_banks[0].npages))
		return mem_banks[0].base_pfn + i;
	return page_to_pfn_slow(page);
}
/* How many pages of [pfn, pfn + n) are RAM (in a bank); banks never overlap. */
u64 buddy_ram_pages(u64 pfn, u64 n);
static inline paddr_t page_to_pa(const struct page *p)
{
	return page_to_pfn(p) << 12;
}
static inline struct page *pa_to_page(paddr_t pa)
{
	return pfn_to_page(pa >> 12);
}

/* Free pages: zones plus every hart's cache. */
u64 buddy_free_pages(void);
u64 buddy_managed_pages(void);
/* Consistency check of all free lists (tests): 0 or -EINVAL. */
int buddy_check(void);
#endif
