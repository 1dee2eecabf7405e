/*
 * MMIO accessors. Device registers sit in I/O regions (PMA), which keep
 * program order among themselves; the fences order them against normal
 * memory (Linux's readl/writel use the same pairs).
 */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H
#include <pagoda/types.h>

static inline u8 mmio_read8(const volatile void *p)
{
	u8 v = *(const volatile u8 *)p;
	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}
static inline u32 mmio_read32(const volatile void *p)
{
	u32 v = *(const volatile u32 *)p;
	__asm__ __volatile__("fence i,r" ::: "memory");
	return v;
}
static inline void mmio_write8(volatile void *p, u8 v)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile u8 *)p = v;
}
static inline void mmio_write32(volatile void *p, u32 v)
{
	__asm__ __volatile__("fence w,o" ::: "memory");
	*(volatile u32 *)p = v;
}
#endif
