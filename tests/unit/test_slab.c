/*
 * test_slab: host tests of mm/slab.c (kmalloc, kfree, the per-hart object
 * caches) with mm/buddy.c underneath, both compiled unchanged, over one
 * simulated bank of RAM with real memory behind it (tests/unit/host).
 *
 *   usage: test_slab [ignored]      ($MM_SEED changes the random seeds)
 *
 * Linked with -Wl,--wrap=buddy_alloc: slab.c's calls reach
 * __wrap_buddy_alloc below, which can fail chosen calls.
 *
 * Accounting is checked exactly: kmem_stat's used bytes against the live
 * objects, and buddy free pages + slab pages + large blocks against the
 * pages the bank started with.
 *
 * Output: one line per case, "ok NAME" or "not ok NAME: reason"; the exit
 * status is 1 when any case failed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pagoda/buddy.h>
#include <pagoda/hart.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>

#include "host.h"

#define NHARTS          4
#define TIME_LIMIT      120             /* seconds, for the whole program */
#define ARENA_PFN       0x80000ull      /* 2 GiB */
#define BIG_ARENA       16384           /* pages: 64 MiB */

static u64 initial_free;                /* buddy free pages after setup */

/* ---- failure injection ------------------------------------------------------- */

struct page *__real_buddy_alloc(unsigned int order, gfp_t gfp, u16 owner);

static unsigned long buddy_calls;       /* slab.c's calls since setup */
static unsigned long fail_first = ULONG_MAX, fail_last;
static unsigned long injected;

/* Fail slab.c's calls numbered fail_first .. fail_last (from 1). */
struct page *__wrap_buddy_alloc(unsigned int order, gfp_t gfp, u16 owner)
{
	buddy_calls++;
	if (buddy_calls >= fail_first && buddy_calls <= fail_last) {
		injected++;
		return NULL;
	}
	return __real_buddy_alloc(order, gfp, owner);
}

static void inject(unsigned long first, unsigned long last)
{
	fail_first = first;
	fail_last = last;
	injected = 0;
}

/* ---- the machine and the live objects ---------------------------------------- */

struct obj {
	u8 *p;
	size_t size;
	u64 id;
};

static struct obj *live;
static size_t nlive, live_cap;
static u64 next_id;

static const char *setup(u64 npages)
{
	host_reset(NHARTS);
	CHECK(host_add_bank(ARENA_PFN, npages, true) == 0, "bank refused");
	buddy_free_range(ARENA_PFN << 12, (ARENA_PFN + npages) << 12);
	kmem_init();
	initial_free = buddy_free_pages();
	CHECK(initial_free == npages, "%llu free pages, want %llu", (ull)initial_free,
	      (ull)npages);
	buddy_calls = 0;
	inject(ULONG_MAX, 0);
	nlive = 0;
	return NULL;
}

/* The block kmalloc(size) must use: the next power of two, 32 at least. */
static size_t block_size(size_t size)
{
	size_t b = 32;

	while (b < size)
		b <<= 1;
	return b;
}

static unsigned int log2_of(size_t n)
{
	unsigned int k = 0;

	while ((1ull << k) < n)
		k++;
	return k;
}

/* Where a new object lives must match its size: a slab or a buddy block. */
static const char *check_placement(const void *p, size_t size)
{
	size_t bs = block_size(size);
	struct page *pg = va_to_page(p);

	CHECK(pg, "kmalloc(%zu) = %p, outside the arena", size, p);
	CHECK(!((uintptr_t)p & (bs - 1)), "kmalloc(%zu) = %p, not %zu-aligned", size, p, bs);
	if (bs <= KMALLOC_SMALL_MAX) {
		CHECK((pg->flags & PG_SLAB) && pg->cache && pg->cache->size == bs,
		      "kmalloc(%zu): page flags 0x%x, cache size %u, want a %zu-byte slab",
		      size, pg->flags, pg->cache ? pg->cache->size : 0, bs);
		return NULL;
	}
	CHECK((pg->flags & (PG_LARGE | PG_HEAD)) == (PG_LARGE | PG_HEAD) && page_va(pg) == p &&
	      pg->order == log2_of(bs >> 12),
	      "kmalloc(%zu): flags 0x%x order %u, want a large block of order %u", size,
	      pg->flags, pg->order, log2_of(bs >> 12));
	CHECK(!(page_to_pfn(pg) & ((bs >> 12) - 1)), "kmalloc(%zu): pfn 0x%llx not aligned",
	      size, (ull)page_to_pfn(pg));
	return NULL;
}

