/*
 * selftest_mm: boot-time checks of the physical memory manager and of
 * address spaces (the linear backend, fork, copy on write, the zero
 * page), one line per case. Exact accounting is checked after every hart
 * has drained its caches: mm_stat().free must come back to the byte.
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
#include <asm/page.h>
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

/* @fail, or else a failure when free memory is not back at @before. */
static const char *no_leak(const char *fail, u64 before)
{
	u64 after = free_drained();

	if (!fail && after != before)
		return FAIL("free memory changed by %lld bytes", (long long)(after - before));
	return fail;
}

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
	return no_leak(fail, before);
}


/* ---- fork, copy on write, the zero page ------------------------------------- */

#define COW_VA    0x400000ul            /* private pages */
#define COW_PAGES 4                     /* 0, 1 written; 2 read (zero page); 3 untouched */
#define SHM_VA    0x40000000ul          /* another GiB: tables of its own */
#define RW        (PROT_READ | PROT_WRITE)
#define PG(i)     (COW_VA + (i) * PAGE_SIZE)

/* The entry of @va in @as: 0 with its frame and bits, or -EFAULT. */
static int entry_of(struct addr_space *as, vaddr_t va, paddr_t *pa, u64 *prot)
{
	return pm_translate(&as->pm, va, pa, prot, NULL);
}

static u32 refs_at(struct addr_space *as, vaddr_t va)
{
	paddr_t pa;

	return entry_of(as, va, &pa, NULL) ? 0 : pa_to_page(pa)->refcount;
}

/* What a user load of the word at @va sees (a read fault first when
 * nothing is mapped): 0 with *val, or the fault's error. */
static int peek(struct addr_space *as, vaddr_t va, u64 *val)
{
	paddr_t pa;
	int err = entry_of(as, va, &pa, NULL) ? as_fault(as, va, FAULT_READ) : 0;

	if (!err && !(err = entry_of(as, va, &pa, NULL)))
		*val = *(u64 *)phys_to_virt(pa);
	return err;
}

/* A user store of @val at @va: a write fault first when the entry does not
 * allow it. 0 or the fault's error. */
static int poke(struct addr_space *as, vaddr_t va, u64 val)
{
	u64 prot = 0;
	paddr_t pa;
	int err;

	if (entry_of(as, va, &pa, &prot) || !(prot & PTE_W)) {
		err = as_fault(as, va, FAULT_WRITE);
		if (err)
			return err;
	}
	entry_of(as, va, &pa, &prot);
	*(u64 *)phys_to_virt(pa) = val;
	return 0;
}

static bool holds(struct addr_space *as, vaddr_t va, u64 want)
{
	u64 v = ~want;

	return !peek(as, va, &v) && v == want;
}

/* A parent with COW_PAGES private pages at COW_VA in their four states. */
static struct addr_space *cow_parent(void)
{
	struct addr_space *as = as_create();
	u64 v;

	if (!as)
		return NULL;
	if (as_map_anon(as, COW_VA, COW_PAGES * PAGE_SIZE, RW, false) ||
	    poke(as, PG(0), 0xc0de0000) || poke(as, PG(1), 0xc0de0001) || peek(as, PG(2), &v)) {
		as_destroy(as);
		return NULL;
	}
	return as;
}

/* A case over a parent and its child: @check runs with both, then both
 * go, and free memory must be what it was. */
static const char *with_fork(const char *(*check)(struct addr_space *, struct addr_space *))
{
	u64 before = free_drained();
	struct addr_space *parent = cow_parent(), *child = parent ? as_fork(parent) : NULL;
	const char *fail = parent && child ? check(parent, child) : FAIL("no memory for the test");

	if (child)
		as_destroy(child);
	if (parent)
		as_destroy(parent);
	return no_leak(fail, before);
}

/* Shared, read-only and marked in both spaces, one reference per entry. */
static const char *shared_entry(struct addr_space *p, struct addr_space *c, vaddr_t va)
{
	paddr_t ppa, cpa;
	u64 pprot, cprot;

	if (entry_of(p, va, &ppa, &pprot) || entry_of(c, va, &cpa, &cprot))
		return FAIL("0x%lx not mapped in both spaces", va);
	if (ppa != cpa || (pprot | cprot) & PTE_W || !pte_is_cow(pprot) || !pte_is_cow(cprot))
		return FAIL("0x%lx: frames 0x%llx 0x%llx, bits 0x%llx 0x%llx", va,
			    (unsigned long long)ppa, (unsigned long long)cpa,
			    (unsigned long long)pprot, (unsigned long long)cprot);
	return NULL;
}

