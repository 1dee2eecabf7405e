/* ksyms: the kernel's own text symbols, for symbolized backtraces. */
#ifndef PAGODA_KSYMS_H
#define PAGODA_KSYMS_H
#include <pagoda/types.h>

/* "name+0x1c" for a text address, or "?" when it lies in no function. */
void ksyms_format(vaddr_t addr, char *buf, size_t size);
/* One line per frame: the faulting pc, then the frame-pointer chain. */
void backtrace_print(vaddr_t pc, vaddr_t ra, vaddr_t fp);
/* panic_begin: claim the panic (other harts stop); panic_end: power off. */
void panic_begin(void);
__noreturn void panic_end(void);
#endif
