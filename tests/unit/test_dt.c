/*
 * test_dt: host tests of drivers/of/fdt.c (the device-tree module) with the same
 * libfdt the kernel links, under ASan + UBSan.
 *
 *   usage: test_dt [TESTDIR]
 *
 * TESTDIR holds the compiled test trees (dts/tests/NAME.dts, built by
 * tests/unit/unit.mk into build/dtb/tests); default $DT_TEST_DIR, else
 * build/dtb/tests. Board trees are read from $DT_BOARD_DIR, else
 * TESTDIR/../boards. $DT_FUZZ_ITERS (default 4000) and $DT_FUZZ_SEED
 * (default 1) tune the randomized case; $DT_VERBOSE=1 echoes the module's
 * log lines.
 *
 * Output: one line per case, in the format of tests/unit/harness.h. Every
 * case checks values (bases, sizes, reasons, hart ids, UART fields, map
 * entries), not only return codes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "harness.h"

#include <pagoda/dt.h>

/* ---- harness ---------------------------------------------------------------- */

static const char *test_dir;
static char board_dir[512];
static char log_buf[1 << 16];
static size_t log_len;

/* The module's log goes into log_buf so cases can look for lines. */
void dt_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (getenv("DT_VERBOSE"))
		vprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		log_len += (size_t)n < sizeof(log_buf) - log_len ? (size_t)n
							  : sizeof(log_buf) - 1 - log_len;
}

static void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

static int log_has(const char *s)
{
	return strstr(log_buf, s) != NULL;
}

/* Run a case when $TEST_FILTER selects it, with the module's log emptied. */
static void run_case(const char *name, test_case_fn fn)
{
	if (!test_selected(name))
		return;
	log_reset();
	test_report(name, fn());
}

typedef unsigned long long ull;

/* A whole file in a malloc'd buffer (8-aligned, as libfdt wants). */
static void *load(const char *dir, const char *name, size_t *size)
{
	char path[1024];
	FILE *f;
	void *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}

static struct dt_info dt;       /* large; one shared, reset by dt_parse */

/* Parse TESTDIR/NAME at @pa; -1000 when the file is missing. */
static int parse_test(const char *name, uint64_t pa)
{
	size_t size;
	void *blob = load(test_dir, name, &size);
	int err;

	if (!blob) {
		snprintf(dt.reason, sizeof(dt.reason), "cannot read %s/%s", test_dir, name);
		return -1000;
	}
	err = dt_parse(blob, pa, size, &dt);
	free(blob);
	return err;
}

struct exp_map {
	ull base, last;
	enum dt_map_type type;
	const char *why;
};

/* Compare dt_memmap() with @exp, entry by entry. NULL when equal. */
static const char *check_map(const struct exp_map *exp, unsigned int n)
{
	static struct dt_map_entry map[DT_MAX_MAP];
	unsigned int got = dt_memmap(&dt, map, DT_MAX_MAP);

	for (unsigned int i = 0; i < n && i < got; i++) {
		const struct dt_map_entry *m = &map[i];

		CHECK(m->base == exp[i].base && m->base + m->size - 1 == exp[i].last &&
		      m->type == exp[i].type && strcmp(m->why, exp[i].why) == 0,
		      "map[%u] = [%#llx-%#llx] type %d (%s), want [%#llx-%#llx] type %d (%s)",
		      i, (ull)m->base, (ull)(m->base + m->size - 1), m->type, m->why,
		      exp[i].base, exp[i].last, exp[i].type, exp[i].why);
	}
	CHECK(got == n, "memmap has %u entries, want %u", got, n);
	return NULL;
}

static ull exp_usable(const struct exp_map *exp, unsigned int n)
{
	ull sum = 0;

	for (unsigned int i = 0; i < n; i++)
		if (exp[i].type == DT_MAP_USABLE)
			sum += exp[i].last - exp[i].base + 1;
	return sum;
}

static const char *check_hart(unsigned int i, uint32_t id, int usable, const char *why)
{
	const struct dt_hart *h = &dt.harts[i];

	CHECK(i < dt.nharts, "only %u harts", dt.nharts);
	CHECK(h->hartid == id && h->usable == usable && (usable || !strcmp(h->why, why)),
	      "harts[%u] = id %u usable %d (%s), want id %u usable %d (%s)", i,
	      h->hartid, h->usable, h->why, id, usable, why);
	return NULL;
}

/* ---- well-formed trees ---------------------------------------------------- */

#define VIRT_PA 0x8fe00000ull

static const char *case_virt(void)
{
	int err = parse_test("virt.dtb", VIRT_PA);
	ull dtb_last;
	const struct dt_uart *u = &dt.uart;

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == 1 && dt.mem[0].base == 0x80000000 && dt.mem[0].size == 0x10000000,
	      "mem: %u banks, [0] = %#llx+%#llx", dt.nmem, (ull)dt.mem[0].base,
	      (ull)dt.mem[0].size);
	CHECK(dt.dtb_pa == VIRT_PA && dt.dtb_size > 64 && dt.dtb_size < 8192,
	      "dtb %#llx size %u", (ull)dt.dtb_pa, dt.dtb_size);
	CHECK(dt.nharts == 4 && dt.nusable_harts == 4, "harts %u/%u", dt.nusable_harts, dt.nharts);
	for (unsigned int i = 0; i < 4; i++)
		TRY(check_hart(i, i, 1, ""));
	CHECK(dt.timebase_hz == 10000000, "timebase %llu", (ull)dt.timebase_hz);
	CHECK(u->type == DT_UART_NS16550 && u->base == 0x10000000 && u->size == 0x100 &&
	      u->reg_shift == 0 && u->reg_io_width == 1 && u->clock == 3686400 &&
	      !strcmp(u->path, "/soc/serial@10000000"),
	      "uart type %d base %#llx size %#llx shift %u width %u clock %u path %s",
	      u->type, (ull)u->base, (ull)u->size, u->reg_shift, u->reg_io_width,
	      u->clock, u->path);
	CHECK(dt.finisher_pa == 0x100000, "finisher %#llx", (ull)dt.finisher_pa);
	CHECK(!strcmp(dt.model, "riscv-virtio,qemu"), "model '%s'", dt.model);
	CHECK(!strcmp(dt.bootargs, "console=ttyS0 earlycon"), "bootargs '%s'", dt.bootargs);
	CHECK(!strcmp(dt.stdout_path, "/soc/serial@10000000"), "stdout '%s'", dt.stdout_path);
	CHECK(dt.initrd_start == 0x88000000 && dt.initrd_end == 0x88100000,
	      "initrd %#llx-%#llx", (ull)dt.initrd_start, (ull)dt.initrd_end);
	dtb_last = VIRT_PA + dt.dtb_size - 1;
	{
		const struct exp_map exp[] = {
			{ 0x80000000, 0x8003ffff, DT_MAP_NOMAP, "mmode_resources@80000000" },
			{ 0x80040000, 0x87ffffff, DT_MAP_USABLE, "" },
			{ 0x88000000, 0x880fffff, DT_MAP_RESERVED, "initrd" },
			{ 0x88100000, VIRT_PA - 1, DT_MAP_USABLE, "" },
			{ VIRT_PA, dtb_last, DT_MAP_RESERVED, "dtb" },
			{ dtb_last + 1, 0x8fffffff, DT_MAP_USABLE, "" },
		};
		TRY(check_map(exp, 6));
		CHECK(dt_usable_bytes(&dt) == exp_usable(exp, 6), "usable %llu, want %llu",
		      (ull)dt_usable_bytes(&dt), exp_usable(exp, 6));
	}
	CHECK(log_len == 0, "unexpected log: %s", log_buf);
	return NULL;
}

/* dt_print_memmap's exact text, Linux style. */
static const char *case_print_memmap(void)
{
	char want[1024];
	int err = parse_test("virt.dtb", VIRT_PA);
	ull last = VIRT_PA + dt.dtb_size - 1;
	ull usable = 0x10000000ull - 0x40000 - 0x100000 - dt.dtb_size;

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	log_reset();
	dt_print_memmap(&dt);
	snprintf(want, sizeof(want),
		 "[mem 0x0000000080000000-0x000000008003ffff] reserved (mmode_resources@80000000, no-map)\n"
		 "[mem 0x0000000080040000-0x0000000087ffffff] usable\n"
		 "[mem 0x0000000088000000-0x00000000880fffff] reserved (initrd)\n"
		 "[mem 0x0000000088100000-0x000000008fdfffff] usable\n"
		 "[mem 0x000000008fe00000-0x%016llx] reserved (dtb)\n"
		 "[mem 0x%016llx-0x000000008fffffff] usable\n"
		 "usable: %llu bytes (%llu MiB)\n", last, last + 1, usable, usable >> 20);
	CHECK(strcmp(log_buf, want) == 0, "got:\n%s\nwant:\n%s", log_buf, want);
	return NULL;
}

