/*
 * linear: the backend of a fixed physical range (ArceOS's map_linear): page
 * i of the VMA is frame pgoff + i, mapped on first touch. Nothing is
 * allocated or freed: the range belongs to whoever set up the mapping
 * (a device's registers, memory placed before the process existed).
 * Zapping it would lose nothing but could not be refilled differently, so
 * MADV_DONTNEED and MADV_FREE are refused, as Linux refuses them on
 * VM_PFNMAP mappings (and MADV_DOFORK and MADV_WIPEONFORK, as on its
 * VM_IO ones). A child of as_fork faults the pages in from the range.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include "as_internal.h"

static int linear_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
			int access)
{
	paddr_t pa = (v->pgoff << PAGE_SHIFT) + (va - v->node.start);

	return as_fill_pa(as, v, va, s, pa);
}

/* Linux's answers for a VM_PFNMAP | VM_IO mapping of a device file. */
static int linear_advise(const struct as_vma *v, int advice)
{
	return advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_DOFORK ||
	       advice == MADV_WIPEONFORK ? -EINVAL : 0;
}

const struct vma_ops linear_vma_ops = {
	.name = "linear",
	.fault = linear_fault,
	.advise = linear_advise,
};

void linear_setup(struct as_vma *v, paddr_t pa)
{
	v->ops = &linear_vma_ops;
	v->pgoff = pa >> PAGE_SHIFT;
}
