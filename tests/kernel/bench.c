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
}
