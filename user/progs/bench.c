/*
 * bench: guest instructions per memory-management operation, seen from a
 * user program. Each measurement reads the instret CSR around a loop of
 * operations, subtracts what the same number of empty loop iterations
 * costs, and divides by the number of operations. Under QEMU with
 * -icount shift=0,sleep=off the count is exact and covers everything the
 * operation runs: the user side, the kernel and the firmware.
 *
 * Output: one line `bench user_NAME VALUE` per measurement, then
 * `bench user_done`. A measurement whose set-up fails prints
 * `bench: NAME: ...` instead of a value, and the exit status is then 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE     4096UL
#define ITERS    1000           /* operations per measurement */
#define RW       (PROT_READ | PROT_WRITE)
#define ANON     (MAP_PRIVATE | MAP_ANONYMOUS)

static uint64_t overhead_per_1000;  /* instret of 1000 empty loop iterations */
static int failed;

static inline uint64_t rdinstret(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, instret" : "=r"(v) : : "memory");
	return v;
}

/* Keeps the compiler from deleting or merging loop iterations. */
static inline void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static void measure_overhead(void)
{
	uint64_t t0, t1;
	unsigned int i;

	t0 = rdinstret();
	for (i = 0; i < 1000; i++)
		barrier();
	t1 = rdinstret();
	overhead_per_1000 = t1 - t0;
}

/* Print @name's cost per operation: @total instret over @ops operations,
 * less @loops iterations of loop overhead, rounded to nearest. */
static void report(const char *name, uint64_t total, unsigned long ops,
		   unsigned long loops)
{
	uint64_t empty = overhead_per_1000 * loops / 1000;
	uint64_t net = total > empty ? total - empty : 0;

	printf("bench user_%s %lu\n", name, (unsigned long)((net + ops / 2) / ops));
}

static void fail(const char *name, const char *what)
{
	printf("bench: %s: %s failed, errno %d\n", name, what, errno);
	failed = 1;
}