static const char *check_fork_sees(struct addr_space *p, struct addr_space *c)
{
	paddr_t pa;
	const char *fail = shared_entry(p, c, PG(0));

	if (!fail)
		fail = shared_entry(p, c, PG(2));
	if (!fail && (refs_at(p, PG(0)) != 2 || refs_at(p, PG(1)) != 2))
		fail = FAIL("refcounts %u %u, expected 2", refs_at(p, PG(0)), refs_at(p, PG(1)));
	else if (!fail && (entry_of(c, PG(2), &pa, NULL) || pa != kernel_va_to_pa(as_zero_page)))
		fail = FAIL("the child's page 2 is not the zero page");
	else if (!fail && (p->rss != 2 || c->rss != 2))
		fail = FAIL("rss %llu and %llu, expected 2 (the zero page not counted)",
			    (unsigned long long)p->rss, (unsigned long long)c->rss);
	else if (!fail && (!holds(c, PG(0), 0xc0de0000) || !holds(c, PG(1), 0xc0de0001) ||
			   !holds(c, PG(2), 0) || !holds(c, PG(3), 0)))
		fail = FAIL("the child does not see the parent's data");
	return fail;
}

static const char *test_fork_sees(void)
{
	return with_fork(check_fork_sees);
}

/* Writes on either side after the fork copy; the last sharer reuses. */
static const char *check_fork_writes(struct addr_space *p, struct addr_space *c)
{
	paddr_t before, after;

	entry_of(p, PG(0), &before, NULL);
	if (poke(p, PG(0), 0xaaaa) || poke(c, PG(1), 0xbbbb))
		return FAIL("a write fault failed");
	if (!holds(c, PG(0), 0xc0de0000) || !holds(p, PG(1), 0xc0de0001))
		return FAIL("a write after fork showed in the other space");
	if (!holds(p, PG(0), 0xaaaa) || !holds(c, PG(1), 0xbbbb))
		return FAIL("a write after fork was lost");
	entry_of(p, PG(0), &after, NULL);
	if (after == before || refs_at(c, PG(0)) != 1 || refs_at(p, PG(0)) != 1)
		return FAIL("the parent's write did not copy (refs %u %u)",
			    refs_at(p, PG(0)), refs_at(c, PG(0)));
	entry_of(p, PG(1), &before, NULL);
	if (poke(p, PG(1), 0xcccc))
		return FAIL("the reuse fault failed");
	entry_of(p, PG(1), &after, NULL);
	if (after != before || !holds(c, PG(1), 0xbbbb))
		return FAIL("refcount 1 but the frame was copied, not reused");
	if (poke(p, PG(2), 0xdddd) || !holds(c, PG(2), 0) || p->rss != 3 || c->rss != 2)
		return FAIL("a write to the zero page: rss %llu and %llu",
			    (unsigned long long)p->rss, (unsigned long long)c->rss);
	return NULL;
}

static const char *test_fork_writes(void)
{
	return with_fork(check_fork_writes);
}

/* Through the trap path: uaccess in the running child faults like a
 * user access (the store copies); a grandchild comes and goes. */
static const char *check_fork_uaccess(struct addr_space *p, struct addr_space *c)
{
	u64 val = 0x5151, got = 0;
	unsigned long irq = arch_irq_save();
	int werr, rerr;

	as_activate(c);
	werr = copy_to_user((void *)PG(0), &val, 8);
	rerr = copy_from_user(&got, (const void *)PG(1), 8);
	as_deactivate(c);
	arch_irq_restore(irq);
	if (werr || rerr || got != 0xc0de0001 || !holds(p, PG(0), 0xc0de0000) ||
	    !holds(c, PG(0), 0x5151))
		return FAIL("uaccess in the child: %d %d, read 0x%llx", werr, rerr,
			    (unsigned long long)got);
	as_destroy(as_fork(c));
	if (refs_at(p, PG(1)) != 2)
		return FAIL("page 1 refcount %u after a grandchild went", refs_at(p, PG(1)));
	return NULL;
}

