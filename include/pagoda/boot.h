/* Facts fixed during early boot, and the kernel's own physical placement. */
#ifndef PAGODA_BOOT_H
#define PAGODA_BOOT_H
#include <pagoda/types.h>

extern paddr_t kernel_pa_start;         /* load address of _start */
extern vaddr_t boot_dtb_va;             /* the DTB seen through the boot window */
extern u32 boot_lottery_losers;         /* harts that entered at _start late */

unsigned long boot_early_map(paddr_t dtb_pa);
#endif