static u64 pattern(u64 id, size_t i)
{
	return (id * 0x9e3779b97f4a7c15ull) ^ (i * 0x100000001b3ull) ^ 0x5555;
}

/* Objects are filled in whole words: the block is at least 32 bytes. */
static void fill(const struct obj *o)
{
	u64 *w = (u64 *)o->p;
	size_t i;

	for (i = 0; i < (o->size + 7) / 8; i++)
		w[i] = pattern(o->id, i);
}

static const char *check_fill(const struct obj *o)
{
	const u64 *w = (const u64 *)o->p;
	size_t i;

	for (i = 0; i < (o->size + 7) / 8; i++)
		CHECK(w[i] == pattern(o->id, i),
		      "object %llu (%zu bytes at %p): word %zu overwritten", (ull)o->id,
		      o->size, (void *)o->p, i);
	return NULL;
}

static void add_live(void *p, size_t size)
{
	if (nlive == live_cap) {
		live_cap = live_cap ? 2 * live_cap : 4096;
		live = realloc(live, live_cap * sizeof(*live));
	}
	live[nlive] = (struct obj){ p, size, next_id++ };
	fill(&live[nlive++]);
}

static void free_live(size_t i)
{
	void *p = live[i].p;

	live[i] = live[--nlive];
	kfree(p);
}

static void drain_all(void)
{
	unsigned int h, cur = host_hart();

	for (h = 0; h < NHARTS; h++) {
		host_set_hart(h);
		kmem_drain_local();
		buddy_drain_local();
	}
	host_set_hart(cur);
}

/* Used bytes and pages add up: kmem_stat and the buddy against the live set. */
static const char *check_accounting(void)
{
	u64 small = 0, large_pages = 0;
	struct kmem_stat st;
	size_t i;

	for (i = 0; i < nlive; i++) {
		size_t bs = block_size(live[i].size);

		if (bs <= KMALLOC_SMALL_MAX)
			small += bs;
		else
			large_pages += bs >> 12;
	}
	kmem_stat(&st);
	CHECK(st.used_bytes == small, "kmem_stat used %llu bytes, live objects %llu",
	      (ull)st.used_bytes, (ull)small);
	CHECK(st.used_bytes + st.free_bytes == st.slabs * 4096,
	      "used %llu + free %llu bytes != %llu slabs", (ull)st.used_bytes,
	      (ull)st.free_bytes, (ull)st.slabs);
	CHECK(buddy_free_pages() + st.slabs + large_pages == initial_free,
	      "buddy free %llu + slabs %llu + large %llu != %llu pages",
	      (ull)buddy_free_pages(), (ull)st.slabs, (ull)large_pages, (ull)initial_free);
	return NULL;
}

/* Free everything, drain every hart: no slab left, every page back. */
static const char *check_back_to_initial(void)
{
	struct kmem_stat st;

	while (nlive) {
		TRY(check_fill(&live[nlive - 1]));
		free_live(nlive - 1);
	}
	drain_all();
	kmem_stat(&st);
	CHECK(st.slabs == 0 && st.used_bytes == 0 && st.free_bytes == 0,
	      "after freeing all: %llu slabs, %llu used, %llu free bytes", (ull)st.slabs,
	      (ull)st.used_bytes, (ull)st.free_bytes);
	CHECK(buddy_free_pages() == initial_free, "%llu free pages, want %llu",
	      (ull)buddy_free_pages(), (ull)initial_free);
	CHECK(buddy_check() == 0, "buddy_check failed");
	return NULL;
}

