/*
 * fuzz: hostile arguments for the memory-management system calls.
 *
 * Usage: fuzz [SEED [CALLS]]            (defaults: seed 1, 20000 calls)
 *
 * Issues mmap, munmap, mprotect, mremap, brk, madvise, mincore and msync with
 * arguments drawn from interesting values (0, 1, page-1, page, page+1, huge
 * and wrapping lengths, kernel, non-canonical and beyond-user-top addresses,
 * unaligned addresses, invalid flag and protection bits, bad fds, addresses
 * in a scratch window the fuzzer owns).  There is no expected value per call;
 * the checks are invariants: a successful mmap returns a page-aligned address
 * below the user top that does not overlap the fuzzer's own memory, MAP_FIXED
 * and MREMAP_FIXED return the address asked for, a failure carries one of the
 * errnos Linux documents for that call, brk returns the new or the old break.
 *
 * Self-protection.  The fuzzer must never change its own text, data, stack
 * or heap, so a call that can change mappings (munmap, mprotect, madvise,
 * mremap, mmap with MAP_FIXED or MAP_FIXED_NOREPLACE, brk) only gets a range
 * that lies inside the window, or arguments Linux rejects before touching
 * anything: an unaligned start, an address at or above the user top, a length
 * that wraps around.  Which rejections are early differs per call (mprotect
 * and madvise walk the VMAs before noticing that a range runs past the top,
 * munmap and mmap check first); see the *_safe() predicates.  The window is
 * fenced by PROT_NONE guard mappings so no mapping can grow out of it in
 * place; at the end the guards, a canary array in .bss and one on the stack
 * must be intact.  mincore and msync take any address; mincore only gets our
 * buffer as its vector when the buffer is large enough for the length.
 * Mappings the kernel places (non-fixed mmap, moving mremap) are recorded and
 * unmapped later with exactly their own range (hugetlb ones are left until
 * exit: their length is in huge pages).  MAP_HUGETLB is never combined with
 * MAP_FIXED, since its length rounds up past the window.  MAP_LOCKED is
 * never passed and MAP_POPULATE only with small lengths, so nothing large is
 * populated; MADV_HWPOISON and MADV_SOFT_OFFLINE are never passed (as root
 * they would take pages out of the machine).  Window pages are read or
 * written only after read() into them and openat() of a path in them have
 * shown the kernel can do the same without EFAULT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG		4096UL
#define WIN_PAGES	256UL		/* scratch window, 1 MiB */
#define GUARD_PAGES	16UL		/* PROT_NONE fence on each side */
#define FOREIGN_MAX	64U		/* kernel-placed mappings kept at once */
#define CHECK_EVERY	1000UL		/* canary check period */
#define SMALL_LEN	(4UL << 20)	/* MAP_POPULATE only up to this */
#define BRK_SPAN	(16UL << 20)	/* break moves up to this above start */
#define ERRNO_SLOTS	160

#ifdef __riscv
#define NOMINAL_TOP	0x4000000000UL	/* Sv39 user top */
#else
#define NOMINAL_TOP	0x800000000000UL	/* 4-level x86-64 / arm64 top */
#endif
#define WIDEST_TOP	(1UL << 56)	/* 5-level paging / Sv57 */

#define PAGE_ALIGN(x)	(((x) + PG - 1) & ~(PG - 1))

/* The errnos Linux documents for each call, 0-terminated. */
static const int err_mmap[] = { EACCES, EAGAIN, EBADF, EEXIST, EINVAL, ENFILE,
				ENODEV, ENOMEM, EOVERFLOW, EPERM, ETXTBSY,
				EOPNOTSUPP, 0 };
static const int err_munmap[] = { EINVAL, ENOMEM, EPERM, 0 };
static const int err_mprotect[] = { EACCES, EINVAL, ENOMEM, EPERM, 0 };
static const int err_mremap[] = { EAGAIN, EFAULT, EINVAL, ENOMEM, EPERM, 0 };
static const int err_madvise[] = { EACCES, EAGAIN, EBADF, EBUSY, EFAULT,
				   EINVAL, EIO, ENOMEM, EPERM, 0 };
static const int err_mincore[] = { EAGAIN, EFAULT, EINVAL, ENOMEM, 0 };
static const int err_msync[] = { EBUSY, EINVAL, ENOMEM, 0 };

