/*
 * stress: randomized memory-management stress test checked against a shadow
 * model of the address space.
 *
 * Usage: stress [SEED [OPS]]            (defaults: seed 1, 200000 operations)
 *
 * The test owns a 64 MiB window, found at start-up with a PROT_NONE mmap that
 * is unmapped again; every mapping call uses MAP_FIXED or MREMAP_FIXED inside
 * it, so nothing else in the process is clobbered.  The shadow model keeps,
 * for every page of the window: mapped or not, kind (private or shared
 * anonymous), protection, a 64-bit content tag (0 = reads as zero), what
 * mincore() must report, and a region id.
 *
 * VMA boundaries.  Every operation that can split a VMA gives the pages it
 * changed fresh region ids (one per run of old ids), so every kernel VMA
 * boundary inside the window is also a region boundary.  The kernel may merge
 * neighbouring VMAs, which only removes boundaries: a contiguous run of pages
 * with one region id always lies inside one kernel VMA, although two runs may
 * share a VMA.  mremap, whose result depends on the extent of the VMA, is
 * therefore only asked to succeed on a source inside one run; its failures are
 * only tested where the answer does not depend on merging (source starting in
 * a hole, a grow whose source runs into a hole, bad flag/length/overlap).
 * Moves of equal length across several VMAs are not tested: Linux 6.17 began
 * to allow them, earlier kernels return EFAULT.
 *
 * Shared mappings.  Shared anonymous pages are modelled like private ones
 * (content per page) because nothing here creates a second view of a shared
 * page: no fork, no mremap with old_len 0, no MREMAP_DONTUNMAP of a shared
 * mapping (mpstress.c, which forks a process that inherits the window, has
 * the child unmap its views of them before either process goes on).  They
 * differ in two modelled ways: MADV_DONTNEED keeps their content (it lives
 * in the shared object), and they are never grown by mremap (pages past the
 * end of the shared object would raise SIGBUS).
 *
 * Residency.  mincore() must report 0 for a page that was never accessed
 * since it was mapped (or, if private, since MADV_DONTNEED) and 1 for a page
 * that was written or populated.  A page that was only read is left open:
 * Linux maps the shared zero page and reports it resident, a kernel that
 * allocates on read does too, one that maps nothing would not.
 *
 * Holes.  Linux's visible behaviour is modelled: mprotect changes the
 * mapped pages up to the first hole and then fails with ENOMEM (nothing if
 * the range starts in one); MADV_DONTNEED handles every mapped part and then
 * fails with ENOMEM; mincore fails with ENOMEM.
 *
 * Moves the kernel places (MREMAP_MAYMOVE without MREMAP_FIXED) must land on
 * free pages; inside the window the model follows them, outside it they are
 * checked and unmapped.
 *
 * Protections are checked without faulting: a page is writable iff read()
 * from a file into it succeeds, readable iff openat() of a path stored in it
 * fails with something other than EFAULT.  Both probes use byte 16 of the
 * page, which the model keeps zero, so the path is "" (ENOENT).
 *
 * The program break belongs to the test (brk is moved raw), so nothing here
 * calls malloc: the model is static and output goes through write().
 *
 * mpstress.c includes this file (with STRESS_NO_MAIN) for the model and the
 * operations, and sends a worker's failure line to shared memory instead of
 * the console (fail_who, fail_slot).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#define WIN_PAGES	16384U		/* 64 MiB window */
#define BRK_PAGES	64U		/* program break moves within this */
#define FULL_EVERY	1000UL		/* whole-window verification period */
#define PROGRESS_EVERY	50000UL
#define FAIL_LINE_MAX	512		/* a failure line, with its newline */
#define FULL_PROBES	64U		/* protection probes per full check */

/* Word offsets (in uint64_t) of the tag copies, and the probe byte. */
#define W0		0
#define W1		256
#define W2		511
#define PROBE_OFF	16
#define PROBE_WORD	(PROBE_OFF / 8)

#define RW		(PROT_READ | PROT_WRITE)
#define PR_SET_THP_DISABLE_NR	41	/* <linux/prctl.h>, not in the portable set */

enum { KIND_NONE, KIND_PRIVATE, KIND_SHARED };
enum { RES_NO, RES_YES, RES_MAYBE };

struct page_state {
	uint64_t tag;		/* content tag; 0 = the page reads as zero */
	uint32_t region;	/* run id, see "VMA boundaries" above */
	uint8_t kind;		/* KIND_*; KIND_NONE = unmapped */
	uint8_t prot;		/* PROT_NONE, PROT_READ or RW */
	uint8_t res;		/* what mincore() must report: RES_* */
};

static struct page_state model[WIN_PAGES];
static struct page_state saved[WIN_PAGES];	/* source pages of a move */
static unsigned char vec[WIN_PAGES];		/* mincore() output */
static uintptr_t win;				/* window base address */
static uint32_t region_seq;