/* A NULL from kmalloc is right only when the buddy has nothing to give. */
static const char *check_null(size_t size)
{
	unsigned int z, k, order = log2_of(block_size(size) >> 12);

	if (size == 0 || size > KMALLOC_MAX || injected)
		return NULL;
	for (z = 0; z < NR_ZONES; z++)
		for (k = block_size(size) <= KMALLOC_SMALL_MAX ? 0 : order; k <= MAX_ORDER; k++)
			CHECK(zones[z].free[k].count == 0,
			      "kmalloc(%zu) = NULL while zone %u has order-%u blocks", size, z, k);
	return NULL;
}

/* kmalloc and record; *got says whether memory came back. */
static const char *alloc_live(size_t size, gfp_t gfp, bool *got)
{
	u8 *p = kmalloc(size, gfp);
	size_t i;

	*got = p != NULL;
	if (!p)
		return check_null(size);
	TRY(check_placement(p, size));
	for (i = 0; (gfp & __GFP_ZERO) && i < block_size(size); i++)
		CHECK(!p[i], "kzalloc(%zu): byte %zu is 0x%x", size, i, p[i]);
	add_live(p, size);
	return NULL;
}

/* ---- cases ----------------------------------------------------------------- */

static const char *alloc_free_size(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	CHECK(p, "kmalloc(%zu) failed", size);
	TRY(check_placement(p, size));
	kfree(p);
	return NULL;
}

/* Every size to 64 KiB, a stride beyond, and each power of two and its +-1. */
static const char *case_sizes(void)
{
	size_t s;

	TRY(setup(BIG_ARENA));
	for (s = 1; s <= 65536; s++)
		TRY(alloc_free_size(s));
	for (s = 65537; s <= KMALLOC_MAX; s += 4093)
		TRY(alloc_free_size(s));
	for (s = 2; s <= KMALLOC_MAX; s <<= 1) {
		TRY(alloc_free_size(s - 1));
		TRY(alloc_free_size(s));
		if (s < KMALLOC_MAX)
			TRY(alloc_free_size(s + 1));
	}
	CHECK(!kmalloc(0, GFP_KERNEL) && !kzalloc(0, GFP_KERNEL), "kmalloc(0) returned memory");
	CHECK(!kmalloc(KMALLOC_MAX + 1, GFP_KERNEL) && !kmalloc(SIZE_MAX, GFP_KERNEL),
	      "kmalloc above 1 MiB returned memory");
	return check_back_to_initial();
}

/* Blocks freed dirty come back zeroed from kzalloc (the whole block). */
static const char *zero_recycled(size_t size, unsigned int n)
{
	void *old[64];
	unsigned int i, j, reused = 0;
	bool got;

	for (i = 0; i < n; i++) {
		old[i] = kmalloc(size, GFP_KERNEL);
		CHECK(old[i], "kmalloc(%zu) failed", size);
		memset(old[i], 0xa5, block_size(size));
	}
	for (i = 0; i < n; i++)
		kfree(old[i]);
	for (i = 0; i < n; i++) {
		TRY(alloc_live(size, __GFP_ZERO, &got));
		CHECK(got, "kzalloc(%zu) failed", size);
		for (j = 0; j < n; j++)
			reused += live[nlive - 1].p == old[j];
	}
	CHECK(reused, "kzalloc(%zu): no freed block was reused", size);
	return NULL;
}

static const char *case_kzalloc(void)
{
	static const size_t sizes[] = { 1, 32, 100, 2048, 3000, 8192, KMALLOC_MAX };
	unsigned int i;

	TRY(setup(BIG_ARENA));
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		TRY(zero_recycled(sizes[i], sizes[i] > 8192 ? 4 : 40));
	return check_back_to_initial();
}