static const char *test_fork_uaccess(void)
{
	return with_fork(check_fork_uaccess);
}

/* The child exits first: the parent's writes reuse its frames. */
static const char *test_fork_reuse(void)
{
	u64 before = free_drained();
	struct addr_space *p = cow_parent(), *c = p ? as_fork(p) : NULL;
	const char *fail = p && c ? NULL : FAIL("no memory for the test");
	paddr_t pa0 = 0, pa1 = 0;

	if (c)
		as_destroy(c);
	if (!fail) {
		entry_of(p, PG(1), &pa0, NULL);
		if (refs_at(p, PG(1)) != 1 || poke(p, PG(1), 0x77) ||
		    entry_of(p, PG(1), &pa1, NULL) || pa1 != pa0 || !holds(p, PG(1), 0x77))
			fail = FAIL("after the child went: not reused in place");
	}
	if (p)
		as_destroy(p);
	return no_leak(fail, before);
}


/* Shared anonymous memory stays shared: the child faults the object's
 * pages in (nothing copied), and writes show on both sides. */
static const char *check_fork_shm(struct addr_space *p, struct addr_space *c)
{
	struct addr_space *c2;
	const char *fail = NULL;

	if (as_mmap(p, SHM_VA, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		    NULL, false, 0) != (long)SHM_VA || poke(p, SHM_VA, 0x5e5e))
		return FAIL("mapping shared memory failed");
	c2 = as_fork(p);
	if (!c2)
		return FAIL("as_fork failed");
	if (!entry_of(c2, SHM_VA, NULL, NULL))
		fail = FAIL("the child's shared page was mapped at fork");
	else if (!holds(c2, SHM_VA, 0x5e5e) || poke(c2, SHM_VA + PAGE_SIZE, 0x6e6e) ||
		 poke(c2, SHM_VA, 0x7e7e))
		fail = FAIL("the child does not see or cannot write the shared page");
	else if (!holds(p, SHM_VA, 0x7e7e) || !holds(p, SHM_VA + PAGE_SIZE, 0x6e6e))
		fail = FAIL("the parent does not see the child's writes");
	else if (as_madvise(p, SHM_VA, PAGE_SIZE, MADV_WIPEONFORK) != -EINVAL)
		fail = FAIL("MADV_WIPEONFORK on shared memory not refused");
	as_destroy(c2);
	return fail;
}

static const char *test_fork_shm(void)
{
	return with_fork(check_fork_shm);
}

/*
 * MADV_DONTFORK and MADV_WIPEONFORK are VMA flags: a part gets its own
 * VMA, DOFORK and KEEPONFORK merge it back; in a child a DONTFORK range
 * is absent and a WIPEONFORK one present but empty.
 */
static const char *fork_flags_child(struct addr_space *p)
{
	struct addr_space *c = as_fork(p);
	const char *fail = NULL;
	u64 v;

	if (!c)
		return FAIL("as_fork failed");
	if (as_fault(c, PG(0), FAULT_READ) != -EFAULT || !holds(c, PG(3), 0))
		fail = FAIL("DONTFORK page 0 present in the child, or page 3 missing");
	else if (!entry_of(c, PG(1), NULL, NULL) || peek(c, PG(1), &v) || v != 0 ||
		 !holds(p, PG(1), 0xc0de0001))
		fail = FAIL("WIPEONFORK page 1 not empty in the child, or changed in the parent");
	else if (c->vmas.count != 2 || c->rss != 0)
		fail = FAIL("the child has %llu VMAs and rss %llu, expected 2 and 0",
			    (unsigned long long)c->vmas.count, (unsigned long long)c->rss);
	as_destroy(c);
	return fail;
}

