/*
 * page_alloc: mm_init and the kernel-side glue of the frame allocator.
 *
 * mm_init gives every RAM bank (clipped to the direct map) a struct page
 * array taken from memblock, then hands every byte memblock did not use to
 * the buddy allocator. From then on memblock is closed. struct page <->
 * address goes through the direct map.
 */
#include <pagoda/mm.h>
#include <pagoda/memblock.h>
#include <pagoda/paging.h>
#include <pagoda/dt.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <asm/page.h>
#include <string.h>

static u64 boot_used_bytes;             /* memblock's share, never freed */

/*
 * page_va and va_to_page (inline, mm.h) convert with one subtraction or
 * addition. Any address outside the direct map gives a pfn outside every
 * bank (the direct map is the only window whose offset lands in RAM),
 * hence NULL.
 */
u64 dmap_va_to_pa;

static int add_bank(paddr_t base, paddr_t end)
{
	u64 npages = (end - base) >> 12;
	u64 bytes = ALIGN_UP(npages * sizeof(struct page), PAGE_SIZE);
	paddr_t pa;

	if (memblock_alloc(bytes, PAGE_SIZE, &pa))
		return -ENOMEM;
	return buddy_add_bank(base, npages, dmap_va(pa));
}

void mm_init(const struct dt_info *dt)
{
	const struct memblock_range *r;
	paddr_t limit = paging_dmap_limit(dt);
	unsigned int i, n;

	dmap_va_to_pa = dmap_pa_base - DMAP_BASE;
	for (i = 0; i < dt->nmem; i++) {
		paddr_t b = ALIGN_UP(dt->mem[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(MIN(dt->mem[i].base + dt->mem[i].size, limit), PAGE_SIZE);

		if (b < e && add_bank(b, e))
			panic("%s: no memory for the page array of bank 0x%llx",
			      __func__, (unsigned long long)b);
	}
	bank0_lookup = (struct bank0_lookup){ (vaddr_t)dmap_va(mem_banks[0].base_pfn << 12),
					      mem_banks[0].npages, mem_banks[0].pages };
	n = memblock_ranges(&r);
	for (i = 0; i < n; i++) {
		boot_used_bytes += r[i].next - r[i].base;
		if (r[i].next < r[i].end)
			buddy_free_range(r[i].next, r[i].end);
	}
	memblock_close();
	kmem_init();
	printk("mm: %llu KiB in the buddy allocator (DMA32 %llu KiB, Normal %llu KiB), "
	       "%llu KiB used at boot\n",
	       (unsigned long long)buddy_managed_pages() * 4,
	       (unsigned long long)zones[ZID_DMA32].managed_pages * 4,
	       (unsigned long long)zones[ZID_NORMAL].managed_pages * 4,
	       (unsigned long long)boot_used_bytes >> 10);
}

struct page *page_alloc(unsigned int order, gfp_t gfp)
{
	struct page *p = buddy_alloc(order, gfp, OWNER_KERNEL);

	if (p && (gfp & __GFP_ZERO))
		memset(page_va(p), 0, PAGE_SIZE << order);
	return p;
}

void page_free(struct page *p, unsigned int order)
{
	buddy_free(p, order);
}

static int count_order(u64 count)
{
	int order = 0;

	if (count == 0 || (count & (count - 1)) || count > (1ull << MAX_ORDER))
		return -EINVAL;
	while ((1ull << order) < count)
		order++;
	return order;
}

int frame_alloc(u64 count, paddr_t *pa)
{
	int order = count_order(count);
	struct page *p;

	if (order < 0)
		return order;
	p = buddy_alloc(order, GFP_KERNEL, OWNER_KERNEL);
	if (!p)
		return -ENOMEM;
	*pa = page_to_pa(p);
	return 0;
}

int frame_free(paddr_t pa, u64 count)
{
	int order = count_order(count);
	struct page *p = pa_to_page(pa);

	if (order < 0 || !p || !IS_ALIGNED(pa, PAGE_SIZE << order) ||
	    (p->flags & (PG_HEAD | PG_FREE | PG_PCP | PG_SLAB | PG_LARGE)) != PG_HEAD ||
	    p->order != order || p->owner != OWNER_KERNEL)
		return -EINVAL;
	buddy_free(p, order);
	return 0;
}

struct mm_stat_t mm_stat(void)
{
	struct mm_stat_t s = { 0 };
	struct kmem_stat k;

	kmem_stat(&k);
	s.total = buddy_managed_pages() * PAGE_SIZE + boot_used_bytes;
	s.free = buddy_free_pages() * PAGE_SIZE;
	s.used = s.total - s.free;
	s.cache_used = k.used_bytes;
	s.cache_free = k.free_bytes;
	s.available = s.free + s.cache_free;
	return s;
}
