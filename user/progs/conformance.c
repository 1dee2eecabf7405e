/*
 * conformance: the memory-management system calls checked against Linux.
 *
 * One table row per case: a name, a function that performs one operation
 * and returns its raw result (a value, or -errno), and the result Linux
 * gives (an exact value, an errno, or a predicate such as "page-aligned
 * address" or "the address the case asked for").  A case may also check
 * what the operation left behind (contents, residency, access rights);
 * the first such check that fails is reported with the row.  Where Linux
 * behaves in a way one might not guess, a comment above the case function
 * says so.
 *
 * The program runs on Pagoda and natively on x86_64 Linux with glibc; the
 * native run is the oracle, so every expected value here is what Linux
 * returns.  Every row was also run on riscv64 Linux 6.12 (rvlinux, in
 * ../shared/oracle), the same program built for Pagoda; where a value is
 * not obvious, or the two architectures could differ, the case's comment
 * says what rvlinux gave ("rvlinux: ..."), and no expected value depends
 * on the architecture.  Nothing depends on the size of the address
 * space: each case finds a free area by mapping and unmapping AREA_LEN
 * bytes of PROT_NONE memory, builds its layout there with MAP_FIXED, and
 * unmaps the whole area afterwards, so no mapping outlives its case.
 *
 * Access rights are observed through system calls, so that a wrong answer
 * is a failed row rather than a fault that ends the program:
 *   readable: openat() of a path in the page fails with anything but
 *     EFAULT (the last byte of every probed page is 0, so the path is
 *     empty or ends inside the page);
 *   writable: read() of one byte of our own executable into the page
 *     succeeds (the byte is restored afterwards).
 *
 * Output: "ok N name" or "not ok N name: ...", then
 * "conformance: P passed, F failed"; the exit status is 0 iff F == 0.
 * Lines are formatted with snprintf into a static buffer and written with
 * write(), so nothing here calls malloc and the brk cases see a break
 * that only they move.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PG		4096UL
#define AREA_LEN	(64UL << 20)
/* Start of kernel space on riscv64 Sv39; a kernel address on x86_64 too. */
#define KADDR		((void *)0xffffffc000000000UL)
#define HUGE_LEN	(1UL << 62)
/* A mmap flag bit that neither x86_64 nor the generic (riscv64) ABI defines. */
#define MAP_UNKNOWN	0x200000
/* A protection bit that neither ABI defines. */
#define PROT_UNKNOWN	0x100
/* Returned by a case whose setup failed; the reason is in 'broken'. */
#define SETUP_FAILED	(-100000L)

enum expect {
	EXPECT_VALUE,	/* result == value */
	EXPECT_ERRNO,	/* result == -value */
	EXPECT_ALIGNED,	/* a page-aligned address (not an error) */
	EXPECT_SAME,	/* result == want, set by the case */
	EXPECT_MOVED,	/* a page-aligned address other than want */
};

struct row {
	const char *name;
	long (*run)(void);
	enum expect kind;
	long value;
};

static const char *self_path;	/* our executable, for file mappings */
static int self_fd = -1;	/* open O_RDONLY on self_path */
static long self_size;
static long brk0;		/* the break when main() started */
static char data_word[64] = "a variable in .data, below the break";

/* State of the running case, reset before each row. */
static char *area;		/* the case's free area, or NULL */
static long want;		/* compared with by EXPECT_SAME, EXPECT_MOVED */
static const char *broken;	/* first failed check of the case */
static void *extra[4];		/* mappings outside the area to unmap */
static size_t extra_len[4];
static char page_buf[PG];	/* scratch for file contents */

#define CHECK(cond)							\
	do {								\
		if (!(cond) && !broken)					\
			broken = #cond;					\
	} while (0)

#define REQUIRE(cond)							\
	do {								\
		if (!(cond)) {						\
			broken = "setup: " #cond;			\
			return SETUP_FAILED;				\
		}							\
	} while (0)

#define P(i)	(area + (long)(i) * (long)PG)

/* ---- results and output ------------------------------------------------ */

static long ret_ptr(void *p)
{
	return p == MAP_FAILED ? -errno : (long)p;
}

static long ret_int(long r)
{
	return r == -1 ? -errno : r;
}

static const char *errno_name(long e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	default: return NULL;
	}
}

static void out(const char *fmt, ...)
{
	static char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	for (const char *c = line; n > 0; ) {
		long w = write(1, c, n);

		if (w <= 0)
			break;
		c += w;
		n -= w;
	}
}

/* Formats a raw result: -ENAME for errors, decimal for small values. */
static const char *show(long v, char *buf, size_t size)
{
	const char *name = v < 0 && v >= -4095 ? errno_name(-v) : NULL;

	if (v == SETUP_FAILED)
		snprintf(buf, size, "setup failure");
	else if (name)
		snprintf(buf, size, "-%s", name);
	else if (v < 0 && v >= -4095)
		snprintf(buf, size, "-errno %ld", -v);
	else if (v >= 0 && v < 65536)
		snprintf(buf, size, "%ld", v);
	else
		snprintf(buf, size, "0x%lx", (unsigned long)v);
	return buf;
}

static bool is_address(long v)
{
	return !(v < 0 && v >= -4095) && v != SETUP_FAILED;
}

static bool matches(const struct row *r, long got)
{
	switch (r->kind) {
	case EXPECT_VALUE:
		return got == r->value;
	case EXPECT_ERRNO:
		return got == -r->value;
	case EXPECT_ALIGNED:
		return is_address(got) && got % (long)PG == 0;
	case EXPECT_SAME:
		return got == want;
	case EXPECT_MOVED:
		return is_address(got) && got % (long)PG == 0 && got != want;
	}
	return false;
}

static const char *expected(const struct row *r, char *buf, size_t size)
{
	char v[64];

	switch (r->kind) {
	case EXPECT_VALUE:
		return show(r->value, buf, size);
	case EXPECT_ERRNO:
		return show(-r->value, buf, size);
	case EXPECT_ALIGNED:
		return "a page-aligned address";
	case EXPECT_SAME:
		snprintf(buf, size, "%s", show(want, v, sizeof(v)));
		return buf;
	case EXPECT_MOVED:
		snprintf(buf, size, "a page-aligned address other than %s",
			 show(want, v, sizeof(v)));
		return buf;
	}
	return "?";
}

/* ---- areas, layouts and probes ----------------------------------------- */