static const char *check_fork_flags(struct addr_space *p, struct addr_space *unused)
{
	const char *fail;

	if (as_madvise(p, PG(0), PAGE_SIZE, MADV_DONTFORK) ||
	    as_madvise(p, PG(1), PAGE_SIZE, MADV_WIPEONFORK) || p->vmas.count != 3)
		return FAIL("madvise: %llu VMAs, expected 3", (unsigned long long)p->vmas.count);
	fail = fork_flags_child(p);
	if (fail)
		return fail;
	if (as_madvise(p, PG(0), PAGE_SIZE, MADV_DOFORK) ||
	    as_madvise(p, PG(1), PAGE_SIZE, MADV_KEEPONFORK) || p->vmas.count != 1)
		return FAIL("DOFORK, KEEPONFORK: %llu VMAs, expected 1",
			    (unsigned long long)p->vmas.count);
	return NULL;
}

static const char *test_fork_flags(void)
{
	return with_fork(check_fork_flags);
}

/* mprotect keeps shared frames read-only; mremap moves entries marked. */
static const char *check_fork_protect_move(struct addr_space *p, struct addr_space *c)
{
	const vaddr_t to = COW_VA + (64ul << 20);
	u64 prot = 0;

	if (as_mprotect(p, COW_VA, COW_PAGES * PAGE_SIZE, PROT_READ) ||
	    as_mprotect(p, COW_VA, COW_PAGES * PAGE_SIZE, RW) ||
	    entry_of(p, PG(0), NULL, &prot) || (prot & PTE_W) || !pte_is_cow(prot))
		return FAIL("mprotect RW made a shared frame writable (bits 0x%llx)",
			    (unsigned long long)prot);
	if (as_mremap(p, COW_VA, COW_PAGES * PAGE_SIZE, COW_PAGES * PAGE_SIZE,
		      MREMAP_MAYMOVE | MREMAP_FIXED, to) != (long)to ||
	    entry_of(p, to, NULL, &prot) || (prot & PTE_W) || !pte_is_cow(prot))
		return FAIL("mremap lost the copy-on-write mark (bits 0x%llx)",
			    (unsigned long long)prot);
	if (poke(p, to, 0x1234) || !holds(c, PG(0), 0xc0de0000) || !holds(p, to + PAGE_SIZE, 0xc0de0001))
		return FAIL("a write after mremap reached the child");
	return NULL;
}

static const char *test_fork_protect_move(void)
{
	return with_fork(check_fork_protect_move);
}

/*
 * The zero page: a read maps it (read-only, not in rss, resident for
 * mincore), a write replaces it with a zeroed frame of the page's own;
 * mprotect(PROT_WRITE) of a read-only mapping keeps it read-only.
 */
static const char *zero_page_checks(struct addr_space *as)
{
	paddr_t zero = kernel_va_to_pa(as_zero_page), pa;
	u64 prot = 0, words[2] = { 1, 1 };
	u8 vec[2] = { 0, 0 };

	if (as_map_anon(as, COW_VA, 2 * PAGE_SIZE, RW, false) ||
	    as_map_anon(as, PG(2), PAGE_SIZE, PROT_READ, false))
		return FAIL("mapping failed");
	if (as_fault(as, PG(0), FAULT_READ) || entry_of(as, PG(0), &pa, &prot) || pa != zero ||
	    (prot & PTE_W) || !pte_is_cow(prot) || as->rss != 0)
		return FAIL("a read fault: frame 0x%llx bits 0x%llx rss %llu", (unsigned long long)pa,
			    (unsigned long long)prot, (unsigned long long)as->rss);
	if (as_mincore(as, COW_VA, 2 * PAGE_SIZE, vec) || vec[0] != 1 || vec[1] != 0)
		return FAIL("mincore %u %u, expected 1 0", vec[0], vec[1]);
	if (poke(as, PG(0) + 8, 0x2a) || entry_of(as, PG(0), &pa, &prot) || pa == zero ||
	    !(prot & PTE_W) || as->rss != 1)
		return FAIL("the write after the read kept the zero page");
	memcpy(words, phys_to_virt(pa), 16);
	if (words[0] || words[1] != 0x2a || ((u64 *)phys_to_virt(pa))[511])
		return FAIL("the new frame is not zero but for the write");
	if (as_fault(as, PG(2), FAULT_READ) || as_mprotect(as, PG(2), PAGE_SIZE, RW) ||
	    entry_of(as, PG(2), &pa, &prot) || pa != zero || (prot & PTE_W))
		return FAIL("mprotect RW made the zero page writable");
	if (poke(as, PG(2), 7) || entry_of(as, PG(2), &pa, NULL) || pa == zero || as->rss != 2)
		return FAIL("a write after mprotect kept the zero page");
	return NULL;
}