static uintptr_t brk0;				/* break at start-up */
static uintptr_t brk_base;			/* PAGE_ALIGN(brk0) */
static unsigned brk_pages;			/* pages mapped above brk_base */
static uint64_t brk_tag[BRK_PAGES];

static int probe_fd;
static uint64_t rng_state;
static unsigned long op_index;
static char op_text[200];
static const char *fail_who = "stress";	/* the failure line's prefix */
static char *fail_slot;	/* if set, the failure line goes here, not to fd 1 */

/* Counters for the summary line: they size the run on slower machines. */
static unsigned long n_syscalls, n_first_writes, n_page_checks, n_moves,
		     n_moved_out, n_failed;

/* Output without stdio buffering or malloc (the test owns the break). */
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
	char buf[240], line[FAIL_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s: FAIL at op %lu (%s): %s\n", fail_who,
		 op_index, op_text, buf);
	if (fail_slot)
		memcpy(fail_slot, line, sizeof(line));
	else
		say("%s", line);
	exit(1);
}

#define DESCRIBE(...) snprintf(op_text, sizeof(op_text), __VA_ARGS__)

/* xorshift64*: small, fast and identical on every platform. */
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

static void rng_seed(uint64_t seed)
{
	rng_state = splitmix64(seed);
	if (!rng_state)
		rng_state = 1;
}

/* Uniform enough in [0, n), n > 0. */
static unsigned rnd(unsigned n)
{
	return (unsigned)((rng_next() >> 32) % n);
}

static uint64_t new_tag(void)
{
	uint64_t t = rng_next();

	return t ? t : 1;
}

/* The value word @w of a page with tag @tag must hold. */
static uint64_t tag_word(uint64_t tag, unsigned w)
{
	if (!tag)
		return 0;
	if (w == W1)
		return ~tag;
	if (w == W2)
		return (tag << 17) | (tag >> 47);
	return tag;
}

static const char *errname(long e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	default: return "E?";
	}
}

/* Formats a return value: an address or -ERRNO. */
static const char *fmt_ret(char *buf, size_t size, long r)
{
	if (r < 0 && r > -4096)
		snprintf(buf, size, "-%s(%ld)", errname(-r), -r);
	else
		snprintf(buf, size, "0x%lx", (unsigned long)r);
	return buf;
}

static void expect_ret(const char *call, long got, long want)
{
	char g[40], w[40];

	if (want < 0)
		n_failed++;
	if (got != want)
		fail("%s returned %s, expected %s", call,
		     fmt_ret(g, sizeof(g), got), fmt_ret(w, sizeof(w), want));
}

static uintptr_t pa(unsigned i)
{
	return win + (uintptr_t)i * PG;
}

/* ---- system calls, as value-or-negative-errno, counted ---- */

static long sys_mmap(uintptr_t a, unsigned long len, int prot, int flags)
{
	void *p;

	n_syscalls++;
	p = mmap((void *)a, len, prot, flags, -1, 0);
	return p == MAP_FAILED ? -errno : (long)p;
}

static long sys_mremap(uintptr_t a, unsigned long old_len,
		       unsigned long new_len, int flags, uintptr_t new_addr)
{
	void *p;

	n_syscalls++;
	p = mremap((void *)a, old_len, new_len, flags, (void *)new_addr);
	return p == MAP_FAILED ? -errno : (long)p;
}

static long sys_ret(long r)
{
	n_syscalls++;
	return r == -1 ? -errno : r;
}

#define SYS(call) sys_ret((long)(call))

/* ---- model helpers ---- */

static bool mapped(unsigned i)
{
	return model[i].kind != KIND_NONE;
}

static bool readable(unsigned i)
{
	return mapped(i) && (model[i].prot & PROT_READ);
}

static bool writable(unsigned i)
{
	return mapped(i) && (model[i].prot & PROT_WRITE);
}

static uint32_t new_region(void)
{
	return ++region_seq;
}

static void model_unmap(unsigned first, unsigned n)
{
	memset(&model[first], 0, n * sizeof(model[0]));
}

/* Pages [first, first+n) become one new zero-filled mapping. */
static void model_map(unsigned first, unsigned n, unsigned kind,
		      unsigned prot, unsigned res)
{
	uint32_t region = new_region();
	unsigned i;

	for (i = first; i < first + n; i++) {
		model[i].tag = 0;
		model[i].region = region;
		model[i].kind = kind;
		model[i].prot = prot;
		model[i].res = res;
	}
}

static bool any_mapped(unsigned first, unsigned n)
{
	unsigned i;

	for (i = first; i < first + n; i++)
		if (mapped(i))
			return true;
	return false;
}

static bool same_run(unsigned i, unsigned j)
{
	return mapped(i) && mapped(j) && model[i].region == model[j].region;
}

/* Bounds [*lo, *hi) of the run of one region id around mapped page @i. */
static void run_bounds(unsigned i, unsigned *lo, unsigned *hi)
{
	unsigned l = i, h = i + 1;

	while (l > 0 && same_run(l - 1, i))
		l--;
	while (h < WIN_PAGES && same_run(h, i))
		h++;
	*lo = l;
	*hi = h;
}