struct mapping {
	uintptr_t addr;
	unsigned long len;
};

static uintptr_t win_lo, win_hi;		/* the window, guards excluded */
static uintptr_t user_top = NOMINAL_TOP;
static uintptr_t brk_start, brk_cur;
static int probe_fd, dir_fd;
static uint64_t rng_state;
static unsigned long call_index, n_success;
static unsigned long errno_count[ERRNO_SLOTS];
static char call_text[224];
static struct mapping foreign[FOREIGN_MAX];
static unsigned n_foreign;
static unsigned char vecbuf[WIN_PAGES + 2 * GUARD_PAGES];
static uint64_t canary[64];
static uintptr_t stack_mark;			/* an address in main's frame */

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(1, buf, n) < 0)
		_exit(2);
}

static __attribute__((noreturn, format(printf, 1, 2)))
void fail(const char *fmt, ...)
{
	char buf[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("fuzz: FAIL at call %lu: %s: %s\n", call_index, call_text, buf);
	exit(1);
}

#define DESCRIBE(...) snprintf(call_text, sizeof(call_text), __VA_ARGS__)

/* xorshift64*, seeded through splitmix64: the same stream everywhere. */
static uint64_t rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static unsigned rnd(unsigned n)
{
	return (unsigned)((rng_next() >> 32) % n);
}

static uint64_t pick(const uint64_t *v, unsigned n)
{
	return v[rnd(n)];
}

#define PICK(arr) pick(arr, sizeof(arr) / sizeof(arr[0]))

/* ---- argument generators ---- */

static uintptr_t win_page(void)
{
	return win_lo + rnd(WIN_PAGES) * PG;
}

/* A page-aligned range of 1..16 pages inside the window. */
static void win_range(uintptr_t *addr, unsigned long *len)
{
	unsigned first = rnd(WIN_PAGES), n = 1 + rnd(16);

	if (n > WIN_PAGES - first)
		n = WIN_PAGES - first;
	*addr = win_lo + first * PG;
	*len = n * PG;
}

static const uint64_t kernel_addrs[] = {
	0xffffffc000000000UL, 0xffffffff80000000UL, 0xffffffd800000000UL,
	0xfffffffffffff000UL, 0x8000000000000000UL, 0xffff800000000000UL,
};

static const uint64_t odd_addrs[] = {
	0, 1, PG - 1, PG, PG + 1, 0x10000, 0x0000800000000000UL,
	0x0001000000000000UL, 1UL << 62, 0x00fffffffffff000UL,
	0x4000000000UL - PG, 0x4000000000UL, 0x4000000000UL + PG,
	0x4000000000UL - 1, 0x3fffffffffUL & ~(PG - 1),
	NOMINAL_TOP - PG, NOMINAL_TOP, NOMINAL_TOP + PG,
};

/* An address from one of the interesting classes. */
static uintptr_t gen_addr(void)
{
	switch (rnd(10)) {
	case 0: case 1: case 2:
		return win_page();
	case 3:
		return win_page() + PICK(((const uint64_t[]){ 1, 8, PG / 2,
							     PG - 1 }));
	case 4:
		return PICK(kernel_addrs);
	case 5: case 6:
		return PICK(odd_addrs);
	case 7:
		return rng_next();
	case 8:
		return (rng_next() % user_top) & ~(PG - 1);
	default:
		return rnd(2) ? win_lo - (1 + rnd(GUARD_PAGES)) * PG :
				win_hi + rnd(GUARD_PAGES) * PG;
	}
}

static const uint64_t huge_lens[] = {
	1UL << 62, ~0UL, ~0UL - PG + 2, 1UL << 39, 1UL << 38, 1UL << 47,
	NOMINAL_TOP, 1UL << 63, ~0UL & ~(PG - 1),
};

static unsigned long gen_len(void)
{
	switch (rnd(8)) {
	case 0:
		return PICK(((const uint64_t[]){ 0, 1, PG - 1, PG, PG + 1,
						 2 * PG }));
	case 1: case 2: case 3:
		return (1 + rnd(16)) * PG;
	case 4:
		return (1 + rnd(WIN_PAGES)) * PG - rnd(2) * rnd(PG);
	case 5: case 6:
		return PICK(huge_lens);
	default:
		return rng_next() >> rnd(64);
	}
}

static int gen_prot(void)
{
	static const uint64_t prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
		PROT_EXEC, PROT_READ | PROT_EXEC,
		PROT_READ | PROT_WRITE | PROT_EXEC, 0x8 /* PROT_SEM */,
		PROT_READ | 0x01000000 /* PROT_GROWSDOWN */,
		PROT_READ | 0x02000000 /* PROT_GROWSUP */, 0x10, 0x80,
	};

	if (rnd(8) == 0)
		return (int)rng_next();
	return (int)PICK(prots);
}

