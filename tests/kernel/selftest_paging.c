/*
 * selftest_paging: boot-time checks of the paging layers, one line per
 * case: W^X and guard pages, bad input to the mapper, table accounting,
 * the KernelMapper's nesting, RFENCE counts, a TLB shootdown race on every
 * hart, ioremap cycles, and ASID rollover under load.
 */
#include <pagoda/selftest.h>
#include <pagoda/asid.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/ioremap.h>
#include <pagoda/kmap.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <asm/trap.h>
#include <string.h>

/* Test mappings: inside the hart stacks' gigabyte (its level-1 table is
 * pinned), far above the stack slots. */
#define TEST_VA   (KSTACK_BASE + (512ul << 20))

static char msg[160];
#define FAIL(...) SELFTEST_FAIL(msg, __VA_ARGS__)

extern char _stext[], _srodata[], _sdata[], boot_stack_guard[];

static const char *test_wx(void)
{
	static volatile u8 data_byte = 7;
	const char *fail = NULL;

	if (arch_probe_write_u8(_stext + 64, 0) != -EFAULT)
		fail = "a write to kernel text did not fault";
	else if (arch_probe_write_u8(_srodata, 0) != -EFAULT)
		fail = "a write to rodata did not fault";
	else if (arch_probe_read_u8(_stext) < 0)
		fail = "kernel text is not readable";
	else if (arch_probe_write_u8((void *)&data_byte, 9) || data_byte != 9)
		fail = "kernel data is not writable";
	else if (arch_probe_read_u8(boot_stack_guard) != -EFAULT)
		fail = "the boot stack guard page is mapped";
	return fail;
}

static const char *test_stack_guards(void)
{
	unsigned int cpu;

	for_each_online_hart(cpu) {
		vaddr_t guard = harts[cpu].stack_top - HART_STACK_SIZE - PAGE_SIZE;

		if (cpu == 0)
			continue;
		if (!pm_translate(&kernel_pm, guard, NULL, NULL, NULL))
			return FAIL("hart %u: guard 0x%lx mapped", cpu, guard);
		if (pm_translate(&kernel_pm, guard + PAGE_SIZE, NULL, NULL, NULL))
			return FAIL("hart %u: stack not mapped", cpu);
	}
	return NULL;
}

/* Each bad call returns its errno, and neither tables nor frames leak. */
static const char *bad_input(void)
{
	paddr_t ram = kernel_pa_start;
	u64 flags = MM_PROT_READ | MM_PROT_WRITE;

	if (mm_map_phys_addr(TEST_VA + 1, ram, 4096, flags, true) != -EINVAL)
		return "unaligned virtual address accepted";
	if (mm_map_phys_addr(TEST_VA, ram + 8, 4096, flags, true) != -EINVAL)
		return "unaligned physical address accepted";
	if (mm_map_phys_addr(TEST_VA, ram, 0, flags, true) != -EINVAL)
		return "zero length accepted";
	if (mm_map_phys_addr(~0ul - 4095, ram, 8192, flags, true) != -EINVAL)
		return "wrapping range accepted";
	if (mm_map_phys_addr(TEST_VA, 0x1000, 4096, flags, true) != -EINVAL)
		return "a normal mapping of non-RAM accepted";
	if (mm_map_phys_addr(TEST_VA, ram, 4096, 0, true) != -EINVAL)
		return "a mapping with no access accepted";
	if (mm_unmap_addr(TEST_VA, 4096) != -ENOENT)
		return "unmapping a hole was not -ENOENT";
	if (mm_map_phys_addr(TEST_VA, ram, 4096, flags, true) ||
	    mm_map_phys_addr(TEST_VA, ram, 4096, flags, true) != -EEXIST)
		return "mapping over an existing leaf was not -EEXIST";
	if (mm_map_phys_addr(TEST_VA, ram, 2 << 20, flags, false) != -EEXIST)
		return "a 2 MiB leaf over a table was not -EEXIST";
	if (mm_unmap_addr(TEST_VA, 4096))
		return "unmap failed";
	return NULL;
}

