/*
 * test_buddy: host tests of mm/buddy.c, compiled unchanged, over simulated
 * banks of RAM (tests/unit/host), under ASan + UBSan.
 *
 *   usage: test_buddy [ignored]     ($MM_SEED changes the random seeds)
 *
 * The machine: five banks with holes, odd edges and one straddling 4 GiB,
 * so both zones are used. A shadow model keeps the state of every pfn
 * (hole, free, allocated); blocks buddy_alloc hands out are checked against
 * it, and after everything is freed and every hart drained the free lists
 * must be back to the fully coalesced state, order by order.
 *
 * Output: one line per case, "ok NAME" or "not ok NAME: reason"; the exit
 * status is 1 when any case failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>

#include "host.h"

#define NHARTS          4
#define TIME_LIMIT      120             /* seconds, for the whole program */
#define DMA32_PFNS      (ZONE_DMA32_LIMIT >> 12)

/* ---- the simulated machine ------------------------------------------------ */

struct pfn_range {
	u64 start, end;                 /* pfns, [start, end) */
};

struct bank_def {
	u64 base, npages;
	struct pfn_range free[3];       /* handed to the buddy, in this order */
};

/*
 * A: 2 GiB, 5000 pages, holes [0, 16) and [2000, 2100).
 * B: straddles 4 GiB (3000 pages below, 4000 above), hole [100, 137); the
 *    second range crosses the zone boundary.
 * C: unaligned start and size, freed in two abutting calls.
 * D: right after C (its blocks must not merge with C's).
 * E: a single page at an odd pfn.
 */
static const struct bank_def layout[] = {
	{ 0x80000, 5000, { { 0x80010, 0x807d0 }, { 0x80834, 0x81388 } } },
	{ 0xff448, 7000, { { 0xff448, 0xff4ac }, { 0xff4d1, 0x100fa0 } } },
	{ 0x140003, 1027, { { 0x140003, 0x140100 }, { 0x140100, 0x140406 } } },
	{ 0x140406, 512, { { 0x140406, 0x140606 } } },
	{ 0x40001, 1, { { 0x40001, 0x40002 } } },
};
#define NBANKS ARRAY_SIZE(layout)

/* Worked out by hand from the layout above. */
#define WANT_DMA32      (1984 + 2900 + 2963 + 1)
#define WANT_NORMAL     (4000 + 1027 + 512)

enum { S_HOLE, S_FREE, S_USED };
static u8 *state[NBANKS];               /* shadow: one byte per pfn */

struct snap {
	u64 count[NR_ZONES][NR_ORDERS];
	u64 free[NR_ZONES];
	u64 total;
};
static struct snap initial;

struct block {
	struct page *page;
	u64 pfn;
	unsigned int order;
};

static struct block *live;              /* what the tests hold */
static size_t nlive, live_cap;
static u64 live_pages;
static u64 nnull;                       /* allocations that came back NULL */

static int bank_index(u64 pfn)
{
	unsigned int i;

	for (i = 0; i < NBANKS; i++)
		if (pfn - layout[i].base < layout[i].npages)
			return (int)i;
	return -1;
}

static u8 *state_of(u64 pfn)
{
	int i = bank_index(pfn);

	return i < 0 ? NULL : &state[i][pfn - layout[i].base];
}

static void take_snap(struct snap *s)
{
	unsigned int z, o;

	for (z = 0; z < NR_ZONES; z++) {
		for (o = 0; o < NR_ORDERS; o++)
			s->count[z][o] = zones[z].free[o].count;
		s->free[z] = zones[z].free_pages;
	}
	s->total = buddy_free_pages();
}

