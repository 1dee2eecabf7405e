/* Device register access and the early device mapping. */
#ifndef PAGODA_MMIO_H
#define PAGODA_MMIO_H
#include <pagoda/types.h>
#include <asm/mmio.h>

/*
 * early_ioremap - map device registers at @pa for the kernel's lifetime,
 * before the MMIO region manager exists. Returns the virtual address, or
 * NULL when the fixed slots are used up.
 */
void *early_ioremap(paddr_t pa, u64 size);
#endif
