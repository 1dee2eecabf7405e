/*
 * Host stand-in for arch/riscv/include/asm/tlb.h (unit tests only).
 *
 * The same struct tlb_batch, TLB_FLUSH_PAGES_MAX and arch_tlb_flush()
 * prototype as the real header, and none of its sfence.vma or CSR inline
 * asm. The test program defines arch_tlb_flush() and records each call.
 * Keep the declarations in step with the arch header.
 */
#ifndef ASM_TLB_H
#define ASM_TLB_H
#include <pagoda/types.h>

#define TLB_FLUSH_PAGES_MAX 32
struct tlb_batch {
	vaddr_t start, end;             /* empty when start >= end */
	bool all;                       /* whole ASID (or everything, global) */
};

struct hartmask;
void arch_tlb_flush(const struct tlb_batch *b, unsigned long asid, bool global,
		    const struct hartmask *mask);
#endif