/* Range lengths: mostly small, sometimes up to 64 pages, rarely 512. */
static unsigned pick_len(void)
{
	unsigned r = rnd(100);

	if (r < 70)
		return 1 + rnd(16);
	if (r < 96)
		return 1 + rnd(64);
	return 65 + rnd(448);
}

static void pick_range(unsigned *first, unsigned *n)
{
	*n = pick_len();
	*first = rnd(WIN_PAGES - *n + 1);
}

/*
 * Like pick_range, but half of the time the range lies inside one region
 * run, so that calls which fail on holes mostly succeed.
 */
static void pick_mapped_range(unsigned *first, unsigned *n)
{
	unsigned i = rnd(WIN_PAGES), lo, hi;

	pick_range(first, n);
	if (rnd(2) || !mapped(i))
		return;
	run_bounds(i, &lo, &hi);
	if (*n > hi - lo)
		*n = 1 + rnd(hi - lo);
	*first = lo + rnd(hi - lo - *n + 1);
}

static bool ranges_overlap(unsigned a, unsigned n, unsigned b, unsigned m)
{
	return a < b + m && b < a + n;
}

/* ---- checks of the real address space against the model ---- */

static void check_word(unsigned i, const volatile uint64_t *p, unsigned w,
		       uint64_t want)
{
	uint64_t got = p[w];

	if (got != want)
		fail("page %u (0x%lx) word %u: expected 0x%lx got 0x%lx", i,
		     (unsigned long)pa(i), w, (unsigned long)want,
		     (unsigned long)got);
}

/* Compares the tag words of readable page @i with the model. */
static void check_page(unsigned i)
{
	const volatile uint64_t *p = (const volatile uint64_t *)pa(i);
	uint64_t t = model[i].tag;

	check_word(i, p, W0, tag_word(t, W0));
	check_word(i, p, W1, tag_word(t, W1));
	check_word(i, p, W2, tag_word(t, W2));
	check_word(i, p, PROBE_WORD, 0);
	if (model[i].res == RES_NO)
		model[i].res = RES_MAYBE;
	n_page_checks++;
}

/*
 * mincore() over [first, first+n), all mapped or all unmapped as @is_mapped
 * says: ENOMEM for a hole, otherwise the residency the model knows.
 */
static void check_mincore(unsigned first, unsigned n, bool is_mapped)
{
	long r = SYS(mincore((void *)pa(first), n * PG, vec));
	unsigned k;

	if (!is_mapped) {
		expect_ret("mincore(hole)", r, -ENOMEM);
		return;
	}
	expect_ret("mincore", r, 0);
	for (k = 0; k < n; k++) {
		unsigned res = model[first + k].res;

		if (res != RES_MAYBE && (vec[k] & 1) != (res == RES_YES))
			fail("mincore page %u (0x%lx): expected %u got %u",
			     first + k, (unsigned long)pa(first + k), res,
			     vec[k] & 1);
	}
}

/* True iff read() from a file may store into @p (EFAULT otherwise). */
static bool probe_write(char *p)
{
	long r = SYS(read(probe_fd, p, 1));

	if (r == 0) {			/* end of file: rewind, try again */
		SYS(lseek(probe_fd, 0, SEEK_SET));
		r = SYS(read(probe_fd, p, 1));
	}
	if (r == 1)
		return true;
	if (r != -EFAULT)
		fail("probe read() into %p returned %ld", (void *)p, r);
	return false;
}

/* True iff the kernel can read a path string at @p (EFAULT otherwise). */
static bool probe_read(const char *p)
{
	long fd = SYS(openat(AT_FDCWD, p, O_RDONLY));

	if (fd >= 0) {
		SYS(close(fd));
		return true;
	}
	return fd != -EFAULT;
}

/* Checks what the kernel lets a syscall do with page @i. */
static void probe_page(unsigned i)
{
	char *p = (char *)pa(i) + PROBE_OFF;
	bool r = probe_read(p), w = probe_write(p);

	if (r != readable(i) || w != writable(i))
		fail("page %u (0x%lx) probes readable %d writable %d, model "
		     "kind %u prot %u", i, (unsigned long)pa(i), r, w,
		     model[i].kind, model[i].prot);
	if (w) {
		*(volatile char *)p = 0;
		if (model[i].res != RES_YES)
			n_first_writes++;
		model[i].res = RES_YES;
	} else if (r && model[i].res == RES_NO) {
		model[i].res = RES_MAYBE;
	}
}

/*
 * Verifies pages [first, first+n): mincore per mapped/unmapped run (before
 * reading, so untouched pages are seen as not resident), a protection probe
 * of one page one time in @probe_every, then the content of readable pages.
 * A page never accessed is read only one time in @sparse, to keep most of
 * them untouched for the mincore checks.
 */