/* Finds AREA_LEN free bytes and makes them the case's area. */
static char *get_area(void)
{
	void *p = mmap(NULL, AREA_LEN, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (munmap(p, AREA_LEN))
		return NULL;
	area = p;
	return p;
}

/* Remembers a mapping the kernel placed, to unmap it after the case. */
static void track(long addr, size_t len)
{
	int i;

	if (!is_address(addr))
		return;
	for (i = 0; i < 4; i++) {
		if (!extra[i]) {
			extra[i] = (void *)addr;
			extra_len[i] = len;
			return;
		}
	}
}

static void teardown(void)
{
	int i;

	if (area)
		munmap(area, AREA_LEN);
	area = NULL;
	for (i = 0; i < 4; i++) {
		if (extra[i])
			munmap(extra[i], extra_len[i]);
		extra[i] = NULL;
	}
}

/* Maps n pages at page i of the area (MAP_FIXED); 0 flags: private anon. */
static char *map_at(long i, long n, int prot, int flags)
{
	void *p;

	if (!flags)
		flags = MAP_PRIVATE | MAP_ANONYMOUS;
	p = mmap(P(i), n * PG, prot, flags | MAP_FIXED, -1, 0);
	return p == P(i) ? p : NULL;
}

/* Fills a page with c, except its last byte, which is 0 (see the probes). */
static void mark(char *p, int c)
{
	memset(p, c, PG - 1);
	p[PG - 1] = 0;
}

/* True if page p is all c except a 0 last byte (c == 0: all zero). */
static bool holds(const char *p, int c)
{
	unsigned long i;

	for (i = 0; i < PG - 1; i++)
		if (p[i] != (char)c)
			return false;
	return p[PG - 1] == 0;
}

static bool is_readable(char *p)
{
	/* rt_sigprocmask reads 8 bytes from its set pointer: -EFAULT when the
	 * page is not readable. The old mask is put back at once. A path
	 * probe (openat) would read past the page when it holds no NUL. */
	unsigned long old;
	long r = syscall(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, p + PG - 8, &old, 8);

	if (r == 0)
		syscall(SYS_rt_sigprocmask, 2 /* SIG_SETMASK */, &old, NULL, 8);
	return r == 0;
}

static bool is_writable(char *p)
{
	char *b = p + PG - 2;
	char old;
	long n;

	if (!is_readable(p))
		return false;
	old = *b;
	lseek(self_fd, 0, SEEK_SET);
	n = read(self_fd, b, 1);
	if (n == 1)
		*b = old;
	return n == 1;
}

/* mincore() of n pages at p: -errno, or a mask of the resident pages. */
static long resident(void *p, long n)
{
	unsigned char vec[32];
	long i, mask = 0;

	if (mincore(p, n * PG, vec))
		return -errno;
	for (i = 0; i < n; i++)
		if (vec[i] & 1)
			mask |= 1L << i;
	return mask;
}

static bool is_mapped(void *p)
{
	return resident(p, 1) >= 0;
}

static bool is_unmapped(void *p)
{
	return resident(p, 1) == -ENOMEM;
}

static long sys_brk(long addr)
{
	return syscall(SYS_brk, addr);
}

static long sys_mremap(void *old, size_t old_len, size_t new_len, long flags,
		       void *new_addr)
{
	return ret_int(syscall(SYS_mremap, old, old_len, new_len, flags,
			       new_addr));
}

static long page_up(long a)
{
	return (a + (long)PG - 1) & -(long)PG;
}

/* /proc/sys/vm/NAME where there is one (Linux), else 'dflt' (Pagoda's). */
static long sysctl_vm(const char *name, long dflt)
{
	char buf[64];
	int fd;
	long n;

	snprintf(buf, sizeof(buf), "/proc/sys/vm/%s", name);
	fd = open(buf, O_RDONLY);
	if (fd < 0)
		return dflt;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? strtol(buf, NULL, 10) : dflt;
}

/* Writes our executable's first byte at p via read(); true if it landed. */
static bool store_via_read(char *p)
{
	lseek(self_fd, 0, SEEK_SET);
	return read(self_fd, p, 1) == 1 && *p == 0x7f;
}

/* Reads page 'index' of our executable into page_buf. */
static bool read_self_page(long index)
{
	lseek(self_fd, index * (long)PG, SEEK_SET);
	memset(page_buf, 0, PG);
	return read(self_fd, page_buf, PG) > 0;
}

/* ---- brk (first, before anything could move the break) ----------------- */

static long brk_query(void)
{
	want = brk0;
	CHECK(brk0 > 0);
	return sys_brk(0);
}

static long brk_grow(void)
{
	long r;

	want = brk0 + PG;
	r = sys_brk(brk0 + PG);
	CHECK(store_via_read((char *)brk0 + PG - 1));
	CHECK(sys_brk(0) == brk0 + (long)PG);
	sys_brk(brk0);
	return r;
}

/* Linux keeps the exact (unaligned) value as the break. */
static long brk_unaligned(void)
{
	long r;

	want = brk0 + 100;
	r = sys_brk(brk0 + 100);
	CHECK(sys_brk(0) == brk0 + 100);
	CHECK(store_via_read((char *)brk0 + 99));
	sys_brk(brk0);
	return r;
}

static long brk_shrink(void)
{
	long r;

	REQUIRE(sys_brk(brk0 + 3 * PG) == brk0 + 3 * (long)PG);
	want = brk0 + PG;
	r = sys_brk(brk0 + PG);
	CHECK(sys_brk(0) == brk0 + (long)PG);
	sys_brk(brk0);
	return r;
}

/* Shrinking unmaps the whole pages above the new break. */
static long brk_shrink_unmaps(void)
{
	long r;

	REQUIRE(sys_brk(brk0 + 3 * PG) == brk0 + 3 * (long)PG);
	REQUIRE(store_via_read((char *)page_up(brk0) + PG));
	sys_brk(brk0);
	r = resident((char *)page_up(brk0) + PG, 1);
	return r;
}

/* Growing again after a shrink gives fresh zero pages, not the old data. */
static long brk_regrow_zero(void)
{
	char *p = (char *)page_up(brk0) + PG;
	long r;

	REQUIRE(sys_brk(brk0 + 3 * PG) == brk0 + 3 * (long)PG);
	REQUIRE(store_via_read(p));
	sys_brk(brk0);
	REQUIRE(sys_brk(brk0 + 3 * PG) == brk0 + 3 * (long)PG);
	r = *p;
	sys_brk(brk0);
	return r;
}

/*
 * The top page of the heap made read-only: growing the break maps the
 * next page writable and leaves that one read-only (1 when both hold).
 */
static long brk_grow_after_mprotect(void)
{
	char *p = (char *)page_up(brk0);
	long r;

	REQUIRE(sys_brk((long)p + PG) == (long)p + (long)PG);
	REQUIRE(mprotect(p, PG, PROT_READ) == 0);
	REQUIRE(sys_brk((long)p + 2 * PG) == (long)p + 2 * (long)PG);
	r = store_via_read(p + PG) && !store_via_read(p);
	sys_brk(brk0);
	CHECK(sys_brk(0) == brk0);
	return r;
}

/* A request below the start of the heap fails: the old break is returned. */
static long brk_below_start(void)
{
	long r;

	want = brk0;
	r = sys_brk((long)data_word & -(long)PG);
	CHECK(sys_brk(0) == brk0);
	return r;
}

static long brk_huge(void)
{
	want = brk0;
	return sys_brk(HUGE_LEN);
}

static long brk_kernel(void)
{
	want = brk0;
	return sys_brk((long)KADDR);
}

/*
 * Places a one-page mapping 'pages' pages above the page-aligned break
 * (with mmap 'flags' besides MAP_PRIVATE | MAP_ANONYMOUS) and asks brk
 * for 'offset' relative to that mapping.  Linux refuses to let the heap
 * come closer than one page to the next mapping (vm_start_gap(): a stack,
 * VM_GROWSDOWN, adds stack_guard_gap, 1 MiB).
 */
static long brk_near(long pages, int flags, long offset, bool allowed)
{
	char *m = (char *)page_up(brk0) + pages * PG;
	void *p;
	long r;

	p = mmap(m, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags, -1, 0);
	if (p != MAP_FAILED && p != m)
		munmap(p, PG);
	REQUIRE(p == m);
	want = allowed ? (long)m + offset : brk0;
	r = sys_brk((long)m + offset);
	sys_brk(brk0);
	CHECK(sys_brk(0) == brk0);
	munmap(m, PG);
	return r;
}

static long brk_near_mapping(long offset, bool allowed)
{
	return brk_near(2, 0, offset, allowed);
}

/* Growing to one page below the next mapping is allowed. */
static long brk_gap_page(void)
{
	return brk_near_mapping(-(long)PG, true);
}

/* Growing right up to the next mapping is refused: a one-page gap stays. */
static long brk_up_to_mapping(void)
{
	return brk_near_mapping(0, false);
}

/* One byte past the allowed limit rounds up to the mapping: refused. */
static long brk_gap_plus_one(void)
{
	return brk_near_mapping(-(long)PG + 1, false);
}

static long brk_over_mapping(void)
{
	return brk_near_mapping(2 * PG, false);
}

/* MAP_STACK is no stack to brk (it only turns huge pages off): one page.
 * rvlinux: brk stops one page below a MAP_STACK mapping. */
static long brk_gap_map_stack(void)
{
	return brk_near(2, MAP_STACK, -(long)PG, true);
}

/* MAP_GROWSDOWN is: the heap stays 1 MiB and a page below it.
 * rvlinux: brk stops 0x101000 below a MAP_GROWSDOWN mapping. */
#define GUARD_GAP	(256 * PG)

static long brk_gap_growsdown(void)
{
	return brk_near(512, MAP_GROWSDOWN, -(long)(GUARD_GAP + PG), true);
}

static long brk_gap_growsdown_plus_one(void)
{
	return brk_near(512, MAP_GROWSDOWN, -(long)(GUARD_GAP + PG) + 1, false);
}

/* Moves the break towards 'target' in steps Linux's overcommit check
 * accepts (at most 256 MiB); the break reached. */
static long brk_towards(long target)
{
	long cur = brk0, step = 256L << 20, t;

	while (cur < target && step >= (long)PG) {
		t = cur + step < target ? cur + step : target;
		if (sys_brk(t) == t)
			cur = t;
		else
			step /= 2;
	}
	return cur;
}

/* True if every page of [from, to) is mapped (mincore has no hole). */
static bool mapped_through(char *from, char *to)
{
	long n;

	for (; from < to; from += n * (long)PG) {
		n = (to - from) / (long)PG < (long)PG ? (to - from) / (long)PG : (long)PG;
		if (mincore(from, n * PG, (unsigned char *)page_buf))
			return false;
	}
	return true;
}

/*
 * The heap grows up to the next mapping above it: a page below it, or
 * stack_guard_gap and a page below the process stack (VM_GROWSDOWN).
 * The next mapping is found with PROT_NONE mmap probes; it is the stack
 * when everything from it up to our stack pointer is mapped.  On Linux
 * that mapping is the vDSO's (and the rest of the mmap area); on Pagoda,
 * which has no vDSO, the stack.
 * rvlinux: the next mapping was the vDSO data page (vvar) at 0x3ff7ffd000
 * and brk stopped at 0x3ff7ffc000; with everything between the heap and
 * the stack unmapped (a probe), brk stopped 0x101000 below the stack.
 */
static long brk_to_next_mapping(void)
{
	char *b = (char *)page_up(brk0), *sp_page = (char *)((long)&b & -(long)PG);
	long lo = 0, hi = sp_page - b, mid, next;
	void *p;

	while (hi - lo > (long)PG) {
		mid = (lo + (hi - lo) / 2) & -(long)PG;
		p = mmap(b, mid, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			 MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, mid);
		if (p == b)
			lo = mid;
		else
			hi = mid;
	}
	next = (long)b + lo;	/* [b, next) is free, its next page is not */
	want = next - (long)PG;
	if (mapped_through((char *)next, sp_page + PG))
		want -= GUARD_GAP;      /* the stack */
	REQUIRE(want > brk0);
	p = (void *)brk_towards(want);
	CHECK(sys_brk(want + 1) == want);
	sys_brk(brk0);
	CHECK(sys_brk(0) == brk0);
	return (long)p;
}

/* ---- mmap --------------------------------------------------------------- */

static long anon(void *hint, size_t len, int prot, int flags)
{
	long r = ret_ptr(mmap(hint, len, prot, flags | MAP_ANONYMOUS, -1, 0));

	track(r, len);
	return r;
}

static long mmap_len0(void)
{
	return anon(NULL, 0, PROT_READ, MAP_PRIVATE);
}

static long mmap_unaligned_offset(void)
{
	return ret_ptr(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 100));
}

static long mmap_no_type(void)
{
	return anon(NULL, PG, PROT_READ, 0);
}

/*
 * MAP_SHARED|MAP_PRIVATE is 3, which is MAP_SHARED_VALIDATE; Linux
 * accepts that type only for files, so an anonymous one is EINVAL.
 */
static long mmap_both_types_anon(void)
{
	return anon(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE);
}

/* ...and for a file the same flags are MAP_SHARED_VALIDATE, which works. */
static long mmap_both_types_file(void)
{
	long r = ret_ptr(mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE,
			      self_fd, 0));

	track(r, PG);
	if (is_address(r))
		CHECK(memcmp((char *)r, "\177ELF", 4) == 0);
	return r;
}

static long mmap_validate_unknown(void)
{
	long r = ret_ptr(mmap(NULL, PG, PROT_READ,
			      MAP_SHARED_VALIDATE | MAP_UNKNOWN, self_fd, 0));

	track(r, PG);
	return r;
}

/* Without MAP_SHARED_VALIDATE, unknown flag bits are ignored. */
static long mmap_unknown_flag(void)
{
	return anon(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_UNKNOWN);
}

/* mmap ignores protection bits it does not know (mprotect refuses them). */
static long mmap_unknown_prot(void)
{
	return anon(NULL, PG, PROT_READ | PROT_UNKNOWN, MAP_PRIVATE);
}

