/*
 * mm: the physical memory manager's entry points for the rest of the kernel.
 *
 *   memblock (boot) -> buddy (frames) -> slab/kmalloc (objects)
 *
 * page_va()/va_to_page() are the one seam between struct page and memory
 * contents: the kernel implements them on the direct map (page_alloc.c),
 * host tests on their simulated arena.
 */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H

#include <pagoda/types.h>
#include <pagoda/buddy.h>

#ifndef KMEM_POISON
#define KMEM_POISON 0           /* 1: poison free kmalloc objects (debug build) */
#endif

struct dt_info;

/* page_va: the page's contents. va_to_page: NULL when @va is not RAM we
 * manage. The kernel's are inline (the direct map); host tests supply
 * their own. */
#ifdef __KERNEL__
extern u64 dmap_va_to_pa;               /* pa = va + dmap_va_to_pa */
static inline void *page_va(const struct page *p)
{
	return (void *)((page_to_pfn(p) << 12) - dmap_va_to_pa);
}
static inline struct page *va_to_page(const void *va)
{
	return pfn_to_page(((vaddr_t)va + dmap_va_to_pa) >> 12);
}
#else
void *page_va(const struct page *p);
struct page *va_to_page(const void *va);
extern u64 dmap_va_to_pa;               /* host tests: 0 or their own */
#endif

/*
 * mm_init - build the page arrays, hand everything memblock did not use to
 * the buddy allocator. Returns 0, or -ENOMEM with a one-line reason logged
 * when the usable RAM cannot hold the page arrays or leaves less than the
 * boot needs (the tree is unusable; the caller powers off).
 */
int mm_init(const struct dt_info *dt);
void kmem_init(void);

/* page_alloc - 2^order pages (zeroed with __GFP_ZERO); page_free. */
struct page *page_alloc(unsigned int order, gfp_t gfp);
void page_free(struct page *p, unsigned int order);

/*
 * The frame allocator API: @count contiguous frames, @count a power of two
 * from 1 to 2^18 (1 GiB). frame_alloc: 0 with *pa set, -EINVAL for a bad
 * count, -ENOMEM. frame_free: 0, or -EINVAL when [pa, count) is not a block
 * frame_alloc returned.
 */
int frame_alloc(u64 count, paddr_t *pa);
int frame_free(paddr_t pa, u64 count);

/* mm_stat: the memory picture in bytes (the DragonOS-compatible call). */
struct mm_stat_t {
	u64 total;              /* usable RAM: boot allocations + buddy */
	u64 used;               /* total - free */
	u64 free;               /* free frames, per-hart caches included */
	u64 shared;             /* 0: frames fork shares are not counted yet */
	u64 cache_used;         /* kmalloc objects handed out */
	u64 cache_free;         /* free objects inside slab pages */
	u64 available;          /* free + cache_free */
};
struct mm_stat_t mm_stat(void);
#endif
