/*
 * host: the kernel symbols mm/buddy.c and mm/slab.c need outside the kernel
 * (harts, panic, printk, page_va/va_to_page), over simulated banks of RAM,
 * and the panic-catching case runner the mm unit tests share. See host.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>

#include "host.h"

struct hart harts[MAX_HARTS];
unsigned int nr_harts_online;
void *host_cur_hart = &harts[0];
unsigned long host_irqs_on = 1;
char host_panic_msg[512];

struct host_bank {
	u64 base_pfn, npages;
	struct page *pages;
	u8 *mem;                        /* NULL: no contents (buddy-only tests) */
};

static struct host_bank hbanks[MAX_BANKS];
static unsigned int nhbanks;
static jmp_buf *panic_jmp;              /* innermost host_try/host_run_case */
static bool in_panic;

/* ---- kernel symbols --------------------------------------------------------- */

__noreturn void panic(const char *fmt, ...)
{
	jmp_buf *j = panic_jmp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (getenv("MM_VERBOSE"))
		fprintf(stderr, "panic: %s\n", host_panic_msg);
	if (j) {
		panic_jmp = NULL;
		longjmp(*j, 1);
	}
	in_panic = true;
	fprintf(stderr, "panic (no test armed): %s\n", host_panic_msg);
	abort();
}

void printk(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("MM_VERBOSE"))
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

bool hart_in_panic(void)
{
	return in_panic;
}

void host_spin_deadlock(void)
{
	panic("spin_lock: lock already held (one thread: it would spin forever)");
}

static struct host_bank *bank_of_pfn(u64 pfn)
{
	unsigned int i;

	for (i = 0; i < nhbanks; i++)
		if (pfn - hbanks[i].base_pfn < hbanks[i].npages)
			return &hbanks[i];
	return NULL;
}

void *page_va(const struct page *p)
{
	u64 pfn = page_to_pfn(p);
	struct host_bank *b = bank_of_pfn(pfn);

	if (!b || !b->mem)
		panic("%s: pfn 0x%llx has no simulated memory", __func__, (ull)pfn);
	return b->mem + ((pfn - b->base_pfn) << 12);
}

struct page *va_to_page(const void *va)
{
	unsigned int i;

	for (i = 0; i < nhbanks; i++) {
		struct host_bank *b = &hbanks[i];
		u64 off = (u64)((uintptr_t)va - (uintptr_t)b->mem);

		if (b->mem && off < b->npages << 12)
			return pfn_to_page(b->base_pfn + (off >> 12));
	}
	return NULL;
}

/* ---- simulated machine ------------------------------------------------------ */

void host_set_hart(unsigned int cpu)
{
	host_cur_hart = &harts[cpu];
}

unsigned int host_hart(void)
{
	return ((struct hart *)host_cur_hart)->cpu;
}

void host_reset(unsigned int nharts)
{
	unsigned int i;

	for (i = 0; i < nhbanks; i++) {
		free(hbanks[i].pages);
		free(hbanks[i].mem);
	}
	nhbanks = 0;
	buddy_reset();
	for (i = 0; i < MAX_HARTS; i++)
		harts[i] = (struct hart){ .hartid = i, .cpu = i, .online = i < nharts };
	nr_harts_online = nharts;
	host_set_hart(0);
	host_irqs_on = 1;
}

/* Memory aligned like its physical address, up to 2 MiB. */
static u8 *arena_alloc(u64 base_pfn, u64 npages)
{
	size_t align = 4096;

	while (align < (2u << 20) && !(base_pfn & (align >> 12)))
		align <<= 1;
	return aligned_alloc(align, ALIGN_UP(npages << 12, (u64)align));
}

int host_add_bank(u64 base_pfn, u64 npages, bool mapped)
{
	struct host_bank *b = &hbanks[nhbanks];
	int err;

	if (nhbanks == MAX_BANKS)
		return -EINVAL;
	*b = (struct host_bank){ base_pfn, npages, calloc(npages ? npages : 1, sizeof(struct page)),
				 mapped ? arena_alloc(base_pfn, npages) : NULL };
	if (!b->pages || (mapped && !b->mem)) {
		fprintf(stderr, "host_add_bank: out of host memory\n");
		abort();
	}
	err = buddy_add_bank(base_pfn << 12, npages, b->pages);
	if (err) {
		free(b->pages);
		free(b->mem);
		return err;
	}
	if (nhbanks++ == 0 && mapped)   /* the kfree fast path's view of bank 0 */
		bank0_lookup = (struct bank0_lookup){ (vaddr_t)(uintptr_t)b->mem, npages,
						      b->pages };
	return 0;
}

/* ---- panics and cases ------------------------------------------------------- */

bool host_try(void (*fn)(void *), void *arg)
{
	jmp_buf jb, *outer = panic_jmp;
	unsigned long irqs = host_irqs_on;

	host_panic_msg[0] = '\0';
	panic_jmp = &jb;
	if (setjmp(jb)) {
		panic_jmp = outer;
		host_irqs_on = irqs;
		return true;
	}
	fn(arg);
	panic_jmp = outer;
	return false;
}

struct case_call {
	test_case_fn fn;
	const char *err;
};

static void call_case(void *arg)
{
	struct case_call *c = arg;

	c->err = c->fn();
}

void host_run_case(const char *name, test_case_fn fn)
{
	struct case_call c = { fn, NULL };

	if (!test_selected(name))
		return;
	host_irqs_on = 1;
	if (host_try(call_case, &c))
		c.err = test_failf("unexpected panic: %s", host_panic_msg);
	else if (!c.err && !host_irqs_on)
		c.err = test_failf("left interrupts disabled");
	test_report(name, c.err);
}