static long mmap_private(void)
{
	long r = anon(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (is_address(r)) {
		CHECK(holds((char *)r, 0) && holds((char *)r + PG, 0));
		CHECK(is_writable((char *)r));
	}
	return r;
}

static long mmap_shared(void)
{
	long r = anon(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED);

	if (is_address(r)) {
		CHECK(holds((char *)r, 0) && holds((char *)r + PG, 0));
		CHECK(is_writable((char *)r + PG));
	}
	return r;
}

static long mmap_read_only(void)
{
	long r = anon(NULL, PG, PROT_READ, MAP_PRIVATE);

	if (is_address(r)) {
		CHECK(is_readable((char *)r));
		CHECK(!is_writable((char *)r));
	}
	return r;
}

/* PROT_WRITE alone gives a readable page on both x86_64 and riscv64
 * (riscv64 has no write-only pages).  rvlinux: readable and writable. */
static long mmap_write_only(void)
{
	long r = anon(NULL, PG, PROT_WRITE, MAP_PRIVATE);

	if (is_address(r))
		CHECK(is_writable((char *)r));
	return r;
}

static long mmap_prot_none(void)
{
	long r = anon(NULL, PG, PROT_NONE, MAP_PRIVATE);

	if (is_address(r))
		CHECK(!is_readable((char *)r));
	return r;
}

static long mmap_exec(void)
{
	long r = anon(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	if (is_address(r))
		CHECK(is_readable((char *)r) && !is_writable((char *)r));
	return r;
}

static long mmap_hint_free(void)
{
	REQUIRE(get_area());
	want = (long)P(16);
	return anon(P(16), PG, PROT_READ, MAP_PRIVATE);
}

/*
 * An unaligned hint is rounded down to its page on every architecture:
 * do_mmap() applies round_hint_to_min() (hint &= PAGE_MASK) before any
 * architecture's get_unmapped_area sees it.
 * rvlinux: the hint area + 16 pages + 123 gave area + 16 pages.
 */
static long mmap_hint_unaligned(void)
{
	REQUIRE(get_area());
	want = (long)P(16);
	return anon(P(16) + 123, PG, PROT_READ, MAP_PRIVATE);
}

static long mmap_hint_busy(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(16, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(16), 0x11);
	want = (long)P(16);
	r = anon(P(16), PG, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(holds(P(16), 0x11));
	if (is_address(r) && r != want)
		CHECK(holds((char *)r, 0));
	return r;
}

/* A hint partly overlapping a mapping is not honoured either. */
static long mmap_hint_overlap(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(17, 1, PROT_READ, 0));
	want = (long)P(16);
	return anon(P(16), 2 * PG, PROT_READ, MAP_PRIVATE);
}

/* A hint outside user space is ignored, not an error. */
static long mmap_hint_kernel(void)
{
	want = (long)KADDR;
	return anon(KADDR, PG, PROT_READ, MAP_PRIVATE);
}

static long mmap_fixed_unaligned(void)
{
	REQUIRE(get_area());
	return anon(P(16) + 1, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED);
}

static long mmap_fixed_replace(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(16, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(16), 0x22);
	want = (long)P(16);
	r = anon(P(16), PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED);
	if (r == want)
		CHECK(holds(P(16), 0));
	return r;
}

/* MAP_FIXED inside a mapping splits it; both sides keep their data. */
static long mmap_fixed_split(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(16, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(16), 0x23);
	mark(P(17), 0x24);
	mark(P(18), 0x25);
	want = (long)P(17);
	r = anon(P(17), PG, PROT_READ, MAP_PRIVATE | MAP_FIXED);
	CHECK(holds(P(16), 0x23) && holds(P(18), 0x25));
	if (r == want)
		CHECK(holds(P(17), 0) && !is_writable(P(17)));
	CHECK(is_writable(P(16)) && is_writable(P(18)));
	return r;
}

/* A fixed address above user space: ENOMEM (not EINVAL). */
static long mmap_fixed_kernel(void)
{
	return anon(KADDR, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED);
}

static long mmap_noreplace_busy(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(16, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(16), 0x33);
	r = anon(P(16), PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED_NOREPLACE);
	CHECK(holds(P(16), 0x33));
	return r;
}

static long mmap_noreplace_partial(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(17, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(17), 0x34);
	r = anon(P(16), 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED_NOREPLACE);
	CHECK(is_unmapped(P(16)));
	CHECK(holds(P(17), 0x34));
	return r;
}

static long mmap_noreplace_free(void)
{
	REQUIRE(get_area());
	want = (long)P(16);
	return anon(P(16), 2 * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_FIXED_NOREPLACE);
}

static long mmap_noreplace_unaligned(void)
{
	REQUIRE(get_area());
	return anon(P(16) + 8, PG, PROT_READ,
		    MAP_PRIVATE | MAP_FIXED_NOREPLACE);
}

/* The value is mincore's resident mask of the 4 pages just mapped. */
static long mmap_populate(void)
{
	long r = anon(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_POPULATE);

	REQUIRE(is_address(r));
	return resident((void *)r, 4);
}

static long mmap_noreserve(void)
{
	long r = anon(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_NORESERVE);

	if (is_address(r))
		CHECK(holds((char *)r + 3 * PG, 0) &&
		      is_writable((char *)r + 3 * PG));
	return r;
}

/* MAP_GROWSDOWN is for private anonymous memory only.
 * rvlinux: EINVAL for MAP_SHARED anonymous memory and for a file. */
static long mmap_growsdown(void)
{
	long r = anon(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_GROWSDOWN);

	if (is_address(r))
		CHECK(holds((char *)r, 0) && is_writable((char *)r));
	return r;
}

static long mmap_growsdown_shared(void)
{
	return anon(NULL, PG, PROT_READ, MAP_SHARED | MAP_GROWSDOWN);
}

static long mmap_growsdown_file(void)
{
	long r = ret_ptr(mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN,
			      self_fd, 0));

	track(r, PG);
	return r;
}

static long mmap_stack(void)
{
	long r = anon(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_STACK);

	if (is_address(r))
		CHECK(holds((char *)r, 0) && is_writable((char *)r));
	return r;
}

static long mmap_huge(void)
{
	return anon(NULL, HUGE_LEN, PROT_READ, MAP_PRIVATE);
}

/* A length that wraps to 0 when rounded up to a page: ENOMEM, not EINVAL. */
static long mmap_wrapping_len(void)
{
	return anon(NULL, (size_t)-1, PROT_READ, MAP_PRIVATE);
}

/* The fd of an anonymous mapping is ignored. */
static long mmap_anon_fd_ignored(void)
{
	long r = ret_ptr(mmap(NULL, PG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, 999, 0));

	track(r, PG);
	return r;
}

/* So is a page-aligned offset. */
static long mmap_anon_offset_ignored(void)
{
	long r = ret_ptr(mmap(NULL, PG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 16 * PG));

	track(r, PG);
	if (is_address(r))
		CHECK(holds((char *)r, 0));
	return r;
}

/* ---- file mappings ---------------------------------------------------- */

static long file_map(size_t len, int prot, int flags, int fd, long off)
{
	long r = ret_ptr(mmap(NULL, len, prot, flags, fd, off));

	track(r, len);
	return r;
}

static long file_private(void)
{
	long r = file_map(PG, PROT_READ, MAP_PRIVATE, self_fd, 0);

	if (is_address(r))
		CHECK(memcmp((char *)r, "\177ELF", 4) == 0);
	return r;
}

static long file_shared_read(void)
{
	long r = file_map(PG, PROT_READ, MAP_SHARED, self_fd, 0);

	if (is_address(r))
		CHECK(memcmp((char *)r, "\177ELF", 4) == 0);
	return r;
}

/* A mapping at file offset PG shows the file's second page. */
static long file_offset(void)
{
	long r;

	REQUIRE(self_size > 2 * (long)PG);
	REQUIRE(read_self_page(1));
	r = file_map(PG, PROT_READ, MAP_PRIVATE, self_fd, PG);
	if (is_address(r))
		CHECK(memcmp((char *)r, page_buf, PG) == 0);
	return r;
}

/*
 * The last, partial page of the file: bytes past EOF read as zero.  The
 * mapping is two pages long; the second lies wholly past EOF and would
 * raise SIGBUS on Linux, so it is not touched.
 */
static long file_tail_zero(void)
{
	long last = (self_size - 1) / (long)PG;
	long in_page = self_size - last * (long)PG;	/* 1..PG */
	long r;
	char *p;

	REQUIRE(read_self_page(last));
	r = file_map(2 * PG, PROT_READ, MAP_PRIVATE, self_fd, last * PG);
	if (!is_address(r))
		return r;
	p = (char *)r;
	CHECK(memcmp(p, page_buf, in_page) == 0);
	for (long i = in_page; i < (long)PG; i++)
		if (p[i]) {
			CHECK(!"bytes past EOF are zero");
			break;
		}
	return r;
}

/* Mapping a range entirely past EOF succeeds (only touching it faults). */
static long file_past_eof(void)
{
	return file_map(PG, PROT_READ, MAP_PRIVATE, self_fd,
			page_up(self_size) + 16 * PG);
}

/*
 * A page wholly past the end of the file: a touch raises SIGBUS on Linux
 * (the crash program checks that), and a system call that reads or writes
 * it fails with EFAULT; private and shared mappings alike.
 * rvlinux: EFAULT for both; a touch: SIGBUS.
 */
static long file_past_eof_access(int flags)
{
	long last = (self_size - 1) / (long)PG;
	long r = file_map(2 * PG, PROT_READ, flags, self_fd, last * PG);
	unsigned long old;

	if (!is_address(r))
		return r;
	CHECK(is_readable((char *)r));
	r = ret_int(syscall(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (char *)r + PG, &old, 8));
	if (r == 0)
		syscall(SYS_rt_sigprocmask, 2 /* SIG_SETMASK */, &old, NULL, 8);
	return r;
}

static long file_past_eof_private(void)
{
	return file_past_eof_access(MAP_PRIVATE);
}

static long file_past_eof_shared(void)
{
	return file_past_eof_access(MAP_SHARED);
}

static long file_shared_write_rdonly(void)
{
	return file_map(PG, PROT_READ | PROT_WRITE, MAP_SHARED, self_fd, 0);
}

/* A private writable mapping of a read-only fd: writes stay in memory. */
static long file_private_write(void)
{
	long r = file_map(PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, self_fd, 0);
	char head[4];

	if (!is_address(r))
		return r;
	memcpy((char *)r, "abcd", 4);
	CHECK(memcmp((char *)r, "abcd", 4) == 0);
	lseek(self_fd, 0, SEEK_SET);
	CHECK(read(self_fd, head, 4) == 4 && memcmp(head, "\177ELF", 4) == 0);
	return r;
}

static long file_bad_fd(void)
{
	return file_map(PG, PROT_READ, MAP_PRIVATE, 999, 0);
}

static long file_fd_minus_one(void)
{
	return file_map(PG, PROT_READ, MAP_PRIVATE, -1, 0);
}

/* mmap of a file open on a path of its own (not our executable). */
static long file_map_path(const char *path, int oflags, size_t len, int prot, int flags)
{
	int fd = open(path, oflags);
	long r;

	REQUIRE(fd >= 0);
	r = file_map(len, prot, flags, fd, 0);
	close(fd);
	return r;
}

/* A directory has no mmap: ENODEV, Linux's last check, so the checks of
 * the arguments come first (length 0: EINVAL; a shared writable mapping
 * of an O_RDONLY fd: EACCES).
 * rvlinux: ENODEV; length 0: EINVAL; SHARED PROT_WRITE: EACCES. */
static long file_directory(void)
{
	return file_map_path("/", O_RDONLY | O_DIRECTORY, PG, PROT_READ, MAP_PRIVATE);
}

static long file_directory_len0(void)
{
	return file_map_path("/", O_RDONLY | O_DIRECTORY, 0, PROT_READ, MAP_PRIVATE);
}

static long file_directory_shared_write(void)
{
	return file_map_path("/", O_RDONLY | O_DIRECTORY, PG, PROT_READ | PROT_WRITE,
			     MAP_SHARED);
}

/* An O_PATH fd cannot be used for mmap: fget() does not see it (EBADF),
 * even on a regular file that could be mapped.
 * rvlinux: EBADF for the program's own file and for "/". */
static long file_o_path(void)
{
	return file_map_path(self_path, O_PATH, PG, PROT_READ, MAP_PRIVATE);
}

static long file_o_path_directory(void)
{
	return file_map_path("/", O_PATH | O_DIRECTORY, PG, PROT_READ, MAP_PRIVATE);
}

static long file_unaligned_offset(void)
{
	return file_map(PG, PROT_READ, MAP_PRIVATE, self_fd, 100);
}

/* A file range past the largest file offset (2^63 - 1): EOVERFLOW. */
static long file_offset_overflow(void)
{
	return file_map(2 * PG, PROT_READ, MAP_PRIVATE, self_fd, 0x7ffffffffffff000l);
}

/* A shared mapping of a read-only fd cannot be made writable later. */
static long file_shared_mprotect_write(void)
{
	long r = file_map(PG, PROT_READ, MAP_SHARED, self_fd, 0);

	REQUIRE(is_address(r));
	return ret_int(mprotect((void *)r, PG, PROT_READ | PROT_WRITE));
}

/* A private one can: writes go to private copies. */
static long file_private_mprotect_write(void)
{
	long r = file_map(PG, PROT_READ, MAP_PRIVATE, self_fd, 0);
	long e;

	REQUIRE(is_address(r));
	e = ret_int(mprotect((void *)r, PG, PROT_READ | PROT_WRITE));
	if (!e)
		CHECK(is_writable((char *)r));
	return e;
}

/* ---- lazy allocation as seen by mincore -------------------------------- */

static long lazy_fresh(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE, 0));
	return resident(P(0), 4);
}

static long lazy_touched(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE, 0));
	P(1)[10] = 1;
	return resident(P(0), 4);
}

/* A read fault maps a (zero) page too: it counts as resident. */
static long lazy_read_touched(void)
{
	volatile char *p;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE, 0));
	p = P(2);
	CHECK(p[10] == 0);
	return resident(P(0), 4);
}

static long lazy_shared_fresh(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS));
	P(3)[0] = 1;
	return resident(P(0), 4);
}

/* ---- the zero page ------------------------------------------------------ */

/* A read of a fresh private page maps memory that reads as zero and
 * counts as resident (Linux maps its shared zero page). */
static long zero_read(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	CHECK(holds(P(0), 0));
	return resident(P(0), 2);
}

/* The write after the read gets a page of its own, zero but for the write;
 * another page only read stays zero (the write reached no shared page). */
static long zero_read_then_write(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	CHECK(holds(P(0), 0) && holds(P(1), 0));
	P(0)[100] = 0x5a;
	CHECK(P(0)[100] == 0x5a && P(0)[99] == 0 && P(0)[101] == 0);
	P(0)[100] = 0;
	CHECK(holds(P(0), 0) && holds(P(1), 0));
	return resident(P(0), 2);
}

/* Read-only memory read, then made writable: the write still works. */
static long zero_read_mprotect_write(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	CHECK(holds(P(0), 0));
	r = ret_int(mprotect(P(0), PG, PROT_READ | PROT_WRITE));
	mark(P(0), 0x3c);
	CHECK(holds(P(0), 0x3c));
	return r;
}

static long dontneed_private(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x41);
	mark(P(1), 0x42);
	r = ret_int(madvise(P(0), 2 * PG, MADV_DONTNEED));
	CHECK(resident(P(0), 2) == 0);
	CHECK(holds(P(0), 0) && holds(P(1), 0));
	return r;
}

static long dontneed_private_resident(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x41);
	mark(P(1), 0x42);
	REQUIRE(madvise(P(0), PG, MADV_DONTNEED) == 0);
	return resident(P(0), 2);
}

/* Shared anonymous memory is a memory object: DONTNEED drops only the PTEs. */
static long dontneed_shared(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS));
	mark(P(0), 0x43);
	mark(P(1), 0x44);
	r = ret_int(madvise(P(0), 2 * PG, MADV_DONTNEED));
	CHECK(holds(P(0), 0x43) && holds(P(1), 0x44));
	return r;
}

/*
 * mincore reports the pages of shared memory as resident after DONTNEED:
 * it looks at the memory object, not only at the page tables.
 */