/* banks.dts: banks, reservations of every kind, the map they make. */
static const char *case_banks(void)
{
	const ull pa = 0x800000;
	int err = parse_test("banks.dtb", pa);
	static const struct dt_range want_mem[] = {
		{ 0x0, 0x1000000 }, { 0x80000000, 0x8000000 }, { 0x90000000, 0x8000000 },
		{ 0x100000000, 0x40000000 }, { 0x180000000, 0x100000 },
	};

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == 5, "%u banks, want 5", dt.nmem);
	for (unsigned int i = 0; i < 5; i++)
		CHECK(dt.mem[i].base == want_mem[i].base && dt.mem[i].size == want_mem[i].size,
		      "mem[%u] = %#llx+%#llx, want %#llx+%#llx", i, (ull)dt.mem[i].base,
		      (ull)dt.mem[i].size, (ull)want_mem[i].base, (ull)want_mem[i].size);
	{
		ull l = pa + dt.dtb_size - 1;
		const struct exp_map exp[] = {
			{ 0x0, pa - 1, DT_MAP_USABLE, "" },
			{ pa, l, DT_MAP_RESERVED, "dtb" },
			{ l + 1, 0xffffff, DT_MAP_USABLE, "" },
			{ 0x80000000, 0x801fffff, DT_MAP_NOMAP, "fw@80000000" },
			{ 0x80200000, 0x8020ffff, DT_MAP_RESERVED, "memreserve" },
			{ 0x80210000, 0x87ffffff, DT_MAP_USABLE, "" },
			{ 0x90000000, 0x9007ffff, DT_MAP_RESERVED, "buf@90000000" },
			{ 0x90080000, 0x9017ffff, DT_MAP_NOMAP, "overlap@90080000" },
			{ 0x90180000, 0x97efffff, DT_MAP_USABLE, "" },
			{ 0x97f00000, 0x97ffffff, DT_MAP_RESERVED, "partial@97f00000" },
			{ 0x100000000, 0x100000fff, DT_MAP_RESERVED, "memreserve" },
			{ 0x100001000, 0x1001fffff, DT_MAP_USABLE, "" },
			{ 0x100200000, 0x1003fffff, DT_MAP_RESERVED, "initrd" },
			{ 0x100400000, 0x13fffffff, DT_MAP_USABLE, "" },
			{ 0x180000000, 0x1800fffff, DT_MAP_USABLE, "" },
		};
		TRY(check_map(exp, 15));
		CHECK(dt_usable_bytes(&dt) == exp_usable(exp, 15), "usable %llu, want %llu",
		      (ull)dt_usable_bytes(&dt), exp_usable(exp, 15));
	}
	CHECK(log_has("dt: reserved [0x97f00000-0x980fffff] (partial@97f00000) partly outside RAM, clipped\n"),
	      "no 'clipped' line in log: %s", log_buf);
	CHECK(log_has("dt: reserved [0x40000000-0x400fffff] (outside@40000000) outside RAM, ignored\n"),
	      "no 'outside RAM' line in log: %s", log_buf);
	CHECK(log_has("reserved-memory/dynamic") && !log_has("off@81000000"),
	      "dynamic/disabled children: log %s", log_buf);
	return NULL;
}

/* banks.dts, the rest: harts of every kind, a UART behind two ranges. */
static const char *case_banks_devices(void)
{
	int err = parse_test("banks.dtb", 0x800000);
	const struct dt_uart *u = &dt.uart;

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nharts == 6 && dt.nusable_harts == 3, "harts %u/%u", dt.nusable_harts, dt.nharts);
	TRY(check_hart(0, 0, 0, "no mmu-type"));
	TRY(check_hart(1, 1, 1, ""));
	TRY(check_hart(2, 2, 0, "disabled"));
	TRY(check_hart(3, 3, 0, "mmu-type riscv,none"));
	TRY(check_hart(4, 4, 1, ""));
	TRY(check_hart(5, 5, 1, ""));
	CHECK(dt.timebase_hz == 1000000, "timebase %llu", (ull)dt.timebase_hz);
	CHECK(u->type == DT_UART_DW_APB && u->base == 0x21010000 && u->size == 0x100 &&
	      u->reg_shift == 2 && u->reg_io_width == 4 && u->clock == 24000000 &&
	      !strcmp(u->path, "/soc/apb/serial@10000"),
	      "uart type %d base %#llx shift %u width %u clock %u path %s", u->type,
	      (ull)u->base, u->reg_shift, u->reg_io_width, u->clock, u->path);
	CHECK(dt.finisher_pa == 0x20100000, "finisher %#llx", (ull)dt.finisher_pa);
	CHECK(dt.initrd_start == 0x100200000 && dt.initrd_end == 0x100400000,
	      "initrd %#llx-%#llx", (ull)dt.initrd_start, (ull)dt.initrd_end);
	CHECK(dt.model[0] == '\0' && dt.bootargs[0] == '\0', "model/bootargs not empty");
	return NULL;
}

static const char *case_cells1(void)
{
	int err = parse_test("cells1.dtb", 0x0);
	const struct dt_uart *u = &dt.uart;

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == 1 && dt.mem[0].base == 0x80000000 && dt.mem[0].size == 0x8000000,
	      "mem %u: %#llx+%#llx", dt.nmem, (ull)dt.mem[0].base, (ull)dt.mem[0].size);
	CHECK(dt.nrsv == 1 && dt.rsv[0].base == 0x80000000 && dt.rsv[0].size == 0x80000 &&
	      dt.rsv[0].nomap && !strcmp(dt.rsv[0].why, "sbi@80000000"),
	      "rsv %u: %#llx+%#llx nomap %d %s", dt.nrsv, (ull)dt.rsv[0].base,
	      (ull)dt.rsv[0].size, dt.rsv[0].nomap, dt.rsv[0].why);
	CHECK(log_has("(dtb) outside RAM, ignored"), "dtb at 0 not ignored: %s", log_buf);
	CHECK(u->type == DT_UART_NS16550 && u->base == 0x10000000 && u->size == 0x1000 &&
	      u->reg_shift == 0 && u->reg_io_width == 1 && u->clock == 0 &&
	      !strcmp(u->path, "/soc/uart@10000000"),
	      "uart type %d base %#llx shift %u width %u clock %u path %s", u->type,
	      (ull)u->base, u->reg_shift, u->reg_io_width, u->clock, u->path);
	CHECK(!strcmp(dt.stdout_path, "serial0:115200n8"), "stdout '%s'", dt.stdout_path);
	CHECK(strlen(dt.bootargs) == DT_BOOTARGS_MAX - 1 &&
	      !strncmp(dt.bootargs, "0123456789abcdef0123", 20) && !strstr(dt.bootargs, "TAIL"),
	      "bootargs len %zu", strlen(dt.bootargs));
	CHECK(log_has("bootargs longer than 255 bytes, truncated"), "no truncation log: %s", log_buf);
	CHECK(dt.timebase_hz == 24000000 && dt.nharts == 1 && dt.nusable_harts == 1,
	      "timebase %llu harts %u", (ull)dt.timebase_hz, dt.nharts);
	CHECK(!strcmp(dt.model, "pagoda,cells1") && dt.finisher_pa == 0, "model %s finisher %#llx",
	      dt.model, (ull)dt.finisher_pa);
	return NULL;
}