static const char *cmp_snap(const struct snap *a, const struct snap *b)
{
	unsigned int z, o;

	for (z = 0; z < NR_ZONES; z++)
		for (o = 0; o < NR_ORDERS; o++)
			CHECK(a->count[z][o] == b->count[z][o],
			      "zone %u order %u: %llu free blocks, want %llu", z, o,
			      (ull)a->count[z][o], (ull)b->count[z][o]);
	for (z = 0; z < NR_ZONES; z++)
		CHECK(a->free[z] == b->free[z], "zone %u: %llu free pages, want %llu", z,
		      (ull)a->free[z], (ull)b->free[z]);
	CHECK(a->total == b->total, "%llu free pages, want %llu", (ull)a->total,
	      (ull)b->total);
	return NULL;
}

/* Build the machine: banks, shadow, free ranges; snapshot the result. */
static const char *setup(void)
{
	unsigned int i, j;

	host_reset(NHARTS);
	nlive = 0;
	live_pages = 0;
	for (i = 0; i < NBANKS; i++) {
		const struct bank_def *d = &layout[i];

		CHECK(host_add_bank(d->base, d->npages, false) == 0, "bank %u refused", i);
		free(state[i]);
		state[i] = calloc(d->npages, 1);
		for (j = 0; j < 3 && d->free[j].end; j++) {
			buddy_free_range(d->free[j].start << 12, d->free[j].end << 12);
			memset(state[i] + (d->free[j].start - d->base), S_FREE,
			       d->free[j].end - d->free[j].start);
		}
	}
	take_snap(&initial);
	return NULL;
}

static unsigned int pfn_zone(u64 pfn)
{
	return pfn < DMA32_PFNS ? ZID_DMA32 : ZID_NORMAL;
}

/* Largest block at @pfn that is aligned, free in the shadow, in one zone. */
static unsigned int free_order_at(unsigned int b, u64 pfn)
{
	u64 end = layout[b].base + layout[b].npages;
	unsigned int k = 0;

	while (k < MAX_ORDER && !(pfn & ((2ull << k) - 1)) && pfn + (2ull << k) <= end &&
	       pfn_zone(pfn) == pfn_zone(pfn + (2ull << k) - 1) &&
	       !memchr(state[b] + (pfn + (1ull << k) - layout[b].base), S_HOLE, 1ull << k) &&
	       !memchr(state[b] + (pfn + (1ull << k) - layout[b].base), S_USED, 1ull << k))
		k++;
	return k;
}

/* The fully coalesced free lists the shadow's free pfns should give. */
static void model_snap(struct snap *s)
{
	unsigned int b, k;

	memset(s, 0, sizeof(*s));
	for (b = 0; b < NBANKS; b++) {
		u64 pfn = layout[b].base, end = pfn + layout[b].npages;

		while (pfn < end) {
			if (state[b][pfn - layout[b].base] != S_FREE) {
				pfn++;
				continue;
			}
			k = free_order_at(b, pfn);
			s->count[pfn_zone(pfn)][k]++;
			s->free[pfn_zone(pfn)] += 1ull << k;
			s->total += 1ull << k;
			pfn += 1ull << k;
		}
	}
}

/* Every hart gives its cached pages back. */
static void drain_all(void)
{
	unsigned int h, cur = host_hart();

	for (h = 0; h < NHARTS; h++) {
		host_set_hart(h);
		buddy_drain_local();
	}
	host_set_hart(cur);
}

/* ---- allocation with the shadow model -------------------------------------- */

