/*
 * ioremap: the MMIO region manager. Virtual ranges come from the ioremap
 * window (asm/layout.h) through a buddy allocator over that window: a
 * range is a power of two of pages, aligned to its size, so a device
 * aligned to 2 MiB gets 2 MiB pages. Device memory is mapped RW (the PMA
 * of the address makes it I/O; Sv39 without Svpbmt has no type bits).
 */
#ifndef PAGODA_IOREMAP_H
#define PAGODA_IOREMAP_H
#include <pagoda/types.h>

#define IOREMAP_ORDERS  25              /* 4 KiB << 24 = the 64 GiB window */

/* NULL for size 0, a wrapping range, RAM, or no room. */
void *ioremap(paddr_t phys, u64 size);
/* 0, -EINVAL for an address ioremap did not return, or -EAGAIN when this
 * hart holds the KernelMapper (the area then stays mapped and listed). */
int iounmap(void *addr);
/* Free pages of the window (for tests: every cycle must give all back). */
u64 ioremap_free_pages(void);
void ioremap_init(void);
#endif
