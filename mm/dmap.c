/*
 * dmap: the kernel root table and the direct map.
 *
 * The kernel root starts as a copy of the boot root: one entry, the
 * kernel's gigabyte (kernel_l1: image, device slots, DTB window). It is
 * made active at once; then the direct map is added range by range, lowest
 * first, with the largest pages that fit. Its first table pages come from a
 * small pool inside the kernel image (reachable before any direct mapping
 * exists); later ones from memblock, whose lowest pages are by then mapped.
 * No-map reserved ranges (firmware) stay out of the direct map.
 */
#include <pagoda/paging.h>
#include <pagoda/pagemapper.h>
#include <pagoda/memblock.h>
#include <pagoda/dt.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <asm/page.h>
#include <asm/tlb.h>
#include <string.h>

#define POOL_PAGES 16

extern pte_t boot_root[PT_ENTRIES];
static pte_t pool[POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pool_used;

pte_t *kernel_root;
paddr_t kernel_root_pa;
paddr_t dmap_pa_base;

static struct pagemapper boot_pm;

static int table_alloc(paddr_t *pa)
{
	paddr_t p;

	if (pool_used < POOL_PAGES) {
		*pa = kernel_va_to_pa(pool[pool_used++]);
		return 0;
	}
	if (memblock_alloc(PAGE_SIZE, PAGE_SIZE, &p))
		return -ENOMEM;
	if (!pa_in_kernel_image(p) &&
	    pm_translate(&boot_pm, (vaddr_t)dmap_va(p), NULL, NULL, NULL))
		panic("%s: table page 0x%lx not yet in the direct map", __func__, p);
	memset(phys_to_virt(p), 0, PAGE_SIZE);
	*pa = p;
	return 0;
}

static void table_free(paddr_t pa)
{
	panic("%s: boot tables are never freed (0x%lx)", __func__, pa);
}

static const struct pt_ops boot_ops = { table_alloc, table_free };

paddr_t paging_dmap_limit(const struct dt_info *dt)
{
	return ALIGN_DOWN(dt->mem[0].base, GiB) + DMAP_SIZE;
}

/* Map [base, end) of RAM, clipped to the direct map's reach. */
static int dmap_add(paddr_t base, paddr_t end, paddr_t limit)
{
	paddr_t b = ALIGN_DOWN(base, PAGE_SIZE);
	paddr_t e = MIN(ALIGN_UP(end, PAGE_SIZE), limit);

	if (b >= e)
		return 0;
	if (end > limit)
		printk("paging: RAM above 0x%llx lies outside the direct map, unused\n",
		       (unsigned long long)limit);
	struct pm_flush fl = PM_FLUSH_INIT;
	int err;

	err = pm_map_range(&boot_pm, (vaddr_t)dmap_va(b), b, e - b, PROT_KRW, false, &fl);
	pm_flush_drop(&fl);             /* paging_init flushes everything */
	return err;
}

/*
 * Length of the run of map entries from @i that are contiguous and all
 * mapped (usable or reserved, not no-map), so that one pt_map_range call
 * can use the largest pages across their boundaries.
 */
static unsigned int dmap_run(const struct dt_map_entry *map, unsigned int i,
			     unsigned int n)
{
	unsigned int j = i + 1;

	while (j < n && map[j].type != DT_MAP_NOMAP &&
	       map[j].base == map[j - 1].base + map[j - 1].size)
		j++;
	return j - i;
}

int paging_init(const struct dt_info *dt)
{
	struct dt_map_entry map[DT_MAX_MAP];
	paddr_t limit = paging_dmap_limit(dt);
	unsigned int i, run, n = dt_memmap(dt, map, DT_MAX_MAP);
	int err;

	dmap_pa_base = ALIGN_DOWN(dt->mem[0].base, GiB);
	kernel_root = pool[pool_used++];
	kernel_root_pa = kernel_va_to_pa(kernel_root);
	memcpy(kernel_root, boot_root, PAGE_SIZE);
	boot_pm = (struct pagemapper){ kernel_root_pa, &boot_ops, 0 };
	arch_switch_root(kernel_root_pa);
	for (i = 0; i < n; i += run) {
		run = 1;
		if (map[i].type == DT_MAP_NOMAP)
			continue;
		run = dmap_run(map, i, n);
		err = dmap_add(map[i].base, map[i + run - 1].base +
			       map[i + run - 1].size, limit);
		if (err)
			return err;
		local_flush_tlb_all();  /* new entries may have been cached invalid */
	}
	printk("paging: direct map 0x%lx.. -> pa 0x%llx, %u pool table pages\n",
	       DMAP_BASE, (unsigned long long)dmap_pa_base, pool_used);
	return 0;
}