static void verify_range(unsigned first, unsigned n, unsigned sparse,
			 unsigned probe_every)
{
	unsigned i = first, end = first + n, j;

	while (i < end) {
		bool m = mapped(i);

		for (j = i; j < end && mapped(j) == m; j++)
			;
		check_mincore(i, j - i, m);
		i = j;
	}
	if (rnd(probe_every) == 0)
		probe_page(first + rnd(n));
	for (i = first; i < end; i++)
		if (readable(i) && (model[i].res != RES_NO || !rnd(sparse)))
			check_page(i);
}

static void verify_brk(void)
{
	unsigned k;

	for (k = 0; k < brk_pages; k++) {
		const volatile uint64_t *p =
			(const volatile uint64_t *)(brk_base + k * PG);

		if (p[W0] != brk_tag[k] || p[W2] != tag_word(brk_tag[k], W2))
			fail("brk page %u (0x%lx): expected 0x%lx got 0x%lx", k,
			     (unsigned long)(brk_base + k * PG),
			     (unsigned long)brk_tag[k], (unsigned long)p[W0]);
	}
}

/* The whole window, a sample of protection probes, and the break. */
static void verify_all(void)
{
	unsigned k;

	verify_range(0, WIN_PAGES, 8, 1);
	for (k = 1; k < FULL_PROBES; k++)
		probe_page(rnd(WIN_PAGES));
	verify_brk();
}

/* ---- operations ---- */

static unsigned pick_prot(void)
{
	unsigned r = rnd(100);

	return r < 70 ? RW : r < 85 ? PROT_READ : PROT_NONE;
}

/* mmap MAP_FIXED (sometimes MAP_POPULATE) over any part of the window. */
static void op_mmap(bool shared)
{
	unsigned first, n, prot = pick_prot(), res = RES_NO;
	int flags = MAP_FIXED | MAP_ANONYMOUS |
		    (shared ? MAP_SHARED : MAP_PRIVATE);

	pick_range(&first, &n);
	if (prot != PROT_NONE && !rnd(10)) {
		flags |= MAP_POPULATE;
		res = RES_YES;
	}
	DESCRIBE("mmap %s%s pages %u+%u prot %u", shared ? "shared" : "private",
		 res == RES_YES ? " populate" : "", first, n, prot);
	expect_ret("mmap", sys_mmap(pa(first), n * PG, prot, flags),
		   (long)pa(first));
	model_map(first, n, shared ? KIND_SHARED : KIND_PRIVATE, prot, res);
	if (res == RES_YES)
		n_first_writes += n;
	verify_range(first, n, 4, 2);
}

/* MAP_FIXED_NOREPLACE: EEXIST over any mapped page, else a new mapping. */
static void op_mmap_noreplace(void)
{
	unsigned first, n, prot = pick_prot();
	long want;

	pick_range(&first, &n);
	DESCRIBE("mmap noreplace pages %u+%u prot %u", first, n, prot);
	want = any_mapped(first, n) ? -EEXIST : (long)pa(first);
	expect_ret("mmap", sys_mmap(pa(first), n * PG, prot,
				    MAP_FIXED_NOREPLACE | MAP_PRIVATE |
				    MAP_ANONYMOUS), want);
	if (want > 0)
		model_map(first, n, KIND_PRIVATE, prot, RES_NO);
	verify_range(first, n, 4, 2);
}

static void op_munmap(void)
{
	unsigned first, n;

	pick_range(&first, &n);
	DESCRIBE("munmap pages %u+%u", first, n);
	expect_ret("munmap", SYS(munmap((void *)pa(first), n * PG)), 0);
	model_unmap(first, n);
	verify_range(first, n, 4, 2);
}

/*
 * mprotect: Linux walks the VMAs from the start and stops at the first hole,
 * so the mapped pages before it change and the call returns ENOMEM; a range
 * that starts in a hole changes nothing.  Changed pages get new region ids,
 * one per run of old ids, since the kernel may split there.
 */
static void op_mprotect(void)
{
	unsigned first, n, i, prot = pick_prot();
	uint32_t old = 0, region = 0;
	long want = 0;

	pick_mapped_range(&first, &n);
	DESCRIBE("mprotect pages %u+%u prot %u", first, n, prot);
	for (i = first; i < first + n; i++)
		if (!mapped(i))
			want = -ENOMEM;
	expect_ret("mprotect", SYS(mprotect((void *)pa(first), n * PG, prot)),
		   want);
	for (i = first; i < first + n && mapped(i); i++) {
		if (i == first || model[i].region != old) {
			old = model[i].region;
			region = new_region();
		}
		model[i].region = region;
		model[i].prot = prot;
	}
	verify_range(first, n, 4, 2);
}

/*
 * MADV_DONTNEED: every mapped part of the range is processed, and the call
 * returns ENOMEM if the range had a hole.  Private pages read zero afterwards;
 * shared ones keep their content in the shared object.
 */