static int gen_map_flags(void)
{
	static const uint64_t types[] = {
		MAP_PRIVATE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0,
	};
	static const uint64_t extras[] = {
		MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_POPULATE,
		MAP_STACK, MAP_GROWSDOWN, MAP_HUGETLB, MAP_NONBLOCK,
		MAP_DENYWRITE, MAP_EXECUTABLE, 0x80000 /* MAP_SYNC */,
		1UL << 27, 1UL << 30,
	};
	int flags = (int)PICK(types);
	unsigned k;

	if (rnd(5))
		flags |= MAP_ANONYMOUS;
	for (k = rnd(4); k; k--)
		flags |= (int)PICK(extras);
	if (rnd(8) == 0)
		flags |= (int)rng_next();
	return flags & ~MAP_LOCKED;
}

/*
 * File descriptors: bad ones, the read-only file the probes use, and a
 * directory (no mmap).  Standard streams are left out: one opened read-write
 * on a file could be mapped shared and written by the window touches.
 */
static int gen_fd(void)
{
	static const uint64_t fds[] = { (uint64_t)-1, 9999, (uint64_t)-2,
					INT_MAX, 4096 };

	switch (rnd(6)) {
	case 0: return probe_fd;
	case 1: return dir_fd;
	default: return (int)PICK(fds);
	}
}

/* ---- self-protection predicates (Linux semantics) ---- */

static bool in_window(uintptr_t addr, unsigned long len)
{
	unsigned long alen = PAGE_ALIGN(len);

	return addr >= win_lo && addr <= win_hi && alen >= len &&
	       alen <= win_hi - addr;
}

/* The range wraps around: every call rejects it before looking at VMAs. */
static bool wraps(uintptr_t addr, unsigned long len)
{
	unsigned long alen = PAGE_ALIGN(len);

	return (len && !alen) || addr + alen < addr;
}

/* For calls that check addr + len against the top before anything else. */
static bool beyond_top(uintptr_t addr, unsigned long len)
{
	return len > user_top || addr > user_top - len;
}

static bool unmap_safe(uintptr_t addr, unsigned long len)
{
	return (addr & (PG - 1)) || len == 0 || addr >= user_top ||
	       wraps(addr, len) || beyond_top(addr, len) ||
	       in_window(addr, len);
}

/* mprotect and madvise walk the VMAs before noticing the end is too far. */
static bool walk_safe(uintptr_t addr, unsigned long len)
{
	return (addr & (PG - 1)) || len == 0 || addr >= user_top ||
	       wraps(addr, len) || in_window(addr, len);
}

/* ---- results ---- */

static void count(long r)
{
	if (r >= 0)
		n_success++;
	else if (-r < ERRNO_SLOTS)
		errno_count[-r]++;
}

/* A failure must carry an errno from @allowed. */
static void check_errno(long r, const int *allowed)
{
	count(r);
	if (r >= 0)
		return;
	for (; *allowed; allowed++)
		if (*allowed == -r)
			return;
	fail("errno %ld is not one Linux documents for this call", -r);
}

static bool overlaps(uintptr_t a, unsigned long alen, uintptr_t p)
{
	return p >= a && p - a < alen;
}

/* A new mapping the kernel placed must not cover memory the fuzzer uses. */
static void check_new_mapping(uintptr_t a, unsigned long len)
{
	unsigned long alen = PAGE_ALIGN(len);

	if (a & (PG - 1))
		fail("returned unaligned address 0x%lx", (unsigned long)a);
#ifdef __riscv
	if (a >= NOMINAL_TOP || alen > NOMINAL_TOP - a)
		fail("mapping 0x%lx+0x%lx is not below the user top",
		     (unsigned long)a, alen);
#endif
	if (overlaps(a, alen, (uintptr_t)&canary) ||
	    overlaps(a, alen, (uintptr_t)&check_new_mapping) ||
	    overlaps(a, alen, stack_mark) ||
	    (win_lo - GUARD_PAGES * PG < a + alen && a < win_lo) ||
	    (win_hi < a + alen && a < win_hi + GUARD_PAGES * PG))
		fail("mapping 0x%lx+0x%lx overlaps the fuzzer's own memory",
		     (unsigned long)a, alen);
}

