/*
 * dt: the device tree, parsed once at boot into plain tables.
 *
 * drivers/of/fdt.c is the only file that includes libfdt.h. dt_parse() reads a
 * flattened device tree and fills a struct dt_info; everything else in the
 * kernel (and the host tool dtinfo) reads that struct. The same source is
 * compiled for the kernel and for host unit tests.
 *
 * Invariants after a successful dt_parse():
 *  - mem[] holds the RAM banks sorted by base, non-empty, non-overlapping
 *    (they may touch), each ending inside the 64-bit address space (a
 *    bank that wraps refuses the tree; zero-sized banks are skipped).
 *  - rsv[] holds reserved ranges clipped to RAM, sorted by base (they may
 *    overlap each other; dt_memmap() resolves that).
 *  - harts[] lists every cpu node; usable ones have usable = true.
 */
#ifndef PAGODA_DT_H
#define PAGODA_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_MAX_MEM      16      /* RAM banks */
#define DT_MAX_RSV      32      /* reserved ranges, all sources together */
#define DT_MAX_HARTS    32      /* cpu nodes */
#define DT_MAX_MAP      (2 * DT_MAX_MEM + 2 * DT_MAX_RSV)
#define DT_STR_MAX      64
#define DT_BOOTARGS_MAX 256
#define DT_REASON_MAX   128
#define DT_MAX_SIZE     (2u << 20)  /* largest DTB the kernel accepts */

struct dt_range {
	uint64_t base;
	uint64_t size;
};

struct dt_reserved {
	uint64_t base;
	uint64_t size;
	bool nomap;                     /* must stay out of the direct map */
	char why[DT_STR_MAX];           /* "memreserve", node name, "dtb", ... */
};

struct dt_hart {
	uint32_t hartid;
	bool usable;
	char why[DT_STR_MAX];           /* reason when not usable */
};

enum dt_uart_type { DT_UART_NONE, DT_UART_NS16550, DT_UART_DW_APB, DT_UART_SIFIVE };

struct dt_uart {
	enum dt_uart_type type;
	uint64_t base;                  /* physical, translated through ranges */
	uint64_t size;
	uint32_t reg_shift;             /* 0 when absent */
	uint32_t reg_io_width;          /* 1 when absent */
	uint32_t clock;                 /* Hz; 0 when unknown */
	char path[DT_STR_MAX];
};

enum dt_map_type { DT_MAP_USABLE, DT_MAP_RESERVED, DT_MAP_NOMAP };

/* One line of the physical memory map: RAM only, sorted, no overlap. */
struct dt_map_entry {
	uint64_t base;
	uint64_t size;
	enum dt_map_type type;
	char why[DT_STR_MAX];           /* empty for usable */
};

struct dt_info {
	uint64_t dtb_pa;                /* as given to dt_parse */
	uint32_t dtb_size;              /* totalsize from the header */

	struct dt_range mem[DT_MAX_MEM];
	unsigned int nmem;
	struct dt_reserved rsv[DT_MAX_RSV];
	unsigned int nrsv;
	struct dt_hart harts[DT_MAX_HARTS];
	unsigned int nharts;
	unsigned int nusable_harts;

	uint64_t timebase_hz;           /* /cpus/timebase-frequency */
	/* /chosen linux,initrd-start/-end (end exclusive), reserved as
	 * "initrd"; 0, 0 when absent, malformed or not wholly in RAM (the
	 * last two logged). */
	uint64_t initrd_start, initrd_end;
	char bootargs[DT_BOOTARGS_MAX];
	char stdout_path[DT_STR_MAX];

	struct dt_uart uart;            /* type NONE: use the SBI console */
	uint64_t finisher_pa;           /* sifive,test0/1; 0 when absent */
	char model[DT_STR_MAX];

	char reason[DT_REASON_MAX];     /* why dt_parse() failed */
};

/*
 * dt_parse - read the FDT at @fdt (whose physical address is @fdt_pa) into @dt.
 * @avail is how many bytes may be read at @fdt (the header's totalsize must
 * fit in it). Reserves the DTB itself. Returns 0, or -EINVAL with a one-line
 * reason in dt->reason (bad magic, truncated, no memory node, no usable hart,
 * overlapping banks, ...). Never reads outside [fdt, fdt + avail).
 */
int dt_parse(const void *fdt, uint64_t fdt_pa, size_t avail, struct dt_info *dt);

/*
 * dt_reserve - add a reserved range (kernel image, ...) after parsing.
 * The range is clipped to RAM; one wholly outside RAM is ignored with a log
 * line. Returns 0, or -ENOSPC when the table is full.
 */
int dt_reserve(struct dt_info *dt, uint64_t base, uint64_t size, bool nomap,
	       const char *why);

/*
 * dt_memmap - the physical memory map: RAM split into usable, reserved and
 * no-map pieces, sorted by base, adjacent pieces of the same type and reason
 * merged within a bank. Every entry lies inside one bank, also where banks
 * touch. Where reserved ranges overlap, no-map wins. Returns the count.
 */
unsigned int dt_memmap(const struct dt_info *dt, struct dt_map_entry *out,
		       unsigned int max);

/* Sum of the usable entries of dt_memmap(). */
uint64_t dt_usable_bytes(const struct dt_info *dt);

/*
 * dt_check_usable - whether some usable entry of the map holds a whole
 * 4 KiB page below @limit (exclusive), once every reservation is in (the
 * kernel adds its image first). Returns 0, or -EINVAL with the one-line
 * reason "dt: no usable RAM left after the reservations" in dt->reason.
 */
int dt_check_usable(struct dt_info *dt, uint64_t limit);

/*
 * dt_print_memmap - print the map in Linux's format, one range a line, then
 * the usable total:
 *   [mem 0x0000000080000000-0x000000008003ffff] reserved (mmode_resources@80000000, no-map)
 *   [mem 0x0000000080040000-0x000000008fffffff] usable
 *   usable: 268173312 bytes (255 MiB)
 */
void dt_print_memmap(const struct dt_info *dt);

/* Supplied by whoever links the dt module: printk in the kernel, printf on
 * the host. Used for the map and for warnings ("dt: ... clipped"). */
void dt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