static const char *case_sbi_console(void)
{
	int err = parse_test("sbicon.dtb", 0x0);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.uart.type == DT_UART_NONE, "uart type %d, want NONE", dt.uart.type);
	CHECK(log_has("not a known UART"), "no log line: %s", log_buf);
	CHECK(dt.timebase_hz == 0 && log_has("timebase-frequency"), "timebase %llu, log %s",
	      (ull)dt.timebase_hz, log_buf);
	CHECK(dt.nmem == 2 && dt.mem[1].base == 0xfffffffff0000000ull &&
	      dt.mem[1].size == 0x0fffffffull, "last bank: %u banks, [1] = %#llx+%#llx",
	      dt.nmem, (ull)dt.mem[1].base, (ull)dt.mem[1].size);
	CHECK(dt.finisher_pa == 0 && dt.initrd_end == 0 && !dt.bootargs[0],
	      "finisher %#llx initrd %#llx", (ull)dt.finisher_pa, (ull)dt.initrd_end);
	return NULL;
}

/* QEMU sifive_u: the E51 skipped, stdout-path's alias picks UART1. */
static const char *case_sifive_u(void)
{
	int err = parse_test("sifiveu.dtb", 0x0);
	const struct dt_uart *u = &dt.uart;

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nharts == 5 && dt.nusable_harts == 4, "harts %u/%u, want 4/5",
	      dt.nusable_harts, dt.nharts);
	TRY(check_hart(0, 0, 0, "no mmu-type"));
	for (unsigned int i = 1; i <= 4; i++)
		TRY(check_hart(i, i, 1, ""));
	CHECK(u->type == DT_UART_SIFIVE && u->base == 0x10011000 && u->size == 0x1000 &&
	      u->reg_shift == 0 && u->reg_io_width == 1 && u->clock == 0 &&
	      !strcmp(u->path, "/soc/serial@10011000"),
	      "uart type %d base %#llx size %#llx shift %u width %u clock %u path %s",
	      u->type, (ull)u->base, (ull)u->size, u->reg_shift, u->reg_io_width,
	      u->clock, u->path);
	CHECK(dt.timebase_hz == 1000000 && dt.finisher_pa == 0, "timebase %llu finisher %#llx",
	      (ull)dt.timebase_hz, (ull)dt.finisher_pa);
	return NULL;
}

/* 20 banks and 40 /memreserve/: tables stop at their size, with log lines. */
static const char *case_overflow(void)
{
	static struct dt_map_entry map[DT_MAX_MAP + 1];
	int err = parse_test("many.dtb", 0x0);
	unsigned int n;

	/*
	 * Too many banks: the extra RAM is only left unused. Too many reserved
	 * ranges: the tree is refused, since a range that cannot be kept out
	 * of use could be firmware memory.
	 */
	CHECK(err == -EINVAL && !strncmp(dt.reason, "dt: more than 32 reserved ranges: no room for [",
					 47), "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == DT_MAX_MEM && log_has("more than 16 memory banks"), "nmem %u", dt.nmem);
	CHECK(dt.nrsv == DT_MAX_RSV, "nrsv %u", dt.nrsv);
	CHECK(dt.rsv[31].base == 0x8003e000, "rsv[31] at %#llx", (ull)dt.rsv[31].base);
	n = dt_memmap(&dt, map, DT_MAX_MAP);
	CHECK(n == 79, "memmap %u entries, want 79", n);
	CHECK(dt_memmap(&dt, map, 5) == 5, "memmap with max 5 not 5");
	CHECK(dt_usable_bytes(&dt) == 16 * 0x100000ull - 32 * 0x1000,
	      "usable %llu", (ull)dt_usable_bytes(&dt));
	CHECK(dt_reserve(&dt, 0x81000000, 0x1000, false, "kernel") == -ENOSPC,
	      "dt_reserve on a full table did not return -ENOSPC");
	return NULL;
}

/* ---- touching banks --------------------------------------------------------- */

/* Two memory nodes that touch, a reservation across the boundary: one map
 * entry per bank piece, never one spanning both banks. */
static const char *case_touching(void)
{
	int err = parse_test("touching.dtb", 0x0);
	const struct exp_map exp[] = {
		{ 0x80000000, 0x8fefffff, DT_MAP_USABLE, "" },
		{ 0x8ff00000, 0x8fffffff, DT_MAP_RESERVED, "buf@8ff00000" },
		{ 0x90000000, 0x900fffff, DT_MAP_RESERVED, "buf@8ff00000" },
		{ 0x90100000, 0x9fffffff, DT_MAP_USABLE, "" },
	};

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == 2 && dt.mem[0].base == 0x80000000 && dt.mem[0].size == 0x10000000 &&
	      dt.mem[1].base == 0x90000000 && dt.mem[1].size == 0x10000000,
	      "%u banks, [0] = %#llx+%#llx", dt.nmem, (ull)dt.mem[0].base, (ull)dt.mem[0].size);
	TRY(check_map(exp, 4));
	CHECK(dt_usable_bytes(&dt) == exp_usable(exp, 4), "usable %llu", (ull)dt_usable_bytes(&dt));
	return NULL;
}

/* Touching ranges in one reg, one boundary inside a page. */
static const char *case_touching_reg(void)
{
	int err = parse_test("touchreg.dtb", 0x0);
	const struct exp_map exp[] = {
		{ 0x80000000, 0x8fffffff, DT_MAP_USABLE, "" },
		{ 0x90000000, 0x980007ff, DT_MAP_USABLE, "" },
		{ 0x98000800, 0x9fffffff, DT_MAP_USABLE, "" },
	};

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == 3, "%u banks, want 3", dt.nmem);
	TRY(check_map(exp, 3));
	CHECK(dt_usable_bytes(&dt) == 0x20000000, "usable %llu", (ull)dt_usable_bytes(&dt));
	CHECK(dt_check_usable(&dt, UINT64_MAX) == 0, "dt_check_usable: %s", dt.reason);
	return NULL;
}

/* 20 touching banks: 16 kept, one map entry each; 4 logged and skipped. */
static const char *case_touching_many(void)
{
	static struct exp_map exp[DT_MAX_MEM];
	char line[128];
	int err = parse_test("touch20.dtb", 0x0);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nmem == DT_MAX_MEM, "%u banks, want %d", dt.nmem, DT_MAX_MEM);
	for (unsigned int i = 16; i < 20; i++) {
		ull base = 0x80000000ull + i * 0x1000000ull;

		snprintf(line, sizeof(line), "dt: more than 16 memory banks, [%#llx-%#llx] ignored\n",
			 base, base + 0xffffff);
		CHECK(log_has(line), "no line '%s' in: %s", line, log_buf);
	}
	for (unsigned int i = 0; i < DT_MAX_MEM; i++) {
		exp[i].base = 0x80000000ull + i * 0x1000000ull;
		exp[i].last = exp[i].base + 0xffffff;
		exp[i].type = DT_MAP_USABLE;
		exp[i].why = "";
	}
	TRY(check_map(exp, DT_MAX_MEM));
	CHECK(dt_usable_bytes(&dt) == 0x10000000, "usable %llu", (ull)dt_usable_bytes(&dt));
	return NULL;
}

/* ---- no usable RAM after the reservations ---------------------------------- */

#define NO_USABLE "dt: no usable RAM left after the reservations"

/* /reserved-memory over all RAM, plain and no-map: parsed, then refused. */
static const char *check_reserved_all(const char *file, enum dt_map_type type)
{
	int err = parse_test(file, 0x0);
	const struct exp_map exp[] = { { 0x80000000, 0x8fffffff, type, "all@80000000" } };

	CHECK(err == 0, "%s: dt_parse = %d (%s)", file, err, dt.reason);
	TRY(check_map(exp, 1));
	CHECK(dt_usable_bytes(&dt) == 0, "%s: usable %llu", file, (ull)dt_usable_bytes(&dt));
	err = dt_check_usable(&dt, UINT64_MAX);
	CHECK(err == -EINVAL && !strcmp(dt.reason, NO_USABLE), "%s: dt_check_usable = %d (%s)",
	      file, err, dt.reason);
	return NULL;
}

static const char *case_reserved_all(void)
{
	TRY(check_reserved_all("rsvall.dtb", DT_MAP_RESERVED));
	return check_reserved_all("rsvnomap.dtb", DT_MAP_NOMAP);
}

/*
 * RAM holding the kernel image and less than a page more: refused. A
 * smaller image leaves a whole page: accepted, unless @limit (the end of
 * the direct map) cuts it off.
 */
