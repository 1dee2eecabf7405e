/*
 * dt: parse the flattened device tree once, at boot, into struct dt_info.
 *
 * This is the only file that includes libfdt.h; libfdt error codes are
 * translated here (dt_fail_fdt) and never leave the module. The same source
 * is built for the kernel (freestanding) and for host tests (ASan + UBSan),
 * so it uses only libfdt, a few string functions, snprintf and dt_printf().
 *
 * Trust: the blob comes from firmware or a user's file and may be malformed.
 * Every read goes through libfdt after the header has been bounded to
 * [fdt, fdt + avail); every property length is checked before its cells are
 * read. dt_parse() returns 0 or -EINVAL with a one-line reason ("dt: ...");
 * problems that leave the kernel able to boot (a bad UART node, a missing
 * timebase, too many reserved ranges) are logged and ignored instead.
 *
 * Invariants kept in struct dt_info (see include/pagoda/dt.h):
 *  - every stored range has size > 0 and base + size <= UINT64_MAX, so end
 *    addresses (exclusive) never wrap;
 *  - mem[] is sorted and non-overlapping;
 *  - rsv[] entries each lie inside one RAM bank, sorted by base; entries
 *    with the same base keep the order they were added in.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include <pagoda/dt.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>

#define DT_MAX_DEPTH    16      /* bus levels walked when translating reg */
#define DT_PAGE_SIZE    4096ull /* the kernel's page: the unit RAM is used in */

static const char *const dt_finisher_compats[] = {
	"sifive,test1", "sifive,test0", NULL
};


/* dt_fail - record why dt_parse() fails; returns -EINVAL for the caller. */
static int dt_fail(struct dt_info *dt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int dt_fail(struct dt_info *dt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dt->reason, sizeof(dt->reason), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * The reserved-range table is full: a range that must stay out of use has
 * no room, so the tree is refused (handing it out could overwrite firmware
 * or the DTB itself).
 */
static int dt_fail_full(struct dt_info *dt, uint64_t base, uint64_t size, const char *why)
{
	return dt_fail(dt, "dt: more than %d reserved ranges: no room for [0x%llx-0x%llx] (%s)",
		       DT_MAX_RSV, (unsigned long long)base,
		       (unsigned long long)(base + size - 1), why);
}

/* dt_fail_fdt - the one place a libfdt error code becomes a reason. */
static int dt_fail_fdt(struct dt_info *dt, const char *what, int fdt_err)
{
	return dt_fail(dt, "dt: %s: %s", what, fdt_strerror(fdt_err));
}

/* Copy at most @n bytes of @src (stopping at NUL) into @dst, NUL-terminated. */
static size_t dt_copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	if (len > cap - 1)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return len;
}

/* ---- property access: every length checked ------------------------------ */

static uint64_t dt_read_cells(const void *p, int ncells)
{
	const fdt32_t *c = p;
	uint64_t v = 0;

	while (ncells-- > 0)
		v = (v << 32) | fdt32_ld(c++);
	return v;
}

/* Name of @node for messages: "/" for the root, "?" if unreadable. */
static const char *dt_node_name(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	if (!name)
		return "?";
	return *name ? name : "/";
}

/*
 * dt_get_str - string property @name of @node into *@out.
 * Returns 0, -ENOENT when absent, -EINVAL when empty or not NUL-terminated.
 */
static int dt_get_str(const void *fdt, int node, const char *name, const char **out)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	if (len < 1 || p[len - 1] != '\0')
		return -EINVAL;
	*out = p;
	return 0;
}

/*
 * dt_get_uint - a 32- or 64-bit property into *@out.
 * Returns 0, -ENOENT when absent, -EINVAL for any other length.
 */
static int dt_get_uint(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	if (len != 4 && len != 8)
		return -EINVAL;
	*out = dt_read_cells(p, len / 4);
	return 0;
}

/* dt_get_uint with a default used when the property is absent. */
static int dt_get_uint_or(const void *fdt, int node, const char *name,
			  uint64_t dflt, uint64_t *out)
{
	int err = dt_get_uint(fdt, node, name, out);

	if (err == -ENOENT) {
		*out = dflt;
		return 0;
	}
	return err;
}

static bool dt_is_str(const void *fdt, int node, const char *name, const char *want)
{
	const char *s;

	return dt_get_str(fdt, node, name, &s) == 0 && strcmp(s, want) == 0;
}

/* Enabled: status absent, "okay" or "ok". Malformed status is not enabled. */
static bool dt_node_is_enabled(const void *fdt, int node)
{
	const char *s;
	int err = dt_get_str(fdt, node, "status", &s);

	if (err == -ENOENT)
		return true;
	return !err && (strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0);
}

static bool dt_has_compat(const void *fdt, int node, const char *compat)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);

	return p && len > 0 && fdt_stringlist_contains(p, len, compat);
}

static bool dt_has_any_compat(const void *fdt, int node, const char *const *compats)
{
	for (; *compats; compats++)
		if (dt_has_compat(fdt, node, *compats))
			return true;
	return false;
}

/*
 * dt_bus_cells - #address-cells (*@ac) and #size-cells (*@sc) that @bus
 * gives its children; defaults 2 and 1 as in the Devicetree spec.
 * Returns 0, or -EINVAL unless 1 <= ac <= 2 and sc <= 2 (a value must fit
 * in 64 bits); *@ac and *@sc then hold the raw values (0 if malformed).
 */
static int dt_bus_cells(const void *fdt, int bus, uint64_t *ac, uint64_t *sc)
{
	*ac = 0;
	*sc = 0;
	if (dt_get_uint_or(fdt, bus, "#address-cells", 2, ac) ||
	    dt_get_uint_or(fdt, bus, "#size-cells", 1, sc))
		return -EINVAL;
	if (*ac < 1 || *ac > 2 || *sc > 2)
		return -EINVAL;
	return 0;
}

