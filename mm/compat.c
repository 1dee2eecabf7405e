/*
 * compat: the DragonOS C memory API in one place (see compat.h), over the
 * native layers: alloc_pages/free_pages over the buddy allocator, and
 * mm_map_phys_addr, mm_unmap_addr, mm_map_proc_page_table and
 * mm_unmap_proc_table over the KernelMapper and the PageMapper.
 * (kmalloc/kzalloc/kfree are the native names; mm_stat is page_alloc.c's.)
 *
 * Every page of an alloc_pages allocation is marked as its own order-0
 * block owned by OWNER_COMPAT, so any run of them can be freed page by
 * page, and the buddy allocator merges them back as they come.
 */
#include <pagoda/compat.h>
#include <pagoda/errno.h>
#include <pagoda/hartmask.h>
#include <pagoda/kmap.h>
#include <pagoda/mm.h>
#include <pagoda/paging.h>
#include <asm/page.h>

static int zone_gfp(unsigned int zone_select, gfp_t *gfp)
{
	if (zone_select == ZONE_DMA)
		*gfp = GFP_DMA32;
	else if (zone_select == ZONE_NORMAL || zone_select == ZONE_UNMAPPED_IN_PGT)
		*gfp = GFP_KERNEL;
	else
		return -EINVAL;
	return 0;
}

static void mark_compat(struct page *p, u64 flags)
{
	p->flags = (p->flags & ((1u << PG_COMPAT_SHIFT) - 1)) | PG_HEAD |
		   (u32)(flags << PG_COMPAT_SHIFT);
	p->order = 0;
	p->owner = OWNER_COMPAT;
	p->refcount = 1;
}

struct Page *alloc_pages(unsigned int zone_select, int num, u64 flags)
{
	unsigned int order = 0;
	struct page *head;
	u64 pfn, i;
	gfp_t gfp;

	if (zone_gfp(zone_select, &gfp) || num < 1 || num > COMPAT_MAX_PAGES ||
	    (flags & ~PAGE_COMPAT_FLAGS))
		return NULL;
	while ((1 << order) < num)
		order++;
	head = buddy_alloc(order, gfp, OWNER_COMPAT);
	if (!head)
		return NULL;
	pfn = page_to_pfn(head);
	for (i = 0; i < (1ull << order); i++)
		mark_compat(pfn_to_page(pfn + i), i < (u64)num ? flags : 0);
	for (i = num; i < (1ull << order); i++)
		buddy_free(pfn_to_page(pfn + i), 0);
	return (struct Page *)head;
}

int free_pages(struct Page *page, int number)
{
	u64 pfn, i;

	if (!page || number < 1 || number > COMPAT_MAX_PAGES)
		return -EINVAL;
	pfn = page_to_pfn(&page->pg);
	for (i = 0; i < (u64)number; i++) {
		struct page *p = pfn_to_page(pfn + i);

		if (!p || p->owner != OWNER_COMPAT ||
		    (p->flags & (PG_HEAD | PG_FREE | PG_PCP)) != PG_HEAD)
			return -EINVAL;
	}
	for (i = 0; i < (u64)number; i++) {
		struct page *p = pfn_to_page(pfn + i);

		p->flags &= (1u << PG_COMPAT_SHIFT) - 1;
		p->flags |= PG_HEAD;
		buddy_free(p, 0);
	}
	return 0;
}

/* ---- mappings ----------------------------------------------------------------- */

static u64 flags_prot(u64 flags)
{
	return ((flags & MM_PROT_READ) ? PTE_R : 0) | ((flags & MM_PROT_WRITE) ? PTE_W : 0) |
	       ((flags & MM_PROT_EXEC) ? PTE_X : 0);
}

/* Every page of [pa, pa + size) is RAM (or, for @device, none is). */
static bool phys_ok(paddr_t pa, u64 size, bool device)
{
	u64 pfn = pa >> 12, n = ((pa & 4095) + size + 4095) >> 12, ram;

	if (!size || pa + size < pa || pa + size > (1ull << 56))
		return false;
	ram = buddy_ram_pages(pfn, n);
	return device ? ram == 0 : ram == n;
}

/*
 * mm_map_phys_addr - map [phys, +length) at virt in the kernel table, RAM
 * only unless @flags has MM_MAP_DEVICE (then no RAM). 0 or -errno.
 */
int mm_map_phys_addr(vaddr_t virt, paddr_t phys, u64 length, u64 flags, bool use4k)
{
	struct kernel_mapper km;
	int err;

	if (!phys_ok(phys, length, flags & MM_MAP_DEVICE))
		return -EINVAL;
	km = kernel_mapper_lock();
	err = kmap_map_range(&km, virt, phys, length, flags_prot(flags), use4k);
	kernel_mapper_unlock(&km);
	return err;
}

int mm_unmap_addr(vaddr_t virt, u64 length)
{
	struct kernel_mapper km = kernel_mapper_lock();
	int err = kmap_unmap_range(&km, virt, length);

	kernel_mapper_unlock(&km);
	return err;
}

/*
 * A process table: never the kernel root, and only its user half (the
 * kernel half is the kernel's own tables, shared by every root).
 */
static int proc_mapper(u64 pgd, bool is_phys, vaddr_t virt, u64 length,
		       struct pagemapper *pm)
{
	paddr_t root = is_phys ? pgd : virt_to_phys((void *)pgd);

	if (!IS_ALIGNED(root, PAGE_SIZE) || !pa_to_page(root) || root == kernel_root_pa ||
	    virt >= USER_TOP || length > USER_TOP - virt)
		return -EFAULT;
	*pm = (struct pagemapper){ root, &pt_page_ops, 0 };
	return 0;
}

/*
 * mm_map_proc_page_table - map into the user half of the table rooted at
 * @pgd (physical with @is_phys, else a kernel virtual address; never the
 * kernel root). @user makes the pages user pages (else kernel-only, never
 * global); @flush flushes on every hart afterwards. 0, or -EFAULT for any
 * failure (nothing is left mapped then).
 */
int mm_map_proc_page_table(u64 pgd, bool is_phys, vaddr_t virt, paddr_t phys,
			   u64 length, u64 flags, bool user, bool flush, bool use4k)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	struct pagemapper pm;
	int err = proc_mapper(pgd, is_phys, virt, length, &pm);

	if (!err && !phys_ok(phys, length, flags & MM_MAP_DEVICE))
		err = -EINVAL;
	if (!err)          /* never G in the user half: it would outlive ASIDs */
		err = pm_map_range(&pm, virt, phys, length,
				   flags_prot(flags) | (user ? PTE_U : 0), use4k, &fl);
	if (flush || err)  /* an undo may have freed tables: fence first */
		pm_flush_run(&fl, 0, true, &kernel_harts);
	else
		pm_flush_drop(&fl);
	return err ? -EFAULT : 0;
}

int mm_unmap_proc_table(u64 pgd, bool is_phys, vaddr_t virt, u64 length)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	struct pagemapper pm;
	int err = proc_mapper(pgd, is_phys, virt, length, &pm);

	if (!err)
		err = pm_unmap_range(&pm, virt, length, &fl);
	pm_flush_run(&fl, 0, true, &kernel_harts);
	return err;
}
