/*
 * selftest_mm: boot-time checks of the physical memory manager, one line
 * per case. Exact accounting is checked after every hart has drained its
 * caches: mm_stat().free must come back to the byte.
 */
#include <pagoda/selftest.h>
#include <pagoda/as.h>
#include <pagoda/compat.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/uaccess.h>
#include <string.h>

static void drain_one(void *arg)
{
	kmem_drain_local();
	buddy_drain_local();
}

/* Free bytes once every hart has given its cached objects and pages back. */
static u64 free_drained(void)
{
	smp_run_on_all(drain_one, NULL);
	return mm_stat().free;
}

static char msg[128];
#define FAIL(...) SELFTEST_FAIL(msg, __VA_ARGS__)

static u64 block_size(size_t size)
{
	u64 b = 32;

	while (b < size)
		b <<= 1;
	return b;
}

static const char *check_one_size(size_t size)
{
	u8 *p = kmalloc(size, GFP_KERNEL);
	u64 b = block_size(size);
	struct page *pg;

	if (!p)
		return FAIL("kmalloc(%zu) returned NULL", size);
	pg = va_to_page(p);
	if ((uintptr_t)p & (b - 1))
		return FAIL("kmalloc(%zu) = %p, not aligned to %llu", size, p,
			    (unsigned long long)b);
	if (!pg || !(pg->flags & (size <= KMALLOC_SMALL_MAX ? PG_SLAB : PG_LARGE)))
		return FAIL("kmalloc(%zu): page flags 0x%x", size, pg ? pg->flags : 0);
	memset(p, 0xa5, b);
	kfree(p);
	return NULL;
}

static const char *test_kmalloc_sizes(void)
{
	static const size_t sizes[] = { 1, 31, 32, 33, 80, 128, 500, 2048, 2049,
					3000, 4096, 5000, 65536, 1 << 20 };
	const char *fail = NULL;
	unsigned int i;
	u8 *z;

	for (i = 0; i < ARRAY_SIZE(sizes) && !fail; i++)
		fail = check_one_size(sizes[i]);
	if (!fail && kmalloc(0, GFP_KERNEL))
		fail = "kmalloc(0) did not return NULL";
	if (!fail && kmalloc(KMALLOC_MAX + 1, GFP_KERNEL))
		fail = "kmalloc(1 MiB + 1) did not return NULL";
	if (!fail) {
		z = kzalloc(200, GFP_KERNEL);
		for (i = 0; z && i < 256; i++)
			if (z[i])
				fail = "kzalloc'd block not zero";
		kfree(z);
	}
	kfree(NULL);
	return fail;
}

/*
 * Allocate blocks of @size until kmalloc fails, chained through their
 * first word onto *@chain. Returns how many.
 */
static u64 take_all(size_t size, void **chain)
{
	u64 n = 0;
	void *p;

	while ((p = kmalloc(size, GFP_KERNEL))) {
		*(void **)p = *chain;
		*chain = p;
		n++;
	}
	return n;
}

static void give_all(void *chain)
{
	while (chain) {
		void *next = *(void **)chain;

		kfree(chain);
		chain = next;
	}
}

/* Exhaust memory through kmalloc of every kind, check every later call
 * fails cleanly, free it all, and find the exact free count again. */
static const char *test_exhaustion(void)
{
	u64 before = free_drained(), n1, n2, n3 = 0, after;
	void *chain = NULL;
	const char *fail = NULL;
	size_t size;

	n1 = take_all(KMALLOC_MAX, &chain);
	n2 = take_all(4096, &chain);
	for (size = KMALLOC_SMALL_MAX; size >= 32; size /= 2)
		n3 += take_all(size, &chain);   /* partly used slabs of every class */
	if (kmalloc(32, GFP_KERNEL) || kmalloc(4096, GFP_KERNEL) ||
	    page_alloc(0, GFP_KERNEL) || alloc_pages(ZONE_NORMAL, 1, 0))
		fail = "an allocation succeeded after exhaustion";
	give_all(chain);
	after = free_drained();
	if (!fail && after != before)
		fail = FAIL("free %llu bytes after, %llu before",
			    (unsigned long long)after, (unsigned long long)before);
	if (!fail && n1 * KMALLOC_MAX > before)
		fail = "more 1 MiB blocks than free memory";
	printk("selftest: exhaustion took %llu x 1 MiB, %llu x 4 KiB, %llu slab objects\n",
	       (unsigned long long)n1, (unsigned long long)n2, (unsigned long long)n3);
	return fail;
}

