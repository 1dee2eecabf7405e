/*
 * struct page: one per 4 KiB frame of usable RAM, in an array per bank.
 *
 * Locking (the letters of docs/locking.md): (z) zone->lock, or a per-hart
 * cache with interrupts off; (o) the page's owner (whoever allocated it);
 * (k) the slab cache's lock, for slab pages; (c) set when the bank is added;
 * (a) atomic.
 *
 * refcount: 1 when allocated, 0 when free. A user frame (mm/cow.c) counts
 * the page-table entries that map it, in every address space: fork adds
 * one per entry it copies, and the last entry to go frees it, after the
 * flush that made it unreachable.
 */
#ifndef PAGODA_PAGE_H
#define PAGODA_PAGE_H

#include <pagoda/types.h>

#define PAGE_SHIFT_4K   12
#define MAX_ORDER       18              /* 2^18 pages = 1 GiB */
#define NR_ORDERS       (MAX_ORDER + 1)

enum zone_id { ZID_DMA32, ZID_NORMAL, NR_ZONES };
#define ZONE_DMA32_LIMIT (4ull << 30)

/* page->flags */
#define PG_FREE         (1u << 0)       /* (z) heads a free buddy block */
#define PG_PCP          (1u << 1)       /* (z) sits in a per-hart cache */
#define PG_SLAB         (1u << 2)       /* (o) a slab page */
#define PG_LARGE        (1u << 3)       /* (o) heads a kmalloc block > 2 KiB */
#define PG_RESERVED     (1u << 4)       /* never handed out */
#define PG_HEAD         (1u << 5)       /* (o) heads an allocated block */

/* page->owner: who allocated the page (for mm_stat and debugging) */
enum page_owner {
	OWNER_NONE, OWNER_KERNEL, OWNER_SLAB, OWNER_KMALLOC, OWNER_PGTABLE,
	OWNER_COMPAT, OWNER_USER, OWNER_TEST,
};

/* A hart's cache of free order-0 pages of one zone (in struct hart). */
struct pcp {
	struct page *head;              /* singly linked through page->next */
	u32 count;
};

struct kmem_cache;
struct page {
	struct page *next, *prev;       /* (z) free list; (k) slab lists */
	u32 flags;
	u8 order;                       /* (z)/(o) order of the block it heads */
	u8 zone;                        /* (c) */
	u16 owner;                      /* (o) enum page_owner */
	u32 refcount;                   /* (a) user frames; (o) other pages */
	u32 inuse;                      /* (k) objects in use on a slab page */
	void *freelist;                 /* (k) first free object */
	struct kmem_cache *cache;       /* (k) set iff PG_SLAB (kfree tests it) */
	u64 reserved[2];                /* pads to 64 bytes: indexing is a shift */
};
_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");

#endif