/* bus cells, failing the parse with a reason naming @bus */
static int dt_bus_cells_or_fail(const void *fdt, int bus, uint64_t *ac, uint64_t *sc,
				struct dt_info *dt)
{
	if (dt_bus_cells(fdt, bus, ac, sc) == 0)
		return 0;
	return dt_fail(dt, "dt: %s: #address-cells %llu / #size-cells %llu not supported (1-2 / 0-2)",
		       dt_node_name(fdt, bus), (unsigned long long)*ac,
		       (unsigned long long)*sc);
}

/* A reg property cut into entries of @ac address cells and @sc size cells. */
struct dt_reg {
	const uint8_t *p;
	int len;                /* bytes */
	int entry;              /* bytes per entry */
	int n;                  /* entries */
	int ac, sc;
};

/*
 * dt_reg_open - find "reg" of @node. Returns 0, -ENOENT when absent, or
 * -EINVAL when its length is not a whole number of entries (r->len and
 * r->entry still say what was found).
 */
static int dt_reg_open(const void *fdt, int node, uint64_t ac, uint64_t sc,
		       struct dt_reg *r)
{
	r->ac = (int)ac;
	r->sc = (int)sc;
	r->entry = (r->ac + r->sc) * 4;
	r->n = 0;
	r->p = fdt_getprop(fdt, node, "reg", &r->len);
	if (!r->p)
		return r->len == -FDT_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	if (r->len % r->entry)
		return -EINVAL;
	r->n = r->len / r->entry;
	return 0;
}

static struct dt_range dt_reg_get(const struct dt_reg *r, int i)
{
	const uint8_t *e = r->p + i * r->entry;
	struct dt_range rg;

	rg.base = dt_read_cells(e, r->ac);
	rg.size = dt_read_cells(e + 4 * r->ac, r->sc);
	return rg;
}

/*
 * dt_translate_up - map @addr, an address on @bus, to its parent's address
 * space through @bus's "ranges". Empty ranges is the identity; absent
 * ranges is taken as the identity too (strictly it means "not mapped", but
 * simple hand-written trees often omit it). Returns 0, -ENOENT when no
 * ranges entry covers @addr, -EINVAL when ranges is malformed.
 */
