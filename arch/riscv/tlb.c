/*
 * tlb: carrying out a struct tlb_batch, here and on other harts.
 *
 * SMP policy. A hart may hold stale entries of an address space only if
 * that space has been active on it, so each address space keeps a mask of
 * the harts it ran on, and only those are sent a fence. Per operation there
 * is one local flush (page by page up to TLB_FLUSH_PAGES_MAX pages, else
 * the whole ASID) and, when other harts are in the mask, exactly one SBI
 * RFENCE call covering the whole range: never one per page, never one to
 * an idle hart (QEMU 7.2 makes a fence to a hart in wfi wait for that
 * hart's next timer event; real hardware is merely slower).
 */
#include <asm/tlb.h>
#include <asm/sbi.h>
#include <asm/pte.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/printk.h>

unsigned int arch_asid_bits(void)
{
	unsigned long satp = csr_read(satp), probe;
	unsigned int bits = 0;

	csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	probe = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, satp);
	local_flush_tlb_all();
	while (probe & (1ul << bits))
		bits++;
	return bits;
}

static void local_flush(const struct tlb_batch *b, unsigned long asid, bool global,
			bool all)
{
	vaddr_t va;

	if (all && global)
		local_flush_tlb_all();
	else if (all)
		local_flush_tlb_asid(asid);
	else if (global)
		for (va = b->start; va < b->end; va += PAGE_SIZE)
			local_flush_tlb_page(va);
	else
		for (va = b->start; va < b->end; va += PAGE_SIZE)
			local_flush_tlb_page_asid(va, asid);
}

/* Dense hart indexes to SBI hart ids: one call per 64-id window. */
static void remote_flush(u64 cpus, const struct tlb_batch *b, unsigned long asid,
			 bool global, bool all)
{
	unsigned long start = all ? 0 : b->start;
	unsigned long size = all ? (unsigned long)-1 : b->end - b->start;
	int err;

	while (cpus) {
		unsigned long base = harts[lowest_bit(cpus)].hartid & ~63ul;
		unsigned long hmask = 0;
		u64 rest = cpus;

		while (rest) {
			unsigned int cpu = lowest_bit(rest);

			rest &= rest - 1;
			if ((harts[cpu].hartid & ~63ul) == base) {
				hmask |= 1ul << (harts[cpu].hartid & 63);
				cpus &= ~(1ull << cpu);
			}
		}
		err = sbi_remote_sfence_vma(hmask, base, start, size, global ? -1 : (long)asid);
		/* A hart that was not fenced may use a freed frame: no way on. */
		if (err)
			panic("tlb: SBI remote fence to harts 0x%lx (base %lu) failed: %d",
			      hmask, base, err);
	}
}

void arch_tlb_flush(const struct tlb_batch *b, unsigned long asid, bool global,
		    const struct hartmask *mask)
{
	u64 others = mask ? hartmask_read(mask) & ~(1ull << this_hart()->cpu) : 0;
	bool all = b->all || (b->end > b->start &&
			      (b->end - b->start) / PAGE_SIZE > TLB_FLUSH_PAGES_MAX);

	if (!all && b->start >= b->end)
		return;
	local_flush(b, asid, global, all);
	if (others)
		remote_flush(others, b, asid, global, all);
}