static const char *check_new_block(struct page *p, unsigned int order, gfp_t gfp)
{
	u64 pfn = page_to_pfn(p), n = 1ull << order, i;
	int b = bank_index(pfn);

	CHECK((p->flags & (PG_HEAD | PG_FREE | PG_PCP | PG_RESERVED)) == PG_HEAD &&
	      p->order == order && p->owner == OWNER_TEST && p->refcount == 1,
	      "pfn 0x%llx: flags 0x%x order %u owner %u refcount %u after alloc of order %u",
	      (ull)pfn, p->flags, p->order, p->owner, p->refcount, order);
	CHECK(!(pfn & (n - 1)), "order %u block at pfn 0x%llx is not aligned", order, (ull)pfn);
	CHECK(b >= 0 && pfn + n <= layout[b].base + layout[b].npages,
	      "order %u block at pfn 0x%llx leaves its bank", order, (ull)pfn);
	CHECK(!(gfp & GFP_DMA32) || pfn + n <= DMA32_PFNS,
	      "GFP_DMA32 block at pfn 0x%llx is above 4 GiB", (ull)pfn);
	for (i = 0; i < n; i++) {
		u8 *s = &state[b][pfn + i - layout[b].base];

		CHECK(*s != S_HOLE, "order %u block at 0x%llx covers reserved pfn 0x%llx",
		      order, (ull)pfn, (ull)(pfn + i));
		CHECK(*s != S_USED, "order %u block at 0x%llx overlaps allocated pfn 0x%llx",
		      order, (ull)pfn, (ull)(pfn + i));
		*s = S_USED;
	}
	return NULL;
}

/* A NULL return is right only when no allowed zone has a block that big. */
static const char *check_null(unsigned int order, gfp_t gfp)
{
	unsigned int z, k;

	for (z = 0; z < NR_ZONES && order <= MAX_ORDER; z++) {
		if (z == ZID_NORMAL && (gfp & GFP_DMA32))
			continue;
		for (k = order; k <= MAX_ORDER; k++)
			CHECK(zones[z].free[k].count == 0,
			      "order %u gfp %u: NULL while zone %u has %llu free order-%u blocks",
			      order, gfp, z, (ull)zones[z].free[k].count, k);
	}
	return NULL;
}

/* Allocate and record a block; *got says whether one came back. */
static const char *alloc_one(unsigned int order, gfp_t gfp, bool *got)
{
	struct page *p = buddy_alloc(order, gfp, OWNER_TEST);

	*got = p != NULL;
	if (!p) {
		nnull++;
		return check_null(order, gfp);
	}
	TRY(check_new_block(p, order, gfp));
	if (nlive == live_cap) {
		live_cap = live_cap ? 2 * live_cap : 1024;
		live = realloc(live, live_cap * sizeof(*live));
	}
	live[nlive++] = (struct block){ p, page_to_pfn(p), order };
	live_pages += 1ull << order;
	return NULL;
}

static void free_one(size_t i)
{
	struct block b = live[i];

	memset(state_of(b.pfn), S_FREE, 1ull << b.order);
	live[i] = live[--nlive];
	live_pages -= 1ull << b.order;
	buddy_free(b.page, b.order);
}

static void free_all(void)
{
	while (nlive)
		free_one(nlive - 1);
}

/* After everything is freed and drained: the initial free lists, exactly. */
static const char *check_back_to_initial(void)
{
	struct snap now;

	free_all();
	drain_all();
	CHECK(buddy_check() == 0, "buddy_check failed after freeing everything");
	take_snap(&now);
	return cmp_snap(&now, &initial);
}

/* ---- cases ------------------------------------------------------------------ */

static const char *case_init_banks(void)
{
	struct snap model;

	TRY(setup());
	CHECK(buddy_check() == 0, "buddy_check failed after init");
	CHECK(zones[ZID_DMA32].free_pages == WANT_DMA32 &&
	      zones[ZID_NORMAL].free_pages == WANT_NORMAL,
	      "free pages DMA32 %llu Normal %llu, want %u %u",
	      (ull)zones[ZID_DMA32].free_pages, (ull)zones[ZID_NORMAL].free_pages,
	      WANT_DMA32, WANT_NORMAL);
	CHECK(zones[ZID_DMA32].managed_pages == WANT_DMA32 &&
	      zones[ZID_NORMAL].managed_pages == WANT_NORMAL,
	      "managed pages DMA32 %llu Normal %llu, want %u %u",
	      (ull)zones[ZID_DMA32].managed_pages, (ull)zones[ZID_NORMAL].managed_pages,
	      WANT_DMA32, WANT_NORMAL);
	CHECK(buddy_managed_pages() == WANT_DMA32 + WANT_NORMAL &&
	      buddy_free_pages() == WANT_DMA32 + WANT_NORMAL,
	      "managed %llu free %llu, want %u", (ull)buddy_managed_pages(),
	      (ull)buddy_free_pages(), WANT_DMA32 + WANT_NORMAL);
	model_snap(&model);
	return cmp_snap(&initial, &model);
}

