/*
 * page_alloc: mm_init and the kernel-side glue of the frame allocator.
 *
 * mm_init gives every RAM bank (clipped to the direct map) a struct page
 * array taken from memblock, then hands every byte memblock did not use to
 * the buddy allocator, bank by bank. From then on memblock is closed.
 * struct page <-> address goes through the direct map.
 *
 * Bank limits agree everywhere: the buddy allocator has room for every bank
 * the device tree keeps (MAX_BANKS >= DT_MAX_MEM), both page-align a bank
 * inward the same way, and memblock's ranges come from map entries that
 * never span two banks (dt_memmap).
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

_Static_assert(MAX_BANKS >= DT_MAX_MEM, "the buddy allocator takes every bank dt keeps");

/*
 * What the boot takes from the buddy allocator after mm_init, at points
 * that cannot fail gracefully: kmap_init pins one level-1 table per GiB of
 * the ioremap window and one for the hart stacks (260 KiB) and splits the
 * image, ioremap_init and the console take slab pages. A tree that leaves
 * less is refused as unusable input instead of panicking there.
 */
#define MM_BOOT_MIN_BYTES       (1ull << 20)

void *page_va(const struct page *p)
{
	return dmap_va(page_to_pa(p));
}

/*
 * va_to_page (inline, mm.h) maps a direct-map address to its pfn with one
 * addition. Any other address gives a pfn outside every bank (the direct
 * map is the only window whose offset lands in RAM), hence NULL.
 */
u64 dmap_va_to_pa;

/*
 * add_bank - the page array of RAM [base, end) (page-aligned), from
 * memblock. Returns 0, or -ENOMEM with a log line when memblock has no room.
 * The buddy allocator has room for every bank dt keeps, so it never refuses.
 */
static int add_bank(paddr_t base, paddr_t end)
{
	u64 npages = (end - base) >> 12;
	u64 bytes = ALIGN_UP(npages * sizeof(struct page), PAGE_SIZE);
	paddr_t pa;

	if (memblock_alloc(bytes, PAGE_SIZE, &pa)) {
		printk("mm: usable RAM too small to boot: no room for the %llu KiB page array of [0x%llx-0x%llx]\n",
		       (unsigned long long)bytes >> 10, (unsigned long long)base,
		       (unsigned long long)end - 1);
		return -ENOMEM;
	}
	BUG_ON(buddy_add_bank(base, npages, dmap_va(pa)));
	return 0;
}

/*
 * free_range - hand [start, end) (page-aligned, what memblock left) to the
 * buddy allocator one bank at a time: buddy_free_range serves one bank.
 * Every page must lie in a bank (memblock and the banks come from the same
 * map, aligned the same way); one that does not is a kernel bug.
 */
static void free_range(paddr_t start, paddr_t end)
{
	u64 freed = 0;
	unsigned int i;

	for (i = 0; i < MAX_BANKS && mem_banks[i].npages; i++) {
		paddr_t lo = MAX(start, mem_banks[i].base_pfn << 12);
		paddr_t hi = MIN(end, (mem_banks[i].base_pfn + mem_banks[i].npages) << 12);

		if (lo < hi) {
			buddy_free_range(lo, hi);
			freed += hi - lo;
		}
	}
	if (freed != end - start)
		panic("%s: [0x%llx-0x%llx] is not wholly in the page arrays", __func__,
		      (unsigned long long)start, (unsigned long long)end - 1);
}

int mm_init(const struct dt_info *dt)
{
	const struct memblock_range *r;
	paddr_t limit = paging_dmap_limit(dt);
	unsigned int i, n;

	dmap_va_to_pa = dmap_pa_base - DMAP_BASE;
	for (i = 0; i < dt->nmem; i++) {
		paddr_t b = ALIGN_UP(dt->mem[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(MIN(dt->mem[i].base + dt->mem[i].size, limit), PAGE_SIZE);

		if (b < e && add_bank(b, e))
			return -ENOMEM;
	}
	bank0_lookup = (struct bank0_lookup){ (vaddr_t)dmap_va(mem_banks[0].base_pfn << 12),
					      mem_banks[0].npages, mem_banks[0].pages };
	n = memblock_ranges(&r);
	for (i = 0; i < n; i++) {
		boot_used_bytes += r[i].next - r[i].base;
		if (r[i].next < r[i].end)
			free_range(r[i].next, r[i].end);
	}
	memblock_close();
	if (buddy_free_pages() * PAGE_SIZE < MM_BOOT_MIN_BYTES) {
		printk("mm: usable RAM too small to boot: %llu KiB left after the page arrays, "
		       "the kernel needs %llu KiB\n",
		       (unsigned long long)buddy_free_pages() * 4,
		       (unsigned long long)MM_BOOT_MIN_BYTES >> 10);
		return -ENOMEM;
	}
	kmem_init();
	printk("mm: %llu KiB in the buddy allocator (DMA32 %llu KiB, Normal %llu KiB), "
	       "%llu KiB used at boot\n",
	       (unsigned long long)buddy_managed_pages() * 4,
	       (unsigned long long)zones[ZID_DMA32].managed_pages * 4,
	       (unsigned long long)zones[ZID_NORMAL].managed_pages * 4,
	       (unsigned long long)boot_used_bytes >> 10);
	return 0;
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