static void op_dontneed(void)
{
	unsigned first, n, i;
	long want = 0;

	pick_mapped_range(&first, &n);
	DESCRIBE("madvise dontneed pages %u+%u", first, n);
	for (i = first; i < first + n; i++)
		if (!mapped(i))
			want = -ENOMEM;
	expect_ret("madvise", SYS(madvise((void *)pa(first), n * PG,
					  MADV_DONTNEED)), want);
	for (i = first; i < first + n; i++) {
		if (model[i].kind == KIND_PRIVATE) {
			model[i].tag = 0;
			model[i].res = RES_NO;
		}
	}
	verify_range(first, n, 2, 2);
}

static void write_tag(volatile uint64_t *p, uint64_t tag)
{
	p[W0] = tag_word(tag, W0);
	p[W1] = tag_word(tag, W1);
	p[W2] = tag_word(tag, W2);
}

/* Writes a new tag into every writable page of a range. */
static void op_touch(void)
{
	unsigned first, n, i;

	pick_mapped_range(&first, &n);
	DESCRIBE("touch pages %u+%u", first, n);
	for (i = first; i < first + n; i++) {
		if (!writable(i))
			continue;
		model[i].tag = new_tag();
		write_tag((volatile uint64_t *)pa(i), model[i].tag);
		if (model[i].res != RES_YES)
			n_first_writes++;
		model[i].res = RES_YES;
	}
	verify_range(first, n, 4, 2);
}

/*
 * Moves the program break to a page-aligned or unaligned value within
 * BRK_PAGES pages above the start-up break, checks that the pages kept
 * still hold their tags and the new ones read zero, and tags some pages.
 */
static void op_brk(void)
{
	unsigned pages = rnd(BRK_PAGES + 1), k;
	uintptr_t want = brk_base + pages * PG;
	long got;

	if (pages && rnd(2))
		want -= 1 + rnd(PG - 1);
	DESCRIBE("brk 0x%lx (%u pages)", (unsigned long)want, pages);
	got = SYS(syscall(SYS_brk, want));
	expect_ret("brk", got, (long)want);
	for (k = pages; k < brk_pages; k++)
		brk_tag[k] = 0;		/* unmapped now, zero when regrown */
	brk_pages = pages;
	verify_brk();
	for (k = 0; k < pages; k++) {
		if (rnd(4))
			continue;
		brk_tag[k] = new_tag();
		write_tag((volatile uint64_t *)(brk_base + k * PG), brk_tag[k]);
	}
}

/* Calls with an unaligned address, zero length or bad flags: EINVAL. */
static void op_bad_args(void)
{
	unsigned first = rnd(WIN_PAGES - 1);
	uintptr_t odd = pa(first) + 1 + rnd(PG - 1);
	unsigned v = rnd(10);
	long r;

	DESCRIBE("bad arguments #%u at page %u", v, first);
	switch (v) {
	case 0: r = SYS(munmap((void *)odd, PG)); break;
	case 1: r = SYS(munmap((void *)pa(first), 0)); break;
	case 2: r = SYS(mprotect((void *)odd, PG, PROT_READ)); break;
	case 3: r = SYS(madvise((void *)odd, PG, MADV_DONTNEED)); break;
	case 4: r = SYS(mincore((void *)odd, PG, vec)); break;
	case 5: r = sys_mmap(odd, PG, RW, MAP_FIXED | MAP_PRIVATE |
			     MAP_ANONYMOUS); break;
	case 6: r = sys_mmap(pa(first), 0, RW, MAP_FIXED | MAP_PRIVATE |
			     MAP_ANONYMOUS); break;
	case 7: r = sys_mremap(odd, PG, 2 * PG, 0, 0); break;
	case 8: r = sys_mremap(pa(first), PG, 0, 0, 0); break;
	default: r = sys_mremap(pa(first), PG, PG, MREMAP_FIXED,
				pa(first + 1)); break;
	}
	expect_ret("call", r, -EINVAL);
	verify_range(first, 2, 4, 2);
}

/* ---- mremap ---- */

struct source {
	unsigned a, n;		/* pages [a, a+n) */
	unsigned lo, hi;	/* the region run that holds them */
	unsigned kind, prot;
};

/*
 * Picks a source range inside one region run; with @tail it ends where the
 * run ends (the case where growing in place is possible).
 */
static bool pick_source(struct source *s, bool tail)
{
	unsigned tries, i, span;

	for (tries = 0; tries < 8; tries++) {
		i = rnd(WIN_PAGES);
		if (mapped(i))
			break;
	}
	if (tries == 8)
		return false;
	run_bounds(i, &s->lo, &s->hi);
	span = s->hi - s->lo;
	s->n = pick_len();
	if (s->n > span)
		s->n = 1 + rnd(span);
	s->a = tail ? s->hi - s->n : s->lo + rnd(span - s->n + 1);
	s->kind = model[s->a].kind;
	s->prot = model[s->a].prot;
	return true;
}

/* Growing [a, a+n) to m pages in place is possible (Linux's rule). */
static bool expandable(const struct source *s, unsigned m)
{
	unsigned i;

	if (s->a + s->n != s->hi || s->a + m > WIN_PAGES)
		return false;
	for (i = s->a + s->n; i < s->a + m; i++)
		if (mapped(i))
			return false;
	return true;
}

