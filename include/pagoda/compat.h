/*
 * The memory API users of DragonOS know, over Pagoda's native allocators.
 *
 *   DragonOS                              Pagoda
 *   kmalloc/kzalloc/kfree                 the same functions (mm/slab.c)
 *   alloc_pages(zone, num, flags)         buddy_alloc of the next power of two,
 *                                         the pages past num given back
 *   free_pages(page, number)              buddy_free, page by page
 *   struct Page                           wraps struct page (first member)
 *   ZONE_DMA                              ZID_DMA32 (below 4 GiB)
 *   ZONE_NORMAL, ZONE_UNMAPPED_IN_PGT     Normal zone first, then DMA32 (all RAM
 *                                         is in the direct map, so "unmapped" is
 *                                         only a placement hint)
 *   PAGE_* flags                          kept in page->flags, PG_COMPAT_SHIFT up
 *   mm_stat()                             include/pagoda/mm.h
 */
#ifndef PAGODA_COMPAT_H
#define PAGODA_COMPAT_H

#include <pagoda/mm.h>
#include <pagoda/slab.h>

#define ZONE_DMA                (1u << 0)
#define ZONE_NORMAL             (1u << 1)
#define ZONE_UNMAPPED_IN_PGT    (1u << 2)

#define PAGE_PGT_MAPPED         (1ul << 0)
#define PAGE_KERNEL_INIT        (1ul << 1)
#define PAGE_DEVICE             (1ul << 2)
#define PAGE_KERNEL             (1ul << 3)
#define PAGE_SHARED             (1ul << 4)
#define PAGE_COMPAT_FLAGS       0x1ful
#define PG_COMPAT_SHIFT         16
#define COMPAT_MAX_PAGES        63

struct Page {
	struct page pg;
};

/*
 * alloc_pages - @num (1 .. 63) contiguous pages from the zone named by
 * @zone_select (exactly one ZONE_* bit), recording @flags (PAGE_* bits).
 * NULL on a bad zone, count or flag, or when memory is out.
 */
struct Page *alloc_pages(unsigned int zone_select, int num, u64 flags);
/* free_pages - free @number pages from @page; -EINVAL (nothing freed) when
 * they are not all pages alloc_pages returned. */
int free_pages(struct Page *page, int number);

static inline paddr_t Page_addr_phys(const struct Page *p) { return page_to_pa(&p->pg); }
static inline u64 Page_attr(const struct Page *p) { return p->pg.flags >> PG_COMPAT_SHIFT; }
#endif
