/*
 * early: the boot page table, built with the MMU off.
 *
 * This file runs at the physical load address, before any mapping exists:
 * it may use only PC-relative references (no pointers stored in data, no
 * jump tables; see KCFLAGS_EARLY). The boot table maps two things, both in
 * the kernel's top gigabyte, with 2 MiB pages:
 *   - the kernel image at its link address KERNEL_VA;
 *   - a window of 4 MiB onto the DTB at DTB_WINDOW_VA.
 * It maps no low address: head.S switches to the link address through
 * stvec, so no identity mapping is ever needed. kmain() replaces this table
 * with the kernel root (direct map included) as soon as the DTB is read.
 */
#include <asm/csr.h>
#include <asm/layout.h>
#include <asm/pte.h>
#include <pagoda/boot.h>

#define MEGA (2ul << 20)

pte_t boot_root[PT_ENTRIES] __aligned(PAGE_SIZE);
pte_t kernel_l1[PT_ENTRIES] __aligned(PAGE_SIZE);

/* Written here with the MMU off, read later at their link addresses. */
paddr_t kernel_pa_start;
vaddr_t boot_dtb_va;

extern char _start[], _end[];

/* boot_early_map - build the boot table; return the satp value for it. */
unsigned long boot_early_map(paddr_t dtb_pa)
{
	paddr_t kpa = (paddr_t)_start;     /* PC-relative: the load address */
	paddr_t kend = ALIGN_UP((paddr_t)_end, MEGA);
	paddr_t dpa = ALIGN_DOWN(dtb_pa, MEGA);
	unsigned int i, n = (kend - kpa) / MEGA;
	unsigned int dwin = pt_index(DTB_WINDOW_VA, 1);
	unsigned int kmax = pt_index(FIXMAP_VA, 1) - pt_index(KERNEL_VA, 1);

	kernel_pa_start = kpa;
	for (i = 0; i < n && i < kmax; i++)
		kernel_l1[pt_index(KERNEL_VA, 1) + i] =
			pte_mkleaf(kpa + i * MEGA, PROT_KRWX);
	for (i = 0; i < 2; i++)
		kernel_l1[dwin + i] = pte_mkleaf(dpa + i * MEGA, PROT_KR);
	boot_dtb_va = DTB_WINDOW_VA + (dtb_pa - dpa);
	boot_root[pt_index(KERNEL_VA, 2)] = pte_mktable((paddr_t)kernel_l1);
	return SATP_MODE_SV39 | ((paddr_t)boot_root >> PAGE_SHIFT);
}
