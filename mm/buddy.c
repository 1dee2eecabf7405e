/*
 * buddy: the frame allocator (see include/pagoda/buddy.h).
 *
 * Invariants, checked by buddy_check():
 *  - a page with PG_FREE heads a block of 2^order pages lying in one bank,
 *    aligned to its size, linked in zones[zone].free[order], and no page
 *    inside the block other than the head carries PG_FREE;
 *  - a page with PG_PCP sits in exactly one hart's cache, order 0;
 *  - zones[z].free_pages is the sum of the sizes of its free blocks.
 * Blocks never cross a zone boundary: 4 GiB is aligned to the largest block.
 *
 * buddy_alloc and buddy_free are __fastpath (types.h): for order 0 they are
 * frameless leaves, and every slow path is a tail call.
 */
#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/printk.h>

struct zone zones[NR_ZONES];
struct mem_bank mem_banks[MAX_BANKS];
struct bank0_lookup bank0_lookup;
#define banks mem_banks
static unsigned int nbanks;
static enum zone_id zone_first;         /* GFP_KERNEL tries this zone first */

_Static_assert(ZONE_DMA32_LIMIT % (4096ull << MAX_ORDER) == 0,
	       "a block never crosses the DMA32 limit");

/* ---- pages and banks ------------------------------------------------- */

static struct mem_bank *pfn_bank(u64 pfn)
{
	unsigned int i;

	for (i = 0; i < nbanks; i++)
		if (pfn - banks[i].base_pfn < banks[i].npages)
			return &banks[i];
	return NULL;
}

struct page *pfn_to_page_slow(u64 pfn)
{
	struct mem_bank *b = pfn_bank(pfn);

	return b ? &b->pages[pfn - b->base_pfn] : NULL;
}

u64 page_to_pfn_slow(const struct page *page)
{
	unsigned int i;

	for (i = 0; i < nbanks; i++)
		if ((u64)(page - banks[i].pages) < banks[i].npages)
			return banks[i].base_pfn + (u64)(page - banks[i].pages);
	panic("%s: %p is no struct page", __func__, page);
}

/* Pages of [pfn, pfn + n) that lie in some bank: O(banks), not O(n). */
u64 buddy_ram_pages(u64 pfn, u64 n)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nbanks; i++) {
		u64 lo = MAX(pfn, banks[i].base_pfn);
		u64 hi = MIN(pfn + n, banks[i].base_pfn + banks[i].npages);

		if (lo < hi)
			sum += hi - lo;
	}
	return sum;
}

static enum zone_id pfn_zone(u64 pfn)
{
	return (pfn << 12) < ZONE_DMA32_LIMIT ? ZID_DMA32 : ZID_NORMAL;
}

/* Copy @tmpl into @n pages, a word at a time from registers (a struct
 * assignment would become a memcpy call per page: 1M pages per 4 GiB). */
static void fill_pages(struct page *p, u64 n, const struct page *tmpl)
{
	const u64 *t = (const u64 *)tmpl;
	u64 t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3];
	u64 t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];

	for (; n; n--, p++) {
		u64 *d = (u64 *)p;

		d[0] = t0, d[1] = t1, d[2] = t2, d[3] = t3;
		d[4] = t4, d[5] = t5, d[6] = t6, d[7] = t7;
	}
}

int buddy_add_bank(paddr_t base, u64 npages, struct page *pages)
{
	u64 pfn0 = base >> 12, split;
	struct page tmpl = { .flags = PG_RESERVED, .refcount = 1, .zone = ZID_DMA32 };

	if (nbanks == MAX_BANKS || npages == 0 || base & 4095)
		return -EINVAL;
	/* pages below 4 GiB are DMA32, the rest Normal: at most one split */
	split = ZONE_DMA32_LIMIT >> 12 <= pfn0 ? 0 : MIN(npages, (ZONE_DMA32_LIMIT >> 12) - pfn0);
	fill_pages(pages, split, &tmpl);
	tmpl.zone = ZID_NORMAL;
	fill_pages(pages + split, npages - split, &tmpl);
	banks[nbanks++] = (struct mem_bank){ pfn0, npages, pages };
	return 0;
}