static const char *case_kernel_only(void)
{
	int err = parse_test("kernonly.dtb", 0x0);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt_reserve(&dt, 0x80200000, 0x1ff000, false, "kernel") == 0, "dt_reserve failed");
	CHECK(dt_check_usable(&dt, UINT64_MAX) == 0, "a whole page left, yet: %s", dt.reason);
	CHECK(dt_check_usable(&dt, 0x803ff800) == -EINVAL && !strcmp(dt.reason, NO_USABLE),
	      "page cut off by the limit, yet dt_check_usable passed (%s)", dt.reason);
	dt.reason[0] = '\0';
	CHECK(dt_reserve(&dt, 0x803ff000, 0x1000, false, "kernel") == 0, "dt_reserve failed");
	CHECK(dt_usable_bytes(&dt) == 0x800, "usable %llu, want 2048", (ull)dt_usable_bytes(&dt));
	err = dt_check_usable(&dt, UINT64_MAX);
	CHECK(err == -EINVAL && !strcmp(dt.reason, NO_USABLE), "dt_check_usable = %d (%s)",
	      err, dt.reason);
	return NULL;
}

/* ---- malformed trees ------------------------------------------------------ */

static const char *expect_fail(const char *file, const char *reason, int exact)
{
	int err = parse_test(file, 0x80000000);

	CHECK(err == -EINVAL, "%s: dt_parse = %d (%s), want -EINVAL", file, err, dt.reason);
	CHECK(exact ? !strcmp(dt.reason, reason) : !strncmp(dt.reason, reason, strlen(reason)),
	      "%s: reason '%s', want '%s'", file, dt.reason, reason);
	return NULL;
}

static const char *case_no_memory(void)
{
	return expect_fail("nomem.dtb", "dt: no memory node", 1);
}

static const char *case_zero_bank(void)
{
	return expect_fail("zerobank.dtb", "dt: no memory node", 1);
}

static const char *case_no_hart(void)
{
	return expect_fail("nohart.dtb", "dt: no usable hart", 1);
}

static const char *case_overlap(void)
{
	return expect_fail("overlap.dtb",
			   "dt: memory banks overlap: [0x80000000-0x8fffffff] and [0x8ff00000-0x9fefffff]", 1);
}

static const char *case_bad_reg(void)
{
	return expect_fail("badreg.dtb", "dt: memory@80000000: reg length 12 is not a multiple of 16", 1);
}

/* A bank whose size runs past 2^64 is refused, not clipped to exabytes. */
static const char *case_wrap_bank(void)
{
	return expect_fail("wrapbank.dtb", "dt: memory@80000000: bank at 0x80000000 size "
			   "0xffffffffffffffff runs past the end of the address space", 1);
}

static const char *case_cells3(void)
{
	return expect_fail("cells3.dtb", "dt: bus: #address-cells 3", 0);
}

/* ---- blobs mutated in memory ---------------------------------------------- */

static void put32(void *blob, size_t off, uint32_t v)
{
	uint8_t *p = (uint8_t *)blob + off;

	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static const char *case_bad_magic(void)
{
	size_t size;
	void *blob = load(test_dir, "virt.dtb", &size);
	int err;

	CHECK(blob, "cannot read virt.dtb");
	put32(blob, 0, 0xd00dfeee);
	err = dt_parse(blob, 0x82200000, size, &dt);
	free(blob);
	CHECK(err == -EINVAL && !strcmp(dt.reason,
		"dt: bad magic 0xd00dfeee at 0x82200000 (expected 0xd00dfeed)"),
	      "err %d reason '%s'", err, dt.reason);
	return NULL;
}

static const char *case_truncated(void)
{
	char want[128];
	size_t size;
	void *blob = load(test_dir, "virt.dtb", &size);
	void *cut;
	int err;

	CHECK(blob, "cannot read virt.dtb");
	/* An exact-size copy, so ASan sees any read past the end. */
	cut = malloc(size - 1);
	memcpy(cut, blob, size - 1);
	err = dt_parse(cut, 0x80000000, size - 1, &dt);
	snprintf(want, sizeof(want), "dt: truncated: totalsize %zu but only %zu bytes", size, size - 1);
	CHECK(err == -EINVAL && !strcmp(dt.reason, want), "err %d reason '%s', want '%s'",
	      err, dt.reason, want);
	err = dt_parse(cut, 0x80000000, 10, &dt);
	CHECK(err == -EINVAL && !strcmp(dt.reason, "dt: truncated: only 10 bytes at 0x80000000"),
	      "10 bytes: err %d reason '%s'", err, dt.reason);
	free(cut);
	free(blob);
	return NULL;
}

static const char *case_too_big(void)
{
	size_t size, big = DT_MAX_SIZE + 4096;
	void *blob = load(test_dir, "virt.dtb", &size);
	void *buf = calloc(1, big);
	int err;

	CHECK(blob && buf, "cannot read virt.dtb");
	memcpy(buf, blob, size);
	put32(buf, 4, (uint32_t)big);   /* totalsize */
	err = dt_parse(buf, 0x80000000, big, &dt);
	free(buf);
	free(blob);
	CHECK(err == -EINVAL && strstr(dt.reason, "exceeds the limit"), "err %d reason '%s'",
	      err, dt.reason);
	return NULL;
}

/* ---- trees edited with libfdt's read-write API ---------------------------- */

/* virt.dtb opened into a roomier buffer, edited by @edit, then parsed. */
static int parse_edited(int (*edit)(void *fdt), uint64_t pa)
{
	size_t size;
	void *blob = load(test_dir, "virt.dtb", &size);
	int room = (int)size + 1024, err;
	void *buf = malloc((size_t)room);

	if (!blob || !buf || fdt_open_into(blob, buf, room) || edit(buf)) {
		snprintf(dt.reason, sizeof(dt.reason), "cannot edit virt.dtb");
		err = -1000;
	} else {
		err = dt_parse(buf, pa, (size_t)room, &dt);
	}
	free(buf);
	free(blob);
	return err;
}

static int node(void *fdt, const char *path)
{
	return fdt_path_offset(fdt, path);
}

static int edit_stdout_missing(void *fdt)
{
	return fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "/soc/nothing@0");
}

static int edit_stdout_options(void *fdt)
{
	return fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path",
				  "/soc/serial@10000000:115200n8");
}

static int edit_uart_width(void *fdt)
{
	return fdt_setprop_u32(fdt, node(fdt, "/soc/serial@10000000"), "reg-io-width", 3);
}

static int edit_initrd_backwards(void *fdt)
{
	return fdt_setprop_u32(fdt, node(fdt, "/chosen"), "linux,initrd-end", 0x87000000);
}

static int edit_memory_at_zero(void *fdt)
{
	int mem = node(fdt, "/memory@80000000");
	fdt64_t reg[2] = { cpu_to_fdt64(0), cpu_to_fdt64(0x10000000) };

	return fdt_setprop(fdt, mem, "reg", reg, sizeof(reg)) ||
	       fdt_setprop_u32(fdt, node(fdt, "/chosen"), "linux,initrd-start", 0x0) ||
	       fdt_setprop_u32(fdt, node(fdt, "/chosen"), "linux,initrd-end", 0x1000);
}

static int edit_cpus_64bit_timebase(void *fdt)
{
	return fdt_setprop_u64(fdt, node(fdt, "/cpus"), "timebase-frequency", 0x100000000ull);
}

static int edit_status_disabled_memory(void *fdt)
{
	return fdt_setprop_string(fdt, node(fdt, "/memory@80000000"), "status", "disabled");
}

static int edit_bad_timebase(void *fdt)
{
	return fdt_setprop(fdt, node(fdt, "/cpus"), "timebase-frequency", "abc", 3);
}