static long dontneed_shared_resident(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS));
	mark(P(0), 0x45);
	REQUIRE(madvise(P(0), 2 * PG, MADV_DONTNEED) == 0);
	return resident(P(0), 2);
}

/* ---- munmap ------------------------------------------------------------ */

static long munmap_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ, 0));
	return ret_int(munmap(P(0) + 1, PG));
}

/* munmap refuses len 0 (mprotect, madvise, msync and mincore accept it). */
static long munmap_len0(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(munmap(P(0), 0));
}

/* Unmapping a range with nothing in it is not an error. */
static long munmap_hole(void)
{
	REQUIRE(get_area());
	return ret_int(munmap(P(4), 4 * PG));
}

/* The length is rounded up: munmap(p, 1) removes the whole page. */
static long munmap_unaligned_len(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ, 0));
	r = ret_int(munmap(P(0), 1));
	CHECK(is_unmapped(P(0)) && is_mapped(P(1)));
	return r;
}

static long munmap_middle(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x51);
	mark(P(1), 0x52);
	mark(P(2), 0x53);
	r = ret_int(munmap(P(1), PG));
	CHECK(holds(P(0), 0x51) && holds(P(2), 0x53));
	CHECK(is_writable(P(0)) && is_writable(P(2)));
	CHECK(!is_readable(P(1)));
	return r;
}

static long munmap_middle_mincore(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	REQUIRE(munmap(P(1), PG) == 0);
	return resident(P(1), 1);
}

/* A range covering mappings and holes: everything in it goes. */
static long munmap_mixed(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(1, 1, PROT_READ, 0));
	REQUIRE(map_at(3, 2, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(6, 1, PROT_READ, 0));
	r = ret_int(munmap(P(0), 6 * PG));
	CHECK(is_unmapped(P(1)) && is_unmapped(P(3)) && is_unmapped(P(4)));
	CHECK(is_mapped(P(6)));
	return r;
}

/* munmap checks the range against user space first: EINVAL, not 0. */
static long munmap_kernel(void)
{
	return ret_int(munmap(KADDR, PG));
}

/* addr + len beyond user space. */
static long munmap_huge(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(munmap(P(0), HUGE_LEN));
}

/* ---- mprotect ---------------------------------------------------------- */

static long mprotect_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	return ret_int(mprotect(P(0) + 1, PG, PROT_READ));
}

/* len 0 succeeds without looking at the range, even an unmapped one. */
static long mprotect_len0(void)
{
	REQUIRE(get_area());
	return ret_int(mprotect(P(0), 0, PROT_READ));
}

static long mprotect_bad_prot(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	r = ret_int(mprotect(P(0), PG, PROT_READ | PROT_UNKNOWN));
	CHECK(is_writable(P(0)));
	return r;
}

/* The len 0 check comes before the protection check. */
static long mprotect_bad_prot_len0(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return ret_int(mprotect(P(0), 0, PROT_READ | PROT_UNKNOWN));
}

static long mprotect_growsdown(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return ret_int(mprotect(P(0), PG, PROT_READ | PROT_GROWSDOWN));
}

/* Pages before a hole are changed, then ENOMEM is reported. */
static long mprotect_hole_after(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	r = ret_int(mprotect(P(0), 3 * PG, PROT_READ));
	CHECK(!is_writable(P(0)) && !is_writable(P(1)));
	CHECK(is_readable(P(0)) && is_readable(P(1)));
	return r;
}

/* The walk stops at the hole: the mapping after it keeps its protection. */
static long mprotect_hole_middle(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(2, 1, PROT_READ | PROT_WRITE, 0));
	r = ret_int(mprotect(P(0), 3 * PG, PROT_READ));
	CHECK(!is_writable(P(0)));
	CHECK(is_writable(P(2)));
	return r;
}

/* A hole at the start: nothing is changed. */
static long mprotect_hole_before(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(1, 1, PROT_READ | PROT_WRITE, 0));
	r = ret_int(mprotect(P(0), 2 * PG, PROT_READ));
	CHECK(is_writable(P(1)));
	return r;
}

/* mprotect has no range check of its own: no mapping there, so ENOMEM. */
static long mprotect_kernel(void)
{
	return ret_int(mprotect(KADDR, PG, PROT_READ));
}

/* start + len wraps: ENOMEM. */
static long mprotect_wrapping_len(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return ret_int(mprotect(P(0), (size_t)-1, PROT_READ));
}

/* The length is rounded up to whole pages. */
static long mprotect_unaligned_len(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	r = ret_int(mprotect(P(0), 1, PROT_READ));
	CHECK(!is_writable(P(0)) && is_writable(P(1)));
	return r;
}

static long mprotect_split(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x61);
	mark(P(1), 0x62);
	mark(P(2), 0x63);
	r = ret_int(mprotect(P(1), PG, PROT_READ));
	CHECK(is_writable(P(0)) && !is_writable(P(1)) && is_writable(P(2)));
	CHECK(holds(P(0), 0x61) && holds(P(1), 0x62) && holds(P(2), 0x63));
	return r;
}

/*
 * Splitting and restoring the protection joins the pieces again: the
 * value is an mremap of the whole range, which fails with EFAULT if the
 * range still spans several mappings.
 */
static long mprotect_join(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(1), 0x64);
	REQUIRE(mprotect(P(1), PG, PROT_READ) == 0);
	REQUIRE(mprotect(P(1), PG, PROT_READ | PROT_WRITE) == 0);
	want = (long)P(0);
	return sys_mremap(P(0), 3 * PG, 4 * PG, MREMAP_MAYMOVE, NULL);
}

static long mprotect_none_then_read(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x65);
	REQUIRE(mprotect(P(0), PG, PROT_NONE) == 0);
	CHECK(!is_readable(P(0)));
	r = ret_int(mprotect(P(0), PG, PROT_READ));
	if (!r)
		CHECK(is_readable(P(0)) && holds(P(0), 0x65));
	CHECK(!is_writable(P(0)));
	return r;
}

/*
 * ---- mremap ------------------------------------------------------------
 * Only behaviour that Linux has kept stable is checked: growing to a
 * huge length (ENOMEM in 6.12, EINVAL in 6.18) and same-size FIXED moves
 * of a range spanning several mappings (EFAULT in 6.12, allowed in newer
 * kernels) are left out.
 */

static long mremap_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ, 0));
	return sys_mremap(P(0) + 1, PG, PG, 0, NULL);
}

static long mremap_bad_flags(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return sys_mremap(P(0), PG, PG, 0x100 | MREMAP_MAYMOVE, NULL);
}

static long mremap_fixed_no_maymove(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return sys_mremap(P(0), PG, PG, MREMAP_FIXED, P(8));
}

static long mremap_dontunmap_no_maymove(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return sys_mremap(P(0), PG, PG, MREMAP_DONTUNMAP, NULL);
}

static long mremap_dontunmap_resize(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return sys_mremap(P(0), PG, 2 * PG,
			  MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
}

static long mremap_new_len0(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return sys_mremap(P(0), PG, 0, MREMAP_MAYMOVE, NULL);
}

/* Same size and no flags: the address is returned, nothing changes. */
static long mremap_same_size(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ, 0));
	want = (long)P(0);
	return sys_mremap(P(0), 2 * PG, 2 * PG, 0, NULL);
}

static long mremap_shrink(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x71);
	want = (long)P(0);
	r = sys_mremap(P(0), 3 * PG, PG, 0, NULL);
	CHECK(holds(P(0), 0x71));
	CHECK(is_unmapped(P(1)) && is_unmapped(P(2)));
	return r;
}

/* The new length is rounded up: PG + 1 keeps two pages. */
static long mremap_shrink_unaligned(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	want = (long)P(0);
	r = sys_mremap(P(0), 3 * PG, PG + 1, 0, NULL);
	CHECK(is_mapped(P(1)) && is_unmapped(P(2)));
	return r;
}

static long mremap_grow_in_place(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x72);
	want = (long)P(0);
	r = sys_mremap(P(0), PG, 3 * PG, 0, NULL);
	if (r == want) {
		CHECK(holds(P(0), 0x72));
		CHECK(holds(P(1), 0) && holds(P(2), 0));
		CHECK(is_writable(P(2)));
	}
	return r;
}

/* With MREMAP_MAYMOVE and room to grow, Linux still grows in place. */
static long mremap_maymove_in_place(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	want = (long)P(0);
	return sys_mremap(P(0), PG, 3 * PG, MREMAP_MAYMOVE, NULL);
}

/* Page 1 is a separate read-only mapping that blocks growth. */
static long mremap_grow_blocked(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(1, 1, PROT_READ, 0));
	mark(P(0), 0x73);
	r = sys_mremap(P(0), PG, 2 * PG, 0, NULL);
	CHECK(holds(P(0), 0x73) && is_writable(P(0)));
	CHECK(is_readable(P(1)) && !is_writable(P(1)));
	return r;
}

static long mremap_grow_moves(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(2, 1, PROT_READ, 0));
	mark(P(0), 0x74);
	mark(P(1), 0x75);
	want = (long)P(0);
	r = sys_mremap(P(0), 2 * PG, 4 * PG, MREMAP_MAYMOVE, NULL);
	track(r, 4 * PG);
	if (is_address(r) && r != want) {
		char *n = (char *)r;

		CHECK(holds(n, 0x74) && holds(n + PG, 0x75));
		CHECK(holds(n + 2 * PG, 0) && holds(n + 3 * PG, 0));
		CHECK(is_writable(n + 3 * PG));
		CHECK(is_unmapped(P(0)) && is_unmapped(P(1)));
		CHECK(is_readable(P(2)));
	}
	return r;
}

/* Growing a range that ends inside its mapping needs a move. */
static long mremap_grow_inner_blocked(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	return sys_mremap(P(0), PG, 2 * PG, 0, NULL);
}

/* ...and with MREMAP_MAYMOVE only that range moves; the rest stays. */
static long mremap_grow_inner_moves(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x76);
	mark(P(1), 0x77);
	mark(P(2), 0x78);
	want = (long)P(0);
	r = sys_mremap(P(0), PG, 2 * PG, MREMAP_MAYMOVE, NULL);
	track(r, 2 * PG);
	if (is_address(r) && r != want) {
		CHECK(holds((char *)r, 0x76) && holds((char *)r + PG, 0));
		CHECK(is_unmapped(P(0)));
		CHECK(holds(P(1), 0x77) && holds(P(2), 0x78));
	}
	return r;
}

static long mremap_fixed(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(8, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x81);
	mark(P(1), 0x82);
	mark(P(8), 0x83);
	mark(P(9), 0x84);
	want = (long)P(8);
	r = sys_mremap(P(0), 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		       P(8));
	if (r == want) {
		CHECK(holds(P(8), 0x81) && holds(P(9), 0x82));
		CHECK(is_unmapped(P(0)) && is_unmapped(P(1)));
	}
	return r;
}

/* A fixed move may also grow: the new tail is zero. */
static long mremap_fixed_grow(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x85);
	want = (long)P(8);
	r = sys_mremap(P(0), PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, P(8));
	if (r == want) {
		CHECK(holds(P(8), 0x85) && holds(P(10), 0));
		CHECK(is_unmapped(P(0)));
	}
	return r;
}

static long mremap_fixed_overlap(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x86);
	r = sys_mremap(P(0), 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		       P(1));
	CHECK(holds(P(0), 0x86) && is_unmapped(P(2)));
	return r;
}

static long mremap_fixed_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return sys_mremap(P(0), PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			  P(8) + 16);
}

static long mremap_unmapped(void)
{
	REQUIRE(get_area());
	return sys_mremap(P(0), PG, 2 * PG, MREMAP_MAYMOVE, NULL);
}

/* An old address outside user space is just "not mapped": EFAULT. */
static long mremap_kernel(void)
{
	return sys_mremap(KADDR, PG, 2 * PG, MREMAP_MAYMOVE, NULL);
}

/* Two adjacent mappings with different protections are two VMAs. */
static long mremap_two_vmas(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(1, 1, PROT_READ, 0));
	return sys_mremap(P(0), 2 * PG, 3 * PG, MREMAP_MAYMOVE, NULL);
}

/* A range over two mappings that does not grow is not checked: the same
 * size is a no-op, a shrink unmaps the tail, whatever mappings it spans. */
static long mremap_two_vmas_same(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(1, 1, PROT_READ, 0));
	want = (long)P(0);
	return sys_mremap(P(0), 2 * PG, 2 * PG, 0, NULL);
}