/* Mostly small sizes; a few up to 1 MiB. */
static size_t random_size(void)
{
	unsigned int r = (unsigned int)test_rand_below(1000);

	if (r < 700)
		return 1 + test_rand_below(256);
	if (r < 900)
		return 257 + test_rand_below(KMALLOC_SMALL_MAX - 256);
	if (r < 998)
		return KMALLOC_SMALL_MAX + 1 + test_rand_below(65536 - KMALLOC_SMALL_MAX);
	return 1 + test_rand_below(KMALLOC_MAX);
}

static const char *random_step(unsigned long i)
{
	unsigned int fill_pct = (i / 25000) % 2 ? 40 : 62;
	bool got;

	if (test_rand_below(100) < 3)
		host_set_hart((unsigned int)test_rand_below(NHARTS));
	if (nlive && test_rand_below(100) >= fill_pct) {
		size_t k = test_rand_below(nlive);

		TRY(check_fill(&live[k]));
		free_live(k);
	} else {
		TRY(alloc_live(random_size(), test_rand_below(10) ? 0 : __GFP_ZERO, &got));
	}
	if (i % 1000 == 0)
		TRY(check_accounting());
	return NULL;
}

static const char *case_random(void)
{
	static const u64 seeds[] = { 11, 12 };
	const char *s = getenv("MM_SEED");
	u64 base = s ? strtoull(s, NULL, 0) : 0;
	unsigned long i;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(seeds); k++) {
		TRY(setup(BIG_ARENA));
		test_srand(seeds[k] + base);
		for (i = 0; i < 110000; i++) {
			const char *e = random_step(i);

			CHECK(!e, "seed %llu op %lu: %s", (ull)(seeds[k] + base), i, e);
		}
		TRY(check_accounting());
		TRY(check_back_to_initial());
	}
	return NULL;
}

/* @n objects of @size, freed in random order: slabs grow, then all go. */
static const char *grow_shrink(size_t size, size_t n)
{
	struct kmem_stat st;
	size_t i;
	bool got;

	for (i = 0; i < n; i++) {
		TRY(alloc_live(size, 0, &got));
		CHECK(got, "kmalloc(%zu) number %zu failed", size, i);
	}
	kmem_stat(&st);
	CHECK(st.slabs >= n * size / 4096, "%llu slabs for %zu objects of %zu bytes",
	      (ull)st.slabs, n, size);
	TRY(check_accounting());
	test_srand(size);
	for (i = nlive; i > 1; i--) {
		size_t j = test_rand_below(i);
		struct obj t = live[i - 1];

		live[i - 1] = live[j];
		live[j] = t;
	}
	while (nlive > n / 2)
		free_live(nlive - 1);
	TRY(check_accounting());
	return check_back_to_initial();
}

static const char *case_grow_shrink(void)
{
	TRY(setup(BIG_ARENA));
	TRY(grow_shrink(2048, 12000));
	TRY(grow_shrink(64, 64 * 5200));
	return NULL;
}

/* With memory full: free @n random objects, drain; exactly @n fit again. */
static const char *refill_exact(size_t size, size_t n)
{
	size_t i;
	bool got;

	test_srand(size);
	for (i = 0; i < n; i++)
		free_live(test_rand_below(nlive));
	drain_all();
	for (i = 0; i < n; i++) {
		TRY(alloc_live(size, 0, &got));
		CHECK(got, "kmalloc(%zu): %zu of %zu freed objects fit again", size, i, n);
	}
	CHECK(!kmalloc(size, GFP_KERNEL), "kmalloc(%zu): more fit than were freed", size);
	return check_back_to_initial();
}

/* kmalloc(@size) until NULL: @want objects; then nothing fits anywhere. */
static const char *exhaust(size_t size, u64 want)
{
	static const size_t later[] = { 1, 32, 64, 2048, 2049, 4096, KMALLOC_MAX };
	unsigned int i, h;
	bool got = true;

	while (got)
		TRY(alloc_live(size, 0, &got));
	CHECK(nlive == want, "kmalloc(%zu): %zu objects before NULL, want %llu", size, nlive,
	      (ull)want);
	for (h = 0; h < NHARTS; h++) {
		host_set_hart(h);
		for (i = 0; i < ARRAY_SIZE(later); i++)
			CHECK(!kmalloc(later[i], GFP_KERNEL) && !kzalloc(later[i], GFP_KERNEL),
			      "hart %u: kmalloc(%zu) succeeded after kmalloc(%zu) ran out", h,
			      later[i], size);
	}
	host_set_hart(0);
	return refill_exact(size, want / 3);
}