static const char *case_edited(void)
{
	int err = parse_edited(edit_stdout_missing, VIRT_PA);

	CHECK(err == 0 && dt.uart.type == DT_UART_NS16550 && dt.uart.base == 0x10000000 &&
	      log_has("stdout-path \"/soc/nothing@0\" not found"),
	      "missing stdout-path: err %d type %d log %s", err, dt.uart.type, log_buf);
	log_reset();
	err = parse_edited(edit_stdout_options, VIRT_PA);
	CHECK(err == 0 && dt.uart.type == DT_UART_NS16550 && log_len == 0,
	      "stdout-path with options: err %d type %d log %s", err, dt.uart.type, log_buf);
	err = parse_edited(edit_uart_width, VIRT_PA);
	CHECK(err == 0 && dt.uart.type == DT_UART_NONE && log_has("bad reg or UART"),
	      "reg-io-width 3: err %d type %d", err, dt.uart.type);
	log_reset();
	err = parse_edited(edit_initrd_backwards, VIRT_PA);
	CHECK(err == 0 && dt.initrd_end == 0 && log_has("initrd ignored"),
	      "initrd end < start: err %d end %#llx", err, (ull)dt.initrd_end);
	err = parse_edited(edit_memory_at_zero, 0x0);
	CHECK(err == 0 && dt.mem[0].base == 0 && dt.initrd_end == 0x1000 &&
	      dt.nrsv == 2 && dt.rsv[0].base == 0 && !strcmp(dt.rsv[0].why, "dtb") &&
	      !strcmp(dt.rsv[1].why, "initrd"),
	      "bank at 0: err %d (%s) nrsv %u", err, dt.reason, dt.nrsv);
	err = parse_edited(edit_cpus_64bit_timebase, VIRT_PA);
	CHECK(err == 0 && dt.timebase_hz == 0x100000000ull, "64-bit timebase %llu",
	      (ull)dt.timebase_hz);
	err = parse_edited(edit_bad_timebase, VIRT_PA);
	CHECK(err == 0 && dt.timebase_hz == 0, "3-byte timebase %llu", (ull)dt.timebase_hz);
	err = parse_edited(edit_status_disabled_memory, VIRT_PA);
	CHECK(err == -EINVAL && !strcmp(dt.reason, "dt: no memory node"),
	      "disabled memory: err %d (%s)", err, dt.reason);
	return NULL;
}

/* ---- /chosen linux,initrd-start/-end ------------------------------------------ */

/* One initrd edit of virt.dtb: each property's length (-1: absent) and value. */
static struct initrd_edit {
	const char *name;
	int slen;
	uint64_t start;
	int elen;
	uint64_t end;
	uint64_t want_start, want_end;  /* 0, 0: none */
	const char *log;                /* expected log line; NULL: none */
} initrd_cur;

/* @v big-endian in @len bytes (the low bytes when len < 8). */
static void put_be(uint8_t *p, int len, uint64_t v)
{
	for (int i = len - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static int edit_initrd(void *fdt)
{
	int ch = node(fdt, "/chosen");
	uint8_t buf[16];

	fdt_delprop(fdt, ch, "linux,initrd-start");
	fdt_delprop(fdt, ch, "linux,initrd-end");
	if (initrd_cur.slen >= 0) {
		put_be(buf, initrd_cur.slen, initrd_cur.start);
		if (fdt_setprop(fdt, ch, "linux,initrd-start", buf, initrd_cur.slen))
			return -1;
	}
	if (initrd_cur.elen >= 0) {
		put_be(buf, initrd_cur.elen, initrd_cur.end);
		if (fdt_setprop(fdt, ch, "linux,initrd-end", buf, initrd_cur.elen))
			return -1;
	}
	return 0;
}

/* Reserved entries named "initrd": how many, and the first one's range. */
static unsigned int initrd_rsv(uint64_t *base, uint64_t *size)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < dt.nrsv; i++) {
		if (strcmp(dt.rsv[i].why, "initrd"))
			continue;
		if (n++ == 0) {
			*base = dt.rsv[i].base;
			*size = dt.rsv[i].size;
		}
	}
	return n;
}

/*
 * Present with 32- and 64-bit cells (and one of each), absent, half there,
 * end not above start, lengths other than 4 and 8, overlapping the no-map
 * firmware region, outside or across the end of RAM (virt.dtb: RAM 0x80000000-0x8fffffff). A usable initrd is
 * reserved as "initrd"; a bad one is ignored with a log line, unreserved.
 */