static long mremap_two_vmas_shrink(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(2, 1, PROT_READ, 0));
	want = (long)P(0);
	r = sys_mremap(P(0), 3 * PG, PG, 0, NULL);
	CHECK(is_mapped(P(0)) && !is_mapped(P(1)) && !is_mapped(P(2)));
	return r;
}

/* ... but a shrink unmaps like munmap: not past the end of user space. */
static long mremap_shrink_huge(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return sys_mremap(P(0), HUGE_LEN, PG, 0, NULL);
}

/* The old range stays mapped and, being private anonymous, reads as zero. */
static long mremap_dontunmap(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x91);
	mark(P(1), 0x92);
	want = (long)P(0);
	r = sys_mremap(P(0), 2 * PG, 2 * PG,
		       MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	track(r, 2 * PG);
	if (is_address(r) && r != want) {
		CHECK(holds((char *)r, 0x91) && holds((char *)r + PG, 0x92));
		CHECK(resident(P(0), 2) == 0);
		CHECK(holds(P(0), 0) && holds(P(1), 0));
		CHECK(is_writable(P(1)));
	}
	return r;
}

static long mremap_dontunmap_fixed(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0x93);
	want = (long)P(8);
	r = sys_mremap(P(0), PG, PG,
		       MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, P(8));
	if (r == want)
		CHECK(holds(P(8), 0x93) && holds(P(0), 0));
	return r;
}

/*
 * old_len 0 on shared memory with MREMAP_MAYMOVE makes a second view of
 * the same pages.
 */
static long mremap_duplicate_shared(void)
{
	long r;
	char *n;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS));
	mark(P(0), 0xa1);
	want = (long)P(0);
	r = sys_mremap(P(0), 0, PG, MREMAP_MAYMOVE, NULL);
	track(r, PG);
	if (is_address(r) && r != want) {
		n = (char *)r;
		CHECK(holds(n, 0xa1));
		mark(n, 0xa2);
		CHECK(holds(P(0), 0xa2));
		mark(P(0), 0xa3);
		CHECK(holds(n, 0xa3));
	}
	return r;
}

/* ...but on private memory it is refused. */
static long mremap_duplicate_private(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	r = sys_mremap(P(0), 0, PG, MREMAP_MAYMOVE, NULL);
	track(r, PG);
	return r;
}

/*
 * A shared anonymous mapping is a view of an object as long as the first
 * mapping; mremap can make the view longer, but the object stays that
 * size. Linux raises SIGBUS on a touch past the object's end; a system
 * call that writes there fails with EFAULT, which these rows check (the
 * crash program checks the signal). Moving and growing in place alike.
 * rvlinux: read() into the grown page -> EFAULT, the first page keeps its
 * data, mincore 0x1; a touch of the grown page: SIGBUS (moved and in place).
 */
static long shared_grown(bool move)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS));
	if (move)
		REQUIRE(map_at(1, 1, PROT_NONE, 0));
	mark(P(0), 0xb1);
	want = (long)P(0);
	r = sys_mremap(P(0), PG, 2 * PG, move ? MREMAP_MAYMOVE : 0, NULL);
	track(r, 2 * PG);
	REQUIRE(is_address(r) && (r != want) == move);
	CHECK(holds((char *)r, 0xb1));
	CHECK(resident((char *)r, 2) == 0x1);
	lseek(self_fd, 0, SEEK_SET);
	return ret_int(read(self_fd, (char *)r + PG, 4));
}

static long mremap_shared_grown_moved(void)
{
	return shared_grown(true);
}

static long mremap_shared_grown_in_place(void)
{
	return shared_grown(false);
}

/* A second view (old_len 0) longer than the object: the same. */
static long mremap_shared_view_past_end(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS));
	r = sys_mremap(P(0), 0, 2 * PG, MREMAP_MAYMOVE, NULL);
	track(r, 2 * PG);
	REQUIRE(is_address(r));
	CHECK(is_writable((char *)r));
	lseek(self_fd, 0, SEEK_SET);
	return ret_int(read(self_fd, (char *)r + PG, 4));
}

/* Shrinking a view does not shrink the object: grown back, it still
 * holds what was written before the shrink.
 * rvlinux: the page comes back with its data. */
static long mremap_shared_regrow(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS));
	mark(P(3), 0xb2);
	REQUIRE(sys_mremap(P(0), 4 * PG, PG, 0, NULL) == (long)P(0));
	want = (long)P(0);
	r = sys_mremap(P(0), PG, 4 * PG, 0, NULL);
	if (r == want)
		CHECK(holds(P(3), 0xb2));
	return r;
}

/* ---- madvise ----------------------------------------------------------- */

static long madvise_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	return ret_int(madvise(P(0) + 1, PG, MADV_NORMAL));
}

static long madvise_bad_advice(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return ret_int(madvise(P(0), PG, 12345));
}

/* The advice is checked before the length: EINVAL even with len 0. */
static long madvise_bad_advice_len0(void)
{
	REQUIRE(get_area());
	return ret_int(madvise(P(0), 0, 12345));
}

/* len 0 succeeds without looking at the range. */
static long madvise_len0(void)
{
	REQUIRE(get_area());
	return ret_int(madvise(P(0), 0, MADV_DONTNEED));
}

/* A length that rounds up to 0: EINVAL. */
static long madvise_wrapping_len(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return ret_int(madvise(P(0), (size_t)-1, MADV_NORMAL));
}

/*
 * Unlike mprotect, madvise applies the advice to every mapping in the
 * range, on both sides of a hole, and then reports ENOMEM.
 */
static long madvise_hole(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(2, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0xb1);
	mark(P(2), 0xb2);
	r = ret_int(madvise(P(0), 3 * PG, MADV_DONTNEED));
	CHECK(holds(P(0), 0));
	CHECK(holds(P(2), 0));
	return r;
}

static long madvise_hole_start(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(1, 1, PROT_READ | PROT_WRITE, 0));
	mark(P(1), 0xb3);
	r = ret_int(madvise(P(0), 2 * PG, MADV_DONTNEED));
	CHECK(holds(P(1), 0));
	return r;
}

static long madvise_unmapped(void)
{
	REQUIRE(get_area());
	return ret_int(madvise(P(0), 2 * PG, MADV_NORMAL));
}

/* No range check either: no mapping there, so ENOMEM. */
static long madvise_kernel(void)
{
	return ret_int(madvise(KADDR, PG, MADV_NORMAL));
}

static long advise(int advice)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 4, PROT_READ | PROT_WRITE, 0));
	mark(P(1), 0xb4);
	r = ret_int(madvise(P(0), 4 * PG, advice));
	CHECK(holds(P(1), 0xb4));
	return r;
}

static long madvise_willneed(void)
{
	return advise(MADV_WILLNEED);
}

static long madvise_normal(void)
{
	return advise(MADV_NORMAL);
}

static long madvise_random(void)
{
	return advise(MADV_RANDOM);
}

static long madvise_sequential(void)
{
	return advise(MADV_SEQUENTIAL);
}

/* MADV_FREE content is unspecified until reuse; only the result is checked. */
static long madvise_free_private(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	mark(P(0), 0xb5);
	r = ret_int(madvise(P(0), 2 * PG, MADV_FREE));
	CHECK(is_writable(P(0)));
	return r;
}

/* MADV_FREE is for private anonymous memory only. */
static long madvise_free_shared(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS));
	mark(P(0), 0xb6);
	r = ret_int(madvise(P(0), PG, MADV_FREE));
	CHECK(holds(P(0), 0xb6));
	return r;
}

/* DONTNEED of a private file mapping drops the copy: file data again. */
static long madvise_dontneed_file(void)
{
	long r = file_map(PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, self_fd, 0);
	long e;

	REQUIRE(is_address(r));
	memcpy((char *)r, "zzzz", 4);
	e = ret_int(madvise((void *)r, PG, MADV_DONTNEED));
	CHECK(memcmp((char *)r, "\177ELF", 4) == 0);
	return e;
}

/* The advice for fork is a VMA flag: it applies to any mapping, but
 * MADV_WIPEONFORK only to private anonymous memory (EINVAL otherwise). */
static long advise_fork(int advice, int flags)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, flags));
	mark(P(1), 0xc5);
	r = ret_int(madvise(P(0), 2 * PG, advice));
	CHECK(holds(P(1), 0xc5));
	return r;
}

static long madvise_dontfork(void)
{
	return advise_fork(MADV_DONTFORK, 0);
}

static long madvise_dofork(void)
{
	return advise_fork(MADV_DOFORK, 0);
}

static long madvise_wipeonfork(void)
{
	return advise_fork(MADV_WIPEONFORK, 0);
}

static long madvise_keeponfork(void)
{
	return advise_fork(MADV_KEEPONFORK, 0);
}

static long madvise_dontfork_shared(void)
{
	return advise_fork(MADV_DONTFORK, MAP_SHARED | MAP_ANONYMOUS);
}

static long madvise_wipeonfork_shared(void)
{
	return advise_fork(MADV_WIPEONFORK, MAP_SHARED | MAP_ANONYMOUS);
}

static long madvise_keeponfork_shared(void)
{
	return advise_fork(MADV_KEEPONFORK, MAP_SHARED | MAP_ANONYMOUS);
}

static long madvise_wipeonfork_file(void)
{
	long r = file_map(PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, self_fd, 0);

	REQUIRE(is_address(r));
	return ret_int(madvise((void *)r, PG, MADV_WIPEONFORK));
}

/*
 * MADV_DONTFORK of the middle page splits the mapping in three: growing
 * the whole range in place then finds it spans several mappings (a
 * same-size mremap would not tell: Linux returns the address unchecked).
 */
static long madvise_dontfork_splits(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	REQUIRE(madvise(P(1), PG, MADV_DONTFORK) == 0);
	return sys_mremap(P(0), 3 * PG, 4 * PG, 0, NULL);
}

/* MADV_DOFORK of it joins the three again: the growth works. */
static long madvise_dofork_joins(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 3, PROT_READ | PROT_WRITE, 0));
	REQUIRE(madvise(P(1), PG, MADV_DONTFORK) == 0);
	REQUIRE(madvise(P(1), PG, MADV_DOFORK) == 0);
	want = (long)P(0);
	return sys_mremap(P(0), 3 * PG, 4 * PG, 0, NULL);
}

/* Like the other advice, over a hole: both sides advised, then ENOMEM
 * (the advised head of the second mapping is split from its tail). */
static long madvise_wipeonfork_hole(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	REQUIRE(map_at(2, 2, PROT_READ | PROT_WRITE, 0));
	r = ret_int(madvise(P(0), 3 * PG, MADV_WIPEONFORK));
	CHECK(sys_mremap(P(2), 2 * PG, 3 * PG, 0, NULL) == -EFAULT);
	return r;
}

/* ---- mincore ----------------------------------------------------------- */

static long mincore_unaligned(void)
{
	unsigned char vec[2];

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ, 0));
	return ret_int(mincore(P(0) + 1, PG, vec));
}

static long mincore_hole(void)
{
	unsigned char vec[2];

	REQUIRE(get_area());
	return ret_int(mincore(P(0), PG, vec));
}

static long mincore_partial(void)
{
	unsigned char vec[2];

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(mincore(P(0), 2 * PG, vec));
}

/* The vector is written after the range lookup: the range must be mapped. */
static long mincore_null_vec(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(mincore(P(0), PG, NULL));
}

static long mincore_kernel_vec(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(mincore(P(0), PG, KADDR));
}

static long mincore_readonly_vec(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(mincore(P(0), PG, (unsigned char *)P(0)));
}

/* A range outside user space is ENOMEM (it is not a bad vector). */
static long mincore_kernel_range(void)
{
	unsigned char vec[2];

	return ret_int(mincore(KADDR, PG, vec));
}

/* len 0 succeeds, even on an unmapped address. */
static long mincore_len0(void)
{
	unsigned char vec[2];

	REQUIRE(get_area());
	return ret_int(mincore(P(0), 0, vec));
}

/* The length is rounded up; exactly one byte of the vector is written. */
static long mincore_unaligned_len(void)
{
	unsigned char vec[2] = { 0xee, 0xee };
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	P(0)[0] = 1;
	r = ret_int(mincore(P(0), 1, vec));
	CHECK((vec[0] & 1) == 1 && vec[1] == 0xee);
	return r;
}