static void record_foreign(uintptr_t a, unsigned long len);

/* ---- the calls ---- */

static void fuzz_mmap(void)
{
	uintptr_t addr;
	unsigned long len, off;
	int prot, flags, fd;
	bool fixed;
	void *p;
	long r;

	if (rnd(2)) {			/* plausible: anonymous, in the window */
		win_range(&addr, &len);
		flags = (rnd(4) ? MAP_PRIVATE : MAP_SHARED) | MAP_ANONYMOUS |
			(int)PICK(((const uint64_t[]){ 0, MAP_FIXED, MAP_FIXED,
						       MAP_FIXED_NOREPLACE }));
		prot = rnd(3) ? PROT_READ | PROT_WRITE : PROT_READ;
		fd = -1;
	} else {
		do {
			addr = gen_addr();
			len = gen_len();
			flags = gen_map_flags();
		} while ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
			 !unmap_safe(addr, len));
		prot = gen_prot();
		fd = gen_fd();
	}
	fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (len > SMALL_LEN)
		flags &= ~MAP_POPULATE;
	if (fixed)
		flags &= ~MAP_HUGETLB;	/* its length rounds up to 2 MiB */
	off = rnd(4) ? 0 : PICK(((const uint64_t[]){ 1, PG, ~0UL & ~(PG - 1),
						     1UL << 40 }));
	DESCRIBE("mmap(0x%lx, 0x%lx, 0x%x, 0x%x, %d, 0x%lx)",
		 (unsigned long)addr, len, prot, flags, fd, off);
	p = mmap((void *)addr, len, prot, flags, fd, off);
	r = p == MAP_FAILED ? -errno : (long)p;
	check_errno(r, err_mmap);
	if (r < 0)
		return;
	if (fixed && (uintptr_t)r != addr)
		fail("fixed mapping placed at 0x%lx", (unsigned long)r);
	if (!fixed) {
		check_new_mapping((uintptr_t)r, len);
		if (!(flags & MAP_HUGETLB))	/* left until exit */
			record_foreign((uintptr_t)r, len);
	}
}

static void fuzz_munmap(void)
{
	uintptr_t addr;
	unsigned long len;
	long r;

	if (rnd(2))
		win_range(&addr, &len);
	else
		do {
			addr = gen_addr();
			len = gen_len();
		} while (!unmap_safe(addr, len));
	DESCRIBE("munmap(0x%lx, 0x%lx)", (unsigned long)addr, len);
	r = munmap((void *)addr, len) ? -errno : 0;
	check_errno(r, err_munmap);
}

static void fuzz_mprotect(void)
{
	uintptr_t addr;
	unsigned long len;
	int prot = gen_prot();
	long r;

	if (rnd(2))
		win_range(&addr, &len);
	else
		do {
			addr = gen_addr();
			len = gen_len();
		} while (!walk_safe(addr, len));
	DESCRIBE("mprotect(0x%lx, 0x%lx, 0x%x)", (unsigned long)addr, len,
		 prot);
	r = mprotect((void *)addr, len, prot) ? -errno : 0;
	check_errno(r, err_mprotect);
}

static int gen_mremap_flags(void)
{
	static const uint64_t flags[] = {
		0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
		MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
		MREMAP_FIXED, MREMAP_DONTUNMAP, 8, 16, 0x80000000,
	};

	return (int)PICK(flags);
}

/*
 * The old range must lie in the window, or be rejected whatever it covers:
 * a range merely running past the top is not enough, since the shrink path
 * of older kernels unmaps the tail before any lookup, and Linux 6.17+ moves
 * every VMA of an equal-length MREMAP_FIXED source up to the first gap.  A
 * target (MREMAP_FIXED) must be in the window or rejected before anything
 * is unmapped (unaligned, zero or wrapping length, beyond the top).
 */