static const char *test_mapper_input(void)
{
	u64 tables = pm_table_pages(&kernel_pm), before = mm_stat().free;
	const char *fail = bad_input();
	u64 after;

	kmem_drain_local();
	after = mm_stat().free;
	if (!fail && pm_table_pages(&kernel_pm) != tables)
		fail = FAIL("%llu table pages before, %llu after", (unsigned long long)tables,
			    (unsigned long long)pm_table_pages(&kernel_pm));
	if (!fail && after != before)
		fail = FAIL("free %llu before, %llu after", (unsigned long long)before,
			    (unsigned long long)after);
	return fail;
}

/* 2 MiB in 4 KiB pages and back: every table page comes back. */
static const char *test_table_accounting(void)
{
	u64 tables = pm_table_pages(&kernel_pm);
	struct page *p = page_alloc(9, GFP_KERNEL);
	const char *fail = NULL;
	paddr_t pa;

	if (!p)
		return "no 2 MiB block";
	if (mm_map_phys_addr(TEST_VA, page_to_pa(p), 2 << 20, MM_PROT_READ, true))
		fail = "mapping 512 pages failed";
	else if (pm_translate(&kernel_pm, TEST_VA + 0x1ff000, &pa, NULL, NULL) ||
		 pa != page_to_pa(p) + 0x1ff000)
		fail = "the last page translates wrong";
	else if (pm_table_pages(&kernel_pm) != tables + 1)
		fail = FAIL("%llu new table pages, expected 1",
			    (unsigned long long)(pm_table_pages(&kernel_pm) - tables));
	if (mm_unmap_addr(TEST_VA, 2 << 20) && !fail)
		fail = "unmapping the 512 pages failed";
	if (!fail && pm_table_pages(&kernel_pm) != tables)
		fail = "tables not all freed after unmapping";
	if (!fail && !pm_translate(&kernel_pm, TEST_VA, NULL, NULL, NULL))
		fail = "still mapped";
	page_free(p, 9);
	return fail;
}

static const char *test_nested_mapper(void)
{
	struct kernel_mapper outer = kernel_mapper_lock();
	struct kernel_mapper inner = kernel_mapper_lock();
	const char *fail = NULL;

	if (outer.readonly || !inner.readonly)
		fail = "the nested holder is not the read-only one";
	else if (kmap_map_range(&inner, TEST_VA, kernel_pa_start, 4096, PTE_R, true) != -EAGAIN)
		fail = "mapping through the nested mapper was not -EAGAIN";
	kernel_mapper_unlock(&inner);
	if (!fail && kmap_map_range(&outer, TEST_VA, kernel_pa_start, 4096, PTE_R, true))
		fail = "the outer mapper could not map";
	kmap_unmap_range(&outer, TEST_VA, 4096);
	kernel_mapper_unlock(&outer);
	return fail;
}

/* One RFENCE call per kernel operation with other harts online; none for
 * an address space that was active on this hart only. */
static const char *test_rfence_count(void)
{
	u64 c0 = sbi_rfence_calls, c1, c2;
	struct hartmask only_me = { 1ull << this_hart()->cpu };
	struct pm_flush fl = PM_FLUSH_INIT;
	unsigned int others = nr_harts_online - 1;
	const char *fail = NULL;

	mm_map_phys_addr(TEST_VA, kernel_pa_start, 64 << 12, MM_PROT_READ, true);
	mm_unmap_addr(TEST_VA, 64 << 12);
	c1 = sbi_rfence_calls;
	pm_flush_add(&fl, TEST_VA, TEST_VA + (8 << 12));
	pm_flush_run(&fl, 1, false, &only_me);
	c2 = sbi_rfence_calls;
	if (c1 - c0 != (others ? 2 : 0))
		fail = FAIL("%llu RFENCE calls for a map and an unmap of 64 pages on %u harts",
			    (unsigned long long)(c1 - c0), nr_harts_online);
	else if (c2 != c1)
		fail = "a fence was sent for an address space active on no other hart";
	return fail;
}

