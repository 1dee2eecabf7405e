/*
 * init: the program `make run` starts. A short, printed tour of the memory
 * manager as a program sees it: lazy anonymous memory (mincore shows pages
 * arriving as they are touched), mprotect, mremap, brk, MADV_DONTNEED,
 * malloc, a file of the initramfs, and processes: workers forked onto every
 * hart at once, each with its own copy-on-write copy of the parent's
 * memory and a shared page they all see. Every step checks what it shows, so
 * init doubles as a smoke test: it exits 0 iff every check passed, and
 * names each one that did not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE    4096UL
#define NPAGES  16

static int checks, failures;

/* Count one check; print it (with errno, which explains most failures). */
static bool check(bool ok, const char *what)
{
	checks++;
	if (!ok) {
		failures++;
		printf("  FAILED: %s (errno %d)\n", what, errno);
	}
	return ok;
}
#define CHECK(cond) check((cond), #cond)

/* Print which of @n pages at @p are resident ('#') or not ('.'); the count
 * of resident pages, or -1 if mincore failed. */
static int show_resident(const char *label, void *p, unsigned int n)
{
	unsigned char vec[64];
	char line[65];
	int count = 0;
	unsigned int i;

	if (!CHECK(n <= sizeof(vec) && mincore(p, n * PAGE, vec) == 0))
		return -1;
	for (i = 0; i < n; i++) {
		line[i] = (vec[i] & 1) ? '#' : '.';
		count += vec[i] & 1;
	}
	line[n] = '\0';
	printf("  %-26s %s  (%d of %u resident)\n", label, line, count, n);
	return count;
}

static char *tour_lazy_mmap(void)
{
	char *p;

	printf("\n1. Anonymous memory is allocated lazily\n");
	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(p != MAP_FAILED))
		return NULL;
	printf("  mmap(%lu KiB, rw, anonymous) = %p\n", NPAGES * PAGE / 1024, p);
	CHECK(show_resident("after mmap:", p, NPAGES) == 0);
	p[0] = 1;
	p[3 * PAGE + 100] = 3;
	p[7 * PAGE + PAGE - 1] = 7;
	CHECK(show_resident("after writing pages 0,3,7:", p, NPAGES) == 3);
	return p;
}

static void tour_mprotect(char *p)
{
	printf("\n2. mprotect changes access, not contents\n");
	CHECK(mprotect(p, NPAGES * PAGE, PROT_READ) == 0);
	printf("  mprotect(read-only): page 3 still reads %d\n", p[3 * PAGE + 100]);
	CHECK(p[3 * PAGE + 100] == 3);
	CHECK(mprotect(p, NPAGES * PAGE, PROT_READ | PROT_WRITE) == 0);
	p[3 * PAGE + 101] = 4;
	printf("  mprotect(read-write): page 3 written again\n");
	CHECK(p[3 * PAGE + 101] == 4);
}

static char *tour_mremap(char *p)
{
	char *q;

	printf("\n3. mremap grows a mapping, moving it if it must\n");
	q = mremap(p, NPAGES * PAGE, 2 * NPAGES * PAGE, MREMAP_MAYMOVE);
	if (!CHECK(q != MAP_FAILED))
		return p;
	printf("  mremap(%lu KiB -> %lu KiB) = %p (%s)\n", NPAGES * PAGE / 1024,
	       2 * NPAGES * PAGE / 1024, q, q == p ? "grown in place" : "moved");
	CHECK(q[0] == 1 && q[3 * PAGE + 100] == 3 && q[7 * PAGE + PAGE - 1] == 7);
	CHECK(q[NPAGES * PAGE + 5] == 0);
	printf("  old contents kept, new pages read zero\n");
	return q;
}

static void tour_dontneed(char *q)
{
	int before;

	printf("\n4. MADV_DONTNEED drops pages; they come back zero\n");
	/* Reading page 16 above mapped it too (read-only, zero-filled). */
	before = show_resident("before:", q, 2 * NPAGES);
	memset(q + 8 * PAGE, 0x5a, 4 * PAGE);
	CHECK(show_resident("after filling pages 8-11:", q, 2 * NPAGES) == before + 4);
	CHECK(madvise(q + 8 * PAGE, 4 * PAGE, MADV_DONTNEED) == 0);
	CHECK(show_resident("after MADV_DONTNEED 8-11:", q, 2 * NPAGES) == before);
	printf("  page 9 now reads %d (was 0x5a)\n", q[9 * PAGE]);
	CHECK(q[9 * PAGE] == 0 && q[11 * PAGE + PAGE - 1] == 0);
	CHECK(q[3 * PAGE + 100] == 3);
	CHECK(munmap(q, 2 * NPAGES * PAGE) == 0);
	errno = 0;
	CHECK(mincore(q, PAGE, (unsigned char[1]){ 0 }) == -1 && errno == ENOMEM);
	printf("  munmap; mincore on the hole now fails with ENOMEM\n");
}

static void tour_brk(void)
{
	uintptr_t b0, b1, b2;

	printf("\n5. brk moves the end of the heap\n");
	b0 = syscall(SYS_brk, 0);
	b1 = syscall(SYS_brk, b0 + 64 * 1024);
	printf("  brk(0) = %#lx, brk(+64 KiB) = %#lx\n", (unsigned long)b0,
	       (unsigned long)b1);
	if (!CHECK(b1 == b0 + 64 * 1024))
		return;
	((char *)b1)[-1] = 42;
	CHECK(((char *)b1)[-1] == 42);
	b2 = syscall(SYS_brk, b0);
	printf("  last byte written and read back; brk(back) = %#lx\n",
	       (unsigned long)b2);
	CHECK(b2 == b0);
}