static bool mremap_safe(uintptr_t old, unsigned long old_len,
			unsigned long new_len, int flags, uintptr_t new_addr)
{
	bool src = (old & (PG - 1)) || old >= user_top ||
		   wraps(old, old_len) || in_window(old, old_len);
	bool dst = !(flags & MREMAP_FIXED) || (new_addr & (PG - 1)) ||
		   new_len == 0 || new_addr >= user_top ||
		   wraps(new_addr, new_len) || beyond_top(new_addr, new_len) ||
		   in_window(new_addr, new_len);

	return src && dst;
}

static void fuzz_mremap(void)
{
	uintptr_t old, new_addr;
	unsigned long old_len, new_len;
	bool plausible = rnd(2);
	int flags;
	void *p;
	long r;

	do {
		if (plausible) {	/* window to window, valid flags */
			win_range(&old, &old_len);
			win_range(&new_addr, &new_len);
			flags = gen_mremap_flags() & (MREMAP_MAYMOVE |
				MREMAP_FIXED | MREMAP_DONTUNMAP);
			if (flags & MREMAP_DONTUNMAP)
				new_len = old_len;
		} else {
			old = gen_addr();
			old_len = rnd(8) ? gen_len() : 0;
			new_len = gen_len();
			flags = gen_mremap_flags();
			new_addr = gen_addr();
		}
	} while (!mremap_safe(old, old_len, new_len, flags, new_addr));
	DESCRIBE("mremap(0x%lx, 0x%lx, 0x%lx, 0x%x, 0x%lx)",
		 (unsigned long)old, old_len, new_len, flags,
		 (unsigned long)new_addr);
	p = mremap((void *)old, old_len, new_len, flags, (void *)new_addr);
	r = p == MAP_FAILED ? -errno : (long)p;
	check_errno(r, err_mremap);
	if (r < 0)
		return;
	if ((flags & MREMAP_FIXED) && (uintptr_t)r != new_addr)
		fail("MREMAP_FIXED result 0x%lx", (unsigned long)r);
	if (!(flags & MREMAP_MAYMOVE) && (uintptr_t)r != old)
		fail("mremap moved without MREMAP_MAYMOVE to 0x%lx",
		     (unsigned long)r);
	if ((uintptr_t)r != old && !(flags & MREMAP_FIXED)) {
		check_new_mapping((uintptr_t)r, new_len);
		record_foreign((uintptr_t)r, new_len);
	}
}

/*
 * brk: only values that cannot shrink the heap below where it was at
 * start-up: 0 (a query), tiny values below the program (rejected), values
 * above the start-up break, and addresses beyond user space.
 */
static void fuzz_brk(void)
{
	uintptr_t want;
	long r;

	switch (rnd(5)) {
	case 0:
		want = PICK(((const uint64_t[]){ 0, 1, PG - 1, PG, PG + 1 }));
		break;
	case 1:
		want = PICK(kernel_addrs);
		break;
	case 2:
		want = PICK(((const uint64_t[]){ NOMINAL_TOP, NOMINAL_TOP - PG,
						 1UL << 62, ~0UL }));
		break;
	default:
		want = brk_start + rng_next() % BRK_SPAN;
		break;
	}
	DESCRIBE("brk(0x%lx)", (unsigned long)want);
	r = syscall(SYS_brk, want);
	if ((uintptr_t)r != want && (uintptr_t)r != brk_cur)
		fail("brk returned 0x%lx, neither the request nor the old "
		     "break 0x%lx", (unsigned long)r, (unsigned long)brk_cur);
	if (want && (uintptr_t)r == want && want < brk_start)
		fail("brk moved below the break the fuzzer started with");
	/* A refused brk counts as ENOMEM, what libc's brk() would report. */
	count((uintptr_t)r == want || !want ? 0 : -ENOMEM);
	brk_cur = (uintptr_t)r;
}

