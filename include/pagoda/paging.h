/* paging_init: the kernel root table with the direct map of all RAM. */
#ifndef PAGODA_PAGING_H
#define PAGODA_PAGING_H
#include <pagoda/types.h>
#include <asm/pte.h>

struct dt_info;
extern pte_t *kernel_root;
extern paddr_t kernel_root_pa;

/* Highest physical address (exclusive) the direct map can cover. */
paddr_t paging_dmap_limit(const struct dt_info *dt);
/*
 * Build the kernel root (kernel image, device slots, direct map of every
 * RAM range not marked no-map) and switch this hart to it. The boot table
 * is no longer used afterwards. Returns 0 or -ENOMEM.
 */
int paging_init(const struct dt_info *dt);
#endif
