/*
 * selftest: boot-time checks of the foundation, and the runner of every
 * table of cases (see pagoda/selftest.h for the lines it prints). Each
 * case checks a value and says what it saw when it fails.
 */
#include <pagoda/selftest.h>
#include <pagoda/dt.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/ksyms.h>
#include <pagoda/paging.h>
#include <pagoda/pagemapper.h>
#include <pagoda/kmap.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <asm/page.h>
#include <asm/cpu.h>
#include <asm/tlb.h>
#include <pagoda/hartmask.h>
#include <string.h>

void kmain(unsigned long hartid, paddr_t dtb_pa);

/* @ok, or the failure text @detail. */
static const char *expect(bool ok, const char *detail)
{
	return ok ? NULL : detail;
}

static const char *test_printk(void)
{
	static char buf[64];        /* returned: outlives the call */

	snprintf(buf, sizeof(buf), "%d|%5s|%016llx|%lu|%x|%c|%i|%.2s|%.*s|%4.1s", -42, "ab",
		 0xabcull, 1234567890123ul, 0xbeefu, 'z', 0, "xyz", 1, "pq", "uv");
	return expect(!strcmp(buf, "-42|   ab|0000000000000abc|1234567890123|beef|z|0|xy|p|   u"),
		      buf);
}

static const char *test_ksyms(void)
{
	static char buf[64];

	ksyms_format((vaddr_t)kmain + 4, buf, sizeof(buf));
	return expect(!strcmp(buf, "kmain+0x4"), buf);
}

/* The kernel root maps no low (identity) address: the boot path never had one. */
static const char *test_no_identity(void)
{
	bool ok = pm_translate(&kernel_pm, kernel_pa_start, NULL, NULL, NULL) != 0;

	return expect(ok, "the load address is mapped");
}

/* The direct map shows the kernel's own text at the right place. */
static const char *test_dmap(void)
{
	paddr_t pa;
	bool ok = !pm_translate(&kernel_pm, (vaddr_t)dmap_va(kernel_pa_start), &pa, NULL, NULL) &&
		  pa == kernel_pa_start &&
		  !memcmp(dmap_va(kernel_pa_start), _start, 4096);

	return expect(ok, "kernel text differs through the direct map");
}

static const char *test_timer(void)
{
	u64 start = this_hart()->ticks, deadline = arch_read_time() + timebase_hz;
	static char buf[64];

	while (this_hart()->ticks < start + 3 && arch_read_time() < deadline)
		arch_wait_for_interrupt();
	snprintf(buf, sizeof(buf), "%llu ticks in 1 s",
		 (unsigned long long)(this_hart()->ticks - start));
	return expect(this_hart()->ticks >= start + 3, buf);
}

/* Every online hart answers an IPI. */
static const char *test_ipi(void)
{
	unsigned int cpu, answered = 1, n = nr_harts_online;
	static char buf[64];

	for_each_online_hart(cpu) {
		if (cpu == 0)
			continue;
		u64 before = __atomic_load_n(&harts[cpu].ipis, __ATOMIC_RELAXED);
		u64 deadline = arch_read_time() + timebase_hz;

		if (smp_send_ipi(cpu))
			continue;
		while (__atomic_load_n(&harts[cpu].ipis, __ATOMIC_RELAXED) == before &&
		       arch_read_time() < deadline)
			arch_cpu_relax();
		answered += __atomic_load_n(&harts[cpu].ipis, __ATOMIC_RELAXED) != before;
	}
	snprintf(buf, sizeof(buf), "%u of %u harts answered", answered, n);
	return expect(answered == n, buf);
}

static const struct selftest selftests_core[] = {
	{ "printk", test_printk },
	{ "ksyms", test_ksyms },
	{ "no-identity-map", test_no_identity },
	{ "direct-map", test_dmap },
	{ "timer", test_timer },
	{ "ipi", test_ipi },
	{ NULL, NULL },
};

/* Every table, in the order the cases run. */
static const struct selftest *const selftest_tables[] = {
	selftests_core, selftests_mm, selftests_paging,
};

#define for_each_selftest(t, i) \
	for (i = 0; i < ARRAY_SIZE(selftest_tables); i++) \
		for (t = selftest_tables[i]; t->name; t++)

/* "selftests: N to run: NAME ...", one printk per name (a line is long). */
static void announce(void)
{
	const struct selftest *t;
	unsigned int i, n = 0;

	for_each_selftest(t, i)
		n++;
	printk("selftests: %u to run:", n);
	for_each_selftest(t, i)
		printk(" %s", t->name);
	printk("\n");
}

int selftest_run_all(const struct dt_info *dt)
{
	const struct selftest *t;
	const char *fail;
	unsigned int i;
	int failed = 0;

	announce();
	for_each_selftest(t, i) {
		fail = t->run();
		if (fail)
			printk("selftest: %s FAIL: %s\n", t->name, fail);
		else
			printk("selftest: %s ok\n", t->name);
		failed += fail != NULL;
	}
	return failed;
}

/* kmalloc misuse that must panic with the pointer and the caller. */
static __noinline void kfree_twice(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	kfree(p);
}

static __noinline void kfree_inside(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	kfree(p + 16);
}

/* Deep enough to run off any kernel stack into its guard page. */
static __noinline unsigned long recurse(unsigned long n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	return n ? recurse(n - 1) + frame[0] : 0;
}

/* Caught only in a KMEM_POISON build: the next kmalloc finds the damage. */
static __noinline void write_after_free(void)
{
	volatile char *p = kmalloc(64, GFP_KERNEL);

	kfree((void *)p);
	p[40] = 1;
	p = kmalloc(64, GFP_KERNEL);
	printk("selftest: write after free went unnoticed (KMEM_POISON=%d)\n", KMEM_POISON);
}

/* An address no table maps (hidden from the compiler's bounds checks). */
volatile vaddr_t fault_address = 0x10;

/* Kernel bugs on purpose, to test the panic path: pagoda.test=NAME. */
/* A remote fence to a hart id the firmware does not know: the kernel must
 * stop rather than go on with a TLB that may be stale. */
static void rfence_to_nowhere(void)
{
	struct tlb_batch b = { .start = 0x10000, .end = 0x11000 };
	struct hartmask m = { 0 };
	unsigned int cpu = nr_hart_slots;

	if (cpu >= MAX_HARTS) {
		printk("selftest: rfence-fail: no free hart slot\n");
		return;
	}
	harts[cpu].hartid = 4095;       /* no such hart */
	hartmask_set(&m, cpu);
	arch_tlb_flush(&b, 1, false, &m);
	printk("selftest: rfence-fail: the failed fence went unnoticed\n");
}

__noinline void selftest_run_fault(const char *name)
{
	printk("selftest: deliberate fault '%s'\n", name);
	volatile u64 *bad = (volatile u64 *)fault_address;

	if (!strcmp(name, "load-fault"))
		(void)*bad;
	else if (!strcmp(name, "panic"))
		panic("deliberate panic");
	else if (!strcmp(name, "double-free"))
		kfree_twice();
	else if (!strcmp(name, "bad-free"))
		kfree_inside();
	else if (!strcmp(name, "use-after-free"))
		write_after_free();
	else if (!strcmp(name, "rfence-fail"))
		rfence_to_nowhere();
	else if (!strcmp(name, "stack-overflow"))
		printk("selftest: recursion returned %lu\n", recurse(1000));
	else
		printk("selftest: unknown fault '%s'\n", name);
}
