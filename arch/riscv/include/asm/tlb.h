/*
 * TLB maintenance: the only place that issues sfence.vma (locally) and
 * the remote fences (through SBI RFENCE, sbi.c). mm/ describes what to
 * flush with a struct tlb_batch and calls arch_tlb_flush_batch().
 */
#ifndef ASM_TLB_H
#define ASM_TLB_H
#include <pagoda/types.h>
#include <asm/csr.h>

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}
static inline void local_flush_tlb_page(vaddr_t va)
{
	__asm__ __volatile__("sfence.vma %0" :: "r"(va) : "memory");
}
static inline void local_flush_tlb_asid(unsigned long asid)
{
	__asm__ __volatile__("sfence.vma zero, %0" :: "r"(asid) : "memory");
}
static inline void local_flush_tlb_page_asid(vaddr_t va, unsigned long asid)
{
	__asm__ __volatile__("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

/* Make @root_pa the active table with @asid, without flushing. */
static inline void arch_set_root(paddr_t root_pa, unsigned long asid)
{
	csr_write(satp, SATP_MODE_SV39 | ((unsigned long)asid << SATP_ASID_SHIFT) |
			(root_pa >> 12));
}
/* Make @root_pa the active table (ASID 0) and drop all cached entries. */
static inline void arch_switch_root(paddr_t root_pa)
{
	arch_set_root(root_pa, 0);
	local_flush_tlb_all();
}
static inline unsigned long arch_current_satp(void) { return csr_read(satp); }
/* Back to a satp read before; no flush (the kernel's entries are global). */
static inline void arch_restore_satp(unsigned long satp) { csr_write(satp, satp); }

/* How many ASID bits this hart implements (0 .. 16). */
unsigned int arch_asid_bits(void);

/*
 * One flush for one operation: [start, end) in the address space tagged
 * @asid (global: the kernel's, present under every ASID). Past
 * TLB_FLUSH_PAGES_MAX pages it becomes a flush of the whole ASID (of
 * everything, for global). Remote harts: one SBI RFENCE call for the range,
 * to the harts in @mask other than this one; none when there are none.
 */
#define TLB_FLUSH_PAGES_MAX 32
struct tlb_batch {
	vaddr_t start, end;             /* empty when start >= end */
	bool all;                       /* whole ASID (or everything, global) */
};

struct hartmask;
void arch_tlb_flush(const struct tlb_batch *b, unsigned long asid, bool global,
		    const struct hartmask *mask);
#endif
