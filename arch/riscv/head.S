/*
 * Kernel entry. OpenSBI (or U-Boot's booti) jumps here with the MMU off,
 * a0 = hart id, a1 = DTB physical address, at whatever 2 MiB-aligned
 * physical address the image was loaded. Until the jump to the link
 * address, everything here is PC-relative.
 *
 * The image starts with the RISC-V Linux Image header so booti accepts it.
 */
#include <asm/csr.h>
#include <asm/layout.h>

	.section .head.text, "ax"
	.globl _start
_start:
	/* Image header (Documentation/arch/riscv/boot-image-header.rst) */
	.option push
	.option norvc
	j	entry                   /* code0: one 4-byte jump */
	.option pop
	.word	0                       /* code1 */
	.dword	0x200000                /* text_offset */
	.dword	_end - _start           /* image_size, .bss included */
	.dword	0                       /* flags: little endian */
	.word	2                       /* version 0.2 */
	.word	0                       /* res1 */
	.dword	0                       /* res2 */
	.ascii	"RISCV\0\0\0"           /* magic (deprecated) */
	.ascii	"RSC\x05"               /* magic2 */
	.word	0                       /* res3 */

entry:
	csrw	sie, zero
	csrw	sip, zero
	/*
	 * Boot lottery. OpenSBI up to 1.2 may let a hart that is being
	 * started run this entry instead of its start address. The flag
	 * lives in .data (never cleared), so exactly one hart ever wins.
	 */
	lla	t0, boot_lottery
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, park

	mv	s0, a0                  /* hart id */
	mv	s1, a1                  /* DTB physical address */

	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:
	lla	sp, boot_stack_top
	mv	a0, s1
	call	boot_early_map          /* returns satp for the boot table */
	mv	s2, a0

	/* t2 = link address - load address */
	lla	t0, _start
	ld	t1, link_start
	sub	t2, t1, t0

	/*
	 * Turn the MMU on. The boot table maps no low addresses, so fetching
	 * the next instruction faults and lands at stvec: the virtual
	 * address of label 3 below.
	 */
	lla	t0, 3f
	add	t0, t0, t2
	csrw	stvec, t0
	sfence.vma
	csrw	satp, s2
	sfence.vma
	.balign 4
3:
	sfence.vma
	lla	sp, boot_stack_top      /* PC is virtual now: so is this */
	mv	tp, zero
	csrw	sscratch, zero
	mv	a0, s0
	mv	a1, s1
	call	kmain
4:	wfi
	j	4b

/* Losers of the lottery stop through HSM; if that fails, sleep forever. */
park:
	lla	t0, boot_lottery_losers
	li	t1, 1
	amoadd.w t1, t1, (t0)
	li	a7, 0x48534D            /* HSM */
	li	a6, 1                   /* hart_stop */
	ecall
5:	wfi
	j	5b

/*
 * secondary_entry: HSM hart_start target, MMU off, a0 = hart id,
 * a1 = physical address of this hart's struct hart_boot (see smp.c):
 *   0: satp   8: stack top (virtual)   16: tp (virtual)   24: entry (virtual)
 */
	.globl secondary_entry
	.balign 4
secondary_entry:
	csrw	sie, zero
	csrw	sip, zero
	ld	t0, 0(a1)
	ld	sp, 8(a1)
	ld	tp, 16(a1)
	ld	t1, 24(a1)
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	j	park                    /* not reached: the fetch above faults */

	.globl secondary_virt
	.balign 4
secondary_virt:
	sfence.vma
	csrw	sscratch, zero
	mv	a0, tp
	call	secondary_main
6:	wfi
	j	6b

	.balign 8
link_start:
	.dword	_start

	.section .data
	.globl boot_lottery
	.balign 4
boot_lottery:
	.word	0
	.globl boot_lottery_losers
boot_lottery_losers:
	.word	0

	.section .bss
	.balign 4096
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:                       /* left unmapped by kmap_init */
	.space	4096
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