static const char *test_zero_page(void)
{
	u64 before = free_drained();
	struct addr_space *as = as_create();
	const char *fail = as ? zero_page_checks(as) : FAIL("no memory for the test");

	if (as)
		as_destroy(as);
	return no_leak(fail, before);
}

/*
 * as_fork with too little memory: every page and every small kmalloc
 * object held here but for @k pages, so each allocation of the fork may
 * be the one that fails; as_fork fails until k is enough, and each
 * failure leaves free memory exactly as it found it.
 */
#define FAR_VA (3ul << 30)              /* a third region with tables of its own */

static void *hold_all(void)
{
	void *objs = NULL;
	size_t size;

	for (size = KMALLOC_SMALL_MAX; size >= 32; size /= 2)
		take_all(size, &objs);
	return objs;
}

static const char *fork_until_enough(struct addr_space *parent, struct page **chain,
				     unsigned int *failures)
{
	struct addr_space *child = NULL;
	u64 free0, free1;

	for (*failures = 0; *chain; ++*failures) {
		struct page *p = *chain;

		*chain = p->next;
		buddy_free(p, 0);
		free0 = free_drained();
		child = as_fork(parent);
		if (child)
			break;
		free1 = free_drained();
		if (free1 != free0)
			return FAIL("failure %u: free memory changed by %lld bytes", *failures,
				    (long long)(free1 - free0));
		if (refs_at(parent, PG(0)) != 1 || refs_at(parent, FAR_VA) != 1)
			return FAIL("failure %u: a reference left behind", *failures);
	}
	if (!child || !holds(child, PG(1), 0xc0de0001) || !holds(child, FAR_VA, 0xfa))
		return FAIL("as_fork never succeeded, or its child lacks the data");
	as_destroy(child);
	return *failures >= 4 ? NULL : FAIL("as_fork failed only %u times", *failures);
}

static const char *test_fork_enomem(void)
{
	u64 before = free_drained();
	struct addr_space *parent = cow_parent();
	struct page *chain = NULL, *p;
	unsigned int failures = 0;
	const char *fail = NULL;
	void *objs;

	if (!parent || as_mmap(parent, SHM_VA, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
			       NULL, false, 0) != (long)SHM_VA || poke(parent, SHM_VA, 1) ||
	    as_map_anon(parent, FAR_VA, PAGE_SIZE, RW, false) || poke(parent, FAR_VA, 0xfa))
		fail = FAIL("no memory for the test");
	free_drained();
	while ((p = buddy_alloc(0, GFP_KERNEL, OWNER_TEST))) {
		p->next = chain;
		chain = p;
	}
	objs = hold_all();              /* what the slabs have left */
	if (!fail)
		fail = fork_until_enough(parent, &chain, &failures);
	while ((p = chain)) {
		chain = p->next;
		buddy_free(p, 0);
	}
	give_all(objs);
	if (parent)
		as_destroy(parent);
	printk("selftest: fork-enomem: as_fork failed %u times before it had enough\n", failures);
	return no_leak(fail, before);
}

const struct selftest selftests_mm[] = {
	{ "kmalloc-sizes", test_kmalloc_sizes },
	{ "frame-api", test_frames },
	{ "compat-api", test_compat },
	{ "slab-grow-shrink", test_slab_grow_shrink },
	{ "smp-alloc", test_smp_alloc },
	{ "exhaustion", test_exhaustion },
	{ "as-linear", test_linear },
	{ "fork-sees-parent", test_fork_sees },
	{ "fork-cow-writes", test_fork_writes },
	{ "fork-cow-uaccess", test_fork_uaccess },
	{ "fork-cow-reuse", test_fork_reuse },
	{ "fork-shm", test_fork_shm },
	{ "fork-dontfork-wipeonfork", test_fork_flags },
	{ "fork-mprotect-mremap", test_fork_protect_move },
	{ "zero-page", test_zero_page },
	{ "fork-enomem", test_fork_enomem },
	{ NULL, NULL },
};
