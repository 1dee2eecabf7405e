/*
 * Physical <-> virtual for the kernel image and the direct map.
 * dmap_pa_base is set once by paging_init() before the direct map is used.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H
#include <pagoda/types.h>
#include <pagoda/boot.h>
#include <asm/layout.h>

extern paddr_t dmap_pa_base;
extern char _start[], _end[];

static inline paddr_t kernel_va_to_pa(const void *va)
{
	return (vaddr_t)va - KERNEL_VA + kernel_pa_start;
}
/* One unsigned comparison: below the image wraps around to a large offset. */
static inline bool pa_in_kernel_image(paddr_t pa)
{
	return pa - kernel_pa_start < (vaddr_t)_end - KERNEL_VA;
}
static inline void *dmap_va(paddr_t pa)
{
	return (void *)(DMAP_BASE + (pa - dmap_pa_base));
}
static inline paddr_t dmap_pa(const void *va)
{
	return (vaddr_t)va - DMAP_BASE + dmap_pa_base;
}
/* Any RAM page the kernel can reach: its image, or the direct map. */
static inline void *phys_to_virt(paddr_t pa)
{
	if (pa_in_kernel_image(pa))
		return (void *)(pa - kernel_pa_start + KERNEL_VA);
	return dmap_va(pa);
}
static inline paddr_t virt_to_phys(const void *va)
{
	if ((vaddr_t)va >= KERNEL_VA)
		return kernel_va_to_pa(va);
	return dmap_pa(va);
}
#endif
