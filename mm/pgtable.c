/*
 * pgtable: walk and fill Sv39 tables. PTE bits only through asm/pte.h.
 * Used at boot for the direct map; the PageMapper builds on the same walk.
 */
#include <pagoda/pgtable.h>
#include <pagoda/errno.h>
#include <asm/page.h>
#include <string.h>

static pte_t *table_va(pte_t pte)
{
	return phys_to_virt(pte_pa(pte));
}

pte_t *pt_walk(pte_t *root, vaddr_t va, int level, pt_alloc_fn alloc, int *hit)
{
	pte_t *table = root;
	int l;

	for (l = PT_LEVELS - 1; l > level; l--) {
		pte_t *slot = &table[pt_index(va, l)];
		paddr_t pa;

		if (pte_is_valid(*slot) && pte_is_leaf(*slot)) {
			if (hit)
				*hit = l;
			return NULL;
		}
		if (!pte_is_valid(*slot)) {
			if (!alloc || alloc(&pa))
				return NULL;
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			*slot = pte_mktable(pa);
		}
		table = table_va(*slot);
	}
	return &table[pt_index(va, level)];
}

/* Largest level whose page fits at va/pa with @left bytes to go. */
static int fit_level(vaddr_t va, paddr_t pa, u64 left)
{
	int l;

	for (l = PT_LEVELS - 1; l > 0; l--)
		if (IS_ALIGNED(va | pa, LEVEL_SIZE(l)) && left >= LEVEL_SIZE(l))
			return l;
	return 0;
}

int pt_map_range(pte_t *root, vaddr_t va, paddr_t pa, u64 size, u64 prot,
		 pt_alloc_fn alloc)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	while (size) {
		int l = fit_level(va, pa, size), hit = -1;
		pte_t *slot = pt_walk(root, va, l, alloc, &hit);

		if (!slot)
			return hit >= 0 ? -EEXIST : -ENOMEM;
		if (pte_is_valid(*slot))
			return -EEXIST;
		*slot = pte_mkleaf(pa, prot);
		va += LEVEL_SIZE(l);
		pa += LEVEL_SIZE(l);
		size -= LEVEL_SIZE(l);
	}
	return 0;
}

int pt_translate(pte_t *root, vaddr_t va, paddr_t *pa)
{
	pte_t *table = root;
	int l;

	for (l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t pte = table[pt_index(va, l)];

		if (!pte_is_valid(pte))
			return -EFAULT;
		if (pte_is_leaf(pte)) {
			*pa = pte_pa(pte) + (va & (LEVEL_SIZE(l) - 1));
			return 0;
		}
		table = table_va(pte);
	}
	return -EFAULT;
}