/* Checks a moved copy the kernel placed outside the window, then unmaps it. */
static void check_outside(uintptr_t r, unsigned m, unsigned k, unsigned prot)
{
	unsigned j;

	for (j = 0; j < m && (prot & PROT_READ); j++) {
		const volatile uint64_t *p =
			(const volatile uint64_t *)(r + j * PG);
		uint64_t t = j < k ? saved[j].tag : 0;

		if (p[W0] != tag_word(t, W0) || p[W1] != tag_word(t, W1))
			fail("moved page %u at 0x%lx: expected 0x%lx got 0x%lx",
			     j, (unsigned long)(r + j * PG), (unsigned long)t,
			     (unsigned long)p[W0]);
	}
	expect_ret("munmap(moved)", SYS(munmap((void *)r, m * PG)), 0);
}

static bool covers(uintptr_t r, unsigned m, const void *p)
{
	return (uintptr_t)p >= r && (uintptr_t)p - r < m * PG;
}

/*
 * A kernel-chosen destination must be free: no page the model has mapped,
 * nothing of the test's own (model, stack, text, break).
 */
static void check_free_dest(uintptr_t r, unsigned m)
{
	unsigned j;

	if (r & (PG - 1))
		fail("mremap returned unaligned 0x%lx", (unsigned long)r);
	if (covers(r, m, model) || covers(r, m, &j) ||
	    covers(r, m, (const void *)check_free_dest) ||
	    (brk_pages && covers(r, m, (const void *)brk_base)))
		fail("mremap moved onto the test's own memory at 0x%lx",
		     (unsigned long)r);
	for (j = 0; j < m; j++) {
		uintptr_t p = r + j * PG;

		if (p >= win && p < pa(WIN_PAGES) && mapped((p - win) / PG))
			fail("mremap moved onto mapped page 0x%lx",
			     (unsigned long)p);
	}
}

/*
 * Records a successful move of source @s to address @r with new length @m:
 * the destination gets the source pages (zero-filled past the old length),
 * the source is unmapped, or with @keep_source (MREMAP_DONTUNMAP) stays
 * mapped and reads zero.  A destination outside the window is checked and
 * unmapped.
 */
static void land(const struct source *s, uintptr_t r, unsigned m,
		 bool keep_source)
{
	unsigned k = s->n < m ? s->n : m, j, d;
	uint32_t region;

	memcpy(saved, &model[s->a], k * sizeof(saved[0]));
	if (keep_source)
		model_map(s->a, s->n, s->kind, s->prot, RES_NO);
	else
		model_unmap(s->a, s->n);
	n_moves++;
	if (r < win || r + m * PG > pa(WIN_PAGES)) {
		n_moved_out++;
		check_outside(r, m, k, s->prot);
		return;
	}
	d = (r - win) / PG;
	region = new_region();
	for (j = 0; j < m; j++) {
		if (j < k) {
			model[d + j] = saved[j];
		} else {
			model[d + j].tag = 0;
			model[d + j].kind = s->kind;
			model[d + j].prot = s->prot;
			model[d + j].res = RES_NO;
		}
		model[d + j].region = region;
	}
	verify_range(d, m, 4, 2);
}

/*
 * Resizes in place (flags 0) or with MREMAP_MAYMOVE.  Shrinking always
 * succeeds in place.  Growing a private source succeeds in place iff it ends
 * at the end of its VMA with free pages after it; otherwise flags 0 fail with
 * ENOMEM and MAYMOVE moves it where the kernel likes.
 */
static void mremap_resize(struct source *s, int flags)
{
	bool grow = s->kind == KIND_PRIVATE && (s->n == 1 || rnd(100) < 60);
	unsigned m, i;
	long r;

	if (grow && s->a + s->n + 1 > WIN_PAGES)
		return;
	if (!grow && s->n == 1)
		return;
	m = grow ? s->n + 1 + rnd(32) : 1 + rnd(s->n - 1);
	if (m > WIN_PAGES - s->a)
		m = WIN_PAGES - s->a;
	DESCRIBE("mremap %s pages %u+%u -> %u flags %d", grow ? "grow" :
		 "shrink", s->a, s->n, m, flags);
	r = sys_mremap(pa(s->a), s->n * PG, m * PG, flags, 0);
	if (!grow) {
		expect_ret("mremap", r, (long)pa(s->a));
		model_unmap(s->a + m, s->n - m);
	} else if (expandable(s, m)) {
		expect_ret("mremap", r, (long)pa(s->a));
		model_map(s->a + s->n, m - s->n, s->kind, s->prot, RES_NO);
		for (i = s->a + s->n; i < s->a + m; i++)
			model[i].region = model[s->a].region;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		expect_ret("mremap", r, -ENOMEM);
	} else {
		if (r < 0 || (uintptr_t)r == pa(s->a))
			fail("mremap returned 0x%lx, expected a move since "
			     "the pages after the source are taken",
			     (unsigned long)r);
		check_free_dest(r, m);
		land(s, r, m, false);
	}
	verify_range(s->a, grow ? m : s->n, 4, 2);
}