static void fuzz_madvise(void)
{
	static const uint64_t advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTNEED, MADV_DONTNEED, 5, 6, 7, 8 /* FREE */,
		9 /* REMOVE */, 10 /* DONTFORK */, 11 /* DOFORK */,
		12 /* MERGEABLE */, 13, 14 /* HUGEPAGE */, 15, 16 /* DONTDUMP */,
		17, 18 /* WIPEONFORK */, 19, 20 /* COLD */, 21 /* PAGEOUT */,
		22 /* POPULATE_READ */, 23 /* POPULATE_WRITE */,
		24 /* DONTNEED_LOCKED */, 25 /* COLLAPSE */, 26, 99,
		102 /* GUARD_INSTALL */, 103 /* GUARD_REMOVE */, 104, 1000,
		(uint64_t)-1,
	};
	uintptr_t addr;
	unsigned long len;
	int adv = (int)PICK(advice);
	long r;

	if (rnd(2))
		win_range(&addr, &len);
	else
		do {
			addr = gen_addr();
			len = gen_len();
		} while (!walk_safe(addr, len));
	DESCRIBE("madvise(0x%lx, 0x%lx, %d)", (unsigned long)addr, len, adv);
	r = madvise((void *)addr, len, adv) ? -errno : 0;
	check_errno(r, err_madvise);
}

static void fuzz_mincore(void)
{
	uintptr_t addr = gen_addr();
	unsigned long len = gen_len();
	unsigned char *vec;
	long r;

	if (PAGE_ALIGN(len) / PG <= sizeof(vecbuf) && PAGE_ALIGN(len) >= len &&
	    rnd(4))
		vec = vecbuf;
	else
		vec = (unsigned char *)PICK(((const uint64_t[]){
			0, 1, 0xffffffc000000000UL, NOMINAL_TOP }));
	DESCRIBE("mincore(0x%lx, 0x%lx, %p)", (unsigned long)addr, len,
		 (void *)vec);
	r = mincore((void *)addr, len, vec) ? -errno : 0;
	check_errno(r, err_mincore);
}

static void fuzz_msync(void)
{
	static const uint64_t flags[] = {
		MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE,
		MS_SYNC | MS_INVALIDATE, MS_ASYNC | MS_SYNC, 0, 8, 0x40000000,
	};
	uintptr_t addr = gen_addr();
	unsigned long len = gen_len();
	int f = (int)PICK(flags);
	long r;

	DESCRIBE("msync(0x%lx, 0x%lx, %d)", (unsigned long)addr, len, f);
	r = msync((void *)addr, len, f) ? -errno : 0;
	check_errno(r, err_msync);
}

/* True iff read() from a file may store into @p. */
static bool probe_write(char *p)
{
	long r = read(probe_fd, p, 1);

	if (r == 0) {
		lseek(probe_fd, 0, SEEK_SET);
		r = read(probe_fd, p, 1);
	}
	return r == 1;
}

/*
 * True iff the kernel can read a string at @p.  The bytes there are
 * arbitrary, so O_DIRECTORY keeps the open from reaching any device or FIFO
 * the string might happen to name.
 */
static bool probe_read(const char *p)
{
	int fd = openat(AT_FDCWD, p, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		close(fd);
		return true;
	}
	return errno != EFAULT;
}

/*
 * Reads and writes a window page the kernel has just shown it can reach.
 * The read probe passes the page start as a path (a string that runs on
 * into an unreadable page only makes the probe say no); the write probe
 * stores one file byte into the last byte of the page.  The fuzzer keeps
 * nothing in the window, so neither matters to it.
 */
static void touch_window(void)
{
	uintptr_t page = win_page();
	volatile uint64_t *w = (volatile uint64_t *)page;
	char *last = (char *)page + PG - 1;
	bool r, wr;

	DESCRIBE("touch 0x%lx", (unsigned long)page);
	r = probe_read((char *)page);
	wr = probe_write(last);
	if (wr)
		w[rnd(PG / 8)] = rng_next();
	if (r)
		(void)w[rnd(PG / 8)];
}

static void record_foreign(uintptr_t a, unsigned long len)
{
	long r;

	if (n_foreign == FOREIGN_MAX) {
		struct mapping *m = &foreign[rnd(FOREIGN_MAX)];

		DESCRIBE("munmap(0x%lx, 0x%lx) of a kernel-placed mapping",
			 (unsigned long)m->addr, m->len);
		r = munmap((void *)m->addr, m->len) ? -errno : 0;
		if (r)
			fail("returned %ld", r);
		*m = foreign[--n_foreign];
	}
	foreign[n_foreign].addr = a;
	foreign[n_foreign].len = len;
	n_foreign++;
}

/* ---- integrity of the fuzzer's own memory ---- */

static uint64_t canary_value(unsigned k)
{
	return splitmix64(0xC0FFEE + k);
}

