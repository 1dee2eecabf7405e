/*
 * Kernel virtual layout (Sv39 upper half), shaped like Linux's:
 *
 *   0x0000000000000000 .. 0x0000003fffffffff  user space (256 GiB)
 *   0xffffffc000000000 .. 0xffffffc0001fffff  hart stacks (32 x 64 KiB slots)
 *   0xffffffc000200000 .. 0xffffffc7ffffffff  unused
 *   0xffffffc800000000 .. 0xffffffd7ffffffff  ioremap window (64 GiB)
 *   0xffffffd800000000 .. 0xfffffff7ffffffff  direct map of RAM (128 GiB)
 *   0xfffffff800000000 .. 0xffffffff7fffffff  unused
 *   0xffffffff80000000 .. 0xffffffffbf7fffff  kernel image (link address)
 *   0xffffffffbf000000 .. 0xffffffffbf7fffff  early device slots (4 x 2 MiB)
 *   0xffffffffbf800000 .. 0xffffffffbfffffff  boot window onto the DTB (8 MiB)
 *
 * The direct map places physical address P at DMAP_BASE + (P - dmap_pa_base),
 * dmap_pa_base being the lowest RAM address rounded down to 1 GiB, so that
 * virtual and physical addresses agree modulo 1 GiB and gigapages fit.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define KERNEL_VA       0xffffffff80000000ul
#define DTB_WINDOW_VA   0xffffffffbf800000ul
#define DTB_WINDOW_SIZE 0x800000ul
#define FIXMAP_VA       0xffffffffbf000000ul
#define FIXMAP_SLOTS    4
#define DMAP_BASE       0xffffffd800000000ul
#define DMAP_SIZE       (128ul << 30)
#define IOREMAP_BASE    0xffffffc800000000ul
#define IOREMAP_SIZE    (64ul << 30)
#define USER_TOP        0x0000004000000000ul
#define KSTACK_BASE     0xffffffc000000000ul
#define KSTACK_SLOT     0x10000ul       /* guard page, stack, unmapped rest */

#define BOOT_STACK_SIZE 16384
#define HART_STACK_ORDER 2
#define HART_STACK_SIZE (4096 << HART_STACK_ORDER)

#ifndef __ASSEMBLY__
_Static_assert(DMAP_BASE + DMAP_SIZE <= KERNEL_VA, "direct map overlaps kernel");
_Static_assert(IOREMAP_BASE + IOREMAP_SIZE <= DMAP_BASE, "ioremap overlaps direct map");
_Static_assert(DTB_WINDOW_VA + DTB_WINDOW_SIZE == KERNEL_VA + (1ul << 30),
	       "DTB window ends the kernel's gigabyte");
#endif
#endif
