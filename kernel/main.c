/*
 * kmain: the boot hart's path from the first C instruction at the link
 * address to power-off. Order matters: the device tree is read through the
 * boot window before anything else; the direct map needs memblock; SMP
 * needs the kernel root (every hart runs on it).
 */
#include <pagoda/bench.h>
#include <pagoda/boot.h>
#include <pagoda/dt.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/console.h>
#include <pagoda/memblock.h>
#include <pagoda/mm.h>
#include <pagoda/kmap.h>
#include <pagoda/asid.h>
#include <pagoda/ioremap.h>
#include <pagoda/paging.h>
#include <pagoda/power.h>
#include <pagoda/sched.h>
#include <pagoda/printk.h>
#include <pagoda/selftest.h>
#include <pagoda/smp.h>
#include <pagoda/vdso.h>
#include <asm/sbi.h>
#include <asm/page.h>
#include <asm/cpu.h>
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>

#define EXIT_SELFTEST 3

static struct dt_info dt;

int init_run(const struct dt_info *dt);         /* kernel/proc/init.c */

void dt_printf(const char *fmt, ...)
{
	char buf[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("%s", buf);
}

/*
 * The value of "pagoda.NAME=VALUE" in bootargs, copied into @buf, or NULL.
 * The kernel's options end at a "--" token: what follows is init's argv
 * (kernel/init.c), as on Linux, and is never read as an option.
 */
static const char *boot_option(const char *name, char *buf, size_t size)
{
	const char *p = dt.bootargs;
	size_t n = strlen(name), len;

	while (*p) {
		while (*p == ' ')
			p++;
		for (len = 0; p[len] && p[len] != ' '; len++)
			;
		if (len == 2 && !strncmp(p, "--", 2))
			break;
		if (len > 8 + n && !strncmp(p, "pagoda.", 7) &&
		    !strncmp(p + 7, name, n) && p[7 + n] == '=') {
			strlcpy(buf, p + 8 + n, MIN(size, len - 8 - n + 1));
			return buf;
		}
		p += len;
	}
	return NULL;
}

/* The boot self-tests run when asked: pagoda.selftests=on (off: the default). */
static bool selftests_wanted(void)
{
	char opt[16];

	if (!boot_option("selftests", opt, sizeof(opt)) || !strcmp(opt, "off"))
		return false;
	if (!strcmp(opt, "on"))
		return true;
	printk("selftests: unknown value '%s' (on or off): not run\n", opt);
	return false;
}

static void read_device_tree(paddr_t dtb_pa)
{
	size_t avail = DTB_WINDOW_SIZE / 2 - (dtb_pa & (2 * MiB - 1));

	if (dt_parse((const void *)boot_dtb_va, dtb_pa, avail, &dt)) {
		printk("%s\n", dt.reason);
		power_init(&dt);        /* the finisher, if the tree named one */
		kernel_poweroff(EXIT_BAD_INPUT);
	}
	timebase_hz = dt.timebase_hz;
	if (!timebase_hz) {
		timebase_hz = 10000000;
		printk("dt: no timebase-frequency, assuming %llu Hz\n",
		       (unsigned long long)timebase_hz);
	}
}

/*
 * RAM the tree leaves too small to boot in is unusable input like a bad
 * tree: a one-line reason (mm_init logs its own), then status 1.
 */
static void memory_init(void)
{
	if (dt_reserve(&dt, kernel_pa_start, (u64)(_end - _start), false, "kernel")) {
		printk("dt: no room to reserve the kernel image\n");
		kernel_poweroff(EXIT_BAD_INPUT);        /* never hand out the kernel */
	}
	dt_print_memmap(&dt);
	if (dt_check_usable(&dt, paging_dmap_limit(&dt))) {
		printk("%s\n", dt.reason);
		kernel_poweroff(EXIT_BAD_INPUT);
	}
	memblock_init(&dt, paging_dmap_limit(&dt));
	if (paging_init(&dt)) {
		printk("mm: usable RAM too small to boot: no room for the direct map's page tables\n");
		kernel_poweroff(EXIT_BAD_INPUT);
	}
	if (mm_init(&dt))
		kernel_poweroff(EXIT_BAD_INPUT);
	bench_mm_init_insns = arch_read_instret();
	kmap_init();
	asid_init();
	ioremap_init();
	console_remap(&dt);
	power_remap(&dt);
	bench_paging_init_insns = arch_read_instret();
}

void kmain(unsigned long hartid, paddr_t dtb_pa)
{
	char opt[32];
	unsigned int online;
	int failed;

	smp_init_boot_hart(hartid);
	printk("\nPagoda: boot hart %lu, DTB at 0x%llx, kernel at 0x%llx\n", hartid,
	       (unsigned long long)dtb_pa, (unsigned long long)kernel_pa_start);
	sbi_init();
	sbi_print_info();
	read_device_tree(dtb_pa);
	if (dt.model[0])
		printk("machine: %s\n", dt.model);
	power_init(&dt);
	power_set_reboot_fallback(boot_option("poweroff", opt, sizeof(opt)) &&
				  !strcmp(opt, "reboot"));
	console_init(&dt);
	memory_init();
	vdso_init();
	online = smp_boot(&dt);
	printk("harts online: %u\n", online);
	printk("boot: lottery losers: %u\n", __atomic_load_n(&boot_lottery_losers, __ATOMIC_RELAXED));
	timer_init_hart();
	arch_irq_enable();
	if (boot_option("shootdown", opt, sizeof(opt))) {
		shoot_rounds = MIN(strtoul(opt, NULL, 10), SHOOT_ROUNDS_MAX);
		printk("selftest: tlb-shootdown: %u rounds asked for (at most %u)\n",
		       shoot_rounds, SHOOT_ROUNDS_MAX);
	}
	if (boot_option("test", opt, sizeof(opt)))
		selftest_run_fault(opt);
	if (boot_option("bench", opt, sizeof(opt))) {
		bench_run_all();
		kernel_poweroff(EXIT_OK);
	}
	if (selftests_wanted()) {
		failed = selftest_run_all(&dt);
		printk("selftests: %d failed\n", failed);
		if (failed)
			kernel_poweroff(EXIT_SELFTEST);
	}
	sched_init_hart();
	failed = init_run(&dt);
	if (failed)
		kernel_poweroff(failed);
	sched_idle();           /* init_check_done() powers off at the end */
}