static const char *case_pfn_lookup(void)
{
	unsigned int i;

	TRY(setup());
	for (i = 0; i < NBANKS; i++) {
		u64 first = layout[i].base, last = first + layout[i].npages - 1;
		struct page *p = pfn_to_page(first), *q = pfn_to_page(last);

		CHECK(p && q && page_to_pfn(p) == first && page_to_pfn(q) == last,
		      "bank %u: pfn_to_page/page_to_pfn do not round-trip", i);
		CHECK(pa_to_page(first << 12) == p, "bank %u: pa_to_page", i);
	}
	CHECK(!pfn_to_page(0x7ffff) && !pfn_to_page(0x81388) && !pfn_to_page(0x40000) &&
	      !pfn_to_page(0x140606) && !pfn_to_page(~0ull),
	      "pfn_to_page gives a page for a pfn outside every bank");
	CHECK(pfn_to_page(0x80005)->flags == PG_RESERVED, "a hole page is not PG_RESERVED");
	return NULL;
}

static const char *case_add_bank_errors(void)
{
	static struct page pages[4];
	unsigned int i;

	host_reset(NHARTS);
	CHECK(buddy_add_bank(0x80000123, 4, pages) == -EINVAL, "unaligned base accepted");
	CHECK(buddy_add_bank(0x80000000, 0, pages) == -EINVAL, "empty bank accepted");
	for (i = 0; i < MAX_BANKS; i++)
		CHECK(host_add_bank(0x80000 + 16 * i, 4, false) == 0, "bank %u refused", i);
	CHECK(buddy_add_bank(0x90000000, 4, pages) == -EINVAL, "bank %u accepted", MAX_BANKS);
	return NULL;
}

static const char *case_alloc_free(void)
{
	bool got;

	TRY(setup());
	TRY(alloc_one(0, GFP_KERNEL, &got));
	CHECK(got, "order-0 allocation failed");
	CHECK(live[0].pfn >= DMA32_PFNS, "GFP_KERNEL took pfn 0x%llx below 4 GiB first",
	      (ull)live[0].pfn);
	TRY(alloc_one(3, GFP_DMA32, &got));
	CHECK(got, "order-3 DMA32 allocation failed");
	/* A DMA32 page in this hart's cache must not serve GFP_KERNEL first. */
	TRY(alloc_one(0, GFP_DMA32, &got));
	free_one(nlive - 1);
	TRY(alloc_one(0, GFP_KERNEL, &got));
	CHECK(got && live[nlive - 1].pfn >= DMA32_PFNS,
	      "GFP_KERNEL took cached DMA32 pfn 0x%llx while Normal had pages",
	      (ull)live[nlive - 1].pfn);
	free_one(nlive - 1);
	CHECK(buddy_alloc(MAX_ORDER + 1, GFP_KERNEL, OWNER_TEST) == NULL,
	      "order MAX_ORDER + 1 did not fail");
	CHECK(buddy_free_pages() == initial.total - 9, "free pages %llu, want %llu",
	      (ull)buddy_free_pages(), (ull)initial.total - 9);
	return check_back_to_initial();
}

/* Orders weighted toward small ones; now and then too big for any bank. */
static unsigned int random_order(void)
{
	unsigned int r = (unsigned int)test_rand_below(1000);

	if (r < 500)
		return 0;
	if (r < 650)
		return 1;
	if (r < 750)
		return 2;
	if (r < 830)
		return 3;
	if (r < 950)
		return 4 + (unsigned int)test_rand_below(4);
	if (r < 999)
		return 8 + (unsigned int)test_rand_below(6);
	return MAX_ORDER + (unsigned int)test_rand_below(2);
}