static long mincore_prot_none(void)
{
	unsigned char vec[2] = { 0xee, 0xee };
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_NONE, 0));
	r = ret_int(mincore(P(0), 2 * PG, vec));
	CHECK(vec[0] == 0 && vec[1] == 0);
	return r;
}

/* ---- msync ------------------------------------------------------------- */

static long sync_anon(void *p, size_t len, int flags)
{
	return ret_int(msync(p, len, flags));
}

static long msync_unaligned(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	return sync_anon(P(0) + 1, PG, MS_SYNC);
}

static long msync_sync_and_async(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return sync_anon(P(0), PG, MS_SYNC | MS_ASYNC);
}

static long msync_unknown_flag(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return sync_anon(P(0), PG, 0x100);
}

static long msync_unmapped(void)
{
	REQUIRE(get_area());
	return sync_anon(P(0), PG, MS_SYNC);
}

static long msync_partial(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	return sync_anon(P(0), 2 * PG, MS_SYNC);
}

static long msync_kernel(void)
{
	return sync_anon(KADDR, PG, MS_SYNC);
}

static long msync_flags(int flags)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 2, PROT_READ | PROT_WRITE, 0));
	P(0)[0] = 1;
	return sync_anon(P(0), 2 * PG, flags);
}

static long msync_sync(void)
{
	return msync_flags(MS_SYNC);
}

static long msync_async(void)
{
	return msync_flags(MS_ASYNC);
}

static long msync_invalidate(void)
{
	return msync_flags(MS_INVALIDATE);
}

static long msync_no_flags(void)
{
	return msync_flags(0);
}

/* len 0 succeeds without looking at the range. */
static long msync_len0(void)
{
	REQUIRE(get_area());
	return sync_anon(P(0), 0, MS_SYNC);
}

/*
 * A length that rounds up to 0 is treated as len 0 (msync rounds
 * without an overflow check, unlike madvise).
 */
static long msync_wrapping_len(void)
{
	REQUIRE(get_area());
	return sync_anon(P(0), (size_t)-1, MS_SYNC);
}

static long msync_file(void)
{
	long r = file_map(PG, PROT_READ, MAP_SHARED, self_fd, 0);

	REQUIRE(is_address(r));
	return sync_anon((void *)r, PG, MS_SYNC);
}

/* ---- vm.max_map_count ------------------------------------------------- */

/*
 * Linux limits a process to vm.max_map_count VMAs (65530 by default; the
 * native run reads /proc/sys/vm/max_map_count, which Pagoda does not
 * have).  mmap and brk refuse to add a VMA when there are more than that
 * already ('count > max'), so mappings stop at max + 1; splitting one VMA
 * in two needs fewer than max (munmap and mprotect: 'count >= max'); an
 * mremap that moves needs fewer than max - 3, with MREMAP_FIXED fewer than
 * max - 5 (room for both ranges to split).
 *
 * fill_map_count() builds that state in a region of its own: a
 * three-page read-write mapping, the victim, at pages 1-3, then one-page
 * mappings of alternating protection (so that none merges) from page 5
 * until mmap fails; fill_release(n) then unmaps the last n of them, one
 * VMA each, so a case starts from max + 1 - n VMAs whatever the program
 * had mapped before (the count of those differs between systems).
 * rvlinux: vm.max_map_count 65530; 65525 mmap calls made before ENOMEM
 * (the program had 6 VMAs); every row below as expected.
 */
#define VICTIM		(fill_base + PG)
static char *fill_base;		/* the region */
static long fill_top;		/* index of the first page not mapped */
static long fill_made;		/* mmap calls that succeeded */

static long max_map_count(void)
{
	return sysctl_vm("max_map_count", 65530);
}

static int fill_prot(long i)
{
	return i & 1 ? PROT_READ : PROT_NONE;
}

