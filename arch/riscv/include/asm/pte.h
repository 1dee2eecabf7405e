/*
 * Sv39 page-table entries. PTE bits are built and read only through these
 * accessors. Leaf PTEs always carry A (and D when writable): the SiFive U74
 * is not known to set them in hardware. Non-leaf PTEs carry only V.
 * PTE_COW is one of the two bits the privileged spec reserves for software
 * (RSW): the hardware ignores it.
 */
#ifndef ASM_PTE_H
#define ASM_PTE_H

#include <pagoda/types.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1ul << PAGE_SHIFT)
#define PT_LEVELS       3
#define PT_ENTRIES      512
#define LEVEL_SHIFT(l)  (PAGE_SHIFT + 9 * (l))      /* level 0 = 4 KiB leaf */
#define LEVEL_SIZE(l)   (1ul << LEVEL_SHIFT(l))
#define VA_BITS         39

#define PTE_V   (1ul << 0)
#define PTE_R   (1ul << 1)
#define PTE_W   (1ul << 2)
#define PTE_X   (1ul << 3)
#define PTE_U   (1ul << 4)
#define PTE_G   (1ul << 5)
#define PTE_A   (1ul << 6)
#define PTE_D   (1ul << 7)
#define PTE_COW (1ul << 8)      /* RSW: write-protected until a write fault
				 * copies or reuses the frame (mm/cow.c) */
#define PTE_PPN_SHIFT 10

typedef u64 pte_t;

/* Protection of a mapping, independent of PTE encoding. */
#define PROT_KR   (PTE_R | PTE_G)
#define PROT_KRW  (PTE_R | PTE_W | PTE_G)
#define PROT_KRX  (PTE_R | PTE_X | PTE_G)
#define PROT_KRWX (PTE_R | PTE_W | PTE_X | PTE_G)

static inline unsigned int pt_index(vaddr_t va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}
static inline pte_t pte_mkleaf(paddr_t pa, u64 prot)
{
	u64 ad = PTE_A | ((prot & PTE_W) ? PTE_D : 0);
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | prot | ad | PTE_V;
}
static inline pte_t pte_mktable(paddr_t pa)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
}
static inline bool pte_is_valid(pte_t p) { return p & PTE_V; }
static inline bool pte_is_leaf(pte_t p) { return p & (PTE_R | PTE_X); }
static inline paddr_t pte_pa(pte_t p) { return (p >> PTE_PPN_SHIFT) << PAGE_SHIFT; }
/* The permission bits, and the copy-on-write mark. */
static inline u64 pte_prot(pte_t p) { return p & (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_COW); }
static inline bool pte_is_cow(pte_t p) { return p & PTE_COW; }
/* @p write-protected and marked copy-on-write. */
static inline pte_t pte_mkcow(pte_t p) { return (p & ~(PTE_W | PTE_D)) | PTE_COW; }
#endif
