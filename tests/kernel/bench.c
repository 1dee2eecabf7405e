/*
 * bench: guest instructions per operation, for `make bench`.
 *
 * Run with pagoda.bench=1 under QEMU -icount shift=0,sleep=off on one hart:
 * rdinstret then counts every guest instruction exactly, the same on every
 * run. Each case runs WARMUP times, then ITERS times between two reads of
 * instret with interrupts off; the figure is the difference divided by
 * ITERS (the loop's own few instructions included; harness_overhead is the
 * same loop around two empty functions). One line per case:
 *   bench NAME INSNS_PER_OP
 */
#include <pagoda/bench.h>
#include <pagoda/as.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/ioremap.h>
#include <pagoda/kmap.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <asm/cpu.h>
#include <asm/page.h>

#define WARMUP 64
#define ITERS  1024

u64 bench_mm_init_insns;
u64 bench_paging_init_insns;


static void print_case(const char *name, u64 insns, u64 ops)
{
	printk("bench %s %llu\n", name, (unsigned long long)(insns / ops));
}

/* Two empty functions with kmalloc's and kfree's shapes: the loop around
 * them measures what the harness itself adds to a kmalloc_free case. */
__noinline __attribute__((optimize("omit-frame-pointer")))
void *bench_nop_alloc(size_t size, gfp_t gfp)
{
	barrier();
	return (void *)size;
}

__noinline __attribute__((optimize("omit-frame-pointer")))
void bench_nop_free(const void *p)
{
	barrier();
}

static void bench_harness(void)
{
	unsigned long f = arch_irq_save();
	unsigned int i;
	u64 t0 = arch_read_instret();

	for (i = 0; i < ITERS; i++)
		bench_nop_free(bench_nop_alloc(64, GFP_KERNEL));
	print_case("harness_overhead", arch_read_instret() - t0, ITERS);
	arch_irq_restore(f);
}

static void bench_kmalloc(const char *name, size_t size, unsigned int iters)
{
	unsigned long f = arch_irq_save();
	unsigned int i;
	u64 t0;

	for (i = 0; i < WARMUP; i++)
		kfree(kmalloc(size, GFP_KERNEL));
	t0 = arch_read_instret();
	for (i = 0; i < iters; i++)
		kfree(kmalloc(size, GFP_KERNEL));
	print_case(name, arch_read_instret() - t0, iters);
	arch_irq_restore(f);
}

static void bench_buddy(const char *name, unsigned int order, unsigned int iters)
{
	unsigned long f = arch_irq_save();
	struct page *p = buddy_alloc(order, GFP_KERNEL, OWNER_TEST);
	unsigned int i;
	u64 t0;

	if (!p) {
		printk("bench %s skipped: no free block of order %u\n", name, order);
		arch_irq_restore(f);
		return;
	}
	buddy_free(p, order);
	for (i = 0; i < WARMUP; i++)
		buddy_free(buddy_alloc(order, GFP_KERNEL, OWNER_TEST), order);
	t0 = arch_read_instret();
	for (i = 0; i < iters; i++)
		buddy_free(buddy_alloc(order, GFP_KERNEL, OWNER_TEST), order);
	print_case(name, arch_read_instret() - t0, iters);
	arch_irq_restore(f);
}

#define TEST_VA (KSTACK_BASE + (512ul << 20))      /* pinned level-1 table */

static void bench_map_unmap_4k(void)
{
	unsigned long f = arch_irq_save();
	paddr_t pa = kernel_pa_start;
	unsigned int i;
	u64 t0;

	for (i = 0; i < WARMUP; i++) {
		mm_map_phys_addr(TEST_VA, pa, 4096, MM_PROT_READ, true);
		mm_unmap_addr(TEST_VA, 4096);
	}
	t0 = arch_read_instret();
	for (i = 0; i < ITERS; i++) {
		mm_map_phys_addr(TEST_VA, pa, 4096, MM_PROT_READ, true);
		mm_unmap_addr(TEST_VA, 4096);
	}
	print_case("map_unmap_4k", arch_read_instret() - t0, ITERS);
	arch_irq_restore(f);
}