static void check_canaries(const volatile uint64_t *stack_canary)
{
	unsigned k;

	for (k = 0; k < 64; k++)
		if (canary[k] != canary_value(k) ||
		    stack_canary[k] != ~canary_value(k))
			fail("canary %u changed", k);
}

/* The guards must still be mapped, PROT_NONE, untouched. */
static void check_guards(void)
{
	uintptr_t below = win_lo - GUARD_PAGES * PG;
	long r;

	DESCRIBE("guard check");
	r = mincore((void *)below, GUARD_PAGES * PG, vecbuf) ? -errno : 0;
	if (r == 0)
		r = mincore((void *)win_hi, GUARD_PAGES * PG, vecbuf) ?
			-errno : 0;
	if (r)
		fail("guard mapping gone (mincore %ld)", r);
	if (probe_read((char *)below) || probe_read((char *)win_hi))
		fail("guard mapping became readable");
}

static void setup(const char *self)
{
	void *p;

	probe_fd = open(self, O_RDONLY);
	if (probe_fd < 0)
		probe_fd = open("/proc/self/exe", O_RDONLY);
	if (probe_fd < 0) {
		say("fuzz: cannot open %s: errno %d\n", self, errno);
		exit(1);
	}
	dir_fd = open("/", O_RDONLY);
	p = mmap(NULL, (WIN_PAGES + 2 * GUARD_PAGES) * PG, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		say("fuzz: cannot map the window: errno %d\n", errno);
		exit(1);
	}
	win_lo = (uintptr_t)p + GUARD_PAGES * PG;
	win_hi = win_lo + WIN_PAGES * PG;
	/*
	 * If a mapping fits at the nominal top, user space is wider (5-level
	 * paging, Sv48/Sv57): widen the top so nothing counts as beyond it
	 * that is not.
	 */
	p = mmap((void *)NOMINAL_TOP, PG, PROT_NONE, MAP_PRIVATE |
		 MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED) {
		user_top = WIDEST_TOP;
		munmap(p, PG);
	}
	brk_start = brk_cur = (uintptr_t)syscall(SYS_brk, 0);
}

static void summary(unsigned long calls)
{
	static const struct { int e; const char *name; } names[] = {
		{ EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" },
		{ EEXIST, "EEXIST" }, { EBADF, "EBADF" }, { EACCES, "EACCES" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EAGAIN, "EAGAIN" },
		{ ENODEV, "ENODEV" }, { EPERM, "EPERM" },
		{ EOVERFLOW, "EOVERFLOW" }, { EBUSY, "EBUSY" }, { EIO, "EIO" },
		{ ENFILE, "ENFILE" }, { ETXTBSY, "ETXTBSY" },
	};
	char line[400];
	size_t n;
	unsigned k;

	n = snprintf(line, sizeof(line), "fuzz: %lu calls, %lu succeeded, "
		     "errnos:", calls, n_success);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (errno_count[names[k].e] && n < sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %s=%lu",
				      names[k].name, errno_count[names[k].e]);
	say("%s\n", line);
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long calls = argc > 2 ? strtoul(argv[2], NULL, 0) : 20000;
	volatile uint64_t stack_canary[64];
	unsigned k;

	for (k = 0; k < 64; k++) {
		canary[k] = canary_value(k);
		stack_canary[k] = ~canary_value(k);
	}
	stack_mark = (uintptr_t)stack_canary;
	rng_state = splitmix64(seed);
	if (!rng_state)
		rng_state = 1;
	setup(argc > 0 ? argv[0] : "/fuzz");
	for (call_index = 1; call_index <= calls; call_index++) {
		if (rnd(8) == 0)
			touch_window();
		switch (rnd(16)) {
		case 0: case 1: case 2: case 3: fuzz_mmap(); break;
		case 4: case 5: fuzz_munmap(); break;
		case 6: case 7: fuzz_mprotect(); break;
		case 8: case 9: case 10: fuzz_mremap(); break;
		case 11: fuzz_brk(); break;
		case 12: case 13: fuzz_madvise(); break;
		case 14: fuzz_mincore(); break;
		default: fuzz_msync(); break;
		}
		if (call_index % CHECK_EVERY == 0)
			check_canaries(stack_canary);
	}
	check_canaries(stack_canary);
	check_guards();
	syscall(SYS_brk, brk_start);
	summary(calls);
	say("fuzz: ok\n");
	return 0;
}