void buddy_reset(void)
{
	unsigned int z;

	nbanks = 0;
	bank0_lookup = (struct bank0_lookup){ 0 };
	for (z = 0; z < MAX_BANKS; z++)
		banks[z] = (struct mem_bank){ 0 };
	for (z = 0; z < NR_ZONES; z++)
		zones[z] = (struct zone){ 0 };
	for (z = 0; z < MAX_HARTS; z++)
		harts[z].pcp[0] = harts[z].pcp[1] = (struct pcp){ 0 };
	zone_first = ZID_DMA32;
}

/* ---- free lists (zone lock held) --------------------------------------- */

static void area_add(struct zone *z, struct page *p, unsigned int order)
{
	struct free_area *a = &z->free[order];

	p->flags = (p->flags & ~(PG_HEAD | PG_PCP)) | PG_FREE;
	p->order = order;
	p->prev = NULL;
	p->next = a->head;
	if (a->head)
		a->head->prev = p;
	a->head = p;
	a->count++;
	z->free_pages += 1ull << order;
}

static void area_del(struct zone *z, struct page *p, unsigned int order)
{
	struct free_area *a = &z->free[order];

	if (p->prev)
		p->prev->next = p->next;
	else
		a->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->flags &= ~PG_FREE;
	a->count--;
	z->free_pages -= 1ull << order;
}

/* Free one block, merging with free buddies as far as they go. */
static void free_block_locked(struct zone *z, u64 pfn, unsigned int order)
{
	struct mem_bank *bank = pfn_bank(pfn);

	assert_held(&z->lock);
	while (order < MAX_ORDER) {
		u64 bpfn = pfn ^ (1ull << order);
		struct page *bp;

		if (bpfn - bank->base_pfn >= bank->npages)
			break;          /* the buddy lies outside this bank */
		bp = &bank->pages[bpfn - bank->base_pfn];
		if (!(bp->flags & PG_FREE) || bp->order != order)
			break;
		area_del(z, bp, order);
		pfn &= ~(1ull << order);
		order++;
	}
	area_add(z, &bank->pages[pfn - bank->base_pfn], order);
}

/* Take a block of @order, splitting a larger one if needed. */
static struct page *alloc_block_locked(struct zone *z, unsigned int order)
{
	unsigned int k = order;
	struct page *p;
	u64 pfn;

	assert_held(&z->lock);
	while (k <= MAX_ORDER && !z->free[k].head)
		k++;
	if (k > MAX_ORDER)
		return NULL;
	p = z->free[k].head;
	area_del(z, p, k);
	pfn = page_to_pfn(p);
	while (k > order) {
		k--;
		area_add(z, pfn_to_page(pfn + (1ull << k)), k);
	}
	return p;
}

void buddy_free_range(paddr_t start, paddr_t end)
{
	u64 pfn = start >> 12, last = end >> 12;
	struct mem_bank *b = pfn_bank(pfn);
	struct page *p;

	BUG_ON(!b || last - b->base_pfn > b->npages);
	for (p = &b->pages[pfn - b->base_pfn]; p < &b->pages[last - b->base_pfn]; p++)
		p->flags &= ~PG_RESERVED;
	while (pfn < last) {
		unsigned int order = 0;
		struct zone *z = &zones[pfn_zone(pfn)];
		unsigned long f;

		while (order < MAX_ORDER && !(pfn & ((2ull << order) - 1)) &&
		       pfn + (2ull << order) <= last &&
		       pfn_zone(pfn + (2ull << order) - 1) == pfn_zone(pfn))
			order++;
		f = spin_lock_irqsave(&z->lock);
		z->managed_pages += 1ull << order;
		if (pfn_zone(pfn) == ZID_NORMAL)
			zone_first = ZID_NORMAL;
		free_block_locked(z, pfn, order);
		spin_unlock_irqrestore(&z->lock, f);
		pfn += 1ull << order;
	}
}

/* ---- per-hart order-0 cache ------------------------------------------- */

static struct pcp *this_pcp(enum zone_id zid)
{
	return &this_hart()->pcp[zid];
}

static void pcp_push(struct pcp *c, struct page *p)
{
	p->flags |= PG_PCP;
	p->next = c->head;
	c->head = p;
	c->count++;
}