static void bench_map_unmap_2m(void)
{
	unsigned long f = arch_irq_save();
	unsigned int i;
	u64 t0;

	mm_map_phys_addr(TEST_VA, kernel_pa_start, 2 << 20, MM_PROT_READ, true);
	mm_unmap_addr(TEST_VA, 2 << 20);
	t0 = arch_read_instret();
	for (i = 0; i < 16; i++) {
		mm_map_phys_addr(TEST_VA, kernel_pa_start, 2 << 20, MM_PROT_READ, true);
		mm_unmap_addr(TEST_VA, 2 << 20);
	}
	print_case("map_unmap_2m_in_4k_pages", arch_read_instret() - t0, 16);
	arch_irq_restore(f);
}

static void bench_local_flush(void)
{
	struct tlb_batch b = { TEST_VA, TEST_VA + 4096, false };
	struct hartmask me = { 1ull << this_hart()->cpu };
	unsigned long f = arch_irq_save();
	unsigned int i;
	u64 t0 = arch_read_instret();

	for (i = 0; i < ITERS; i++)
		arch_tlb_flush(&b, 0, true, &me);
	print_case("local_flush_page", arch_read_instret() - t0, ITERS);
	arch_irq_restore(f);
}

static void bench_ioremap(void)
{
	unsigned long f = arch_irq_save();
	unsigned int i;
	u64 t0;

	iounmap(ioremap(0x30000000, 4096));
	t0 = arch_read_instret();
	for (i = 0; i < ITERS; i++)
		iounmap(ioremap(0x30000000, 4096));
	print_case("ioremap_iounmap", arch_read_instret() - t0, ITERS);
	arch_irq_restore(f);
}

/* ---- address spaces: fork, and the faults of copy on write ----------------- */

#define AS_VA       0x10000000ul
#define FORK_PAGES  4096                /* 16 MiB: procbench's fork_exit_wait_16m */
#define FORK_ROUNDS 8
#define FAULT_PAGES 256
#define RW          (PROT_READ | PROT_WRITE)

/* @pages private pages at AS_VA, each faulted in for @access; NULL when
 * there is no memory for it. */
static struct addr_space *bench_space(u64 pages, int access)
{
	struct addr_space *as = as_create();
	u64 i;

	if (as && as_map_anon(as, AS_VA, pages << PAGE_SHIFT, RW, false)) {
		as_destroy(as);
		return NULL;
	}
	for (i = 0; as && access && i < pages; i++)
		as_fault(as, AS_VA + (i << PAGE_SHIFT), access);
	return as;
}

/* as_fault of @access on each of FAULT_PAGES pages of @as: instructions. */
static u64 fault_pages(struct addr_space *as, int access)
{
	u64 i, t0 = arch_read_instret();

	for (i = 0; i < FAULT_PAGES; i++)
		as_fault(as, AS_VA + (i << PAGE_SHIFT), access);
	return arch_read_instret() - t0;
}

/*
 * as_fork of a parent with 16 MiB written, and as_destroy of the child:
 * what fork + exit of such a process costs the memory manager. The first
 * round write-protects the parent (warm-up, not counted).
 */
static void bench_fork(void)
{
	unsigned long f = arch_irq_save();
	struct addr_space *parent = bench_space(FORK_PAGES, FAULT_WRITE), *child;
	u64 t0, t1, fork = 0, destroy = 0;
	unsigned int r;

	for (r = 0; parent && r <= FORK_ROUNDS; r++) {
		t0 = arch_read_instret();
		child = as_fork(parent);
		t1 = arch_read_instret();
		if (!child)
			break;
		as_destroy(child);
		if (r) {
			fork += t1 - t0;
			destroy += arch_read_instret() - t1;
		}
	}
	if (parent && r > FORK_ROUNDS) {
		print_case("as_fork_16m", fork, FORK_ROUNDS);
		print_case("as_destroy_16m_child", destroy, FORK_ROUNDS);
		print_case("as_fork_destroy_per_page", fork + destroy, FORK_ROUNDS * FORK_PAGES);
	} else {
		printk("bench as_fork skipped: no memory\n");
	}
	if (parent)
		as_destroy(parent);
	arch_irq_restore(f);
}

/*
 * A small process (the shape of a static hello world: text, data, bss and
 * break, a stack at the top; 12 pages written): as_fork + as_destroy of
 * its child, whole.
 */
