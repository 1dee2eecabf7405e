/*
 * compat: alloc_pages/free_pages with DragonOS's arguments (see compat.h).
 * Every page of such an allocation is marked as its own order-0 block owned
 * by OWNER_COMPAT, so any run of them can be freed page by page, and the
 * buddy allocator merges them back as they come.
 */
#include <pagoda/compat.h>
#include <pagoda/errno.h>

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