/*
 * Move up to @n pages from a zone into a hart's cache. A batch comes as
 * one block of PCP_BATCH pages when the zone has one (one split instead
 * of one per page), else page by page.
 */
static void pcp_refill(struct pcp *c, struct zone *z, unsigned int n)
{
	struct page *p;
	unsigned int i;

	spin_lock(&z->lock);
	if (n == PCP_BATCH && (p = alloc_block_locked(z, PCP_BATCH_ORDER))) {
		for (i = PCP_BATCH; i--; )
			pcp_push(c, p + i);     /* a block's struct pages are consecutive */
		n = 0;
	}
	while (n-- && (p = alloc_block_locked(z, 0)))
		pcp_push(c, p);
	spin_unlock(&z->lock);
}

static void pcp_drain(struct pcp *c, struct zone *z, unsigned int n)
{
	spin_lock(&z->lock);
	while (n-- && c->head) {
		struct page *p = c->head;

		c->head = p->next;
		c->count--;
		p->flags &= ~PG_PCP;
		free_block_locked(z, page_to_pfn(p), 0);
	}
	spin_unlock(&z->lock);
}

/* The page-cache half of buddy_alloc(0), slow side: refill, then take. */
static struct page *pcp_alloc_refill(enum zone_id zid)
{
	struct pcp *c;
	struct page *p;
	unsigned long f = arch_irq_save();

	c = this_pcp(zid);
	if (!c->head)
		pcp_refill(c, &zones[zid], PCP_BATCH);
	p = c->head;
	if (p) {
		c->head = p->next;
		c->count--;
		p->flags &= ~PG_PCP;
	}
	arch_irq_restore(f);
	return p;
}

static __noinline void pcp_free_full(struct pcp *c, struct zone *z, unsigned long f)
{
	pcp_drain(c, z, PCP_BATCH);
	arch_irq_restore_short(f);
}

void buddy_drain_local(void)
{
	unsigned long f = arch_irq_save();
	unsigned int z;

	for (z = 0; z < NR_ZONES; z++)
		pcp_drain(this_pcp(z), &zones[z], ~0u);
	arch_irq_restore(f);
}

/* ---- allocation -------------------------------------------------------- */

static struct page *zone_alloc(enum zone_id zid, unsigned int order)
{
	struct zone *z = &zones[zid];
	struct page *p;
	unsigned long f;

	if (order == 0)
		return pcp_alloc_refill(zid);
	f = spin_lock_irqsave(&z->lock);
	p = alloc_block_locked(z, order);
	spin_unlock_irqrestore(&z->lock, f);
	return p;
}

static struct page *page_take(struct page *p, unsigned int order, u16 owner)
{
	p->flags |= PG_HEAD;
	p->order = order;
	p->owner = owner;
	p->refcount = 1;
	return p;
}

static __noinline struct page *buddy_alloc_slow(unsigned int order, gfp_t gfp, u16 owner)
{
	struct page *p = NULL;

	if (order > MAX_ORDER)
		return NULL;
	if (!(gfp & GFP_DMA32) && zones[ZID_NORMAL].managed_pages)
		p = zone_alloc(ZID_NORMAL, order);
	if (!p)
		p = zone_alloc(ZID_DMA32, order);
	return p ? page_take(p, order, owner) : NULL;
}

/*
 * buddy_alloc - a block of 2^@order pages, or NULL. GFP_DMA32 keeps it
 * below 4 GiB; otherwise the Normal zone is tried first. The head page
 * records order and owner; refcount is 1. Order 0 is served from this
 * hart's cache when it has a page; every other case is a tail call.
 */
__fastpath struct page *buddy_alloc(unsigned int order, gfp_t gfp, u16 owner)
{
	enum zone_id zid = (gfp & GFP_DMA32) ? ZID_DMA32 : zone_first;
	unsigned long f;
	struct pcp *c;
	struct page *p;

	if (unlikely(order != 0))
		return buddy_alloc_slow(order, gfp, owner);
	f = arch_irq_save_short();
	c = this_pcp(zid);
	p = c->head;
	if (unlikely(!p)) {
		arch_irq_restore_short(f);
		return buddy_alloc_slow(0, gfp, owner);
	}
	c->head = p->next;
	c->count--;
	arch_irq_restore_short(f);
	p->flags = (p->flags & ~PG_PCP) | PG_HEAD;
	p->order = 0;
	p->owner = owner;
	p->refcount = 1;
	return p;
}