static void tour_malloc(void)
{
	static const size_t sizes[] = { 24, 1000, 50000, 1 << 20 };
	uintptr_t heap_end = syscall(SYS_brk, 0);
	unsigned char *p;
	unsigned int i;

	printf("\n6. malloc: small blocks from brk pages, large ones mmapped\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = malloc(sizes[i]);
		if (!CHECK(p != NULL))
			continue;
		heap_end = syscall(SYS_brk, 0);
		printf("  malloc(%7zu) = %p  %s\n", sizes[i], p,
		       (uintptr_t)p < heap_end ? "below the break" : "in a mapping");
		CHECK(((uintptr_t)p & 15) == 0);
		CHECK(((uintptr_t)p < heap_end) == (sizes[i] < 64 * 1024));
		memset(p, 0xa5, sizes[i]);
		CHECK(p[0] == 0xa5 && p[sizes[i] - 1] == 0xa5);
		free(p);
	}
}

static void tour_file(const char *path)
{
	unsigned char magic[4];
	struct stat st;
	int fd;

	printf("\n7. Files come from the initramfs\n");
	fd = open(path, O_RDONLY);
	if (!CHECK(fd >= 0))
		return;
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0);
	CHECK(read(fd, magic, 4) == 4);
	printf("  %s: %ld bytes, starts with %02x '%c%c%c'\n", path, (long)st.st_size,
	       magic[0], magic[1], magic[2], magic[3]);
	CHECK(!memcmp(magic, "\177ELF", 4));
	CHECK(lseek(fd, 0, SEEK_END) == st.st_size);
	CHECK(close(fd) == 0);
}

static void tour_clock(void)
{
	struct timespec a, b;

	printf("\n8. Clocks\n");
	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	printf("  CLOCK_MONOTONIC: %ld.%09ld s since boot\n", (long)b.tv_sec, b.tv_nsec);
}

#define WORKERS 8
#define SPIN    2000000UL

/* What each worker leaves in the shared page. */
struct worker_report {
	unsigned int harts;             /* bit per hart it ran on */
	long start_ns, end_ns;
	unsigned char saw, wrote;       /* the private byte it found, then wrote */
};

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static unsigned int this_hart(void)
{
	unsigned int cpu = 0;

	syscall(SYS_getcpu, &cpu, 0, 0);
	return cpu;
}

/* A worker: spin (the scheduler spreads the workers over the harts and
 * preempts them), noting each hart it finds itself on; write its own
 * value over the parent's private byte. */
static int worker(int i, struct worker_report *r, volatile unsigned char *priv)
{
	unsigned long n;

	r->start_ns = now_ns();
	r->saw = *priv;
	*priv = (unsigned char)(0x40 + i);     /* copy on write: the parent keeps its own */
	r->wrote = *priv;
	for (n = 0; n < SPIN; n++)
		if (!(n & 0xffff))
			r->harts |= 1u << (this_hart() & 31);
	r->end_ns = now_ns();
	return 0;
}

/* Whether two workers' runs overlapped in time: they ran at once. */
static bool overlapped(const struct worker_report *r)
{
	int a, b;

	for (a = 0; a < WORKERS; a++)
		for (b = a + 1; b < WORKERS; b++)
			if (r[a].start_ns < r[b].end_ns && r[b].start_ns < r[a].end_ns)
				return true;
	return false;
}

static void tour_processes(void)
{
	struct worker_report *rep = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	static unsigned char priv = 0x11;
	unsigned int harts = 0, h;
	int i, status, ok = 0, cow = 0;
	pid_t pid[WORKERS];

	printf("\n9. Processes: workers on every hart, copy-on-write, shared memory\n");
	if (!CHECK(rep != MAP_FAILED))
		return;
	for (i = 0; i < WORKERS; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(worker(i, &rep[i], &priv));
	}
	for (i = 0; i < WORKERS; i++) {
		if (pid[i] > 0 && waitpid(pid[i], &status, 0) == pid[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
		cow += rep[i].saw == 0x11 && rep[i].wrote == 0x40 + i;
		harts |= rep[i].harts;
	}
	printf("  %d workers forked, %d exited 0; harts they ran on:", WORKERS, ok);
	for (h = 0; h < 32; h++)
		if (harts & (1u << h))
			printf(" %u", h);
	printf("\n  some ran at the same time: %s\n", overlapped(rep) ? "yes" : "no");
	printf("  each found the parent's 0x11 and wrote its own: %d of %d; the parent still reads 0x%x\n",
	       cow, WORKERS, priv);
	CHECK(ok == WORKERS);
	CHECK(cow == WORKERS);
	CHECK(priv == 0x11);
	munmap(rep, PAGE);
}

int main(int argc, char **argv)
{
	char *p;
	int i;

	printf("Pagoda: user mode is up. This is %s, pid %d.\n",
	       argc > 0 ? argv[0] : "init", getpid());
	for (i = 0; i < argc; i++)
		printf("  argv[%d] = \"%s\"\n", i, argv[i]);

	p = tour_lazy_mmap();
	if (p) {
		tour_mprotect(p);
		p = tour_mremap(p);
		tour_dontneed(p);
	}
	tour_brk();
	tour_malloc();
	tour_file(argc > 0 && argv[0][0] == '/' ? argv[0] : "/init");
	tour_clock();
	tour_processes();

	if (failures) {
		printf("\ninit: %d of %d checks FAILED\n", failures, checks);
		return 1;
	}
	printf("\ninit: all %d checks passed\n", checks);
	return 0;
}