/*
 * MREMAP_MAYMOVE|MREMAP_FIXED to a random place in the window: whatever is
 * mapped there is replaced.  EINVAL when the ranges overlap.
 */
static void mremap_fixed(struct source *s)
{
	unsigned v = rnd(100), m = s->n, d;
	long r;

	if (v < 20 && s->n > 1)
		m = 1 + rnd(s->n - 1);
	else if (v < 40 && s->kind == KIND_PRIVATE)
		m = s->n + 1 + rnd(16);
	d = rnd(WIN_PAGES - m + 1);
	DESCRIBE("mremap fixed pages %u+%u -> %u+%u", s->a, s->n, d, m);
	r = sys_mremap(pa(s->a), s->n * PG, m * PG,
		       MREMAP_MAYMOVE | MREMAP_FIXED, pa(d));
	if (ranges_overlap(s->a, s->n, d, m)) {
		expect_ret("mremap", r, -EINVAL);
	} else {
		expect_ret("mremap", r, (long)pa(d));
		land(s, r, m, false);
	}
	verify_range(s->a, s->n, 4, 2);
}

/*
 * MREMAP_DONTUNMAP of a private source: the pages move, the source stays
 * mapped and reads zero.  With MREMAP_FIXED most of the time; otherwise the
 * address is a hint and the kernel chooses, but a hint overlapping the
 * source is still refused with EINVAL (Linux checks it before the lookup).
 */
static void mremap_dontunmap(struct source *s)
{
	int flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
	unsigned d = rnd(WIN_PAGES - s->n + 1);
	long r;

	if (rnd(4))
		flags |= MREMAP_FIXED;
	DESCRIBE("mremap dontunmap pages %u+%u -> %u%s", s->a, s->n, d,
		 flags & MREMAP_FIXED ? "" : " (kernel's choice)");
	r = sys_mremap(pa(s->a), s->n * PG, s->n * PG, flags, pa(d));
	if (ranges_overlap(s->a, s->n, d, s->n)) {
		expect_ret("mremap", r, -EINVAL);
	} else if (!(flags & MREMAP_FIXED)) {
		if (r < 0)
			expect_ret("mremap", r, 0);
		check_free_dest(r, s->n);
		land(s, r, s->n, true);
	} else {
		expect_ret("mremap", r, (long)pa(d));
		land(s, r, s->n, true);
	}
	verify_range(s->a, s->n, 4, 2);
}

/* Overlapping fixed move, or MREMAP_DONTUNMAP with a resize: EINVAL. */
static void mremap_einval(struct source *s)
{
	unsigned m = s->n, lo, hi, d;
	long r;

	if (rnd(2)) {
		m = s->n + 1;
		d = rnd(WIN_PAGES - m + 1);
		DESCRIBE("mremap dontunmap resize pages %u+%u -> %u+%u", s->a,
			 s->n, d, m);
		r = sys_mremap(pa(s->a), s->n * PG, m * PG, MREMAP_MAYMOVE |
			       MREMAP_DONTUNMAP | MREMAP_FIXED, pa(d));
	} else {
		lo = s->a + 1 > m ? s->a + 1 - m : 0;
		hi = s->a + s->n - 1;
		if (hi > WIN_PAGES - m)
			hi = WIN_PAGES - m;
		d = lo + rnd(hi - lo + 1);
		DESCRIBE("mremap overlapping pages %u+%u -> %u", s->a, s->n, d);
		r = sys_mremap(pa(s->a), s->n * PG, m * PG,
			       MREMAP_MAYMOVE | MREMAP_FIXED, pa(d));
	}
	expect_ret("mremap", r, -EINVAL);
	verify_range(s->a, s->n, 4, 2);
}

/* A free range of @m pages not overlapping [a, a+n), if one is found soon. */
static bool pick_free(unsigned a, unsigned n, unsigned m, unsigned *d)
{
	unsigned tries;

	for (tries = 0; tries < 8; tries++) {
		*d = rnd(WIN_PAGES - m + 1);
		if (!ranges_overlap(a, n, *d, m) && !any_mapped(*d, m))
			return true;
	}
	return false;
}

/*
 * Source starting in a hole: EFAULT whatever follows, for a grow (flags 0 or
 * MAYMOVE) or a fixed move to free pages (before Linux 6.17 the target was
 * unmapped before the source was looked up, so it is kept free here).
 */
static void mremap_from_hole(void)
{
	unsigned tries, a = 0, n, m, d = 0;
	int flags;
	long r;

	for (tries = 0; tries < 8; tries++) {
		a = rnd(WIN_PAGES - 80);
		if (!mapped(a))
			break;
	}
	if (tries == 8)
		return;
	n = 1 + rnd(64);
	m = n + 1 + rnd(15);
	flags = rnd(3);
	if (flags == 2 && pick_free(a, n, m, &d))
		flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	else
		flags = flags ? MREMAP_MAYMOVE : 0;
	DESCRIBE("mremap from hole pages %u+%u -> %u+%u flags %d", a, n, d, m,
		 flags);
	r = sys_mremap(pa(a), n * PG, m * PG, flags, pa(d));
	expect_ret("mremap", r, -EFAULT);
	verify_range(a, m, 4, 2);
	if (flags & MREMAP_FIXED)
		verify_range(d, m, 4, 2);
}