/* One random step; fill phases allocate more often than they free. */
static const char *random_step(unsigned long i)
{
	unsigned int fill = (i / 20000) % 2 ? 35 : 70;
	bool got;

	if (test_rand_below(100) < 3)
		host_set_hart((unsigned int)test_rand_below(NHARTS));
	if (nlive && test_rand_below(100) >= fill)
		free_one(test_rand_below(nlive));
	else
		TRY(alloc_one(random_order(), test_rand_below(5) ? GFP_KERNEL : GFP_DMA32, &got));
	CHECK(buddy_free_pages() == initial.total - live_pages,
	      "op %lu: %llu free pages, want %llu", i, (ull)buddy_free_pages(),
	      (ull)(initial.total - live_pages));
	if (i % 2000 == 0)
		CHECK(buddy_check() == 0, "op %lu: buddy_check failed", i);
	return NULL;
}

static u64 seed_base(void)
{
	const char *s = getenv("MM_SEED");

	return s ? strtoull(s, NULL, 0) : 0;
}

static const char *case_random(void)
{
	static const u64 seeds[] = { 1, 2, 3 };
	unsigned long i;
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(seeds); s++) {
		TRY(setup());
		nnull = 0;
		test_srand(seeds[s] + seed_base());
		for (i = 0; i < 100000; i++) {
			const char *e = random_step(i);

			CHECK(!e, "seed %llu: %s", (ull)(seeds[s] + seed_base()), e);
		}
		if (getenv("MM_VERBOSE"))
			fprintf(stderr, "seed %llu: %llu NULL returns\n",
				(ull)(seeds[s] + seed_base()), (ull)nnull);
		TRY(check_back_to_initial());
	}
	return NULL;
}

/* Allocate @order until NULL: @want blocks, then nothing of that order or more. */
static const char *exhaust(unsigned int order, gfp_t gfp, u64 want)
{
	unsigned int o;
	bool got = true;

	while (got)
		TRY(alloc_one(order, gfp, &got));
	CHECK(nlive == want, "order %u gfp %u: %zu blocks before NULL, want %llu",
	      order, gfp, nlive, (ull)want);
	for (o = order; o <= MAX_ORDER; o++)
		CHECK(!buddy_alloc(o, gfp, OWNER_TEST) && !buddy_alloc(o, GFP_DMA32, OWNER_TEST),
		      "order %u succeeded after exhausting order %u gfp %u", o, order, gfp);
	return check_back_to_initial();
}

/* How many order-@order blocks the initial free lists hold. */
static u64 blocks_of(unsigned int order, gfp_t gfp)
{
	unsigned int z, k;
	u64 n = 0;

	for (z = 0; z < NR_ZONES; z++)
		for (k = order; k <= MAX_ORDER; k++)
			if (z == ZID_DMA32 || !(gfp & GFP_DMA32))
				n += initial.count[z][k] << (k - order);
	return n;
}

static const char *case_exhaust(void)
{
	unsigned int o;
	size_t i;

	TRY(setup());
	TRY(exhaust(0, GFP_KERNEL, initial.total));
	for (o = 0; o <= MAX_ORDER; o++) {
		TRY(exhaust(o, GFP_KERNEL, blocks_of(o, GFP_KERNEL)));
		TRY(exhaust(o, GFP_DMA32, blocks_of(o, GFP_DMA32)));
	}
	/* GFP_KERNEL drains the Normal zone before it touches DMA32. */
	for (i = 0; i < WANT_NORMAL + 1; i++) {
		bool got;

		TRY(alloc_one(0, GFP_KERNEL, &got));
		CHECK(got && (i < WANT_NORMAL) == (live[i].pfn >= DMA32_PFNS),
		      "allocation %zu came from pfn 0x%llx", i, (ull)live[i].pfn);
	}
	return check_back_to_initial();
}