static const char *case_exhaust(void)
{
	TRY(setup(256));
	TRY(exhaust(32, 256 * 128));
	TRY(exhaust(2048, 256 * 2));
	TRY(exhaust(4096, 256));
	TRY(exhaust(100000, 256 / 32));
	return NULL;
}

/*
 * Fail only buddy call @n while allocating @size: one kmalloc returns NULL
 * (@want_null) or none, the state stays exact, and later ones succeed.
 */
static const char *inject_one(size_t size, unsigned long n, int want_null)
{
	unsigned long nulls = 0, i;
	bool got;

	TRY(setup(1024));
	inject(n, n);
	for (i = 0; buddy_calls < n + 3 && i < 100000; i++) {
		TRY(alloc_live(size, 0, &got));
		if (!got) {
			nulls++;
			CHECK(buddy_calls == n && injected == 1,
			      "kmalloc(%zu) NULL at buddy call %lu, not at the failed call %lu",
			      size, buddy_calls, n);
		}
		TRY(check_accounting());
	}
	CHECK(injected == 1, "size %zu: the failure at call %lu was never reached", size, n);
	CHECK(want_null < 0 ? nulls <= 1 : nulls == (unsigned long)want_null,
	      "size %zu, failed call %lu: %lu NULL returns, want %d", size, n, nulls, want_null);
	return check_back_to_initial();
}

/* Fail calls @first..@last during mixed sizes; everything stays exact. */
static const char *inject_window(unsigned long first, unsigned long last)
{
	unsigned long i;
	bool got;

	TRY(setup(1024));
	inject(first, last);
	test_srand(first);
	for (i = 0; i < 3000; i++) {
		size_t size = test_rand_below(4) ? 1 + test_rand_below(2048)
						 : 2049 + test_rand_below(16384);

		if (test_rand_below(100) < 3)
			host_set_hart((unsigned int)test_rand_below(NHARTS));
		TRY(alloc_live(size, 0, &got));
		CHECK(got || (buddy_calls >= first && buddy_calls <= last),
		      "kmalloc(%zu) NULL outside the failure window (call %lu)", size,
		      buddy_calls);
		if (nlive > 200)
			free_live(test_rand_below(nlive));
	}
	CHECK(injected, "the failure window %lu..%lu was never reached", first, last);
	TRY(check_accounting());
	return check_back_to_initial();
}

static const char *case_inject(void)
{
	unsigned long n;

	for (n = 1; n <= 12; n++) {
		TRY(inject_one(32, n, 1));
		TRY(inject_one(8192, n, 1));
		TRY(inject_one(2048, n, -1));
	}
	TRY(inject_window(5, 5));
	TRY(inject_window(20, 60));
	TRY(inject_window(100, 400));
	return NULL;
}

/* ---- bad frees panic ---------------------------------------------------------- */

static void call_kfree(void *p)
{
	kfree(p);
}

/* kfree(@p) must panic saying @why (or "double free" / "not a kmalloc"). */
static const char *expect_panic(const void *p, const char *why, const char *what)
{
	CHECK(host_try(call_kfree, (void *)p), "%s: kfree(%p) returned", what, p);
	CHECK(strstr(host_panic_msg, why), "%s: panic says \"%s\", want \"%s\"", what,
	      host_panic_msg, why);
	return NULL;
}

static const char *case_kfree_null(void)
{
	struct kmem_stat a, b;
	u64 free_pages;

	TRY(setup(256));
	kmem_stat(&a);
	free_pages = buddy_free_pages();
	kfree(NULL);
	kmem_stat(&b);
	CHECK(!memcmp(&a, &b, sizeof(a)) && buddy_free_pages() == free_pages,
	      "kfree(NULL) changed the accounting");
	return NULL;
}