/* ---- TLB shootdown race ------------------------------------------------- */

/* Rounds of the shootdown race: a few in every boot; pagoda.shootdown=N
 * asks for more (make test runs thousands in a case of its own). */
unsigned int shoot_rounds = 20;
#define SHOOT_PROGRESS 250      /* rounds between progress lines */

static volatile u64 shoot_epoch;
static volatile bool shoot_stop;
static u64 shoot_errors, shoot_reads;

static void shoot_reader(void *arg)
{
	volatile u64 *x = (volatile u64 *)TEST_VA;
	u64 reads = 0;

	if (this_hart()->cpu == 0)
		return;
	while (!__atomic_load_n(&shoot_stop, __ATOMIC_ACQUIRE)) {
		u64 e = __atomic_load_n(&shoot_epoch, __ATOMIC_ACQUIRE);
		u64 v = *x;

		if (v < e)      /* the frame this hart saw was replaced before e */
			__atomic_fetch_add(&shoot_errors, 1, __ATOMIC_RELAXED);
		reads++;
	}
	__atomic_fetch_add(&shoot_reads, reads, __ATOMIC_RELAXED);
}

static void shoot_writer(struct page *f[2])
{
	struct kernel_mapper km;
	u64 n;

	for (n = 1; n <= shoot_rounds; n++) {
		struct page *next = f[n & 1];

		*(volatile u64 *)page_va(next) = n;
		km = kernel_mapper_lock();
		kmap_remap(&km, TEST_VA, page_to_pa(next), PTE_R);     /* one PTE store */
		kernel_mapper_unlock(&km);
		/* every hart has flushed: none may still see value n - 1 */
		__atomic_store_n(&shoot_epoch, n, __ATOMIC_RELEASE);
		/* a long run shows progress (a silent serial line looks hung) */
		if (n % SHOOT_PROGRESS == 0 && n < shoot_rounds)
			printk("selftest: tlb-shootdown: %llu of %u remaps\n",
			       (unsigned long long)n, shoot_rounds);
	}
}

static void shoot_all(void *arg)
{
	if (this_hart()->cpu == 0) {
		shoot_writer(arg);
		__atomic_store_n(&shoot_stop, true, __ATOMIC_RELEASE);
	} else {
		shoot_reader(arg);
	}
}

static const char *test_shootdown(void)
{
	struct page *f[2] = { page_alloc(0, GFP_KERNEL), page_alloc(0, GFP_KERNEL) };
	const char *fail = NULL;

	if (!f[0] || !f[1])
		return "no frames";
	*(u64 *)page_va(f[0]) = 0;
	mm_map_phys_addr(TEST_VA, page_to_pa(f[0]), PAGE_SIZE, MM_PROT_READ, true);
	shoot_epoch = 0;
	shoot_stop = false;
	shoot_errors = shoot_reads = 0;
	smp_run_on_all(shoot_all, f);
	mm_unmap_addr(TEST_VA, PAGE_SIZE);
	if (shoot_errors)
		fail = FAIL("%llu reads saw a replaced frame after its flush",
			    (unsigned long long)shoot_errors);
	else if (nr_harts_online > 1 && shoot_reads < shoot_rounds)
		fail = FAIL("only %llu reads by the other harts", (unsigned long long)shoot_reads);
	printk("selftest: tlb-shootdown: %u remaps, %llu reads on %u other harts\n",
	       shoot_rounds, (unsigned long long)shoot_reads, nr_harts_online - 1);
	page_free(f[0], 0);
	page_free(f[1], 0);
	return fail;
}

/* ---- ioremap ------------------------------------------------------------------ */

static const char *io_cycles(void)
{
	u64 seed = 12345;
	void *v[8] = { 0 };
	unsigned int i, k;

	for (i = 0; i < 1000; i++) {
		k = i % 8;
		if (v[k] && iounmap(v[k]))
			return "iounmap failed";
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		v[k] = ioremap(0x30000000 + ((seed >> 40) & 0xfff) * 4096 + 0x10,
			       1 + ((seed >> 20) % (8 << 20)));
		if (!v[k])
			return "ioremap failed";
	}
	for (k = 0; k < 8; k++)
		if (iounmap(v[k]))
			return "final iounmap failed";
	return NULL;
}