/* Grow the 256 B cache to thousands of slabs and shrink it back to none. */
static const char *test_slab_grow_shrink(void)
{
	u64 before = free_drained(), after;
	u64 target = 5000 * (4096 / 256), i;
	struct kmem_stat st0, st1, st2;
	void *chain = NULL;
	const char *fail = NULL;

	kmem_stat(&st0);
	for (i = 0; i < target; i++) {
		void *p = kmalloc(256, GFP_KERNEL);

		if (!p) {
			fail = "kmalloc(256) failed while growing";
			break;
		}
		*(void **)p = chain;
		chain = p;
	}
	kmem_stat(&st1);
	give_all(chain);
	after = free_drained();
	kmem_stat(&st2);
	if (!fail && st1.slabs < st0.slabs + 5000)
		fail = FAIL("only %llu slabs at the peak", (unsigned long long)st1.slabs);
	if (!fail && (st2.slabs != st0.slabs || after != before))
		fail = FAIL("after shrinking: %llu slabs (%llu before), free %llu (%llu before)",
			    (unsigned long long)st2.slabs, (unsigned long long)st0.slabs,
			    (unsigned long long)after, (unsigned long long)before);
	return fail;
}

static const char *compat_bad_args(void)
{
	struct Page *p = alloc_pages(ZONE_NORMAL, 1, PAGE_KERNEL);
	void *k = kmalloc(4096, GFP_KERNEL);
	const char *fail = NULL;

	if (alloc_pages(0, 1, 0) || alloc_pages(ZONE_DMA | ZONE_NORMAL, 1, 0) ||
	    alloc_pages(ZONE_NORMAL, 0, 0) || alloc_pages(ZONE_NORMAL, 64, 0) ||
	    alloc_pages(ZONE_NORMAL, 1, 1ul << 5))
		fail = "alloc_pages accepted a bad zone, count or flag";
	else if (free_pages(NULL, 1) != -EINVAL || free_pages(p, 2) != -EINVAL ||
		 free_pages((struct Page *)va_to_page(k), 1) != -EINVAL)
		fail = "free_pages accepted pages alloc_pages did not return";
	free_pages(p, 1);
	kfree(k);
	return fail;
}

static const char *test_compat(void)
{
	u64 before = free_drained(), mid;
	struct Page *p = alloc_pages(ZONE_NORMAL, 3, PAGE_KERNEL | PAGE_SHARED);
	struct Page *d = alloc_pages(ZONE_DMA, 1, 0);
	const char *fail = NULL;
	struct mm_stat_t s;

	mid = mm_stat().free;
	if (!p || !d)
		fail = "alloc_pages returned NULL";
	else if (before - mid != 4 * 4096)
		fail = FAIL("4 pages allocated, free fell by %llu bytes",
			    (unsigned long long)(before - mid));
	else if (Page_attr(p) != (PAGE_KERNEL | PAGE_SHARED) || Page_addr_phys(d) >= (4ull << 30))
		fail = "attributes not kept, or ZONE_DMA page above 4 GiB";
	else if (free_pages(p, 3) || free_pages(d, 1))
		fail = "free_pages failed";
	if (!fail)
		fail = compat_bad_args();
	s = mm_stat();
	if (!fail && (s.used != s.total - s.free || s.available != s.free + s.cache_free))
		fail = "mm_stat fields do not add up";
	if (!fail && free_drained() != before)
		fail = "free count not restored";
	return fail;
}

static const char *test_frames(void)
{
	paddr_t pa = 0;
	const char *fail = NULL;

	if (frame_alloc(0, &pa) != -EINVAL || frame_alloc(3, &pa) != -EINVAL ||
	    frame_alloc(1ull << 19, &pa) != -EINVAL)
		fail = "a bad count was not refused with -EINVAL";
	else if (frame_alloc(8, &pa) || (pa & (8 * 4096 - 1)))
		fail = FAIL("frame_alloc(8) gave 0x%llx", (unsigned long long)pa);
	else if (frame_free(pa, 4) != -EINVAL || frame_free(pa + 4096, 8) != -EINVAL)
		fail = "frame_free accepted a wrong count or address";
	else if (frame_free(pa, 8) || frame_free(pa, 8) != -EINVAL)
		fail = "frame_free failed, or accepted a double free";
	return fail;
}

/* ---- all harts at once --------------------------------------------------- */

#define SMP_OPS   20000
#define SMP_LIVE  64

static u32 smp_errors;

static u64 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool block_ok(const u64 *p, u64 tag, size_t size)
{
	size_t i;

	for (i = 0; i < size / 8; i++)
		if (p[i] != tag + i)
			return false;
	return true;
}

static void fill(u64 *p, u64 tag, size_t size)
{
	size_t i;

	for (i = 0; i < size / 8; i++)
		p[i] = tag + i;
}