static int dt_translate_up(const void *fdt, int bus, uint64_t *addr)
{
	uint64_t cac, csc, pac, psc, cb, pb, sz;
	int len, entry, parent;
	const uint8_t *p = fdt_getprop(fdt, bus, "ranges", &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? 0 : -EINVAL;
	if (len == 0)
		return 0;
	parent = fdt_parent_offset(fdt, bus);
	if (parent < 0 || dt_bus_cells(fdt, bus, &cac, &csc) ||
	    dt_bus_cells(fdt, parent, &pac, &psc))
		return -EINVAL;
	entry = (int)(cac + pac + csc) * 4;
	if (len % entry)
		return -EINVAL;
	for (; len > 0; len -= entry, p += entry) {
		cb = dt_read_cells(p, (int)cac);
		pb = dt_read_cells(p + 4 * cac, (int)pac);
		sz = dt_read_cells(p + 4 * (cac + pac), (int)csc);
		if (*addr >= cb && *addr - cb < sz) {
			*addr = pb + (*addr - cb);
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * dt_node_reg_pa - the first reg entry of @node as a CPU physical address,
 * translated through the ranges of every bus up to the root.
 * Returns 0, or -EINVAL / -ENOENT when that is impossible.
 */
static int dt_node_reg_pa(const void *fdt, int node, struct dt_range *out)
{
	uint64_t ac, sc;
	struct dt_reg r;
	int bus = fdt_parent_offset(fdt, node), depth, err;

	if (bus < 0 || dt_bus_cells(fdt, bus, &ac, &sc))
		return -EINVAL;
	err = dt_reg_open(fdt, node, ac, sc, &r);
	if (err)
		return err;
	if (r.n < 1)
		return -EINVAL;
	*out = dt_reg_get(&r, 0);
	for (depth = 0; bus > 0; depth++) {
		if (depth >= DT_MAX_DEPTH)
			return -EINVAL;
		err = dt_translate_up(fdt, bus, &out->base);
		if (err)
			return err;
		bus = fdt_parent_offset(fdt, bus);
	}
	return bus == 0 ? 0 : -EINVAL;
}

/* First enabled node, in tree order, compatible with one of @compats. */
static int dt_find_compatible(const void *fdt, const char *const *compats)
{
	int node = 0;

	while ((node = fdt_next_node(fdt, node, NULL)) >= 0)
		if (dt_has_any_compat(fdt, node, compats) &&
		    dt_node_is_enabled(fdt, node))
			return node;
	return node;
}

/* ---- RAM banks ------------------------------------------------------------ */

/* Clip [base, base + size) so that its end does not wrap; logs when it did. */
static uint64_t dt_clip_size(uint64_t base, uint64_t size, const char *what)
{
	if (size <= UINT64_MAX - base)
		return size;
	dt_printf("dt: %s at 0x%llx size 0x%llx wraps past 2^64, clipped\n",
		  what, (unsigned long long)base, (unsigned long long)size);
	return UINT64_MAX - base;
}

/*
 * dt_add_bank - one reg entry of memory node @node. Zero-sized entries are
 * skipped; entries past the table's DT_MAX_MEM are logged and skipped (the
 * RAM stays unused). Returns 0, or -EINVAL when the entry runs past the end
 * of the 64-bit address space: a size that wraps is no RAM size, and
 * clipping it would describe exabytes that do not exist.
 */
static int dt_add_bank(const void *fdt, int node, struct dt_info *dt,
		       uint64_t base, uint64_t size)
{
	if (size > UINT64_MAX - base)
		return dt_fail(dt, "dt: %s: bank at 0x%llx size 0x%llx runs past the end of the address space",
			       dt_node_name(fdt, node), (unsigned long long)base,
			       (unsigned long long)size);
	if (size == 0)
		return 0;
	if (dt->nmem == DT_MAX_MEM) {
		dt_printf("dt: more than %d memory banks, [0x%llx-0x%llx] ignored\n",
			  DT_MAX_MEM, (unsigned long long)base,
			  (unsigned long long)(base + size - 1));
		return 0;
	}
	dt->mem[dt->nmem].base = base;
	dt->mem[dt->nmem].size = size;
	dt->nmem++;
	return 0;
}

/* device_type = "memory", enabled; reg is read with the parent's cells. */
static int dt_add_memory_node(const void *fdt, int node, struct dt_info *dt)
{
	uint64_t ac, sc;
	struct dt_reg r;
	int err, parent = fdt_parent_offset(fdt, node);

	if (parent < 0)
		return dt_fail_fdt(dt, dt_node_name(fdt, node), parent);
	err = dt_bus_cells_or_fail(fdt, parent, &ac, &sc, dt);
	if (!err && sc == 0)
		err = dt_fail(dt, "dt: %s: #size-cells 0 under a memory node",
			      dt_node_name(fdt, parent));
	if (err)
		return err;
	err = dt_reg_open(fdt, node, ac, sc, &r);
	if (err == -ENOENT) {
		dt_printf("dt: %s has no reg, ignored\n", dt_node_name(fdt, node));
		return 0;
	}
	if (err)
		return dt_fail(dt, "dt: %s: reg length %d is not a multiple of %d",
			       dt_node_name(fdt, node), r.len, r.entry);
	for (int i = 0; i < r.n && !err; i++) {
		struct dt_range rg = dt_reg_get(&r, i);

		err = dt_add_bank(fdt, node, dt, rg.base, rg.size);
	}
	return err;
}

static void dt_sort_banks(struct dt_info *dt)
{
	for (unsigned int i = 1; i < dt->nmem; i++) {
		struct dt_range key = dt->mem[i];
		unsigned int j = i;

		for (; j > 0 && dt->mem[j - 1].base > key.base; j--)
			dt->mem[j] = dt->mem[j - 1];
		dt->mem[j] = key;
	}
}

/* After sorting, overlapping banks are neighbours. */
static int dt_check_banks(struct dt_info *dt)
{
	for (unsigned int i = 1; i < dt->nmem; i++) {
		const struct dt_range *a = &dt->mem[i - 1], *b = &dt->mem[i];

		if (a->base + a->size > b->base)
			return dt_fail(dt, "dt: memory banks overlap: [0x%llx-0x%llx] and [0x%llx-0x%llx]",
				       (unsigned long long)a->base,
				       (unsigned long long)(a->base + a->size - 1),
				       (unsigned long long)b->base,
				       (unsigned long long)(b->base + b->size - 1));
	}
	return 0;
}

static bool dt_node_is_memory(const void *fdt, int node)
{
	return dt_is_str(fdt, node, "device_type", "memory") &&
	       dt_node_is_enabled(fdt, node);
}

/* Every enabled memory node, at any depth. Also validates the whole walk. */
static int dt_parse_memory(const void *fdt, struct dt_info *dt)
{
	int err, node = 0;

	while ((node = fdt_next_node(fdt, node, NULL)) >= 0) {
		if (!dt_node_is_memory(fdt, node))
			continue;
		err = dt_add_memory_node(fdt, node, dt);
		if (err)
			return err;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return dt_fail_fdt(dt, "structure block", node);
	if (dt->nmem == 0)
		return dt_fail(dt, "dt: no memory node");
	dt_sort_banks(dt);
	return dt_check_banks(dt);
}

/* ---- reserved ranges ------------------------------------------------------ */

/* Insert one range (already inside a bank) keeping rsv[] sorted and stable. */
static int dt_insert_rsv(struct dt_info *dt, uint64_t base, uint64_t size,
			 bool nomap, const char *why)
{
	unsigned int i = dt->nrsv;
	struct dt_reserved *r;

	if (dt->nrsv == DT_MAX_RSV)
		return -ENOSPC;         /* the caller refuses the tree (or the range) */
	while (i > 0 && dt->rsv[i - 1].base > base)
		i--;
	memmove(&dt->rsv[i + 1], &dt->rsv[i], (dt->nrsv - i) * sizeof(dt->rsv[0]));
	r = &dt->rsv[i];
	r->base = base;
	r->size = size;
	r->nomap = nomap;
	dt_copy_str(r->why, sizeof(r->why), why, sizeof(r->why));
	dt->nrsv++;
	return 0;
}

/*
 * dt_add_rsv - reserve [base, base + size): one rsv[] entry per RAM bank it
 * touches; what lies outside RAM is dropped with a log line. Needs mem[].
 * Returns 0, or -ENOSPC when the table filled up (logged).
 */
static int dt_add_rsv(struct dt_info *dt, uint64_t base, uint64_t size,
		      bool nomap, const char *why)
{
	uint64_t end, covered = 0;
	int err = 0;

	size = dt_clip_size(base, size, "reserved range");
	if (size == 0)
		return 0;
	end = base + size;
	for (unsigned int i = 0; i < dt->nmem && !err; i++) {
		uint64_t lo = dt->mem[i].base, hi = lo + dt->mem[i].size;

		lo = lo > base ? lo : base;
		hi = hi < end ? hi : end;
		if (lo >= hi)
			continue;
		err = dt_insert_rsv(dt, lo, hi - lo, nomap, why);
		covered += hi - lo;
	}
	if (covered < size)
		dt_printf("dt: reserved [0x%llx-0x%llx] (%s) %s\n",
			  (unsigned long long)base, (unsigned long long)(end - 1), why,
			  covered ? "partly outside RAM, clipped" : "outside RAM, ignored");
	return err;
}

/* See dt.h: the kernel image and other late reservations. */
int dt_reserve(struct dt_info *dt, uint64_t base, uint64_t size, bool nomap,
	       const char *why)
{
	return dt_add_rsv(dt, base, size, nomap, why);
}

static int dt_parse_memreserve(const void *fdt, struct dt_info *dt)
{
	uint64_t base, size;
	int err, n = fdt_num_mem_rsv(fdt);

	if (n < 0)
		return dt_fail_fdt(dt, "/memreserve/", n);
	for (int i = 0; i < n; i++) {
		err = fdt_get_mem_rsv(fdt, i, &base, &size);
		if (err)
			return dt_fail_fdt(dt, "/memreserve/", err);
		if (dt_add_rsv(dt, base, size, false, "memreserve"))
			return dt_fail_full(dt, base, size, "memreserve");
	}
	return 0;
}

/*
 * One child of /reserved-memory: every reg entry reserved, named after the
 * node. Children with only "size" ask the OS to allocate them somewhere;
 * Pagoda does not, so they are logged and ignored.
 */
static int dt_add_rsvmem_child(const void *fdt, int node, uint64_t ac, uint64_t sc,
			       struct dt_info *dt)
{
	const char *name = dt_node_name(fdt, node);
	bool nomap = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
	struct dt_reg r;
	int err;

	if (!dt_node_is_enabled(fdt, node))
		return 0;
	err = dt_reg_open(fdt, node, ac, sc, &r);
	if (err == -ENOENT) {
		dt_printf("dt: reserved-memory/%s has no reg (%s), ignored\n", name,
			  fdt_getprop(fdt, node, "size", NULL) ? "dynamic" : "empty");
		return 0;
	}
	if (err)
		return dt_fail(dt, "dt: reserved-memory/%s: reg length %d is not a multiple of %d",
			       name, r.len, r.entry);
	for (int i = 0; i < r.n; i++) {
		struct dt_range rg = dt_reg_get(&r, i);

		if (dt_add_rsv(dt, rg.base, rg.size, nomap, name))
			return dt_fail_full(dt, rg.base, rg.size, name);
	}
	return 0;
}

static int dt_parse_reserved_memory(const void *fdt, struct dt_info *dt)
{
	uint64_t ac, sc;
	int err, node, rm = fdt_path_offset(fdt, "/reserved-memory");

	if (rm == -FDT_ERR_NOTFOUND)
		return 0;
	if (rm < 0)
		return dt_fail_fdt(dt, "/reserved-memory", rm);
	err = dt_bus_cells_or_fail(fdt, rm, &ac, &sc, dt);
	if (!err && sc == 0)
		err = dt_fail(dt, "dt: reserved-memory: #size-cells 0");
	if (err)
		return err;
	fdt_for_each_subnode(node, fdt, rm) {
		err = dt_add_rsvmem_child(fdt, node, ac, sc, dt);
		if (err)
			return err;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return dt_fail_fdt(dt, "/reserved-memory", node);
	return 0;
}

/* ---- /chosen ------------------------------------------------------------ */

/* Copy a string property, truncating safely; absent leaves @dst empty. */
static void dt_copy_prop(const void *fdt, int node, const char *name,
			 char *dst, size_t cap)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len <= 0)
		return;
	if (dt_copy_str(dst, cap, p, (size_t)len) < strnlen(p, (size_t)len))
		dt_printf("dt: %s longer than %u bytes, truncated\n", name,
			  (unsigned int)(cap - 1));
}

/* Whether [@base, @end) lies wholly in RAM (banks sorted, disjoint). */
static bool dt_in_ram(const struct dt_info *dt, uint64_t base, uint64_t end)
{
	uint64_t pos = base;

	for (unsigned int i = 0; i < dt->nmem && pos < end; i++) {
		const struct dt_range *m = &dt->mem[i];

		if (m->base <= pos && pos - m->base < m->size)
			pos = m->base + m->size;
	}
	return pos >= end;
}

/* Whether [@base, @end) overlaps a no-map reservation (kept out of the
 * direct map: the kernel cannot read it). Reserved memory is parsed first. */
static bool dt_overlaps_nomap(const struct dt_info *dt, uint64_t base, uint64_t end)
{
	for (unsigned int i = 0; i < dt->nrsv; i++) {
		const struct dt_reserved *r = &dt->rsv[i];

		if (r->nomap && r->base < end && base < r->base + r->size)
			return true;
	}
	return false;
}

/* Why linux,initrd-start/-end cannot be used, or NULL. */
static const char *dt_initrd_problem(int e_start, int e_end, uint64_t start, uint64_t end)
{
	if (e_start == -ENOENT)
		return "linux,initrd-end without linux,initrd-start";
	if (e_end == -ENOENT)
		return "linux,initrd-start without linux,initrd-end";
	if (e_start)
		return "linux,initrd-start is not 4 or 8 bytes";
	if (e_end)
		return "linux,initrd-end is not 4 or 8 bytes";
	if (end <= start)
		return "linux,initrd-end is not above linux,initrd-start";
	return NULL;
}

/*
 * linux,initrd-start/-end (32 or 64 bits each, end exclusive): the initrd,
 * reserved as "initrd". One that is malformed or not wholly in RAM is
 * ignored with a log line (initrd_start/end stay 0): the kernel can still
 * boot, and the range is not reserved, since nothing will read it.
 */
static int dt_parse_initrd(const void *fdt, int chosen, struct dt_info *dt)
{
	uint64_t start = 0, end = 0;
	int e1 = dt_get_uint(fdt, chosen, "linux,initrd-start", &start);
	int e2 = dt_get_uint(fdt, chosen, "linux,initrd-end", &end);
	const char *why = dt_initrd_problem(e1, e2, start, end);

	if (e1 == -ENOENT && e2 == -ENOENT)
		return 0;
	if (why) {
		dt_printf("dt: /chosen: %s, initrd ignored\n", why);
		return 0;
	}
	if (!dt_in_ram(dt, start, end)) {
		dt_printf("dt: /chosen: initrd [0x%llx-0x%llx] is not wholly in RAM, initrd ignored\n",
			  (unsigned long long)start, (unsigned long long)(end - 1));
		return 0;
	}
	if (dt_overlaps_nomap(dt, start, end)) {
		dt_printf("dt: /chosen: initrd [0x%llx-0x%llx] overlaps a no-map reservation, initrd ignored\n",
			  (unsigned long long)start, (unsigned long long)(end - 1));
		return 0;
	}
	dt->initrd_start = start;
	dt->initrd_end = end;
	if (dt_add_rsv(dt, start, end - start, false, "initrd"))
		return dt_fail_full(dt, start, end - start, "initrd");
	return 0;
}

static int dt_parse_chosen(const void *fdt, struct dt_info *dt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen == -FDT_ERR_NOTFOUND)
		return 0;
	if (chosen < 0)
		return dt_fail_fdt(dt, "/chosen", chosen);
	dt_copy_prop(fdt, chosen, "bootargs", dt->bootargs, sizeof(dt->bootargs));
	dt_copy_prop(fdt, chosen, "stdout-path", dt->stdout_path, sizeof(dt->stdout_path));
	return dt_parse_initrd(fdt, chosen, dt);
}

/* ---- /cpus ------------------------------------------------------------- */

/*
 * dt_hart_check - whether cpu @node can run Pagoda; if not, the reason in @why.
 * The MMU is checked first: a hart without one (the JH7110's S7 monitor
 * core) can never be used, whatever its status says.
 */
static bool dt_hart_check(const void *fdt, int node, char *why, size_t cap)
{
	const char *s;
	int err = dt_get_str(fdt, node, "mmu-type", &s);

	if (err == -ENOENT) {
		snprintf(why, cap, "no mmu-type");
		return false;
	}
	if (err || (strcmp(s, "riscv,sv39") && strcmp(s, "riscv,sv48") &&
		    strcmp(s, "riscv,sv57"))) {
		snprintf(why, cap, "mmu-type %.40s", err ? "(malformed)" : s);
		return false;
	}
	if (dt_node_is_enabled(fdt, node))
		return true;
	err = dt_get_str(fdt, node, "status", &s);
	if (!err && strcmp(s, "disabled") == 0)
		snprintf(why, cap, "disabled");
	else
		snprintf(why, cap, "status %.40s", err ? "(malformed)" : s);
	return false;
}

/*
 * Harts a tree may call usable that must never run the kernel, keyed on
 * the SoC compatible at the root. JH7110: hart 0 is the S7 monitor core
 * (RV64IMAC, no MMU, no S-mode). The upstream trees say so (no mmu-type,
 * status "disabled"), but a tree copied from another board or edited by
 * hand may describe it as a fifth U74; starting it would run Sv39 code on
 * a core without paging. So the SoC's fact wins over the node's words.
 */
static const struct dt_hart_quirk {
	const char *soc;
	uint32_t hartid;
	const char *why;
} dt_hart_quirks[] = {
	{ "starfive,jh7110", 0, "jh7110 S7 monitor core, no MMU" },
};

/* The quirk's reason when hart @hartid must not be used, else NULL. */
static const char *dt_hart_quirk_why(const void *fdt, uint32_t hartid)
{
	const size_t n = sizeof(dt_hart_quirks) / sizeof(dt_hart_quirks[0]);

	for (size_t i = 0; i < n; i++)
		if (dt_hart_quirks[i].hartid == hartid &&
		    dt_has_compat(fdt, 0, dt_hart_quirks[i].soc))
			return dt_hart_quirks[i].why;
	return NULL;
}

/* One cpu node: hart id from reg (the first of @ac cells' worth). */
static void dt_add_hart(const void *fdt, int node, uint64_t ac, struct dt_info *dt)
{
	struct dt_hart *h;
	struct dt_reg r;
	uint64_t tb;

	if (dt_reg_open(fdt, node, ac, 0, &r) || r.n < 1) {
		dt_printf("dt: cpus/%s has no valid reg, skipped\n", dt_node_name(fdt, node));
		return;
	}
	if (dt->nharts == DT_MAX_HARTS) {
		dt_printf("dt: more than %d cpus, cpus/%s ignored\n", DT_MAX_HARTS,
			  dt_node_name(fdt, node));
		return;
	}
	h = &dt->harts[dt->nharts++];
	h->hartid = (uint32_t)dt_reg_get(&r, 0).base;
	h->usable = dt_hart_check(fdt, node, h->why, sizeof(h->why));
	/* After the node's own checks, so their reason stays when they fail. */
	if (h->usable && dt_hart_quirk_why(fdt, h->hartid)) {
		snprintf(h->why, sizeof(h->why), "%s", dt_hart_quirk_why(fdt, h->hartid));
		h->usable = false;
	}
	dt->nusable_harts += h->usable;
	/* The spec allows timebase-frequency per cpu when /cpus lacks it. */
	if (!dt->timebase_hz && dt_get_uint(fdt, node, "timebase-frequency", &tb) == 0)
		dt->timebase_hz = tb;
}

static int dt_parse_cpus(const void *fdt, struct dt_info *dt)
{
	uint64_t ac, sc;
	int err, node, cpus = fdt_path_offset(fdt, "/cpus");

	if (cpus == -FDT_ERR_NOTFOUND)
		return dt_fail(dt, "dt: no usable hart (no /cpus node)");
	if (cpus < 0)
		return dt_fail_fdt(dt, "/cpus", cpus);
	err = dt_bus_cells_or_fail(fdt, cpus, &ac, &sc, dt);
	if (err)
		return err;
	if (dt_get_uint(fdt, cpus, "timebase-frequency", &dt->timebase_hz))
		dt->timebase_hz = 0;
	fdt_for_each_subnode(node, fdt, cpus)
		if (dt_is_str(fdt, node, "device_type", "cpu"))
			dt_add_hart(fdt, node, ac, dt);
	if (node != -FDT_ERR_NOTFOUND)
		return dt_fail_fdt(dt, "/cpus", node);
	if (!dt->timebase_hz)
		dt_printf("dt: /cpus has no valid timebase-frequency\n");
	if (!dt->nusable_harts)
		return dt_fail(dt, "dt: no usable hart");
	return 0;
}

/* ---- devices: console UART, finisher, model -------------------------- */

/* The node stdout-path names ("serial0:115200n8" or a path), or < 0. */
static int dt_stdout_node(const void *fdt)
{
	const char *p, *colon;
	int node, chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen < 0 || dt_get_str(fdt, chosen, "stdout-path", &p))
		return -FDT_ERR_NOTFOUND;
	colon = strchr(p, ':');
	node = fdt_path_offset_namelen(fdt, p, colon ? (int)(colon - p) : (int)strlen(p));
	if (node < 0)
		dt_printf("dt: stdout-path \"%s\" not found\n", p);
	else if (!dt_node_is_enabled(fdt, node))
		node = -FDT_ERR_NOTFOUND;
	return node;
}

/*
 * The UARTs Pagoda drives, by compatible. The first entry of the table
 * that a node lists wins: a node that is both DesignWare and ns16550
 * compatible is driven as DesignWare (32-bit accesses, no LCR writes).
 */
static const struct dt_uart_compat {
	const char *compat;
	enum dt_uart_type type;
} dt_uart_compats[] = {
	{ "snps,dw-apb-uart", DT_UART_DW_APB },
	{ "starfive,jh7110-uart", DT_UART_DW_APB },
	{ "ns16550a", DT_UART_NS16550 },
	{ "ns16550", DT_UART_NS16550 },
	{ "sifive,uart0", DT_UART_SIFIVE },
};

static enum dt_uart_type dt_uart_type_of(const void *fdt, int node)
{
	const size_t n = sizeof(dt_uart_compats) / sizeof(dt_uart_compats[0]);

	for (size_t i = 0; i < n; i++)
		if (dt_has_compat(fdt, node, dt_uart_compats[i].compat))
			return dt_uart_compats[i].type;
	return DT_UART_NONE;
}

/* The first enabled node, in tree order, of a UART Pagoda drives, or < 0. */
static int dt_find_known_uart(const void *fdt)
{
	int node = 0;

	while ((node = fdt_next_node(fdt, node, NULL)) >= 0)
		if (dt_uart_type_of(fdt, node) != DT_UART_NONE &&
		    dt_node_is_enabled(fdt, node))
			return node;
	return node;
}

/*
 * The console's clock, when the UART node has no clock-frequency: its
 * baud clock ("baudclk", else the first of "clocks") followed through the
 * clock tree. A fixed-clock gives its clock-frequency. Pagoda models no
 * clock controller; it only knows, per controller, the outputs that are
 * plain gates of one of the controller's named inputs. JH7110 syscrg: the
 * UART0-2 core clocks (146, 148, 150 in dt-bindings/clock/starfive,
 * jh7110-crg.h) gate "osc", the 24 MHz crystal. Anything else: unknown (0).
 * The driver never programs the divisor, so the clock is only reported.
 */
static const struct dt_clk_gate {
	const char *compat;
	uint32_t id;
	const char *input;
} dt_clk_gates[] = {
	{ "starfive,jh7110-syscrg", 146, "osc" },
	{ "starfive,jh7110-syscrg", 148, "osc" },
	{ "starfive,jh7110-syscrg", 150, "osc" },
};

#define DT_CLK_DEPTH    4       /* gates followed before giving up */

/*
 * dt_clock_spec - entry @idx of @node's "clocks": its provider node in
 * *@prov, the count of specifier cells in *@ncells and the first of them
 * (0 when none) in *@id. Returns 0, -ENOENT, or -EINVAL when malformed.
 */
static int dt_clock_spec(const void *fdt, int node, int idx, int *prov,
			 uint64_t *ncells, uint32_t *id)
{
	int len, pos = 0;
	const fdt32_t *p = fdt_getprop(fdt, node, "clocks", &len);

	if (!p || idx < 0)
		return -ENOENT;
	len /= 4;
	for (int i = 0; pos < len; i++) {
		*prov = fdt_node_offset_by_phandle(fdt, fdt32_ld(&p[pos]));
		if (*prov < 0 ||
		    dt_get_uint_or(fdt, *prov, "#clock-cells", 0, ncells) ||
		    *ncells > (uint64_t)(len - pos - 1))
			return -EINVAL;
		if (i == idx) {
			*id = *ncells ? fdt32_ld(&p[pos + 1]) : 0;
			return 0;
		}
		pos += 1 + (int)*ncells;
	}
	return -ENOENT;
}

/* Rate in Hz of clock @idx of @node, or 0 when unknown. */
static uint64_t dt_clock_rate(const void *fdt, int node, int idx, int depth)
{
	const size_t n = sizeof(dt_clk_gates) / sizeof(dt_clk_gates[0]);
	uint64_t ncells, rate;
	uint32_t id;
	int prov;

	if (depth > DT_CLK_DEPTH || dt_clock_spec(fdt, node, idx, &prov, &ncells, &id))
		return 0;
	if (ncells == 0 && dt_has_compat(fdt, prov, "fixed-clock"))
		return dt_get_uint(fdt, prov, "clock-frequency", &rate) ? 0 : rate;
	for (size_t i = 0; i < n; i++)
		if (ncells == 1 && id == dt_clk_gates[i].id &&
		    dt_has_compat(fdt, prov, dt_clk_gates[i].compat))
			return dt_clock_rate(fdt, prov,
					     fdt_stringlist_search(fdt, prov, "clock-names",
								   dt_clk_gates[i].input),
					     depth + 1);
	return 0;
}

/* The UART's baud clock: "baudclk" when clocks are named, else the first. */
static uint64_t dt_uart_clock(const void *fdt, int node)
{
	int idx = 0;

	if (fdt_getprop(fdt, node, "clock-names", NULL))
		idx = fdt_stringlist_search(fdt, node, "clock-names", "baudclk");
	return dt_clock_rate(fdt, node, idx, 0);
}

/*
 * dt_set_uart - fill dt->uart from @node; leaves type NONE (SBI console)
 * with a log line when the node is not a UART Pagoda drives or is malformed.
 */
static void dt_set_uart(const void *fdt, int node, struct dt_info *dt)
{
	struct dt_uart *u = &dt->uart;
	uint64_t shift, width, clock;
	struct dt_range reg;
	enum dt_uart_type type = dt_uart_type_of(fdt, node);

	if (type == DT_UART_NONE) {
		dt_printf("dt: console %s is not a known UART, using SBI\n",
			  dt_node_name(fdt, node));
		return;
	}
	if (dt_node_reg_pa(fdt, node, &reg) ||
	    dt_get_uint_or(fdt, node, "reg-shift", 0, &shift) || shift > 4 ||
	    dt_get_uint_or(fdt, node, "reg-io-width", 1, &width) ||
	    (width != 1 && width != 2 && width != 4) ||
	    dt_get_uint_or(fdt, node, "clock-frequency", 0, &clock) || clock > UINT32_MAX) {
		dt_printf("dt: console %s: bad reg or UART properties, using SBI\n",
			  dt_node_name(fdt, node));
		return;
	}
	u->type = type;
	u->base = reg.base;
	u->size = reg.size;
	u->reg_shift = (uint32_t)shift;
	u->reg_io_width = (uint32_t)width;
	if (clock == 0)
		clock = dt_uart_clock(fdt, node);
	u->clock = clock <= UINT32_MAX ? (uint32_t)clock : 0;
	if (fdt_get_path(fdt, node, u->path, sizeof(u->path)) < 0)
		dt_copy_str(u->path, sizeof(u->path), dt_node_name(fdt, node), sizeof(u->path));
}

/* The console: stdout-path if it names an enabled node, else the first UART. */
static void dt_find_uart(const void *fdt, struct dt_info *dt)
{
	int node = dt_stdout_node(fdt);

	if (node < 0)
		node = dt_find_known_uart(fdt);
	if (node >= 0)
		dt_set_uart(fdt, node, dt);
}

static void dt_find_finisher(const void *fdt, struct dt_info *dt)
{
	struct dt_range reg;
	int node = dt_find_compatible(fdt, dt_finisher_compats);

	if (node < 0)
		return;
	if (dt_node_reg_pa(fdt, node, &reg) == 0)
		dt->finisher_pa = reg.base;
	else
		dt_printf("dt: %s: bad reg, no finisher\n", dt_node_name(fdt, node));
}

/* ---- header and entry point ------------------------------------------- */

/*
 * dt_check_blob - the header, bounded to @avail bytes before libfdt sees it.
 * Block offsets must be aligned as the spec says, so that libfdt's 32-bit
 * loads stay aligned.
 */
static int dt_check_blob(const void *fdt, uint64_t fdt_pa, size_t avail,
			 struct dt_info *dt)
{
	uint32_t magic, total;
	int err;

	if (avail < sizeof(struct fdt_header))
		return dt_fail(dt, "dt: truncated: only %llu bytes at 0x%llx",
			       (unsigned long long)avail, (unsigned long long)fdt_pa);
	magic = fdt32_ld(&((const struct fdt_header *)fdt)->magic);
	if (magic != FDT_MAGIC)
		return dt_fail(dt, "dt: bad magic 0x%08x at 0x%llx (expected 0x%08x)",
			       magic, (unsigned long long)fdt_pa, FDT_MAGIC);
	total = fdt_totalsize(fdt);
	if (total > avail)
		return dt_fail(dt, "dt: truncated: totalsize %u but only %llu bytes",
			       total, (unsigned long long)avail);
	if (total > DT_MAX_SIZE)
		return dt_fail(dt, "dt: totalsize %u exceeds the limit of %u bytes",
			       total, DT_MAX_SIZE);
	err = fdt_check_header(fdt);
	if (err)
		return dt_fail_fdt(dt, "bad header", err);
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4)
		return dt_fail(dt, "dt: bad header: misaligned memreserve or structure block");
	dt->dtb_size = total;
	return 0;
}

int dt_parse(const void *fdt, uint64_t fdt_pa, size_t avail, struct dt_info *dt)
{
	int root, err;

	memset(dt, 0, sizeof(*dt));
	dt->dtb_pa = fdt_pa;
	dt->uart.reg_io_width = 1;
	err = dt_check_blob(fdt, fdt_pa, avail, dt);
	if (err)
		return err;
	/*
	 * The power-off device first: a tree that is readable but unusable
	 * (no memory, no hart) still lets the kernel report its status.
	 */
	dt_find_finisher(fdt, dt);
	root = fdt_path_offset(fdt, "/");
	if (root >= 0)
		dt_copy_prop(fdt, root, "model", dt->model, sizeof(dt->model));
	err = dt_parse_memory(fdt, dt);
	if (!err)
		err = dt_parse_memreserve(fdt, dt);
	if (!err)
		err = dt_parse_reserved_memory(fdt, dt);
	if (!err && dt_add_rsv(dt, fdt_pa, dt->dtb_size, false, "dtb"))
		err = dt_fail_full(dt, fdt_pa, dt->dtb_size, "dtb");
	if (!err)
		err = dt_parse_chosen(fdt, dt);
	if (!err)
		err = dt_parse_cpus(fdt, dt);
	if (err)
		return err;
	dt_find_uart(fdt, dt);
	return 0;
}

/* ---- the memory map --------------------------------------------------- */

/*
 * Walking the map: raw pieces come from one bank at a time, cut wherever a
 * reserved range starts or ends. Where reserved ranges overlap, a no-map
 * one wins; otherwise the first in rsv[] order (lowest base, then the one
 * added first) gives the reason. Pieces merge only within a bank, so every
 * map entry lies inside one bank even where banks touch: the boot allocator
 * takes its ranges from the usable entries and the buddy allocator keeps
 * one page array per bank, and a range must never span two of them.
 */
struct dt_map_iter {
	const struct dt_info *dt;
	unsigned int bank;
	uint64_t pos;                   /* next address within mem[bank] */
	struct dt_map_entry next;       /* look-ahead piece for merging */
	bool have_next;
};

/* The reserved range that decides what @pos is, or NULL; *@cut = piece end. */
static const struct dt_reserved *dt_map_classify(const struct dt_info *dt,
						 uint64_t pos, uint64_t *cut)
{
	const struct dt_reserved *win = NULL;

	for (unsigned int i = 0; i < dt->nrsv; i++) {
		const struct dt_reserved *r = &dt->rsv[i];
		uint64_t end = r->base + r->size;

		if (r->base > pos) {
			*cut = r->base < *cut ? r->base : *cut;
			continue;
		}
		if (end <= pos)
			continue;
		*cut = end < *cut ? end : *cut;
		if (!win || (r->nomap && !win->nomap))
			win = r;
	}
	return win;
}

static bool dt_map_piece(struct dt_map_iter *it, struct dt_map_entry *e)
{
	const struct dt_info *dt = it->dt;
	const struct dt_reserved *r;
	uint64_t end;

	while (it->bank < dt->nmem &&
	       it->pos >= dt->mem[it->bank].base + dt->mem[it->bank].size) {
		if (++it->bank < dt->nmem)
			it->pos = dt->mem[it->bank].base;
	}
	if (it->bank >= dt->nmem)
		return false;
	end = dt->mem[it->bank].base + dt->mem[it->bank].size;
	r = dt_map_classify(dt, it->pos, &end);
	e->base = it->pos;
	e->size = end - it->pos;
	e->type = !r ? DT_MAP_USABLE : r->nomap ? DT_MAP_NOMAP : DT_MAP_RESERVED;
	dt_copy_str(e->why, sizeof(e->why), r ? r->why : "", sizeof(e->why));
	it->pos = end;
	return true;
}

static bool dt_map_can_merge(const struct dt_map_entry *a, const struct dt_map_entry *b)
{
	return a->base + a->size == b->base && a->type == b->type &&
	       strcmp(a->why, b->why) == 0;
}

/*
 * The next merged map entry into *@e; false at the end. After
 * dt_map_piece() returns a piece, it->bank is that piece's bank.
 */
static bool dt_map_next(struct dt_map_iter *it, struct dt_map_entry *e)
{
	unsigned int bank;

	if (!it->have_next && !dt_map_piece(it, &it->next))
		return false;
	*e = it->next;
	bank = it->bank;
	while ((it->have_next = dt_map_piece(it, &it->next)) &&
	       it->bank == bank && dt_map_can_merge(e, &it->next))
		e->size += it->next.size;
	return true;
}

static void dt_map_start(struct dt_map_iter *it, const struct dt_info *dt)
{
	it->dt = dt;
	it->bank = 0;
	it->pos = dt->nmem ? dt->mem[0].base : 0;
	it->have_next = false;
}

/* Fills at most @max entries; returns how many were written. */
unsigned int dt_memmap(const struct dt_info *dt, struct dt_map_entry *out,
		       unsigned int max)
{
	struct dt_map_iter it;
	unsigned int n = 0;

	dt_map_start(&it, dt);
	while (n < max && dt_map_next(&it, &out[n]))
		n++;
	return n;
}

uint64_t dt_usable_bytes(const struct dt_info *dt)
{
	struct dt_map_iter it;
	struct dt_map_entry e;
	uint64_t sum = 0;

	dt_map_start(&it, dt);
	while (dt_map_piece(&it, &e))
		if (e.type == DT_MAP_USABLE)
			sum += e.size;
	return sum;
}

/* Whether usable entry @e holds a whole page below @limit. */
static bool dt_has_usable_page(const struct dt_map_entry *e, uint64_t limit)
{
	uint64_t end = e->base + e->size;

	end = (end < limit ? end : limit) & ~(DT_PAGE_SIZE - 1);
	return e->type == DT_MAP_USABLE && end >= DT_PAGE_SIZE &&
	       e->base <= end - DT_PAGE_SIZE;
}

/* See dt.h. */
int dt_check_usable(struct dt_info *dt, uint64_t limit)
{
	struct dt_map_iter it;
	struct dt_map_entry e;

	dt_map_start(&it, dt);
	while (dt_map_next(&it, &e))
		if (dt_has_usable_page(&e, limit))
			return 0;
	return dt_fail(dt, "dt: no usable RAM left after the reservations");
}

/* Iterates instead of filling an array: the kernel stack stays small. */
void dt_print_memmap(const struct dt_info *dt)
{
	struct dt_map_iter it;
	struct dt_map_entry e;
	uint64_t usable;

	dt_map_start(&it, dt);
	while (dt_map_next(&it, &e)) {
		bool usable_piece = e.type == DT_MAP_USABLE;

		dt_printf("[mem 0x%016llx-0x%016llx] %s%s%s%s\n",
			  (unsigned long long)e.base,
			  (unsigned long long)(e.base + e.size - 1),
			  usable_piece ? "usable" : "reserved (", e.why,
			  e.type == DT_MAP_NOMAP ? ", no-map" : "",
			  usable_piece ? "" : ")");
	}
	usable = dt_usable_bytes(dt);
	dt_printf("usable: %llu bytes (%llu MiB)\n", (unsigned long long)usable,
		  (unsigned long long)(usable >> 20));
}