static u64 pages_in_caches(void)
{
	return buddy_free_pages() - zones[ZID_DMA32].free_pages - zones[ZID_NORMAL].free_pages;
}

static bool in_set(const u64 *set, unsigned int n, u64 pfn)
{
	while (n--)
		if (set[n] == pfn)
			return true;
	return false;
}

/* Allocate @n order-0 pages; each must (or must not) be in @set. */
static const char *alloc_checking(const u64 *set, unsigned int nset, unsigned int n,
				  bool want_in)
{
	bool got;

	while (n--) {
		TRY(alloc_one(0, GFP_KERNEL, &got));
		CHECK(got, "hart %u: allocation failed", host_hart());
		CHECK(in_set(set, nset, live[nlive - 1].pfn) == want_in,
		      "hart %u got pfn 0x%llx, which is %s hart 1's cache", host_hart(),
		      (ull)live[nlive - 1].pfn, want_in ? "not in" : "in");
	}
	return NULL;
}

/* Free on one hart, allocate on others: caches stay private and exact. */
static const char *case_harts(void)
{
	u64 cached[PCP_HIGH / 2];
	unsigned int n = 0;

	TRY(setup());
	TRY(alloc_checking(cached, 0, 3 * PCP_HIGH, false));
	buddy_drain_local();
	CHECK(pages_in_caches() == 0, "%llu pages cached after draining hart 0",
	      (ull)pages_in_caches());
	host_set_hart(1);
	while (n < PCP_HIGH / 2) {
		cached[n++] = live[nlive - 1].pfn;
		free_one(nlive - 1);
	}
	CHECK(pages_in_caches() == PCP_HIGH / 2, "%llu pages in hart caches, want %u",
	      (ull)pages_in_caches(), PCP_HIGH / 2);
	host_set_hart(2);
	TRY(alloc_checking(cached, n, 2 * PCP_HIGH, false));
	host_set_hart(1);
	TRY(alloc_checking(cached, n, n, true));
	host_set_hart(3);
	while (nlive)
		free_one(test_rand_below(nlive));
	CHECK(buddy_free_pages() == initial.total, "%llu free pages, want %llu",
	      (ull)buddy_free_pages(), (ull)initial.total);
	CHECK(pages_in_caches() <= NHARTS * PCP_HIGH, "%llu pages in hart caches",
	      (ull)pages_in_caches());
	return check_back_to_initial();
}

/* ---- bad frees panic ------------------------------------------------------- */

struct bad_free {
	struct page *page;
	unsigned int order;
};

static void call_free(void *arg)
{
	struct bad_free *b = arg;

	buddy_free(b->page, b->order);
}

static const char *expect_panic(struct page *p, unsigned int order, const char *what)
{
	struct bad_free b = { p, order };

	CHECK(host_try(call_free, &b), "%s: buddy_free returned", what);
	CHECK(strstr(host_panic_msg, "bad free"), "%s: panic says \"%s\"", what,
	      host_panic_msg);
	CHECK(buddy_check() == 0, "%s: buddy_check failed after the panic", what);
	return NULL;
}

static const char *case_double_free(void)
{
	struct page *p0, *p2;
	bool got;

	TRY(setup());
	TRY(alloc_one(0, GFP_KERNEL, &got));
	TRY(alloc_one(2, GFP_KERNEL, &got));
	p0 = live[0].page;
	p2 = live[1].page;
	free_one(1);
	free_one(0);
	TRY(expect_panic(p0, 0, "order 0 twice"));
	drain_all();
	TRY(expect_panic(p0, 0, "order 0 twice, after draining"));
	TRY(expect_panic(p2, 2, "order 2 twice"));
	return check_back_to_initial();
}