static char *map_rw(size_t len)
{
	char *p = mmap(NULL, len, RW, ANON, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void touch_pages(char *p, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		p[i * PAGE] = 1;
}

/* A write fault on a fresh anonymous page, per page. */
static void bench_page_fault(void)
{
	const unsigned long npages = 256, rounds = 4;
	uint64_t total = 0, t0;
	unsigned long r, i;
	char *p;

	for (r = 0; r < rounds; r++) {
		p = map_rw(npages * PAGE);
		if (!p)
			return fail("page_fault", "mmap");
		t0 = rdinstret();
		for (i = 0; i < npages; i++) {
			p[i * PAGE] = 1;
			barrier();
		}
		total += rdinstret() - t0;
		munmap(p, npages * PAGE);
	}
	report("page_fault", total, npages * rounds, npages * rounds);
}

/* One page mapped, written to if @touch, unmapped. false if mmap failed. */
static bool mmap_munmap_once(bool touch)
{
	char *p = mmap(NULL, PAGE, RW, ANON, -1, 0);

	if (p == MAP_FAILED)
		return false;
	if (touch)
		*(volatile char *)p = 1;
	munmap(p, PAGE);
	return true;
}

/* mmap then munmap of one page (written once if @touch); per pair. The
 * first pair, outside the count, sets up the page-table pages. */
static void bench_mmap_munmap(bool touch)
{
	const char *name = touch ? "mmap_touch_munmap_4k" : "mmap_munmap_4k";
	uint64_t t0, t1;
	unsigned int i;

	if (!mmap_munmap_once(touch))
		return fail(name, "mmap");
	t0 = rdinstret();
	for (i = 0; i < ITERS; i++)
		if (!mmap_munmap_once(touch))
			return fail(name, "mmap");
	t1 = rdinstret();
	report(name, t1 - t0, ITERS, ITERS);
}

/* mprotect of a populated 1 MiB region between read-only and read-write. */
static void bench_mprotect_toggle(void)
{
	const unsigned long len = 1UL << 20;
	uint64_t t0, t1;
	unsigned int i;
	char *p = map_rw(len);

	if (!p)
		return fail("mprotect_toggle_1m", "mmap");
	touch_pages(p, len / PAGE);
	t0 = rdinstret();
	for (i = 0; i < ITERS; i++) {
		if (mprotect(p, len, (i & 1) ? RW : PROT_READ))
			return fail("mprotect_toggle_1m", "mprotect");
	}
	t1 = rdinstret();
	report("mprotect_toggle_1m", t1 - t0, ITERS, ITERS);
	munmap(p, len);
}

/* mremap(MREMAP_MAYMOVE) growing one mapping a page at a time. */
static void bench_mremap_grow(void)
{
	uint64_t t0, t1;
	unsigned long i;
	char *p = map_rw(PAGE), *q;

	if (!p)
		return fail("mremap_grow_page", "mmap");
	*p = 1;
	t0 = rdinstret();
	for (i = 1; i <= ITERS; i++) {
		q = mremap(p, i * PAGE, (i + 1) * PAGE, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return fail("mremap_grow_page", "mremap");
		p = q;
	}
	t1 = rdinstret();
	report("mremap_grow_page", t1 - t0, ITERS, ITERS);
	if (*p != 1)
		fail("mremap_grow_page", "keeping the first page");
	munmap(p, (ITERS + 1) * PAGE);
}

/* brk raised one page at a time, pages not touched. */
static void bench_brk_grow(void)
{
	uintptr_t b0 = syscall(SYS_brk, 0), b;
	uint64_t t0, t1;
	unsigned long i;

	t0 = rdinstret();
	for (i = 1; i <= ITERS; i++) {
		b = syscall(SYS_brk, b0 + i * PAGE);
		if (b != b0 + i * PAGE)
			return fail("brk_grow_page", "brk");
	}
	t1 = rdinstret();
	report("brk_grow_page", t1 - t0, ITERS, ITERS);
	syscall(SYS_brk, b0);
}

/* munmap of one page and mmap(MAP_FIXED) of it back, among 10,000 VMAs:
 * pages alternate read-write and read-only so no two neighbours merge. */
static void bench_munmap_10k_vmas(void)
{
	const unsigned long nvmas = 10000;
	uint64_t t0, t1;
	unsigned long i, j;
	char *p = map_rw(nvmas * PAGE), *q;
	int prot;

	if (!p)
		return fail("munmap_10k_vmas", "mmap");
	for (j = 1; j < nvmas; j += 2)
		if (mprotect(p + j * PAGE, PAGE, PROT_READ))
			return fail("munmap_10k_vmas", "mprotect");
	t0 = rdinstret();
	for (i = 0; i < ITERS; i++) {
		/* Interior pages only, spread over the region. */
		j = 1 + (i * 7919) % (nvmas - 2);
		prot = (j & 1) ? PROT_READ : RW;
		if (munmap(p + j * PAGE, PAGE))
			return fail("munmap_10k_vmas", "munmap");
		q = mmap(p + j * PAGE, PAGE, prot, ANON | MAP_FIXED, -1, 0);
		if (q != p + j * PAGE)
			return fail("munmap_10k_vmas", "mmap back");
	}
	t1 = rdinstret();
	report("munmap_10k_vmas", t1 - t0, ITERS, ITERS);
	munmap(p, nvmas * PAGE);
}

/* MADV_DONTNEED of a populated region, then touching it again; per page. */
static void bench_madv_dontneed(void)
{
	const unsigned long npages = 256, rounds = 4;
	uint64_t t0, t1;
	unsigned long r, i;
	char *p = map_rw(npages * PAGE);

	if (!p)
		return fail("madv_dontneed_refault", "mmap");
	touch_pages(p, npages);
	t0 = rdinstret();
	for (r = 0; r < rounds; r++) {
		if (madvise(p, npages * PAGE, MADV_DONTNEED))
			return fail("madv_dontneed_refault", "madvise");
		for (i = 0; i < npages; i++) {
			p[i * PAGE] = 1;
			barrier();
		}
	}
	t1 = rdinstret();
	report("madv_dontneed_refault", t1 - t0, npages * rounds, npages * rounds);
	munmap(p, npages * PAGE);
}

static void bench_getpid(void)
{
	uint64_t t0, t1;
	unsigned int i;

	t0 = rdinstret();
	for (i = 0; i < ITERS; i++) {
		getpid();
		barrier();
	}
	t1 = rdinstret();
	report("getpid", t1 - t0, ITERS, ITERS);
}

int main(void)
{
	measure_overhead();
	bench_page_fault();
	bench_mmap_munmap(false);
	bench_mmap_munmap(true);
	bench_mprotect_toggle();
	bench_mremap_grow();
	bench_brk_grow();
	bench_munmap_10k_vmas();
	bench_madv_dontneed();
	bench_getpid();
	printf("bench user_done\n");
	return failed;
}