/* Growing a source that starts mapped and runs into a hole: EFAULT. */
static void mremap_into_hole(void)
{
	unsigned tries, a = 0, u, n, m;
	long r;

	for (tries = 0; tries < 8; tries++) {
		a = rnd(WIN_PAGES - 160);
		if (mapped(a))
			break;
	}
	if (tries == 8)
		return;
	for (u = a + 1; u < a + 64 && mapped(u); u++)
		;
	if (mapped(u))
		return;
	n = u - a + 1 + rnd(8);
	m = n + 1 + rnd(16);
	DESCRIBE("mremap into hole pages %u+%u (hole at %u) -> %u", a, n, u, m);
	r = sys_mremap(pa(a), n * PG, m * PG, rnd(2) ? MREMAP_MAYMOVE : 0, 0);
	expect_ret("mremap", r, -EFAULT);
	verify_range(a, m, 4, 2);
}

static void op_mremap(void)
{
	unsigned v = rnd(100);
	struct source s;

	if (v < 8) {
		mremap_from_hole();
		return;
	}
	if (v < 16) {
		mremap_into_hole();
		return;
	}
	if (!pick_source(&s, rnd(2)))
		return;
	if (v < 22)
		mremap_einval(&s);
	else if (v < 36)
		mremap_resize(&s, 0);
	else if (v < 52)
		mremap_resize(&s, MREMAP_MAYMOVE);
	else if (v < 82 || s.kind != KIND_PRIVATE)
		mremap_fixed(&s);
	else
		mremap_dontunmap(&s);
}

static void one_op(void)
{
	unsigned v = rnd(100);

	if (v < 12)
		op_mmap(false);
	else if (v < 17)
		op_mmap(true);
	else if (v < 20)
		op_mmap_noreplace();
	else if (v < 30)
		op_munmap();
	else if (v < 43)
		op_mprotect();
	else if (v < 60)
		op_mremap();
	else if (v < 68)
		op_dontneed();
	else if (v < 95)
		op_touch();
	else if (v < 97)
		op_brk();
	else
		op_bad_args();
}

/* ---- start-up ---- */

#ifdef __riscv
/* Pagoda has no transparent huge pages (and no prctl). */
static void thp_off(void)
{
}
#else
/* Transparent huge pages would make untouched neighbours resident. */
static void thp_off(void)
{
	syscall(SYS_prctl, PR_SET_THP_DISABLE_NR, 1, 0, 0, 0);
}
#endif

static void setup(const char *self)
{
	long r;

	probe_fd = open(self, O_RDONLY);
	if (probe_fd < 0)
		probe_fd = open("/proc/self/exe", O_RDONLY);
	if (probe_fd < 0) {
		say("stress: cannot open %s: errno %d\n", self, errno);
		exit(1);
	}
	thp_off();
	r = sys_mmap(0, WIN_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (r < 0) {
		say("stress: cannot reserve the window: %ld\n", r);
		exit(1);
	}
	win = (uintptr_t)r;
	if (SYS(munmap((void *)win, WIN_PAGES * PG))) {
		say("stress: munmap of the window failed\n");
		exit(1);
	}
	brk0 = (uintptr_t)syscall(SYS_brk, 0);
	brk_base = (brk0 + PG - 1) & ~(PG - 1);
}

/*
 * Operations @first to @last (op_index counts them), with a whole-window
 * check every FULL_EVERY and a progress line every PROGRESS_EVERY, unless
 * failures go to a slot (a process among others prints nothing).
 */
static void run_ops(unsigned long first, unsigned long last)
{
	for (op_index = first; op_index <= last; op_index++) {
		one_op();
		if (op_index % FULL_EVERY == 0) {
			DESCRIBE("full check");
			verify_all();
		}
		if (op_index % PROGRESS_EVERY == 0 && !fail_slot)
			say("stress: %lu ops\n", op_index);
	}
}

#ifndef STRESS_NO_MAIN
int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	unsigned long ops = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000;

	rng_seed(seed);
	setup(argc > 0 ? argv[0] : "/stress");
	run_ops(1, ops);
	DESCRIBE("final check");
	verify_all();
	expect_ret("brk(restore)", SYS(syscall(SYS_brk, brk0)), (long)brk0);
	say("stress: %lu syscalls (%lu expected to fail), %lu first writes, "
	    "%lu page checks, %lu moves (%lu out of the window)\n", n_syscalls,
	    n_failed, n_first_writes, n_page_checks, n_moves, n_moved_out);
	say("stress: seed %lu, %lu ops, ok\n", (unsigned long)seed, ops);
	return 0;
}
#endif
