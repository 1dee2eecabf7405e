/*
 * bench: guest instructions per memory-management operation, per clock
 * reading through the vDSO and through the system call, and per process,
 * copy-on-write and signal operation (the cases of procbench.c, defined
 * as there so that the figures compare with Linux's), seen from a user
 * program. Each measurement reads the instret CSR around a loop of
 * operations, subtracts what the same number of empty loop iterations
 * costs, and divides by the number of operations. Under QEMU with
 * -icount shift=0,sleep=off the count is exact and covers everything the
 * operation runs: the user side, the kernel and the firmware.
 *
 * Output: one line `bench user_NAME VALUE` per measurement, then
 * `bench user_done`. A measurement whose set-up fails prints
 * `bench: NAME: ...` instead of a value, and the exit status is then 1.
 * Run as `bench @`, the program exits at once with 0: execve_exit runs
 * it that way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE     4096UL
#define ITERS    1000           /* operations per measurement */
#define RW       (PROT_READ | PROT_WRITE)
#define ANON     (MAP_PRIVATE | MAP_ANONYMOUS)

/* Operations of the process cases: procbench.c's counts. */
#define FORK_OPS      2000      /* fork_exit_wait */
#define FORK_16M_OPS  1000      /* fork_exit_wait_16m */
#define EXEC_OPS      1000      /* execve_exit */
#define BIG_PAGES     4096      /* 16 MiB: the 16m fork and the COW cases */
#define COW_ROUNDS    4         /* children writing all of BIG_PAGES */
#define ZERO_ROUNDS   4         /* fresh BIG_PAGES regions read, then written */
#define YIELD_OPS     10000
#define SIGNAL_OPS    5000
#define SEGV_PAGES    4096

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

/* The instret of writing one byte to each of @npages pages at @p. */
static uint64_t time_page_writes(char *p, unsigned long npages)
{
	uint64_t t0 = rdinstret();
	unsigned long i;

	for (i = 0; i < npages; i++) {
		p[i * PAGE] = 1;
		barrier();
	}
	return rdinstret() - t0;
}

/* The instret of reading one byte of each of @npages pages at @p. */
static uint64_t time_page_reads(const char *p, unsigned long npages)
{
	uint64_t t0 = rdinstret();
	unsigned long i;

	for (i = 0; i < npages; i++) {
		(void)((const volatile char *)p)[i * PAGE];
		barrier();
	}
	return rdinstret() - t0;
}

/* @rounds times, a fresh anonymous region of @npages pages: add to *@reads
 * the instret of a first read of each page (none if @reads is NULL), and
 * to *@writes that of the write after it. false, after fail(@name), if
 * mmap failed. */
static bool time_fresh_faults(const char *name, unsigned long npages,
			      unsigned long rounds, uint64_t *reads,
			      uint64_t *writes)
{
	unsigned long r;
	char *p;

	for (r = 0; r < rounds; r++) {
		p = map_rw(npages * PAGE);
		if (!p) {
			fail(name, "mmap");
			return false;
		}
		if (reads)
			*reads += time_page_reads(p, npages);
		*writes += time_page_writes(p, npages);
		munmap(p, npages * PAGE);
	}
	return true;
}

