/*
 * pgtable: the Sv39 walker used to build kernel tables at boot.
 * Tables are reached through phys_to_virt(); new ones come from the
 * caller's allocator, zeroed by the walker.
 */
#ifndef PAGODA_PGTABLE_H
#define PAGODA_PGTABLE_H
#include <pagoda/types.h>
#include <asm/pte.h>

/* Returns a table page's physical address, or -ENOMEM. */
typedef int (*pt_alloc_fn)(paddr_t *pa);

/*
 * pt_walk - the PTE slot for @va at @level (0 = 4 KiB leaf) in @root.
 * With @alloc, missing tables are created; without, NULL is returned at
 * a hole. A leaf met above @level also ends the walk: NULL, *hit = level.
 */
pte_t *pt_walk(pte_t *root, vaddr_t va, int level, pt_alloc_fn alloc, int *hit);

/*
 * pt_map_range - map [va, va + size) to [pa, ...) with the largest pages
 * that fit (1 GiB, 2 MiB, 4 KiB). All of va, pa, size 4 KiB-aligned.
 * Returns 0, -EINVAL (misaligned), -EEXIST (already mapped) or -ENOMEM.
 * The caller flushes the TLB.
 */
int pt_map_range(pte_t *root, vaddr_t va, paddr_t pa, u64 size, u64 prot,
		 pt_alloc_fn alloc);

/* pt_translate - physical address mapped at @va, or -EFAULT. */
int pt_translate(pte_t *root, vaddr_t va, paddr_t *pa);
#endif
