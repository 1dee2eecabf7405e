/*
 * host: the simulated machine under the mm unit tests, and their harness.
 *
 * Banks of "RAM" get a calloc'd struct page array and, when asked, an
 * aligned_alloc'd arena that page_va()/va_to_page() map pfns onto. Harts
 * are the kernel's struct hart array; host_set_hart() picks the current
 * one. panic() longjmps to the innermost host_try() or host_run_case();
 * with neither armed it prints the message and aborts.
 */
#ifndef HOST_H
#define HOST_H

#include <stdbool.h>
#include <pagoda/types.h>


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

/* ---- harness: a case returns NULL (ok) or why it failed ----------------- */

typedef const char *(*host_case_fn)(void);
void host_run_case(const char *name, host_case_fn fn);
int host_failures(void);
const char *host_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, ...)                                \
	do {                                            \
		if (!(cond))                            \
			return host_failf(__VA_ARGS__); \
	} while (0)

#define TRY(expr)                                       \
	do {                                            \
		const char *e_ = (expr);                \
		if (e_)                                 \
			return e_;                      \
	} while (0)

/* ---- a small deterministic PRNG (xorshift64*) ---------------------------- */

extern u64 host_rand_state;

static inline void host_srand(u64 seed)
{
	host_rand_state = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
}

static inline u64 host_rand(void)
{
	u64 x = host_rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	host_rand_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n), n > 0. */
static inline u64 host_rand_below(u64 n)
{
	return (u64)(((unsigned __int128)host_rand() * n) >> 64);
}

typedef unsigned long long ull;
#endif