static long fill_map(long i)
{
	return ret_ptr(mmap(fill_base + i * PG, PG, fill_prot(i),
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
}

/* Maps until mmap fails: its result (-ENOMEM), or SETUP_FAILED. */
static long fill_map_count(void)
{
	long max = max_map_count(), len = (max + 64) * (long)PG, r;
	char *p = mmap(NULL, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	REQUIRE(p != MAP_FAILED);
	munmap(p, len);
	fill_base = p;
	track((long)p, len);
	REQUIRE(mmap(VICTIM, 3 * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == VICTIM);
	mark(VICTIM + PG, 0x5a);
	fill_made = 1;
	for (fill_top = 5; fill_top < max + 64; fill_top++) {
		r = fill_map(fill_top);
		if (!is_address(r))
			break;
		fill_made++;
	}
	/* Only the limit stops it: the program had few VMAs before. */
	REQUIRE(fill_made > max - 64 && fill_made <= max + 1);
	return r;
}

static long fill_release(long n)
{
	long r = fill_map_count();

	for (; n > 0 && r == -ENOMEM; n--)
		if (munmap(fill_base + --fill_top * PG, PG))
			return SETUP_FAILED;
	return r == -ENOMEM ? 0 : r;
}

/* Fills, then unmaps n; a case then starts from max + 1 - n VMAs. */
#define AT_MAX_PLUS_1_MINUS(n)						\
	do {								\
		long r_ = fill_release(n);				\
		if (r_ == SETUP_FAILED)					\
			return r_;					\
		REQUIRE(r_ == 0);					\
	} while (0)

static long map_count_mmap(void)
{
	long r = fill_map_count();

	if (r != SETUP_FAILED)
		out("# vm.max_map_count %ld: %ld mmap calls made before %s\n",
		    max_map_count(), fill_made, r == -ENOMEM ? "ENOMEM" : "another result");
	return r;
}

static long map_count_mmap_at_max(void)
{
	AT_MAX_PLUS_1_MINUS(1);
	want = (long)(fill_base + fill_top * PG);
	return fill_map(fill_top);
}

/* ...checked before the new mapping could merge with a neighbour. */
static long map_count_mmap_merging(void)
{
	AT_MAX_PLUS_1_MINUS(0);
	return ret_ptr(mmap(fill_base + fill_top * PG, PG, fill_prot(fill_top - 1),
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
}

static long map_count_munmap_split(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(1);
	r = ret_int(munmap(VICTIM + PG, PG));
	CHECK(holds(VICTIM + PG, 0x5a));
	return r;
}

static long map_count_munmap_split_below(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(2);
	r = ret_int(munmap(VICTIM + PG, PG));
	CHECK(is_unmapped(VICTIM + PG));
	return r;
}

/* Cutting a VMA's end off splits only for a moment: allowed at max + 1. */
static long map_count_munmap_end(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(0);
	r = ret_int(munmap(VICTIM + 2 * PG, PG));
	CHECK(is_unmapped(VICTIM + 2 * PG) && holds(VICTIM + PG, 0x5a));
	return r;
}

static long map_count_mprotect_split(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(1);
	r = ret_int(mprotect(VICTIM, PG, PROT_READ));
	CHECK(is_writable(VICTIM));
	return r;
}

/* A middle part needs two splits; the second one fails at max VMAs.
 * (Linux has made the first by then; the protection is unchanged.) */
static long map_count_mprotect_middle(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(2);
	r = ret_int(mprotect(VICTIM + PG, PG, PROT_READ));
	CHECK(is_writable(VICTIM + PG));
	return r;
}

static long map_count_mprotect_middle_below(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(3);
	r = ret_int(mprotect(VICTIM + PG, PG, PROT_READ));
	CHECK(!is_writable(VICTIM + PG) && is_writable(VICTIM));
	return r;
}

static long map_count_mprotect_whole(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(0);
	r = ret_int(mprotect(VICTIM, 3 * PG, PROT_READ));
	CHECK(!is_writable(VICTIM + PG) && holds(VICTIM + PG, 0x5a));
	return r;
}

/*
 * ...but a part at either end that takes on its neighbour's protection
 * only moves the boundary between them (vma_modify() merges before it
 * splits): allowed with max VMAs.  Pages t-1 and t form one VMA between
 * two one-page VMAs with the other protection; the head joins the one
 * before it, the tail the one after.
 * rvlinux: 0 for both.
 */
static long map_count_mprotect_joins(bool tail)
{
	long t, r;
	int p, q;

	AT_MAX_PLUS_1_MINUS(2);
	t = fill_top;
	p = fill_prot(t - 1);
	q = fill_prot(t - 2);
	REQUIRE(mmap(fill_base + t * PG, PG, p, MAP_PRIVATE | MAP_ANONYMOUS |
		     MAP_FIXED_NOREPLACE, -1, 0) == fill_base + t * PG);
	REQUIRE(mmap(fill_base + (t + 1) * PG, PG, q, MAP_PRIVATE | MAP_ANONYMOUS |
		     MAP_FIXED_NOREPLACE, -1, 0) == fill_base + (t + 1) * PG);
	r = ret_int(mprotect(fill_base + (tail ? t : t - 1) * PG, PG, q));
	if (r == 0)
		CHECK(is_readable(fill_base + (tail ? t : t - 1) * PG) == (q == PROT_READ));
	return r;
}

static long map_count_mprotect_head_joins(void)
{
	return map_count_mprotect_joins(false);
}

static long map_count_mprotect_tail_joins(void)
{
	return map_count_mprotect_joins(true);
}

static long map_count_mmap_fixed_split(void)
{
	long r;

	AT_MAX_PLUS_1_MINUS(1);
	r = ret_ptr(mmap(VICTIM + PG, PG, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	CHECK(holds(VICTIM + PG, 0x5a));
	return r;
}

/* Growing the victim needs a move (page 5 is taken). */
static long map_count_mremap(long below_max)
{
	long r;

	AT_MAX_PLUS_1_MINUS(below_max + 1);
	want = (long)VICTIM;
	r = sys_mremap(VICTIM, 3 * PG, 6 * PG, MREMAP_MAYMOVE, NULL);
	track(r, 6 * PG);
	if (is_address(r) && r != want)
		CHECK(holds((char *)r + PG, 0x5a));
	return r;
}

static long map_count_mremap_3(void)
{
	return map_count_mremap(3);
}

static long map_count_mremap_4(void)
{
	return map_count_mremap(4);
}

static long map_count_mremap_fixed(long below_max)
{
	char *to;
	long r;

	AT_MAX_PLUS_1_MINUS(below_max + 1);
	to = fill_base + (fill_top + 8) * PG;
	want = (long)to;
	r = sys_mremap(VICTIM, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (r == want)
		CHECK(holds(to + PG, 0x5a));
	return r;
}

static long map_count_mremap_fixed_5(void)
{
	return map_count_mremap_fixed(5);
}

static long map_count_mremap_fixed_6(void)
{
	return map_count_mremap_fixed(6);
}

/* brk adds a VMA (or grows one) only with at most max VMAs. */
static long map_count_brk(long n)
{
	long r;

	AT_MAX_PLUS_1_MINUS(n);
	r = sys_brk(brk0 + PG);
	sys_brk(brk0);
	return r;
}

static long map_count_brk_over(void)
{
	want = brk0;
	return map_count_brk(0);
}

static long map_count_brk_at_max(void)
{
	want = brk0 + PG;
	return map_count_brk(1);
}

/* ---- bad user pointers in other system calls -------------------------- */

static long write_kernel(void)
{
	return ret_int(write(1, KADDR, 10));
}

/* Raw calls: the libc prototypes declare the buffer non-null. */
static long write_null(void)
{
	return ret_int(syscall(SYS_write, 1, NULL, 10));
}

static long write_prot_none(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_NONE, 0));
	return ret_int(write(1, P(0), 10));
}

static long write_unmapped(void)
{
	REQUIRE(get_area());
	return ret_int(write(1, P(0), 10));
}

static long read_null(void)
{
	lseek(self_fd, 0, SEEK_SET);
	return ret_int(syscall(SYS_read, self_fd, NULL, 10));
}

static long read_kernel(void)
{
	lseek(self_fd, 0, SEEK_SET);
	return ret_int(read(self_fd, KADDR, 10));
}

static long read_readonly(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	lseek(self_fd, 0, SEEK_SET);
	return ret_int(read(self_fd, P(0), 10));
}

/* A read into fresh writable anonymous memory faults it in. */
static long read_lazy(void)
{
	long r;

	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ | PROT_WRITE, 0));
	lseek(self_fd, 0, SEEK_SET);
	r = ret_int(read(self_fd, P(0), 4));
	CHECK(memcmp(P(0), "\177ELF", 4) == 0);
	return r;
}

/* The raw system call: the vDSO would fault in user mode instead. */
static long clock_null(void)
{
	return ret_int(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
}

static long clock_kernel(void)
{
	return ret_int(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KADDR));
}

static long clock_readonly(void)
{
	REQUIRE(get_area());
	REQUIRE(map_at(0, 1, PROT_READ, 0));
	return ret_int(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, P(0)));
}

static long clock_good(void)
{
	struct timespec ts = { -1, -1 };
	long r;

	r = ret_int(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
	CHECK(ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	return r;
}

static long uname_null(void)
{
	return ret_int(syscall(SYS_uname, NULL));
}

static long uname_kernel(void)
{
	return ret_int(syscall(SYS_uname, KADDR));
}

static long openat_kernel(void)
{
	return ret_int(syscall(SYS_openat, AT_FDCWD, KADDR, O_RDONLY));
}

static long openat_unmapped(void)
{
	REQUIRE(get_area());
	return ret_int(syscall(SYS_openat, AT_FDCWD, P(0), O_RDONLY));
}

static long fstat_null(void)
{
	return ret_int(syscall(SYS_fstat, self_fd, NULL));
}

static long fstat_kernel(void)
{
	return ret_int(syscall(SYS_fstat, self_fd, KADDR));
}

/* ---- the table --------------------------------------------------------- */

#define VAL(v)	EXPECT_VALUE, (v)
#define ERR(e)	EXPECT_ERRNO, (e)
#define ALIGNED	EXPECT_ALIGNED, 0
#define SAME	EXPECT_SAME, 0
#define MOVED	EXPECT_MOVED, 0

static const struct row rows[] = {
	/* brk first: nothing else has moved the break yet. */
	{ "brk(0) returns the current break", brk_query, SAME },
	{ "brk grows by a page, new memory writable", brk_grow, SAME },
	{ "brk keeps an unaligned break exactly", brk_unaligned, SAME },
	{ "brk shrinks", brk_shrink, SAME },
	{ "brk shrink unmaps the released pages", brk_shrink_unmaps, ERR(ENOMEM) },
	{ "brk regrow after shrink reads zero", brk_regrow_zero, VAL(0) },
	{ "brk grows past a read-only heap page, new page writable", brk_grow_after_mprotect, VAL(1) },
	{ "brk below the heap start fails, break unchanged", brk_below_start, SAME },
	{ "brk to 2^62 fails", brk_huge, SAME },
	{ "brk to a kernel address fails", brk_kernel, SAME },
	{ "brk up to one page below a mapping", brk_gap_page, SAME },
	{ "brk up to a mapping fails (one-page gap)", brk_up_to_mapping, SAME },
	{ "brk one byte into the gap page fails", brk_gap_plus_one, SAME },
	{ "brk over a mapping fails", brk_over_mapping, SAME },
	{ "brk up to one page below a MAP_STACK mapping", brk_gap_map_stack, SAME },
	{ "brk up to 1 MiB + a page below a MAP_GROWSDOWN mapping", brk_gap_growsdown, SAME },
	{ "brk one byte closer to a MAP_GROWSDOWN mapping fails", brk_gap_growsdown_plus_one, SAME },
	{ "brk up to the next mapping (the stack: 1 MiB + a page)", brk_to_next_mapping, SAME },

	{ "mmap len 0", mmap_len0, ERR(EINVAL) },
	{ "mmap unaligned offset", mmap_unaligned_offset, ERR(EINVAL) },
	{ "mmap neither PRIVATE nor SHARED", mmap_no_type, ERR(EINVAL) },
	{ "mmap anon SHARED|PRIVATE (= SHARED_VALIDATE)", mmap_both_types_anon, ERR(EINVAL) },
	{ "mmap file SHARED|PRIVATE (= SHARED_VALIDATE)", mmap_both_types_file, ALIGNED },
	{ "mmap SHARED_VALIDATE with an unknown flag", mmap_validate_unknown, ERR(EOPNOTSUPP) },
	{ "mmap PRIVATE ignores an unknown flag", mmap_unknown_flag, ALIGNED },
	{ "mmap ignores an unknown PROT bit", mmap_unknown_prot, ALIGNED },
	{ "mmap anon private: zero, writable", mmap_private, ALIGNED },
	{ "mmap anon shared: zero, writable", mmap_shared, ALIGNED },
	{ "mmap PROT_READ: readable, not writable", mmap_read_only, ALIGNED },
	{ "mmap PROT_WRITE only: writable", mmap_write_only, ALIGNED },
	{ "mmap PROT_NONE: not readable", mmap_prot_none, ALIGNED },
	{ "mmap PROT_READ|PROT_EXEC", mmap_exec, ALIGNED },
	{ "mmap hint honoured when free", mmap_hint_free, SAME },
	{ "mmap unaligned hint rounded down to its page", mmap_hint_unaligned, SAME },
	{ "mmap hint busy: elsewhere, old mapping intact", mmap_hint_busy, MOVED },
	{ "mmap hint partly busy: elsewhere", mmap_hint_overlap, MOVED },
	{ "mmap hint in kernel space ignored", mmap_hint_kernel, MOVED },
	{ "mmap FIXED unaligned", mmap_fixed_unaligned, ERR(EINVAL) },
	{ "mmap FIXED replaces a mapping, content zero", mmap_fixed_replace, SAME },
	{ "mmap FIXED in the middle splits a mapping", mmap_fixed_split, SAME },
	{ "mmap FIXED at a kernel address", mmap_fixed_kernel, ERR(ENOMEM) },
	{ "mmap FIXED_NOREPLACE on a mapping", mmap_noreplace_busy, ERR(EEXIST) },
	{ "mmap FIXED_NOREPLACE partly on a mapping", mmap_noreplace_partial, ERR(EEXIST) },
	{ "mmap FIXED_NOREPLACE on a free range", mmap_noreplace_free, SAME },
	{ "mmap FIXED_NOREPLACE unaligned", mmap_noreplace_unaligned, ERR(EINVAL) },
	{ "mmap POPULATE: every page resident", mmap_populate, VAL(0xf) },
	{ "mmap NORESERVE", mmap_noreserve, ALIGNED },
	{ "mmap STACK", mmap_stack, ALIGNED },
	{ "mmap GROWSDOWN", mmap_growsdown, ALIGNED },
	{ "mmap GROWSDOWN SHARED anonymous", mmap_growsdown_shared, ERR(EINVAL) },
	{ "mmap GROWSDOWN file", mmap_growsdown_file, ERR(EINVAL) },
	{ "mmap length 2^62", mmap_huge, ERR(ENOMEM) },
	{ "mmap length wrapping to 0", mmap_wrapping_len, ERR(ENOMEM) },
	{ "mmap anon ignores its fd", mmap_anon_fd_ignored, ALIGNED },
	{ "mmap anon ignores its offset", mmap_anon_offset_ignored, ALIGNED },

	{ "mmap file PRIVATE READ: ELF header", file_private, ALIGNED },
	{ "mmap file SHARED READ: ELF header", file_shared_read, ALIGNED },
	{ "mmap file at offset one page", file_offset, ALIGNED },
	{ "mmap file last page: zero past EOF", file_tail_zero, ALIGNED },
	{ "mmap file wholly past EOF", file_past_eof, ALIGNED },
	{ "kernel read of a PRIVATE file page past EOF", file_past_eof_private, ERR(EFAULT) },
	{ "kernel read of a SHARED file page past EOF", file_past_eof_shared, ERR(EFAULT) },
	{ "mmap file SHARED WRITE on O_RDONLY", file_shared_write_rdonly, ERR(EACCES) },
	{ "mmap file PRIVATE WRITE on O_RDONLY: private", file_private_write, ALIGNED },
	{ "mmap bad fd", file_bad_fd, ERR(EBADF) },
	{ "mmap fd -1 without ANONYMOUS", file_fd_minus_one, ERR(EBADF) },
	{ "mmap a directory", file_directory, ERR(ENODEV) },
	{ "mmap a directory, length 0", file_directory_len0, ERR(EINVAL) },
	{ "mmap a directory SHARED WRITE on O_RDONLY", file_directory_shared_write, ERR(EACCES) },
	{ "mmap an O_PATH fd of a file", file_o_path, ERR(EBADF) },
	{ "mmap an O_PATH fd of a directory", file_o_path_directory, ERR(EBADF) },
	{ "mmap file unaligned offset", file_unaligned_offset, ERR(EINVAL) },
	{ "mmap file range past the largest offset", file_offset_overflow, ERR(EOVERFLOW) },
	{ "mprotect WRITE on SHARED file of O_RDONLY", file_shared_mprotect_write, ERR(EACCES) },
	{ "mprotect WRITE on PRIVATE file of O_RDONLY", file_private_mprotect_write, VAL(0) },

	{ "mincore fresh mapping: nothing resident", lazy_fresh, VAL(0) },
	{ "mincore write-touched page only", lazy_touched, VAL(0x2) },
	{ "mincore read-touched page only", lazy_read_touched, VAL(0x4) },
	{ "mincore shared: touched page only", lazy_shared_fresh, VAL(0x8) },
	{ "zero page: a read of a fresh page sees 0, resident", zero_read, VAL(0x1) },
	{ "zero page: a write after the read, its own page", zero_read_then_write, VAL(0x3) },
	{ "zero page: read, mprotect READ|WRITE, write", zero_read_mprotect_write, VAL(0) },
	{ "madvise DONTNEED private: zero, not resident", dontneed_private, VAL(0) },
	{ "mincore after DONTNEED of one page", dontneed_private_resident, VAL(0x2) },
	{ "madvise DONTNEED shared: data kept", dontneed_shared, VAL(0) },
	{ "mincore shared after DONTNEED: still resident", dontneed_shared_resident, VAL(0x1) },

	{ "munmap unaligned", munmap_unaligned, ERR(EINVAL) },
	{ "munmap len 0", munmap_len0, ERR(EINVAL) },
	{ "munmap a hole", munmap_hole, VAL(0) },
	{ "munmap unaligned len: whole page", munmap_unaligned_len, VAL(0) },
	{ "munmap middle: sides keep content", munmap_middle, VAL(0) },
	{ "mincore on the munmapped middle", munmap_middle_mincore, ERR(ENOMEM) },
	{ "munmap mappings and holes together", munmap_mixed, VAL(0) },
	{ "munmap kernel range", munmap_kernel, ERR(EINVAL) },
	{ "munmap length 2^62", munmap_huge, ERR(EINVAL) },

	{ "mprotect unaligned", mprotect_unaligned, ERR(EINVAL) },
	{ "mprotect len 0", mprotect_len0, VAL(0) },
	{ "mprotect unknown PROT bit", mprotect_bad_prot, ERR(EINVAL) },
	{ "mprotect unknown PROT bit, len 0", mprotect_bad_prot_len0, VAL(0) },
	{ "mprotect GROWSDOWN on a plain mapping", mprotect_growsdown, ERR(EINVAL) },
	{ "mprotect over a trailing hole: head changed", mprotect_hole_after, ERR(ENOMEM) },
	{ "mprotect over a hole: stops at it", mprotect_hole_middle, ERR(ENOMEM) },
	{ "mprotect from a hole: nothing changed", mprotect_hole_before, ERR(ENOMEM) },
	{ "mprotect kernel range", mprotect_kernel, ERR(ENOMEM) },
	{ "mprotect wrapping length", mprotect_wrapping_len, ERR(ENOMEM) },
	{ "mprotect unaligned len: whole page", mprotect_unaligned_len, VAL(0) },
	{ "mprotect middle page splits", mprotect_split, VAL(0) },
	{ "mprotect back joins (mremap whole range)", mprotect_join, SAME },
	{ "mprotect NONE then READ keeps content", mprotect_none_then_read, VAL(0) },

	{ "mremap unaligned old address", mremap_unaligned, ERR(EINVAL) },
	{ "mremap unknown flag", mremap_bad_flags, ERR(EINVAL) },
	{ "mremap FIXED without MAYMOVE", mremap_fixed_no_maymove, ERR(EINVAL) },
	{ "mremap DONTUNMAP without MAYMOVE", mremap_dontunmap_no_maymove, ERR(EINVAL) },
	{ "mremap DONTUNMAP with a size change", mremap_dontunmap_resize, ERR(EINVAL) },
	{ "mremap new_len 0", mremap_new_len0, ERR(EINVAL) },
	{ "mremap same size: no-op", mremap_same_size, SAME },
	{ "mremap shrink in place, tail unmapped", mremap_shrink, SAME },
	{ "mremap shrink to unaligned length", mremap_shrink_unaligned, SAME },
	{ "mremap grow in place", mremap_grow_in_place, SAME },
	{ "mremap MAYMOVE with room stays", mremap_maymove_in_place, SAME },
	{ "mremap grow blocked without MAYMOVE", mremap_grow_blocked, ERR(ENOMEM) },
	{ "mremap grow blocked with MAYMOVE moves", mremap_grow_moves, MOVED },
	{ "mremap grow inner range without MAYMOVE", mremap_grow_inner_blocked, ERR(ENOMEM) },
	{ "mremap grow inner range with MAYMOVE", mremap_grow_inner_moves, MOVED },
	{ "mremap FIXED replaces the target", mremap_fixed, SAME },
	{ "mremap FIXED and grow", mremap_fixed_grow, SAME },
	{ "mremap FIXED overlapping itself", mremap_fixed_overlap, ERR(EINVAL) },
	{ "mremap FIXED unaligned target", mremap_fixed_unaligned, ERR(EINVAL) },
	{ "mremap unmapped old range", mremap_unmapped, ERR(EFAULT) },
	{ "mremap kernel old range", mremap_kernel, ERR(EFAULT) },
	{ "mremap old range spans two mappings", mremap_two_vmas, ERR(EFAULT) },
	{ "mremap same size over two mappings: no-op", mremap_two_vmas_same, SAME },
	{ "mremap shrink over two mappings: tail unmapped", mremap_two_vmas_shrink, SAME },
	{ "mremap shrink from 2^62 bytes", mremap_shrink_huge, ERR(EINVAL) },
	{ "mremap DONTUNMAP: old zero, new has data", mremap_dontunmap, MOVED },
	{ "mremap DONTUNMAP FIXED", mremap_dontunmap_fixed, SAME },
	{ "mremap old_len 0 shared: second view", mremap_duplicate_shared, MOVED },
	{ "mremap old_len 0 private", mremap_duplicate_private, ERR(EINVAL) },
	{ "read into a SHARED mapping moved and grown past its object", mremap_shared_grown_moved, ERR(EFAULT) },
	{ "read into a SHARED mapping grown in place past its object", mremap_shared_grown_in_place, ERR(EFAULT) },
	{ "read into a SHARED view (old_len 0) past its object", mremap_shared_view_past_end, ERR(EFAULT) },
	{ "mremap SHARED shrink and regrow keeps the object", mremap_shared_regrow, SAME },

	{ "madvise unaligned", madvise_unaligned, ERR(EINVAL) },
	{ "madvise unknown advice", madvise_bad_advice, ERR(EINVAL) },
	{ "madvise unknown advice, len 0", madvise_bad_advice_len0, ERR(EINVAL) },
	{ "madvise len 0 on a hole", madvise_len0, VAL(0) },
	{ "madvise wrapping length", madvise_wrapping_len, ERR(EINVAL) },
	{ "madvise over a hole: both sides advised", madvise_hole, ERR(ENOMEM) },
	{ "madvise from a hole: rest advised", madvise_hole_start, ERR(ENOMEM) },
	{ "madvise unmapped range", madvise_unmapped, ERR(ENOMEM) },
	{ "madvise kernel range", madvise_kernel, ERR(ENOMEM) },
	{ "madvise WILLNEED", madvise_willneed, VAL(0) },
	{ "madvise NORMAL", madvise_normal, VAL(0) },
	{ "madvise RANDOM", madvise_random, VAL(0) },
	{ "madvise SEQUENTIAL", madvise_sequential, VAL(0) },
	{ "madvise FREE private", madvise_free_private, VAL(0) },
	{ "madvise FREE shared", madvise_free_shared, ERR(EINVAL) },
	{ "madvise DONTNEED private file: file data back", madvise_dontneed_file, VAL(0) },
	{ "madvise DONTFORK", madvise_dontfork, VAL(0) },
	{ "madvise DOFORK", madvise_dofork, VAL(0) },
	{ "madvise WIPEONFORK", madvise_wipeonfork, VAL(0) },
	{ "madvise KEEPONFORK", madvise_keeponfork, VAL(0) },
	{ "madvise DONTFORK shared", madvise_dontfork_shared, VAL(0) },
	{ "madvise WIPEONFORK shared", madvise_wipeonfork_shared, ERR(EINVAL) },
	{ "madvise KEEPONFORK shared", madvise_keeponfork_shared, VAL(0) },
	{ "madvise WIPEONFORK private file", madvise_wipeonfork_file, ERR(EINVAL) },
	{ "madvise DONTFORK of a middle page splits", madvise_dontfork_splits, ERR(EFAULT) },
	{ "madvise DOFORK joins again", madvise_dofork_joins, SAME },
	{ "madvise WIPEONFORK over a hole", madvise_wipeonfork_hole, ERR(ENOMEM) },

	{ "mincore unaligned", mincore_unaligned, ERR(EINVAL) },
	{ "mincore hole", mincore_hole, ERR(ENOMEM) },
	{ "mincore mapping then hole", mincore_partial, ERR(ENOMEM) },
	{ "mincore NULL vector", mincore_null_vec, ERR(EFAULT) },
	{ "mincore kernel vector", mincore_kernel_vec, ERR(EFAULT) },
	{ "mincore read-only vector", mincore_readonly_vec, ERR(EFAULT) },
	{ "mincore kernel range", mincore_kernel_range, ERR(ENOMEM) },
	{ "mincore len 0 on a hole", mincore_len0, VAL(0) },
	{ "mincore unaligned len: one entry", mincore_unaligned_len, VAL(0) },
	{ "mincore PROT_NONE mapping", mincore_prot_none, VAL(0) },

	{ "msync unaligned", msync_unaligned, ERR(EINVAL) },
	{ "msync SYNC|ASYNC", msync_sync_and_async, ERR(EINVAL) },
	{ "msync unknown flag", msync_unknown_flag, ERR(EINVAL) },
	{ "msync unmapped", msync_unmapped, ERR(ENOMEM) },
	{ "msync mapping then hole", msync_partial, ERR(ENOMEM) },
	{ "msync kernel range", msync_kernel, ERR(ENOMEM) },
	{ "msync SYNC", msync_sync, VAL(0) },
	{ "msync ASYNC", msync_async, VAL(0) },
	{ "msync INVALIDATE", msync_invalidate, VAL(0) },
	{ "msync no flags", msync_no_flags, VAL(0) },
	{ "msync len 0 on a hole", msync_len0, VAL(0) },
	{ "msync length wrapping to 0", msync_wrapping_len, VAL(0) },
	{ "msync SHARED file mapping", msync_file, VAL(0) },

	{ "mmap with max_map_count + 1 VMAs", map_count_mmap, ERR(ENOMEM) },
	{ "mmap with max_map_count VMAs", map_count_mmap_at_max, SAME },
	{ "mmap with max_map_count + 1 VMAs, merging", map_count_mmap_merging, ERR(ENOMEM) },
	{ "munmap splitting a VMA with max_map_count VMAs", map_count_munmap_split, ERR(ENOMEM) },
	{ "munmap splitting a VMA with max_map_count - 1 VMAs", map_count_munmap_split_below, VAL(0) },
	{ "munmap of a VMA's end with max_map_count + 1 VMAs", map_count_munmap_end, VAL(0) },
	{ "mprotect splitting a VMA with max_map_count VMAs", map_count_mprotect_split, ERR(ENOMEM) },
	{ "mprotect of a middle part with max_map_count - 1 VMAs", map_count_mprotect_middle, ERR(ENOMEM) },
	{ "mprotect of a middle part with max_map_count - 2 VMAs", map_count_mprotect_middle_below, VAL(0) },
	{ "mprotect of a whole VMA with max_map_count + 1 VMAs", map_count_mprotect_whole, VAL(0) },
	{ "mprotect of a VMA's head joining its neighbour with max_map_count VMAs", map_count_mprotect_head_joins, VAL(0) },
	{ "mprotect of a VMA's tail joining its neighbour with max_map_count VMAs", map_count_mprotect_tail_joins, VAL(0) },
	{ "mmap FIXED splitting a VMA with max_map_count VMAs", map_count_mmap_fixed_split, ERR(ENOMEM) },
	{ "mremap move with max_map_count - 3 VMAs", map_count_mremap_3, ERR(ENOMEM) },
	{ "mremap move with max_map_count - 4 VMAs", map_count_mremap_4, MOVED },
	{ "mremap FIXED with max_map_count - 5 VMAs", map_count_mremap_fixed_5, ERR(ENOMEM) },
	{ "mremap FIXED with max_map_count - 6 VMAs", map_count_mremap_fixed_6, SAME },
	{ "brk with max_map_count + 1 VMAs fails", map_count_brk_over, SAME },
	{ "brk with max_map_count VMAs", map_count_brk_at_max, SAME },

	/* write(1, ...) assumes fd 1 reads its buffer (not /dev/null). */
	{ "write from a kernel address", write_kernel, ERR(EFAULT) },
	{ "write from NULL", write_null, ERR(EFAULT) },
	{ "write from PROT_NONE", write_prot_none, ERR(EFAULT) },
	{ "write from unmapped memory", write_unmapped, ERR(EFAULT) },
	{ "read into NULL", read_null, ERR(EFAULT) },
	{ "read into a kernel address", read_kernel, ERR(EFAULT) },
	{ "read into read-only memory", read_readonly, ERR(EFAULT) },
	{ "read into untouched anonymous memory", read_lazy, VAL(4) },
	{ "clock_gettime into NULL", clock_null, ERR(EFAULT) },
	{ "clock_gettime into a kernel address", clock_kernel, ERR(EFAULT) },
	{ "clock_gettime into read-only memory", clock_readonly, ERR(EFAULT) },
	{ "clock_gettime into good memory", clock_good, VAL(0) },
	{ "uname into NULL", uname_null, ERR(EFAULT) },
	{ "uname into a kernel address", uname_kernel, ERR(EFAULT) },
	{ "openat path at a kernel address", openat_kernel, ERR(EFAULT) },
	{ "openat path in unmapped memory", openat_unmapped, ERR(EFAULT) },
	{ "fstat into NULL", fstat_null, ERR(EFAULT) },
	{ "fstat into a kernel address", fstat_kernel, ERR(EFAULT) },
};

static bool run_row(int n, const struct row *r)
{
	char g[64], e[128];
	long got;

	want = 0;
	broken = NULL;
	got = r->run();
	teardown();
	if (got == SETUP_FAILED) {
		out("not ok %d %s: %s\n", n, r->name, broken);
		return false;
	}
	if (!matches(r, got)) {
		out("not ok %d %s: got %s, expected %s\n", n, r->name,
		    show(got, g, sizeof(g)), expected(r, e, sizeof(e)));
		return false;
	}
	if (broken) {
		out("not ok %d %s: got %s, but check failed: %s\n", n, r->name,
		    show(got, g, sizeof(g)), broken);
		return false;
	}
	out("ok %d %s\n", n, r->name);
	return true;
}

/* Opens our own executable: argv[0] on Pagoda, /proc/self/exe as a fallback. */
static bool open_self(const char *argv0)
{
	struct stat st;

	self_path = argv0;
	self_fd = argv0 ? open(argv0, O_RDONLY) : -1;
	if (self_fd < 0) {
		self_path = "/proc/self/exe";
		self_fd = open(self_path, O_RDONLY);
	}
	if (self_fd < 0 || fstat(self_fd, &st))
		return false;
	self_size = st.st_size;
	return self_size > 0;
}

int main(int argc, char **argv)
{
	int i, passed = 0, failed = 0;
	int count = sizeof(rows) / sizeof(rows[0]);

	brk0 = sys_brk(0);
	if (!open_self(argc > 0 ? argv[0] : NULL)) {
		out("conformance: cannot open own executable\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (run_row(i + 1, &rows[i]))
			passed++;
		else
			failed++;
	}
	out("conformance: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