static const char *test_ioremap(void)
{
	u64 before = ioremap_free_pages();
	void *a = ioremap(0x40000000, 2 << 20);
	const char *fail = NULL;
	u64 prot;
	int level = -1;

	if (!a || ((vaddr_t)a & ((2 << 20) - 1)))
		fail = FAIL("2 MiB device range at %p, not 2 MiB-aligned", a);
	else if (pm_translate(&kernel_pm, (vaddr_t)a, NULL, &prot, &level) || level != 1)
		fail = FAIL("not mapped with one 2 MiB page (level %d)", level);
	iounmap(a);
	if (!fail)
		fail = io_cycles();
	if (!fail && ioremap(kernel_pa_start, 4096))
		fail = "ioremap of RAM was accepted";
	if (!fail && (iounmap((void *)0xffffffc812345000ul) != -EINVAL || ioremap(0x30000000, 0)))
		fail = "a bad iounmap or a zero size was accepted";
	if (!fail && ioremap_free_pages() != before)
		fail = FAIL("window: %llu pages free before, %llu after",
			    (unsigned long long)before, (unsigned long long)ioremap_free_pages());
	return fail;
}

/* ---- ASID rollover ------------------------------------------------------------- */

#define NR_TEST_AS   12
#define AS_TEST_VA   0x40000000ul      /* user half, kernel-only page */

struct test_as {
	struct pagemapper pm;
	struct asid_ctx ctx;
	struct page *root, *frame;
};

static struct test_as tas[NR_TEST_AS];
static u64 as_errors, as_shared, as_reuse;
/* What each hart ran last, to check the ASID bookkeeping QEMU cannot see
 * (it drops its whole TLB on every satp write). */
#define TEST_ASID_BITS 3
/* Per hart and ASID: the space that last ran under it there, and how many
 * full flushes the hart had paid by then. */
static struct test_as *asid_user[MAX_HARTS][1 << TEST_ASID_BITS];
static u64 asid_user_flushes[MAX_HARTS][1 << TEST_ASID_BITS];
static u64 running[MAX_HARTS];          /* (space index + 1) << 16 | asid, or 0 */

/*
 * No hart runs a space under an ASID another space ran under on that hart
 * since its last full flush (stale entries would be used), and no space
 * runs under two ASIDs at once.
 */
static void as_check(struct test_as *t, unsigned long asid, unsigned int cpu)
{
	unsigned int h;

	if (asid_bits() && asid < (1 << TEST_ASID_BITS)) {
		if (asid_user[cpu][asid] && asid_user[cpu][asid] != t &&
		    asid_local_flushes(cpu) == asid_user_flushes[cpu][asid])
			__atomic_fetch_add(&as_reuse, 1, __ATOMIC_RELAXED);
		asid_user[cpu][asid] = t;
		asid_user_flushes[cpu][asid] = asid_local_flushes(cpu);
	}
	for (h = 0; h < MAX_HARTS; h++) {
		u64 r = __atomic_load_n(&running[h], __ATOMIC_ACQUIRE);  /* one word: no torn pair */

		if (h != cpu && r >> 16 == (u64)(t - tas) + 1 && (r & 0xffff) != asid)
			__atomic_fetch_add(&as_shared, 1, __ATOMIC_RELAXED);
	}
}