/* A write fault on a fresh anonymous page, per page. */
static void bench_page_fault(void)
{
	const unsigned long npages = 256, rounds = 4;
	uint64_t total = 0;

	if (time_fresh_faults("page_fault", npages, rounds, NULL, &total))
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

/* ---- the vDSO's clock_gettime ------------------------------------------ */

/* What the lookup reads of the ELF format (<elf.h>'s Elf64_Ehdr, _Phdr,
 * _Dyn, _Sym), which our libc does not have. */
struct elf_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
struct elf_dyn {
	int64_t tag;
	uint64_t val;
};
struct elf_sym {
	uint32_t name;
	unsigned char info, other;
	uint16_t shndx;
	uint64_t value, size;
};
#define PT_DYNAMIC 2
#define DT_HASH    4
#define DT_STRTAB  5
#define DT_SYMTAB  6

typedef int (*clock_fn)(clockid_t, struct timespec *);

/* The vDSO's @name (linked at 0, so its value is its offset), or NULL. */
static void *vdso_lookup(const char *name)
{
	const struct elf_ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const struct elf_phdr *ph;
	const struct elf_dyn *d = NULL;
	const struct elf_sym *sym = NULL;
	const uint32_t *hash = NULL;
	const char *str = NULL;
	uintptr_t base = (uintptr_t)eh;
	uint32_t i;

	if (!eh)
		return NULL;
	ph = (const void *)(base + eh->phoff);
	for (i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_DYNAMIC)
			d = (const void *)(base + ph[i].vaddr);
	for (; d && d->tag; d++) {
		if (d->tag == DT_HASH)
			hash = (const void *)(base + d->val);
		else if (d->tag == DT_STRTAB)
			str = (const void *)(base + d->val);
		else if (d->tag == DT_SYMTAB)
			sym = (const void *)(base + d->val);
	}
	for (i = 1; hash && str && sym && i < hash[1]; i++)
		if (sym[i].shndx && !strcmp(str + sym[i].name, name))
			return (void *)(base + sym[i].value);
	return NULL;
}

/* CLOCK_MONOTONIC read by @get, per call. */
static void bench_clock(const char *name, clock_fn get)
{
	struct timespec ts;
	uint64_t t0, t1;
	unsigned int i;

	t0 = rdinstret();
	for (i = 0; i < ITERS; i++) {
		get(CLOCK_MONOTONIC, &ts);
		barrier();
	}
	t1 = rdinstret();
	report(name, t1 - t0, ITERS, ITERS);
}

static void bench_clock_gettime(void)
{
	clock_fn vdso = (clock_fn)vdso_lookup("__vdso_clock_gettime");

	if (!vdso)
		return fail("clock_gettime_vdso", "finding __vdso_clock_gettime");
	bench_clock("clock_gettime_vdso", vdso);
	bench_clock("clock_gettime_syscall", clock_gettime);
}

/* ---- processes, copy-on-write and signals ------------------------------ */

static const char *self_path;   /* argv[0]: this program, for execve_exit */

/* Copy-on-write memory and where a child leaves its figure: a MAP_SHARED
 * page, as there are no pipes. */
struct cow {
	char *mem;                  /* BIG_PAGES, touched by the parent */
	volatile uint64_t *insns;   /* the child's instret of its writes */
};

/* fork_exit_wait's child: it exits at once. */
static void child_exit(void *arg)
{
	(void)arg;
	_exit(0);
}

/* execve_exit's child: this program again, which exits at once on "@". */
static void child_exec_self(void *arg)
{
	char *argv[] = { (char *)self_path, "@", NULL };
	char *envp[] = { NULL };

	(void)arg;
	execve(self_path, argv, envp);
	_exit(127);
}

/* cow_fault's child: its first write to each page it shares with the
 * parent, timed and left in the shared page. */
static void child_cow_write(void *arg)
{
	struct cow *cow = arg;

	*cow->insns = time_page_writes(cow->mem, BIG_PAGES);
	_exit(0);
}

/* Fork, run @child(@arg) in the child (it exits), wait for it. false, with
 * @name's failure printed, if fork or wait4 failed or the child's status
 * is not a plain exit with 0. */
static bool fork_run_wait(const char *name, void (*child)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		child(arg);
	if (pid < 0) {
		fail(name, "fork");
		return false;
	}
	if (waitpid(pid, &status, 0) != pid) {
		fail(name, "wait4");
		return false;
	}
	if (status) {
		printf("bench: %s: child's wait status 0x%x\n", name, status);
		failed = 1;
	}
	return !status;
}

/* fork, @child in the child, wait4 in the parent; per round trip. */
static void bench_fork(const char *name, unsigned long ops,
		       void (*child)(void *))
{
	uint64_t t0, t1;
	unsigned long i;

	t0 = rdinstret();
	for (i = 0; i < ops; i++)
		if (!fork_run_wait(name, child, NULL))
			return;
	t1 = rdinstret();
	report(name, t1 - t0, ops, ops);
}

/* cow_fault: COW_ROUNDS children each write every page of @cow->mem, still
 * shared with the parent (a copy), per page. cow_reuse_fault: then the
 * parent writes them, its children gone (no copy), per page. */
static void bench_cow_faults(struct cow *cow)
{
	const unsigned long faults = COW_ROUNDS * BIG_PAGES;
	uint64_t total = 0;
	unsigned long r;

	for (r = 0; r < COW_ROUNDS; r++) {
		*cow->insns = 0;
		if (!fork_run_wait("cow_fault", child_cow_write, cow))
			return;
		total += *cow->insns;
	}
	report("cow_fault", total, faults, faults);
	total = time_page_writes(cow->mem, BIG_PAGES);
	report("cow_reuse_fault", total, BIG_PAGES, BIG_PAGES);
}

/* The cases with 16 MiB of touched private memory in the parent, in
 * procbench's order: fork_exit_wait_16m leaves the pages write-protected
 * in the parent, as the COW cases find them on Linux. */
static void bench_big_parent(void)
{
	struct cow cow = { .mem = map_rw(BIG_PAGES * PAGE) };
	void *shared = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (!cow.mem || shared == MAP_FAILED)
		return fail("fork_exit_wait_16m", "mmap");
	cow.insns = shared;
	touch_pages(cow.mem, BIG_PAGES);
	bench_fork("fork_exit_wait_16m", FORK_16M_OPS, child_exit);
	bench_cow_faults(&cow);
	munmap(shared, PAGE);
	munmap(cow.mem, BIG_PAGES * PAGE);
}

/* The first read of a fresh anonymous page (it maps the zero page), and
 * the first write after it (a private page replaces it); per page. */
static void bench_zero_page(void)
{
	const unsigned long faults = ZERO_ROUNDS * BIG_PAGES;
	uint64_t reads = 0, writes = 0;

	if (!time_fresh_faults("zero_page_read_fault", BIG_PAGES, ZERO_ROUNDS,
			       &reads, &writes))
		return;
	report("zero_page_read_fault", reads, faults, faults);
	report("zero_page_write_fault", writes, faults, faults);
}

/* sched_yield with nothing else runnable. */
static void bench_sched_yield(void)
{
	uint64_t t0, t1;
	unsigned int i;

	t0 = rdinstret();
	for (i = 0; i < YIELD_OPS; i++)
		if (sched_yield())
			return fail("sched_yield", "sched_yield");
	t1 = rdinstret();
	report("sched_yield", t1 - t0, YIELD_OPS, YIELD_OPS);
}

static volatile unsigned long signals_caught;

/* @fn (SA_SIGINFO) as @sig's handler, or SIG_DFL if @fn is NULL. */
static int set_handler(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = {
		.sa_sigaction = fn,
		.sa_flags = fn ? SA_SIGINFO : 0,
	};

	return sigaction(sig, &sa, NULL);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	signals_caught++;
}

/* SIGSEGV from a write to a read-only page: make the page writable; the
 * write runs again when the handler returns. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	uintptr_t page = (uintptr_t)si->si_addr & ~(PAGE - 1);

	(void)sig, (void)uc;
	if (mprotect((void *)page, PAGE, RW)) {
		fail("segv_handler", "mprotect in the handler");
		exit(1);
	}
	signals_caught++;
}

/* tgkill to itself, the handler, rt_sigreturn; per signal. */
static void bench_signal_deliver(void)
{
	const char *name = "signal_deliver";
	pid_t pid = getpid(), tid = gettid();
	uint64_t t0, t1;
	unsigned int i;

	if (set_handler(SIGUSR1, on_usr1))
		return fail(name, "sigaction");
	signals_caught = 0;
	t0 = rdinstret();
	for (i = 0; i < SIGNAL_OPS; i++)
		if (syscall(SYS_tgkill, pid, tid, SIGUSR1))
			return fail(name, "tgkill");
	t1 = rdinstret();
	set_handler(SIGUSR1, NULL);
	if (signals_caught != SIGNAL_OPS)
		return fail(name, "delivering every signal");
	report(name, t1 - t0, SIGNAL_OPS, SIGNAL_OPS);
}

/* A write to a populated read-only page, the SIGSEGV handler making it
 * writable, the write again; per page. */
static void bench_segv_handler(void)
{
	const char *name = "segv_handler";
	char *p = map_rw(SEGV_PAGES * PAGE);
	uint64_t insns;

	if (!p)
		return fail(name, "mmap");
	touch_pages(p, SEGV_PAGES);
	if (mprotect(p, SEGV_PAGES * PAGE, PROT_READ))
		return fail(name, "mprotect");
	if (set_handler(SIGSEGV, on_segv))
		return fail(name, "sigaction");
	signals_caught = 0;
	insns = time_page_writes(p, SEGV_PAGES);
	set_handler(SIGSEGV, NULL);
	if (signals_caught != SEGV_PAGES)
		return fail(name, "a signal per page");
	report(name, insns, SEGV_PAGES, SEGV_PAGES);
	munmap(p, SEGV_PAGES * PAGE);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "@"))
		return 0;
	self_path = argv[0];
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
	bench_clock_gettime();
	bench_fork("fork_exit_wait", FORK_OPS, child_exit);
	bench_fork("execve_exit", EXEC_OPS, child_exec_self);
	bench_sched_yield();
	bench_signal_deliver();
	bench_segv_handler();
	bench_big_parent();
	bench_zero_page();
	printf("bench user_done\n");
	return failed;
}
