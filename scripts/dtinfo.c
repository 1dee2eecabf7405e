/*
 * dtinfo: run the kernel's dt module (drivers/of/fdt.c) on a DTB file and print
 * what the kernel would use. Built for the host by tests/unit/unit.mk.
 *
 *   usage: dtinfo [--pa ADDR] FILE.dtb
 *
 * --pa is the physical address the DTB is pretended to sit at (default 0),
 * which decides where the "dtb" reservation lands in the memory map.
 * Output, one item a line ("dt: ..." log lines from the parser may come
 * first):
 *   model: STRING | model: (none)
 *   [mem 0x...-0x...] usable | reserved (WHY) | reserved (WHY, no-map)
 *   usable: N bytes (M MiB)
 *   harts: N usable of M
 *   hart ID: usable | hart ID: skipped (WHY)
 *   timebase: N Hz
 *   console: ns16550a|dw-apb-uart|sifive-uart0 at 0xBASE reg-shift N reg-io-width N clock N Hz
 *   console: SBI (no known UART)
 *   finisher: 0xADDR | finisher: none
 *   bootargs: STRING | bootargs: (none)
 *   initrd: 0xSTART-0xEND | initrd: none
 * On a parse failure: the one-line reason ("dt: ..."), exit status 1.
 * Usage or file errors: exit status 2.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pagoda/dt.h>

void dt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Read all of @path into a malloc'd buffer; NULL on error (message printed). */
static void *dtinfo_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto fail;
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		goto fail;
	fclose(f);
	*size = (size_t)len;
	return buf;
fail:
	fprintf(stderr, "dtinfo: cannot read %s\n", path);
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

static const char *const dtinfo_uart_names[] = {
	[DT_UART_NS16550] = "ns16550a",
	[DT_UART_DW_APB] = "dw-apb-uart",
	[DT_UART_SIFIVE] = "sifive-uart0",
};

static void dtinfo_print_harts(const struct dt_info *dt)
{
	printf("harts: %u usable of %u\n", dt->nusable_harts, dt->nharts);
	for (unsigned int i = 0; i < dt->nharts; i++) {
		const struct dt_hart *h = &dt->harts[i];

		if (h->usable)
			printf("hart %u: usable\n", h->hartid);
		else
			printf("hart %u: skipped (%s)\n", h->hartid, h->why);
	}
}

static void dtinfo_print(const struct dt_info *dt)
{
	const struct dt_uart *u = &dt->uart;

	printf("model: %s\n", dt->model[0] ? dt->model : "(none)");
	dt_print_memmap(dt);
	dtinfo_print_harts(dt);
	printf("timebase: %llu Hz\n", (unsigned long long)dt->timebase_hz);
	if (u->type == DT_UART_NONE)
		printf("console: SBI (no known UART)\n");
	else
		printf("console: %s at 0x%llx reg-shift %u reg-io-width %u clock %u Hz\n",
		       dtinfo_uart_names[u->type], (unsigned long long)u->base,
		       u->reg_shift, u->reg_io_width, u->clock);
	if (dt->finisher_pa)
		printf("finisher: 0x%llx\n", (unsigned long long)dt->finisher_pa);
	else
		printf("finisher: none\n");
	printf("bootargs: %s\n", dt->bootargs[0] ? dt->bootargs : "(none)");
	if (dt->initrd_end)
		printf("initrd: 0x%llx-0x%llx\n", (unsigned long long)dt->initrd_start,
		       (unsigned long long)dt->initrd_end);
	else
		printf("initrd: none\n");
}

static int dtinfo_usage(void)
{
	fprintf(stderr, "usage: dtinfo [--pa ADDR] FILE.dtb\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct dt_info dt;
	unsigned long long pa = 0;
	const char *path;
	char *end;
	size_t size;
	void *blob;
	int err;

	if (argc == 4 && strcmp(argv[1], "--pa") == 0) {
		pa = strtoull(argv[2], &end, 0);
		if (!*argv[2] || *end)
			return dtinfo_usage();
		path = argv[3];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		return dtinfo_usage();
	}
	blob = dtinfo_read_file(path, &size);
	if (!blob)
		return 2;
	err = dt_parse(blob, pa, size, &dt);
	if (err)
		printf("%s\n", dt.reason);
	else
		dtinfo_print(&dt);
	free(blob);
	return err ? 1 : 0;
}
