/* Local TLB maintenance and the page-table root of this hart. */
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
/* Make @root_pa the active table (ASID 0) and drop all cached entries. */
static inline void arch_switch_root(paddr_t root_pa)
{
	csr_write(satp, SATP_MODE_SV39 | (root_pa >> 12));
	local_flush_tlb_all();
}
static inline unsigned long arch_current_satp(void) { return csr_read(satp); }
#endif