static struct addr_space *small_space(void)
{
	static const struct { vaddr_t va; u64 pages, touched; } maps[] = {
		{ 0x10000, 16, 4 }, { 0x30000, 4, 2 }, { 0x34000, 33, 2 },
		{ STACK_TOP - STACK_SIZE, STACK_SIZE >> PAGE_SHIFT, 0 },
	};
	struct addr_space *as = as_create();
	unsigned int i, j;

	for (i = 0; as && i < ARRAY_SIZE(maps); i++) {
		if (as_map_anon(as, maps[i].va, maps[i].pages << PAGE_SHIFT, RW, false)) {
			as_destroy(as);
			return NULL;
		}
		for (j = 0; j < maps[i].touched; j++)
			as_fault(as, maps[i].va + ((u64)j << PAGE_SHIFT), FAULT_WRITE);
	}
	for (j = 1; as && j <= 4; j++)
		as_fault(as, STACK_TOP - ((u64)j << PAGE_SHIFT), FAULT_WRITE);
	return as;
}

static void bench_fork_small(void)
{
	unsigned long f = arch_irq_save();
	struct addr_space *parent = small_space();
	unsigned int i;
	u64 t0;

	if (parent) {
		as_destroy(as_fork(parent));
		t0 = arch_read_instret();
		for (i = 0; i < 64; i++)
			as_destroy(as_fork(parent));
		print_case("as_fork_destroy_small", arch_read_instret() - t0, 64);
		as_destroy(parent);
	}
	arch_irq_restore(f);
}

/*
 * The mm side of a fault (as_fault: lock, walk, backend, flush), per page:
 * a first write; a first read (the zero page) and the write after it; a
 * child's write to a shared frame (copy) and the parent's write once the
 * child is gone (reuse).
 */
static void bench_faults(void)
{
	unsigned long f = arch_irq_save();
	struct addr_space *a = bench_space(FAULT_PAGES, 0), *b = bench_space(FAULT_PAGES, 0);
	struct addr_space *p = bench_space(FAULT_PAGES, FAULT_WRITE), *c = p ? as_fork(p) : NULL;

	if (a && b && p && c) {
		print_case("as_fault_anon_write", fault_pages(a, FAULT_WRITE), FAULT_PAGES);
		print_case("as_fault_zero_read", fault_pages(b, FAULT_READ), FAULT_PAGES);
		print_case("as_fault_zero_then_write", fault_pages(b, FAULT_WRITE), FAULT_PAGES);
		print_case("as_fault_cow_copy", fault_pages(c, FAULT_WRITE), FAULT_PAGES);
		as_destroy(c);
		c = NULL;
		print_case("as_fault_cow_reuse", fault_pages(p, FAULT_WRITE), FAULT_PAGES);
	} else {
		printk("bench as_fault skipped: no memory\n");
	}
	if (c)
		as_destroy(c);
	if (p)
		as_destroy(p);
	if (b)
		as_destroy(b);
	if (a)
		as_destroy(a);
	arch_irq_restore(f);
}

void bench_run_all(void)
{
	printk("bench boot_to_mm_init %llu\n", (unsigned long long)bench_mm_init_insns);
	bench_harness();
	bench_kmalloc("kmalloc_free_32", 32, ITERS);
	bench_kmalloc("kmalloc_free_64", 64, ITERS);
	bench_kmalloc("kmalloc_free_256", 256, ITERS);
	bench_kmalloc("kmalloc_free_4k", 4096, ITERS);
	bench_kmalloc("kmalloc_free_64k", 65536, ITERS);
	bench_kmalloc("kmalloc_free_1m", 1 << 20, ITERS / 4);
	bench_buddy("buddy_order0", 0, ITERS);
	bench_buddy("buddy_order9", 9, ITERS);
	bench_buddy("buddy_order18", 18, ITERS / 4);
	printk("bench boot_to_paging_init %llu\n", (unsigned long long)bench_paging_init_insns);
	bench_map_unmap_4k();
	bench_map_unmap_2m();
	bench_local_flush();
	bench_ioremap();
	bench_fork();
	bench_fork_small();
	bench_faults();
}