static void smp_worker(void *arg)
{
	static const size_t sizes[] = { 8, 32, 64, 96, 256, 1000, 2048, 4096, 9000 };
	u64 *live[SMP_LIVE] = { 0 }, tags[SMP_LIVE], seed = this_hart()->cpu * 7919 + 1;
	size_t lsize[SMP_LIVE];
	unsigned int i;

	for (i = 0; i < SMP_OPS; i++) {
		unsigned int slot = xorshift(&seed) % SMP_LIVE;

		if (live[slot]) {
			if (!block_ok(live[slot], tags[slot], lsize[slot]))
				__atomic_fetch_add(&smp_errors, 1, __ATOMIC_RELAXED);
			kfree(live[slot]);
			live[slot] = NULL;
			continue;
		}
		lsize[slot] = sizes[xorshift(&seed) % ARRAY_SIZE(sizes)];
		live[slot] = kmalloc(lsize[slot], GFP_KERNEL);
		tags[slot] = ((u64)this_hart()->cpu << 56) | ((u64)i << 20);
		if (live[slot])
			fill(live[slot], tags[slot], lsize[slot]);
	}
	for (i = 0; i < SMP_LIVE; i++)
		kfree(live[i]);
	drain_one(NULL);
}

static const char *test_smp_alloc(void)
{
	u64 before = free_drained(), after;
	const char *fail = NULL;

	smp_errors = 0;
	smp_run_on_all(smp_worker, NULL);
	after = free_drained();
	if (smp_errors)
		fail = FAIL("%u blocks changed under their owner", smp_errors);
	else if (after != before)
		fail = FAIL("free %llu bytes after, %llu before",
			    (unsigned long long)after, (unsigned long long)before);
	return fail;
}

/*
 * The linear backend (map_linear): two frames placed by the kernel appear
 * in a user address space at a fixed address; reads and writes through
 * the user mapping reach them, MADV_DONTNEED is refused, and unmapping and
 * destroying the space leave the frames allocated to their owner.
 */
#define LINEAR_VA 0x200000ul

static const char *linear_check(struct addr_space *as, u64 *k)
{
	u64 u[2] = { 0 }, w = 0x11223344ull;

	if (copy_from_user(u, (const void *)(LINEAR_VA + PAGE_SIZE - 8), 16))
		return FAIL("reading the mapping faulted");
	if (u[0] != k[PAGE_SIZE / 8 - 1] || u[1] != k[PAGE_SIZE / 8])
		return FAIL("read 0x%llx 0x%llx, frames hold 0x%llx 0x%llx",
			    (unsigned long long)u[0], (unsigned long long)u[1],
			    (unsigned long long)k[PAGE_SIZE / 8 - 1], (unsigned long long)k[PAGE_SIZE / 8]);
	if (copy_to_user((void *)(LINEAR_VA + 8), &w, 8) || k[1] != w)
		return FAIL("a write through the mapping did not reach the frame");
	if (as_madvise(as, LINEAR_VA, PAGE_SIZE, MADV_DONTNEED) != -EINVAL)
		return FAIL("MADV_DONTNEED on a linear mapping not refused");
	if (as_munmap(as, LINEAR_VA, 2 * PAGE_SIZE))
		return FAIL("munmap failed");
	return NULL;
}

static const char *test_linear(void)
{
	u64 before = free_drained(), i, *k;
	struct page *p = page_alloc(1, 0);
	struct addr_space *as = as_create();
	const char *fail = NULL;

	if (!p || !as) {
		fail = FAIL("no memory for the test");
		goto out;
	}
	k = page_va(p);
	for (i = 0; i < 2 * PAGE_SIZE / 8; i++)
		k[i] = 0x5a00000000000000ull | i;
	if (as_map_linear(as, LINEAR_VA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, page_to_pa(p) + 1) != -EINVAL)
		fail = FAIL("an unaligned physical address was accepted");
	else if (as_map_linear(as, LINEAR_VA, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, page_to_pa(p)))
		fail = FAIL("as_map_linear failed");
	if (!fail) {
		unsigned long irq = arch_irq_save();

		as_activate(as);
		fail = linear_check(as, k);
		as_deactivate(as);
		arch_irq_restore(irq);
	}
	if (!fail && k[0] != 0x5a00000000000000ull)
		fail = FAIL("unmapping changed the frames");
out:
	if (as)
		as_destroy(as);
	if (p)
		page_free(p, 1);
	if (!fail && free_drained() != before)
		fail = FAIL("free memory changed by %lld bytes",
			    (long long)(free_drained() - before));
	return fail;
}

const struct selftest selftests_mm[] = {
	{ "kmalloc-sizes", test_kmalloc_sizes },
	{ "frame-api", test_frames },
	{ "compat-api", test_compat },
	{ "slab-grow-shrink", test_slab_grow_shrink },
	{ "smp-alloc", test_smp_alloc },
	{ "exhaustion", test_exhaustion },
	{ "as-linear", test_linear },
	{ NULL, NULL },
};
