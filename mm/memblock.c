/*
 * memblock: boot-time bump allocation over the usable ranges.
 * Invariant: for each range, base <= next <= end; [base, next) is handed
 * out, [next, end) is free. Runs on the boot hart only, before SMP.
 */
#include <pagoda/memblock.h>
#include <pagoda/dt.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <asm/pte.h>

/* Each bank gives one usable range plus one more per reserved range in it. */
_Static_assert(MEMBLOCK_MAX >= DT_MAX_MEM + DT_MAX_RSV, "room for every usable range");

static struct memblock_range ranges[MEMBLOCK_MAX];
static unsigned int nranges;
static bool closed;

void memblock_init(const struct dt_info *dt, paddr_t limit)
{
	struct dt_map_entry map[DT_MAX_MAP];
	unsigned int i, n = dt_memmap(dt, map, DT_MAX_MAP);

	nranges = 0;
	for (i = 0; i < n && nranges < MEMBLOCK_MAX; i++) {
		paddr_t b = ALIGN_UP(map[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(map[i].base + map[i].size, PAGE_SIZE);

		if (map[i].type != DT_MAP_USABLE)
			continue;
		e = MIN(e, limit);
		if (b >= e)
			continue;
		ranges[nranges++] = (struct memblock_range){ b, e, b };
	}
	if (i < n)
		printk("memblock: more than %d usable ranges, rest ignored\n",
		       MEMBLOCK_MAX);
}

int memblock_alloc(u64 size, u64 align, paddr_t *pa)
{
	unsigned int i;

	if (size == 0 || align == 0 || (align & (align - 1)))
		return -EINVAL;
	if (closed) {
		printk("memblock: allocation of %llu bytes after the handoff\n",
		       (unsigned long long)size);
		return -ENOMEM;
	}
	for (i = 0; i < nranges; i++) {
		paddr_t at = ALIGN_UP(ranges[i].next, align);

		if (at >= ranges[i].next && at <= ranges[i].end &&
		    ranges[i].end - at >= size) {
			ranges[i].next = at + size;
			*pa = at;
			return 0;
		}
	}
	return -ENOMEM;
}

void memblock_close(void)
{
	closed = true;
}

unsigned int memblock_ranges(const struct memblock_range **out)
{
	*out = ranges;
	return nranges;
}