/* Reached by a tail jump: its return address is buddy_free's caller. */
static __noinline void buddy_free_slow(struct page *p, unsigned int order)
{
	struct zone *z;
	unsigned long f;

	if ((p->flags & (PG_HEAD | PG_FREE | PG_PCP | PG_RESERVED)) != PG_HEAD ||
	    p->order != order)
		panic("%s: bad free of pfn 0x%llx order %u (flags 0x%x order %u) from %pS",
		      __func__, (unsigned long long)page_to_pfn(p), order, p->flags,
		      p->order, __builtin_return_address(0));
	p->owner = OWNER_NONE;
	p->refcount = 0;
	p->flags &= ~(PG_SLAB | PG_LARGE | PG_HEAD);  /* may become a tail by merging */
	z = &zones[p->zone];
	f = spin_lock_irqsave(&z->lock);
	free_block_locked(z, page_to_pfn(p), order);
	spin_unlock_irqrestore(&z->lock, f);
}

/*
 * buddy_free - give back a block buddy_alloc returned, with its order. A
 * page that is not such a block panics, naming the caller. Order 0 goes to
 * this hart's cache.
 */
__fastpath void buddy_free(struct page *p, unsigned int order)
{
	unsigned long f;
	struct pcp *c;

	if (unlikely(order != 0 || p->order != 0 ||
		     (p->flags & (PG_HEAD | PG_FREE | PG_PCP | PG_RESERVED)) != PG_HEAD))
		return buddy_free_slow(p, order);
	p->owner = OWNER_NONE;
	p->refcount = 0;
	p->flags = (p->flags & ~(PG_HEAD | PG_SLAB | PG_LARGE)) | PG_PCP;
	f = arch_irq_save_short();
	c = this_pcp(p->zone);
	p->next = c->head;
	c->head = p;
	if (unlikely(++c->count > PCP_HIGH))
		return pcp_free_full(c, &zones[p->zone], f);
	arch_irq_restore_short(f);
}

/* ---- accounting and checks --------------------------------------------- */

u64 buddy_free_pages(void)
{
	u64 n = 0;
	unsigned int h, z;

	for (z = 0; z < NR_ZONES; z++)
		n += READ_ONCE(zones[z].free_pages);
	for (h = 0; h < MAX_HARTS; h++)
		for (z = 0; z < NR_ZONES; z++)
			n += READ_ONCE(harts[h].pcp[z].count);
	return n;
}

u64 buddy_managed_pages(void)
{
	return zones[ZID_DMA32].managed_pages + zones[ZID_NORMAL].managed_pages;
}

static int check_block(const struct page *p, unsigned int z, unsigned int order)
{
	u64 pfn = page_to_pfn(p), i;
	struct mem_bank *b = pfn_bank(pfn);

	if (!(p->flags & PG_FREE) || p->order != order || p->zone != z ||
	    (pfn & ((1ull << order) - 1)) || pfn - b->base_pfn + (1ull << order) > b->npages)
		return -EINVAL;
	for (i = 1; i < (1ull << order); i++)
		if (b->pages[pfn - b->base_pfn + i].flags & (PG_FREE | PG_PCP))
			return -EINVAL;
	return 0;
}

int buddy_check(void)
{
	unsigned int z, o;

	for (z = 0; z < NR_ZONES; z++) {
		u64 sum = 0;

		for (o = 0; o < NR_ORDERS; o++) {
			const struct page *p;
			u64 n = 0;

			for (p = zones[z].free[o].head; p; p = p->next, n++) {
				if (check_block(p, z, o) || (p->next && p->next->prev != p))
					return -EINVAL;
				sum += 1ull << o;
			}
			if (n != zones[z].free[o].count)
				return -EINVAL;
		}
		if (sum != zones[z].free_pages)
			return -EINVAL;
	}
	return 0;
}
