/*
 * host: the simulated machine under the mm unit tests, and their harness.
 *
 * Banks of "RAM" get a calloc'd struct page array and, when asked, an
 * aligned_alloc'd arena that page_va()/va_to_page() map pfns onto. Harts
 * are the kernel's struct hart array; host_set_hart() picks the current
 * one. panic() longjmps to the innermost host_try() or host_run_case();
 * with neither armed it prints the message and aborts. Reporting, CHECK,
 * TRY and the PRNG are the shared harness of tests/unit/harness.h.
 */
#ifndef HOST_H
#define HOST_H

#include <stdbool.h>
#include <pagoda/types.h>

#include "../harness.h"


/*
 * Forget every bank, arena and per-hart cache (buddy_reset; a slab test
 * calls kmem_init itself); @nharts harts online, hart 0 current.
 */
void host_reset(unsigned int nharts);
void host_set_hart(unsigned int cpu);
unsigned int host_hart(void);
/* buddy_add_bank() over a new page array; @mapped gives it memory too. */
int host_add_bank(u64 base_pfn, u64 npages, bool mapped);

/* Run fn(arg); true when it panicked (the message in host_panic_msg). */
bool host_try(void (*fn)(void *), void *arg);
extern char host_panic_msg[512];

/*
 * Run one case (when $TEST_FILTER selects it) and report it through the
 * shared harness; a panic it did not expect fails it rather than the
 * program, and so does leaving interrupts disabled.
 */
void host_run_case(const char *name, test_case_fn fn);

typedef unsigned long long ull;
#endif
