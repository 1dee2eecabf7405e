/*
 * special: the backend of kernel pages lent to every process (Linux's
 * special mappings: the vDSO's image and its data page). As with linear,
 * page i of the VMA is frame pgoff + i, mapped on first touch, and no
 * frame is ever allocated or freed. But the frames are the kernel's and
 * every process shares them, so a process may never write them nor see
 * past them:
 *   - mprotect adding PROT_WRITE is refused with EACCES (what Linux says
 *     for its vvar pages; it would copy its vDSO code instead);
 *   - a VMA mremap grew maps nothing past the range it was created with:
 *     touching there is SIGBUS (special_end, kept through splits);
 *   - MADV_DONTNEED and MADV_FREE are refused, as on linear.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include "as_internal.h"

static int special_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
			 int access)
{
	u64 pfn = v->pgoff + ((va - v->node.start) >> PAGE_SHIFT);

	if (pfn >= v->special_end)
		return -ENXIO;
	return as_fill_pa(as, v, va, s, pfn << PAGE_SHIFT);
}

/* Only pieces of one lent range join again. */
static bool special_can_merge(const struct as_vma *a, const struct as_vma *b)
{
	return a->special_end == b->special_end;
}

/* Kernel pages are always in memory. */
static bool special_resident(const struct as_vma *v, vaddr_t va)
{
	return true;
}

/* As linear (Linux's VM_PFNMAP | VM_IO answers). */
static int special_advise(const struct as_vma *v, int advice)
{
	return advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_DOFORK ||
	       advice == MADV_WIPEONFORK ? -EINVAL : 0;
}

static int special_protect(const struct as_vma *v, u32 prot)
{
	return prot & PROT_WRITE ? -EACCES : 0;
}

static const struct vma_ops special_vma_ops = {
	.name = "special",
	.fault = special_fault,
	.can_merge = special_can_merge,
	.resident = special_resident,
	.advise = special_advise,
	.protect = special_protect,
};

/*
 * The VMA is made as a linear one, then turned into a special one: no
 * thread runs @as yet, so nothing can touch it in between (and a fault
 * there would map the same page with the same protection anyway).
 */
int as_map_special(struct addr_space *as, vaddr_t start, u64 len, u32 prot, paddr_t pa)
{
	unsigned long irq;
	struct as_vma *v;
	int err;

	if (prot & PROT_WRITE)
		return -EINVAL;
	err = as_map_linear(as, start, len, prot, pa);
	if (err)
		return err;
	irq = spin_lock_irqsave(&as->lock);
	v = vma_of(vma_find(&as->vmas, start));
	v->ops = &special_vma_ops;
	v->special_end = v->pgoff + (len >> PAGE_SHIFT);
	spin_unlock_irqrestore(&as->lock, irq);
	return 0;
}