static const char *case_initrd(void)
{
	static const struct initrd_edit cases[] = {
		{ "32-bit cells", 4, 0x88000000, 4, 0x88100000, 0x88000000, 0x88100000, NULL },
		{ "64-bit cells", 8, 0x88000000, 8, 0x88200000, 0x88000000, 0x88200000, NULL },
		{ "32 and 64", 4, 0x84000000, 8, 0x84001000, 0x84000000, 0x84001000, NULL },
		{ "ends at RAM end", 8, 0x8ff00000, 8, 0x90000000, 0x8ff00000, 0x90000000, NULL },
		{ "absent", -1, 0, -1, 0, 0, 0, NULL },
		{ "start only", 4, 0x88000000, -1, 0, 0, 0,
		  "dt: /chosen: linux,initrd-start without linux,initrd-end, initrd ignored\n" },
		{ "end only", -1, 0, 4, 0x88000000, 0, 0,
		  "dt: /chosen: linux,initrd-end without linux,initrd-start, initrd ignored\n" },
		{ "end below start", 4, 0x88100000, 4, 0x88000000, 0, 0,
		  "dt: /chosen: linux,initrd-end is not above linux,initrd-start, initrd ignored\n" },
		{ "empty", 8, 0x88000000, 4, 0x88000000, 0, 0,
		  "dt: /chosen: linux,initrd-end is not above linux,initrd-start, initrd ignored\n" },
		{ "start 3 bytes", 3, 0x880000, 4, 0x88100000, 0, 0,
		  "dt: /chosen: linux,initrd-start is not 4 or 8 bytes, initrd ignored\n" },
		{ "end 12 bytes", 4, 0x88000000, 12, 0x88100000, 0, 0,
		  "dt: /chosen: linux,initrd-end is not 4 or 8 bytes, initrd ignored\n" },
		{ "start 0 bytes", 0, 0, 4, 0x88100000, 0, 0,
		  "dt: /chosen: linux,initrd-start is not 4 or 8 bytes, initrd ignored\n" },
		{ "below RAM", 4, 0x40000000, 4, 0x40100000, 0, 0,
		  "dt: /chosen: initrd [0x40000000-0x400fffff] is not wholly in RAM, initrd ignored\n" },
		{ "across RAM end", 8, 0x8ff00000, 8, 0x90000001, 0, 0,
		  "dt: /chosen: initrd [0x8ff00000-0x90000000] is not wholly in RAM, initrd ignored\n" },
		{ "across RAM start", 4, 0x7ffff000, 4, 0x80001000, 0, 0,
		  "dt: /chosen: initrd [0x7ffff000-0x80000fff] is not wholly in RAM, initrd ignored\n" },
		{ "in no-map memory", 4, 0x8003f000, 4, 0x80041000, 0, 0,
		  "dt: /chosen: initrd [0x8003f000-0x80040fff] overlaps a no-map reservation, initrd ignored\n" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct initrd_edit *c = &cases[i];
		uint64_t base = 0, size = 0;
		unsigned int n;
		int err;

		initrd_cur = *c;
		log_reset();
		err = parse_edited(edit_initrd, VIRT_PA);
		CHECK(err == 0, "%s: dt_parse = %d (%s)", c->name, err, dt.reason);
		CHECK(dt.initrd_start == c->want_start && dt.initrd_end == c->want_end,
		      "%s: initrd %#llx-%#llx, want %#llx-%#llx", c->name, (ull)dt.initrd_start,
		      (ull)dt.initrd_end, (ull)c->want_start, (ull)c->want_end);
		n = initrd_rsv(&base, &size);
		if (c->want_end)
			CHECK(n == 1 && base == c->want_start && size == c->want_end - c->want_start,
			      "%s: %u initrd reservations, first %#llx+%#llx", c->name, n,
			      (ull)base, (ull)size);
		else
			CHECK(n == 0, "%s: an ignored initrd was reserved", c->name);
		if (c->log)
			CHECK(!strcmp(log_buf, c->log), "%s: log '%s', want '%s'", c->name, log_buf,
			      c->log);
		else
			CHECK(log_len == 0, "%s: unexpected log '%s'", c->name, log_buf);
	}
	return NULL;
}

/* ---- dt_reserve and map merging ------------------------------------------- */

static const char *case_reserve(void)
{
	int err = parse_test("virt.dtb", 0x8ff00000);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	/* Kernel image; an adjacent piece with the same why merges with it. */
	CHECK(dt_reserve(&dt, 0x80200000, 0x100000, false, "kernel") == 0 &&
	      dt_reserve(&dt, 0x80300000, 0x100000, false, "kernel") == 0, "dt_reserve failed");
	/* Same place, different why: its own entry. */
	CHECK(dt_reserve(&dt, 0x80400000, 0x1000, false, "other") == 0, "dt_reserve failed");
	/* No-map over part of a reserved range wins there. */
	CHECK(dt_reserve(&dt, 0x80380000, 0x1000, true, "fw") == 0, "dt_reserve failed");
	/* Outside RAM, and partly outside. */
	CHECK(dt_reserve(&dt, 0x1000, 0x1000, false, "away") == 0 &&
	      log_has("dt: reserved [0x1000-0x1fff] (away) outside RAM, ignored"),
	      "outside RAM: log %s", log_buf);
	CHECK(dt_reserve(&dt, 0x8ffff000, 0x2000, false, "edge") == 0 &&
	      log_has("dt: reserved [0x8ffff000-0x90000fff] (edge) partly outside RAM, clipped"),
	      "partly outside RAM: log %s", log_buf);
	CHECK(dt_reserve(&dt, 0x80500000, 0, false, "empty") == 0, "size 0 not accepted");
	{
		ull d = 0x8ff00000ull + dt.dtb_size - 1;
		const struct exp_map exp[] = {
			{ 0x80000000, 0x8003ffff, DT_MAP_NOMAP, "mmode_resources@80000000" },
			{ 0x80040000, 0x801fffff, DT_MAP_USABLE, "" },
			{ 0x80200000, 0x8037ffff, DT_MAP_RESERVED, "kernel" },
			{ 0x80380000, 0x80380fff, DT_MAP_NOMAP, "fw" },
			{ 0x80381000, 0x803fffff, DT_MAP_RESERVED, "kernel" },
			{ 0x80400000, 0x80400fff, DT_MAP_RESERVED, "other" },
			{ 0x80401000, 0x87ffffff, DT_MAP_USABLE, "" },
			{ 0x88000000, 0x880fffff, DT_MAP_RESERVED, "initrd" },
			{ 0x88100000, 0x8fefffff, DT_MAP_USABLE, "" },
			{ 0x8ff00000, d, DT_MAP_RESERVED, "dtb" },
			{ d + 1, 0x8fffefff, DT_MAP_USABLE, "" },
			{ 0x8ffff000, 0x8fffffff, DT_MAP_RESERVED, "edge" },
		};
		TRY(check_map(exp, 12));
	}
	return NULL;
}

/* ---- board trees from linux-source-6.12 ----------------------------------- */

static const char *check_board(const char *file)
{
	size_t size;
	void *blob = load(board_dir, file, &size);
	const struct dt_uart *u = &dt.uart;
	int err;

	CHECK(blob, "cannot read %s/%s", board_dir, file);
	err = dt_parse(blob, 0x0, size, &dt);
	free(blob);
	CHECK(err == 0, "%s: dt_parse = %d (%s)", file, err, dt.reason);
	CHECK(dt.nmem == 1 && dt.mem[0].base == 0x40000000 && dt.mem[0].size == 0x100000000ull,
	      "%s: mem %u: %#llx+%#llx", file, dt.nmem, (ull)dt.mem[0].base, (ull)dt.mem[0].size);
	CHECK(dt_usable_bytes(&dt) == 0x100000000ull, "%s: usable %llu", file,
	      (ull)dt_usable_bytes(&dt));
	CHECK(dt.nharts == 5 && dt.nusable_harts == 4, "%s: harts %u/%u", file,
	      dt.nusable_harts, dt.nharts);
	TRY(check_hart(0, 0, 0, "no mmu-type"));
	for (unsigned int i = 1; i <= 4; i++)
		TRY(check_hart(i, i, 1, ""));
	/* No clock-frequency: the clock comes from the tree (syscrg "osc"). */
	CHECK(u->type == DT_UART_DW_APB && u->base == 0x10000000 && u->reg_shift == 2 &&
	      u->reg_io_width == 4 && u->clock == 24000000,
	      "%s: uart type %d base %#llx shift %u width %u clock %u", file,
	      u->type, (ull)u->base, u->reg_shift, u->reg_io_width, u->clock);
	CHECK(dt.timebase_hz == 4000000, "%s: timebase %llu", file, (ull)dt.timebase_hz);
	CHECK(!strcmp(dt.stdout_path, "serial0:115200n8"), "%s: stdout '%s'", file, dt.stdout_path);
	return NULL;
}

static const char *case_visionfive2(void)
{
	TRY(check_board("jh7110-starfive-visionfive-2-v1.3b.dtb"));
	CHECK(!strcmp(dt.model, "StarFive VisionFive 2 v1.3B"), "model '%s'", dt.model);
	return NULL;
}

static const char *case_other_boards(void)
{
	TRY(check_board("jh7110-starfive-visionfive-2-v1.2a.dtb"));
	TRY(check_board("jh7110-milkv-mars.dtb"));
	TRY(check_board("jh7110-pine64-star64.dtb"));
	return NULL;
}

/* ---- board trees as firmware hands them over --------------------------------- */

#define VF2_DTB "jh7110-starfive-visionfive-2-v1.3b.dtb"
#define VF2_DTB_PA 0xff700000ull        /* somewhere U-Boot might put it */
#define VF2_KERNEL_SIZE 0x25000ull

/* A board tree opened into a roomier buffer, edited by @edit, then parsed. */
static int parse_board_edited(const char *file, int (*edit)(void *fdt), uint64_t pa)
{
	size_t size;
	void *blob = load(board_dir, file, &size);
	int room = (int)size + 4096, err;
	void *buf = malloc((size_t)room);

	if (!blob || !buf || fdt_open_into(blob, buf, room) || edit(buf)) {
		snprintf(dt.reason, sizeof(dt.reason), "cannot edit %s", file);
		err = -1000;
	} else {
		err = dt_parse(buf, pa, (size_t)room, &dt);
	}
	free(buf);
	free(blob);
	return err;
}

/*
 * What the vendor U-Boot and OpenSBI 1.2 change before booti: the memory
 * node fixed up to the RAM found (8 GiB here), OpenSBI's own region copied
 * into /reserved-memory (@nomap: with or without no-map), a dynamic CMA
 * pool (size only), and /chosen/boot-hartid.
 */
static int edit_vendor_uboot(void *fdt, int nomap)
{
	fdt64_t mem[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x200000000ull) };
	fdt64_t fw[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x80000) };
	const char *sbi = "/reserved-memory/mmode_resv0@40000000";
	const char *cma = "/reserved-memory/linux,cma";
	const char *rm = "/reserved-memory";

	/* Offsets move when nodes are added: every edit looks its node up. */
	if (fdt_add_subnode(fdt, 0, "reserved-memory") < 0 ||
	    fdt_add_subnode(fdt, node(fdt, rm), "mmode_resv0@40000000") < 0 ||
	    fdt_add_subnode(fdt, node(fdt, rm), "linux,cma") < 0)
		return -1;
	return fdt_setprop(fdt, node(fdt, "/memory@40000000"), "reg", mem, sizeof(mem)) ||
	       fdt_setprop_u32(fdt, node(fdt, rm), "#address-cells", 2) ||
	       fdt_setprop_u32(fdt, node(fdt, rm), "#size-cells", 2) ||
	       fdt_setprop(fdt, node(fdt, rm), "ranges", NULL, 0) ||
	       fdt_setprop(fdt, node(fdt, sbi), "reg", fw, sizeof(fw)) ||
	       (nomap && fdt_setprop(fdt, node(fdt, sbi), "no-map", NULL, 0)) ||
	       fdt_setprop_u64(fdt, node(fdt, cma), "size", 0x20000000) ||
	       fdt_setprop_u32(fdt, node(fdt, "/chosen"), "boot-hartid", 1);
}

static int edit_vendor_uboot_nomap(void *fdt)
{
	return edit_vendor_uboot(fdt, 1);
}

static int edit_vendor_uboot_map(void *fdt)
{
	return edit_vendor_uboot(fdt, 0);
}