static void as_worker(void *arg)
{
	u64 seed = this_hart()->cpu * 977 + 3, n;
	unsigned long saved = arch_current_satp();

	for (n = 0; n < 3000; n++) {
		struct test_as *t;
		unsigned long f;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		t = &tas[seed % NR_TEST_AS];
		unsigned int cpu = this_hart()->cpu;
		unsigned long asid;

		f = arch_irq_save();
		asid = asid_get(&t->ctx);
		as_check(t, asid, cpu);
		__atomic_store_n(&running[cpu], ((u64)(t - tas) + 1) << 16 | asid, __ATOMIC_RELEASE);
		arch_set_root(t->pm.root_pa, asid);
		if (*(volatile u64 *)AS_TEST_VA != (u64)(t - tas))
			__atomic_fetch_add(&as_errors, 1, __ATOMIC_RELAXED);
		arch_restore_satp(saved);
		__atomic_store_n(&running[cpu], 0, __ATOMIC_RELEASE);
		arch_irq_restore(f);
	}
}

static const char *as_make(struct test_as *t, unsigned int id)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	t->root = page_alloc(0, GFP_KERNEL | __GFP_ZERO);
	t->frame = page_alloc(0, GFP_KERNEL);
	if (!t->root || !t->frame)
		return "no memory";
	memcpy((pte_t *)page_va(t->root) + PT_ENTRIES / 2,
	       (pte_t *)page_va(pa_to_page(kernel_pm.root_pa)) + PT_ENTRIES / 2,
	       PAGE_SIZE / 2);          /* the kernel half, pinned */
	t->pm = kernel_pm;
	t->pm.root_pa = page_to_pa(t->root);
	t->pm.tables = 0;
	t->ctx.gen_asid = 0;
	*(u64 *)page_va(t->frame) = id;
	if (pm_map(&t->pm, AS_TEST_VA, page_to_pa(t->frame), 0, PTE_R, &fl))
		return "pm_map failed";
	pm_flush_drop(&fl);
	return NULL;
}

static void as_destroy(struct test_as *t)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	pm_unmap(&t->pm, AS_TEST_VA, NULL, NULL, &fl);
	pm_flush_run(&fl, 0, true, &kernel_harts);
	page_free(t->frame, 0);
	page_free(t->root, 0);
}

static const char *test_asid_rollover(void)
{
	unsigned int old = asid_set_bits(TEST_ASID_BITS), i;     /* 7 ASIDs, 12 spaces */
	u64 r0 = asid_rollovers();
	const char *fail = NULL;

	for (i = 0; i < NR_TEST_AS && !fail; i++)
		fail = as_make(&tas[i], i);
	if (!fail) {
		as_errors = as_shared = as_reuse = 0;
		smp_run_on_all(as_worker, NULL);
		if (as_errors)
			fail = FAIL("%llu reads through the wrong address space",
				    (unsigned long long)as_errors);
		else if (as_reuse)
			fail = FAIL("%llu switches reused an ASID for another space without a flush",
				    (unsigned long long)as_reuse);
		else if (as_shared)
			fail = FAIL("%llu times a space ran under two ASIDs at once",
				    (unsigned long long)as_shared);
		else if (asid_rollovers() - r0 < 10)
			fail = FAIL("only %llu rollovers", (unsigned long long)(asid_rollovers() - r0));
	}
	if (!fail) {            /* no ASID bits: a full flush on every switch */
		asid_set_bits(0);
		smp_run_on_all(as_worker, NULL);
		if (as_errors)
			fail = FAIL("with no ASID bits, %llu reads through the wrong space",
				    (unsigned long long)as_errors);
	}
	printk("selftest: asid-rollover: %llu rollovers on %u harts\n",
	       (unsigned long long)(asid_rollovers() - r0), nr_harts_online);
	for (i = 0; i < NR_TEST_AS; i++)
		if (tas[i].root && tas[i].frame)
			as_destroy(&tas[i]);
	asid_set_bits(old);
	return fail;
}

const struct selftest selftests_paging[] = {
	{ "wx-and-guards", test_wx },
	{ "stack-guards", test_stack_guards },
	{ "mapper-bad-input", test_mapper_input },
	{ "table-accounting", test_table_accounting },
	{ "kernel-mapper-nesting", test_nested_mapper },
	{ "rfence-count", test_rfence_count },
	{ "tlb-shootdown", test_shootdown },
	{ "ioremap-cycles", test_ioremap },
	{ "asid-rollover", test_asid_rollover },
	{ NULL, NULL },
};
