/*
 * early_ioremap: device registers mapped through fixed 2 MiB slots of the
 * kernel's own gigabyte (kernel_l1, shared by the boot table and the
 * kernel root, so a slot stays valid across the switch). Enough for the
 * console and the power-off device until the MMIO region manager exists.
 */
#include <pagoda/mmio.h>
#include <pagoda/printk.h>
#include <asm/layout.h>
#include <asm/pte.h>
#include <asm/tlb.h>

#define SLOT_SIZE (2ul << 20)

extern pte_t kernel_l1[PT_ENTRIES];
static paddr_t slot_pa[FIXMAP_SLOTS];
static unsigned int slots_used;

static void *slot_va(unsigned int i, paddr_t pa)
{
	return (void *)(FIXMAP_VA + i * SLOT_SIZE + (pa & (SLOT_SIZE - 1)));
}

void *early_ioremap(paddr_t pa, u64 size)
{
	paddr_t base = ALIGN_DOWN(pa, SLOT_SIZE);
	unsigned int i;

	if (size == 0 || ALIGN_DOWN(pa + size - 1, SLOT_SIZE) != base)
		return NULL;            /* a range across two slots: not needed yet */
	for (i = 0; i < slots_used; i++)
		if (slot_pa[i] == base)
			return slot_va(i, pa);
	if (slots_used == FIXMAP_SLOTS)
		return NULL;
	i = slots_used++;
	slot_pa[i] = base;
	kernel_l1[pt_index(FIXMAP_VA, 1) + i] = pte_mkleaf(base, PROT_KRW);
	local_flush_tlb_all();
	return slot_va(i, pa);
}