/* The map the kernel prints on an 8 GiB board, kernel at 0x40200000. */
static const char *check_vendor_map(enum dt_map_type fw_type)
{
	ull d = VF2_DTB_PA + dt.dtb_size - 1;
	const struct exp_map exp[] = {
		{ 0x40000000, 0x4007ffff, fw_type, "mmode_resv0@40000000" },
		{ 0x40080000, 0x401fffff, DT_MAP_USABLE, "" },
		{ 0x40200000, 0x40200000 + VF2_KERNEL_SIZE - 1, DT_MAP_RESERVED, "kernel" },
		{ 0x40200000 + VF2_KERNEL_SIZE, VF2_DTB_PA - 1, DT_MAP_USABLE, "" },
		{ VF2_DTB_PA, d, DT_MAP_RESERVED, "dtb" },
		{ d + 1, 0x23fffffffull, DT_MAP_USABLE, "" },
	};

	CHECK(dt_reserve(&dt, 0x40200000, VF2_KERNEL_SIZE, false, "kernel") == 0,
	      "dt_reserve(kernel) failed");
	TRY(check_map(exp, 6));
	CHECK(dt_usable_bytes(&dt) == 0x200000000ull - 0x80000 - VF2_KERNEL_SIZE - dt.dtb_size,
	      "usable %llu", (ull)dt_usable_bytes(&dt));
	return NULL;
}

/* The rest of what a board boot needs, unchanged by the firmware's edits. */
static const char *check_vendor_rest(void)
{
	CHECK(dt.nmem == 1 && dt.mem[0].base == 0x40000000 && dt.mem[0].size == 0x200000000ull,
	      "mem %u: %#llx+%#llx", dt.nmem, (ull)dt.mem[0].base, (ull)dt.mem[0].size);
	CHECK(dt.nharts == 5 && dt.nusable_harts == 4, "harts %u/%u", dt.nusable_harts, dt.nharts);
	TRY(check_hart(0, 0, 0, "no mmu-type"));
	CHECK(dt.timebase_hz == 4000000 && dt.uart.base == 0x10000000 &&
	      dt.uart.clock == 24000000, "timebase %llu uart %#llx clock %u",
	      (ull)dt.timebase_hz, (ull)dt.uart.base, dt.uart.clock);
	CHECK(log_has("dt: reserved-memory/linux,cma has no reg (dynamic), ignored"),
	      "no log line for the dynamic CMA pool: %s", log_buf);
	return NULL;
}

static const char *case_vf2_vendor_nomap(void)
{
	int err = parse_board_edited(VF2_DTB, edit_vendor_uboot_nomap, VF2_DTB_PA);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	TRY(check_vendor_rest());
	return check_vendor_map(DT_MAP_NOMAP);
}

static const char *case_vf2_vendor_map(void)
{
	int err = parse_board_edited(VF2_DTB, edit_vendor_uboot_map, VF2_DTB_PA);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	TRY(check_vendor_rest());
	return check_vendor_map(DT_MAP_RESERVED);
}

/* Hart 0 described as a fifth U74: enabled, with an MMU. */
static int edit_hart0_u74(void *fdt)
{
	static const char compat[] = "sifive,u74-mc\0riscv";
	int cpu = node(fdt, "/cpus/cpu@0");

	return fdt_setprop(fdt, cpu, "compatible", compat, sizeof(compat)) ||
	       fdt_setprop_string(fdt, cpu, "mmu-type", "riscv,sv39") ||
	       fdt_setprop_string(fdt, cpu, "riscv,isa", "rv64imafdc_zba_zbb") ||
	       fdt_setprop_string(fdt, cpu, "status", "okay");
}

/* The same, on a tree that does not claim to be a JH7110. */
static int edit_hart0_u74_other_soc(void *fdt)
{
	return edit_hart0_u74(fdt) ||
	       fdt_setprop_string(fdt, 0, "compatible", "pagoda,not-a-jh7110");
}

static const char *case_jh7110_hart0(void)
{
	int err = parse_board_edited(VF2_DTB, edit_hart0_u74, 0x0);

	CHECK(err == 0, "dt_parse = %d (%s)", err, dt.reason);
	CHECK(dt.nharts == 5 && dt.nusable_harts == 4, "harts %u/%u, want 4/5",
	      dt.nusable_harts, dt.nharts);
	TRY(check_hart(0, 0, 0, "jh7110 S7 monitor core, no MMU"));
	for (unsigned int i = 1; i <= 4; i++)
		TRY(check_hart(i, i, 1, ""));
	/* Keyed on the SoC: elsewhere a hart 0 with an MMU is an ordinary hart. */
	err = parse_board_edited(VF2_DTB, edit_hart0_u74_other_soc, 0x0);
	CHECK(err == 0 && dt.nusable_harts == 5, "other SoC: err %d, %u usable harts, want 5",
	      err, dt.nusable_harts);
	return check_hart(0, 0, 1, "");
}

/* ---- the console clock through the clock tree -------------------------------- */

/* virt.dtb's UART without clock-frequency, clocked as @how says. */
static int edit_uart_clock(void *fdt, int how)
{
	const char *uart = "/soc/serial@10000000", *osc = "/soc/osc", *crg = "/soc/crg";
	static const char names[] = "apb_pclk\0baudclk";
	fdt32_t clocks[3];

	/* Offsets move when nodes are added: every edit looks its node up. */
	if (fdt_add_subnode(fdt, node(fdt, "/soc"), "osc") < 0 ||
	    fdt_add_subnode(fdt, node(fdt, "/soc"), "crg") < 0 ||
	    fdt_delprop(fdt, node(fdt, uart), "clock-frequency") ||
	    fdt_setprop_string(fdt, node(fdt, osc), "compatible", "fixed-clock") ||
	    fdt_setprop_u32(fdt, node(fdt, osc), "#clock-cells", 0) ||
	    fdt_setprop_u32(fdt, node(fdt, osc), "clock-frequency", 12000000) ||
	    fdt_setprop_u32(fdt, node(fdt, osc), "phandle", 0x7001) ||
	    fdt_setprop_string(fdt, node(fdt, crg), "compatible", "pagoda,unknown-crg") ||
	    fdt_setprop_u32(fdt, node(fdt, crg), "#clock-cells", 1) ||
	    fdt_setprop_u32(fdt, node(fdt, crg), "phandle", 0x7002))
		return -1;
	switch (how) {
	case 0:         /* one clock, a fixed-clock */
		clocks[0] = cpu_to_fdt32(0x7001);
		return fdt_setprop(fdt, node(fdt, uart), "clocks", clocks, 4);
	case 1:         /* named: apb_pclk from the controller, baudclk the crystal */
		clocks[0] = cpu_to_fdt32(0x7002);
		clocks[1] = cpu_to_fdt32(5);
		clocks[2] = cpu_to_fdt32(0x7001);
		return fdt_setprop(fdt, node(fdt, uart), "clocks", clocks, 12) ||
		       fdt_setprop(fdt, node(fdt, uart), "clock-names", names, sizeof(names));
	case 2:         /* an output of a controller Pagoda does not know */
		clocks[0] = cpu_to_fdt32(0x7002);
		clocks[1] = cpu_to_fdt32(146);
		return fdt_setprop(fdt, node(fdt, uart), "clocks", clocks, 8);
	default:        /* a phandle that leads nowhere */
		clocks[0] = cpu_to_fdt32(0x7fff);
		return fdt_setprop(fdt, node(fdt, uart), "clocks", clocks, 4);
	}
}

static int edit_uart_clock_fixed(void *fdt) { return edit_uart_clock(fdt, 0); }
static int edit_uart_clock_named(void *fdt) { return edit_uart_clock(fdt, 1); }
static int edit_uart_clock_unknown(void *fdt) { return edit_uart_clock(fdt, 2); }
static int edit_uart_clock_dangling(void *fdt) { return edit_uart_clock(fdt, 3); }