static const char *case_kfree_inside(void)
{
	bool got;
	u8 *s, *l;

	TRY(setup(256));
	TRY(alloc_live(64, 0, &got));
	TRY(alloc_live(8192, 0, &got));
	s = live[0].p;
	l = live[1].p;
	TRY(expect_panic(s + 8, "not a kmalloc pointer", "8 bytes into a 64-byte object"));
	TRY(expect_panic(s + 32, "not a kmalloc pointer", "32 bytes into a 64-byte object"));
	TRY(expect_panic(l + 64, "not a kmalloc pointer", "64 bytes into an 8 KiB block"));
	TRY(expect_panic(l + 4096, "not a kmalloc pointer", "second page of an 8 KiB block"));
	TRY(check_accounting());
	return check_back_to_initial();
}

static const char *case_kfree_outside(void)
{
	static u64 global_word;
	struct page *pg;
	u64 local = 0;
	void *heap = malloc(64);
	const char *err;

	TRY(setup(256));
	pg = __real_buddy_alloc(0, GFP_KERNEL, OWNER_TEST);
	err = expect_panic(&local, "not a kmalloc pointer", "a stack variable");
	err = err ? err : expect_panic(&global_word, "not a kmalloc pointer", "a global");
	err = err ? err : expect_panic(heap, "not a kmalloc pointer", "a host heap block");
	err = err ? err : expect_panic((u8 *)page_va(pfn_to_page(ARENA_PFN + 255)) + 4096,
				       "not a kmalloc pointer", "just past the arena");
	err = err ? err : expect_panic(page_va(pg), "not a kmalloc pointer",
				       "a page from buddy_alloc");
	err = err ? err : expect_panic(page_va(pfn_to_page(ARENA_PFN + 200)),
				       "not a kmalloc pointer", "a free page");
	free(heap);
	TRY(err);
	buddy_free(pg, 0);
	return check_back_to_initial();
}

/* Either message is right for a second free; which depends on where it went. */
static const char *expect_double(const void *p, const char *what)
{
	TRY(expect_panic(p, "kfree: ", what));
	CHECK(strstr(host_panic_msg, "double free") ||
	      strstr(host_panic_msg, "not a kmalloc pointer"),
	      "%s: panic says \"%s\"", what, host_panic_msg);
	return NULL;
}

static const char *case_kfree_double(void)
{
	void *a, *b, *l;
	bool got;

	TRY(setup(256));
	TRY(alloc_live(64, 0, &got));           /* keeps a's slab alive */
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(100, GFP_KERNEL);
	l = kmalloc(20000, GFP_KERNEL);
	CHECK(a && b && l, "kmalloc failed");
	kfree(a);
	TRY(expect_panic(a, "double free", "64 bytes, in the hart cache"));
	drain_all();
	TRY(expect_panic(a, "double free", "64 bytes, back on its slab"));
	kfree(b);
	drain_all();
	TRY(expect_double(b, "128 bytes, its slab freed"));
	kfree(l);
	TRY(expect_double(l, "a 32 KiB block"));
	TRY(check_accounting());
	return check_back_to_initial();
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		test_case_fn fn;
	} cases[] = {
		{ "kmalloc_sizes", case_sizes },
		{ "kmalloc_kzalloc_recycled", case_kzalloc },
		{ "kmalloc_random", case_random },
		{ "kmalloc_grow_shrink", case_grow_shrink },
		{ "kmalloc_exhaust", case_exhaust },
		{ "kmalloc_inject_failure", case_inject },
		{ "kfree_null", case_kfree_null },
		{ "kfree_inside_object", case_kfree_inside },
		{ "kfree_outside", case_kfree_outside },
		{ "kfree_double", case_kfree_double },
	};
	unsigned int i;

	alarm(TIME_LIMIT);              /* a hang in mm/ kills the run */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		host_run_case(cases[i].name, cases[i].fn);
	return test_exit_status();
}