/* Free the live block that @p heads. */
static void free_page_block(struct page *p)
{
	size_t i;

	for (i = 0; i < nlive; i++)
		if (live[i].page == p) {
			free_one(i);
			return;
		}
}

/*
 * Two order-1 blocks that are each other's buddy, lower then upper: once
 * the order-1 list is empty, a split hands out both halves of one block.
 */
static const char *alloc_buddy_pair(struct page **lower, struct page **upper)
{
	bool got = true;

	while (got) {
		TRY(alloc_one(1, GFP_KERNEL, &got));
		if (nlive >= 2 && live[nlive - 1].pfn == live[nlive - 2].pfn + 2 &&
		    !(live[nlive - 2].pfn & 3)) {
			*lower = live[nlive - 2].page;
			*upper = live[nlive - 1].page;
			return NULL;
		}
	}
	return test_failf("setup: no two order-1 allocations were buddies");
}

/*
 * The upper block of a pair, freed after the lower one, merges into the
 * lower block's free block; a second free of it must still panic.
 */
static const char *case_double_free_merged(void)
{
	struct page *lower, *upper;

	TRY(setup());
	TRY(alloc_buddy_pair(&lower, &upper));
	free_page_block(lower);
	free_page_block(upper);
	TRY(expect_panic(upper, 1, "upper buddy twice"));
	return check_back_to_initial();
}

/* Freeing a page inside an allocated block (one that once headed a block). */
static const char *case_free_inside_block(void)
{
	struct page *lower, *upper;
	bool got;

	TRY(setup());
	TRY(alloc_buddy_pair(&lower, &upper));
	free_page_block(lower);
	free_page_block(upper);
	TRY(alloc_one(2, GFP_KERNEL, &got));
	CHECK(got && live[nlive - 1].page == lower,
	      "setup: the order-2 block is not the merged pair");
	TRY(expect_panic(upper, 1, "inside an order-2 block"));
	TRY(expect_panic(lower + 1, 0, "second page of an order-2 block"));
	return check_back_to_initial();
}

static const char *case_free_wrong_order(void)
{
	bool got;

	TRY(setup());
	TRY(alloc_one(3, GFP_KERNEL, &got));
	TRY(expect_panic(live[0].page, 2, "order 3 freed as 2"));
	TRY(expect_panic(live[0].page, 4, "order 3 freed as 4"));
	TRY(alloc_one(0, GFP_KERNEL, &got));
	TRY(expect_panic(live[1].page, 1, "order 0 freed as 1"));
	return check_back_to_initial();
}

static const char *case_free_reserved(void)
{
	static const u64 holes[] = { 0x80000, 0x8000f, 0x807d0, 0x80833, 0xff4ac, 0xff4d0 };
	unsigned int i;

	TRY(setup());
	for (i = 0; i < ARRAY_SIZE(holes); i++) {
		struct page *p = pfn_to_page(holes[i]);

		CHECK(p, "no page for pfn 0x%llx", (ull)holes[i]);
		TRY(expect_panic(p, 0, "a reserved page"));
	}
	return check_back_to_initial();
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		test_case_fn fn;
	} cases[] = {
		{ "buddy_init_banks", case_init_banks },
		{ "buddy_pfn_lookup", case_pfn_lookup },
		{ "buddy_add_bank_errors", case_add_bank_errors },
		{ "buddy_alloc_free", case_alloc_free },
		{ "buddy_random", case_random },
		{ "buddy_exhaust", case_exhaust },
		{ "buddy_harts", case_harts },
		{ "buddy_double_free", case_double_free },
		{ "buddy_double_free_merged", case_double_free_merged },
		{ "buddy_free_inside_block", case_free_inside_block },
		{ "buddy_free_wrong_order", case_free_wrong_order },
		{ "buddy_free_reserved", case_free_reserved },
	};
	unsigned int i;

	alarm(TIME_LIMIT);              /* a hang in mm/ kills the run */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		host_run_case(cases[i].name, cases[i].fn);
	return test_exit_status();
}