static const char *case_uart_clock(void)
{
	static const struct {
		int (*edit)(void *fdt);
		uint32_t want;
		const char *what;
	} t[] = {
		{ edit_uart_clock_fixed, 12000000, "fixed-clock" },
		{ edit_uart_clock_named, 12000000, "baudclk by name" },
		{ edit_uart_clock_unknown, 0, "unknown controller" },
		{ edit_uart_clock_dangling, 0, "dangling phandle" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int err = parse_edited(t[i].edit, VIRT_PA);

		CHECK(err == 0 && dt.uart.type == DT_UART_NS16550 && dt.uart.base == 0x10000000 &&
		      dt.uart.clock == t[i].want, "%s: err %d (%s) type %d clock %u, want %u",
		      t[i].what, err, dt.reason, dt.uart.type, dt.uart.clock, t[i].want);
	}
	return NULL;
}

/* ---- randomized robustness -------------------------------------------------- */

/* 32 bits of the harness's PRNG, seeded from DT_FUZZ_SEED. */
static uint32_t rng(void)
{
	return (uint32_t)(test_rand() >> 32);
}

/* One random change: a byte, a 32-bit word set to an edge value, or a cut. */
static void mutate(uint8_t *b, size_t *len)
{
	static const uint32_t edge[] = { 0, 1, 2, 3, 4, 0x7fffffff, 0x80000000,
					 0xffffffff, 0xfffffff0, 0x100, 0x3, 0x9 };
	size_t off = rng() % *len;
	uint32_t kind = rng() % 8;

	if (kind < 4) {
		b[off] = (uint8_t)rng();
	} else if (kind < 7 && *len >= 4) {
		off &= ~(size_t)3;
		put32(b, off < *len - 3 ? off : *len - 4,
		      kind == 4 ? edge[rng() % (sizeof(edge) / sizeof(edge[0]))] : rng());
	} else if (*len > 1) {
		*len = 1 + rng() % (*len - 1);
	}
}

/* Whether map entry @m lies inside one bank. */
static int map_in_one_bank(const struct dt_map_entry *m)
{
	for (unsigned int b = 0; b < dt.nmem; b++)
		if (m->base >= dt.mem[b].base &&
		    m->base + m->size <= dt.mem[b].base + dt.mem[b].size)
			return 1;
	return 0;
}

/* Invariants dt.h promises after a successful parse. */
static const char *check_invariants(void)
{
	static struct dt_map_entry map[DT_MAX_MAP];
	unsigned int n;

	CHECK(dt.nmem >= 1 && dt.nmem <= DT_MAX_MEM && dt.nrsv <= DT_MAX_RSV &&
	      dt.nharts <= DT_MAX_HARTS && dt.nusable_harts >= 1, "table counts");
	for (unsigned int i = 0; i < dt.nmem; i++)
		CHECK(dt.mem[i].size && dt.mem[i].base + dt.mem[i].size > dt.mem[i].base &&
		      (i == 0 || dt.mem[i - 1].base + dt.mem[i - 1].size <= dt.mem[i].base),
		      "mem[%u] bad", i);
	for (unsigned int i = 1; i < dt.nrsv; i++)
		CHECK(dt.rsv[i - 1].base <= dt.rsv[i].base, "rsv unsorted");
	n = dt_memmap(&dt, map, DT_MAX_MAP);
	for (unsigned int i = 1; i < n; i++)
		CHECK(map[i - 1].base + map[i - 1].size <= map[i].base, "map overlaps");
	for (unsigned int i = 0; i < n; i++)
		CHECK(map_in_one_bank(&map[i]), "map[%u] spans banks", i);
	CHECK(dt_usable_bytes(&dt) <= UINT64_MAX, "usable");
	CHECK(memchr(dt.bootargs, 0, sizeof(dt.bootargs)) && memchr(dt.model, 0, sizeof(dt.model)),
	      "unterminated strings");
	return NULL;
}

static const char *fuzz_one(const uint8_t *good, size_t size, unsigned int iter)
{
	uint8_t *copy = malloc(size);
	size_t len = size;
	unsigned int nmut = 1 + rng() % 6;
	uint8_t *exact;
	int err;

	memcpy(copy, good, size);
	for (unsigned int m = 0; m < nmut; m++)
		mutate(copy, &len);
	exact = malloc(len);            /* exact size: ASan catches overreads */
	memcpy(exact, copy, len);
	free(copy);
	err = dt_parse(exact, 0x80000000, len, &dt);
	if (err == 0) {
		log_reset();
		dt_print_memmap(&dt);
	}
	free(exact);
	CHECK(err == 0 || err == -EINVAL, "iteration %u: dt_parse = %d", iter, err);
	CHECK(err == 0 || !strncmp(dt.reason, "dt: ", 4), "iteration %u: reason '%s'",
	      iter, dt.reason);
	log_reset();
	return err ? NULL : check_invariants();
}

static const char *case_fuzz(void)
{
	static const char *const files[] = { "virt.dtb", "banks.dtb", "cells1.dtb" };
	const char *env = getenv("DT_FUZZ_ITERS");
	unsigned int iters = env ? (unsigned int)strtoul(env, NULL, 0) : 4000;
	unsigned long long seed = getenv("DT_FUZZ_SEED") ? strtoull(getenv("DT_FUZZ_SEED"), NULL, 0) : 1;
	unsigned int nok = 0;

	test_srand(seed);
	for (unsigned int f = 0; f < 3; f++) {
		size_t size;
		uint8_t *good = load(test_dir, files[f], &size);

		CHECK(good, "cannot read %s", files[f]);
		for (unsigned int i = 0; i < iters / 3; i++) {
			const char *e = fuzz_one(good, size, i);

			if (e) {
				free(good);
				CHECK(0, "%s seed %llu: %s", files[f], seed, e);
			}
			nok += dt.reason[0] == '\0';
		}
		free(good);
	}
	/* Some mutations must leave a parsable tree, or the test proves little. */
	CHECK(nok > iters / 50, "only %u of %u mutated trees parsed", nok, iters);
	return NULL;
}

/* The same on the VisionFive 2 tree: clock walk and hart quirk under ASan. */
static const char *case_fuzz_board(void)
{
	const char *env = getenv("DT_FUZZ_ITERS");
	unsigned int iters = (env ? (unsigned int)strtoul(env, NULL, 0) : 4000) / 4;
	unsigned int nok = 0;
	size_t size;
	uint8_t *good = load(board_dir, VF2_DTB, &size);

	CHECK(good, "cannot read %s/%s", board_dir, VF2_DTB);
	test_srand(2);
	for (unsigned int i = 0; i < iters; i++) {
		const char *e = fuzz_one(good, size, i);

		if (e) {
			free(good);
			CHECK(0, "%s: %s", VF2_DTB, e);
		}
		nok += dt.reason[0] == '\0';
	}
	free(good);
	CHECK(nok > iters / 50, "only %u of %u mutated trees parsed", nok, iters);
	return NULL;
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *(*fn)(void);
	} cases[] = {
		{ "dt_virt", case_virt },
		{ "dt_print_memmap", case_print_memmap },
		{ "dt_banks", case_banks },
		{ "dt_banks_devices", case_banks_devices },
		{ "dt_cells1", case_cells1 },
		{ "dt_sbi_console", case_sbi_console },
		{ "dt_sifive_u", case_sifive_u },
		{ "dt_overflow", case_overflow },
		{ "dt_touching_banks", case_touching },
		{ "dt_touching_banks_one_reg", case_touching_reg },
		{ "dt_touching_banks_past_16", case_touching_many },
		{ "dt_reserved_all_ram", case_reserved_all },
		{ "dt_kernel_only_ram", case_kernel_only },
		{ "dt_no_memory", case_no_memory },
		{ "dt_zero_bank", case_zero_bank },
		{ "dt_no_hart", case_no_hart },
		{ "dt_overlap", case_overlap },
		{ "dt_bad_reg", case_bad_reg },
		{ "dt_wrap_bank", case_wrap_bank },
		{ "dt_cells3", case_cells3 },
		{ "dt_bad_magic", case_bad_magic },
		{ "dt_truncated", case_truncated },
		{ "dt_too_big", case_too_big },
		{ "dt_edited", case_edited },
		{ "dt_initrd", case_initrd },
		{ "dt_reserve", case_reserve },
		{ "dt_visionfive2", case_visionfive2 },
		{ "dt_other_boards", case_other_boards },
		{ "dt_vf2_vendor_uboot_nomap", case_vf2_vendor_nomap },
		{ "dt_vf2_vendor_uboot_map", case_vf2_vendor_map },
		{ "dt_jh7110_hart0_as_u74", case_jh7110_hart0 },
		{ "dt_uart_clock_tree", case_uart_clock },
		{ "dt_fuzz", case_fuzz },
		{ "dt_fuzz_vf2", case_fuzz_board },
	};

	test_dir = argc > 1 ? argv[1] : getenv("DT_TEST_DIR");
	if (!test_dir)
		test_dir = "build/dtb/tests";
	if (getenv("DT_BOARD_DIR"))
		snprintf(board_dir, sizeof(board_dir), "%s", getenv("DT_BOARD_DIR"));
	else
		snprintf(board_dir, sizeof(board_dir), "%s/../boards", test_dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(cases[i].name, cases[i].fn);
	return test_exit_status();
}
