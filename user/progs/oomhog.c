/*
 * oomhog: two memory hogs, to check that running out of memory kills the
 * process that holds the most, with SIGKILL, and leaves the others alone.
 *
 * Usage: oomhog A_MIB B_MIB      (e.g. oomhog 200 24 on a 128 MiB machine)
 *
 * The order of events is fixed, whatever the scheduling:
 *  1. the parent forks hog B, which maps B_MIB MiB of private anonymous
 *     memory, writes every page, and says it is ready in a shared page;
 *  2. the parent then forks hog A, which maps and writes A_MIB MiB one MiB
 *     at a time, publishing how far it got: on a machine with less free
 *     memory than that, the out-of-memory killer must end it with SIGKILL;
 *  3. when A has ended, the parent says so in the shared page; B checks
 *     every page of its memory and exits 0, or 1 if a page changed;
 *  4. the parent prints a line per hog, then the verdict.
 *
 * Output, on a machine too small for A:
 *   oomhog: hog B (24 MiB): ready
 *   oomhog: hog A (200 MiB): killed by signal 9
 *   oomhog: hog A had written 93 MiB
 *   oomhog: hog B (24 MiB): exit 0
 *   oomhog: ok
 * Every line is the same from run to run except the third's figure. Exit
 * status 0 iff A was killed by SIGKILL and B exited 0. A hog exits 0 when
 * it got all its memory (the machine was large enough) and 2 when mmap
 * refused it (a kernel that does not overcommit).
 *
 * A maps its memory in 1 MiB steps: Linux's default overcommit heuristic
 * refuses a single mapping larger than RAM and swap together. With swap
 * (rvlinux has none: SwapTotal 0), A_MIB must exceed RAM plus swap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG	4096UL
#define MIB	(1UL << 20)
#define RW	(PROT_READ | PROT_WRITE)

/* The shared page: each field has one writer. */
struct board {
	uint32_t b_ready;	/* B: its memory is written */
	uint32_t a_ended;	/* the parent: A has been reaped */
	uint32_t a_mib;		/* A: MiB written so far */
};

static struct board *board;

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static uint64_t page_value(uintptr_t page)
{
	return page * 0x9E3779B97F4A7C15ULL + 1;
}

/* Writes the first and the last word of every page of [p, p+len). */
static void fill(char *p, size_t len)
{
	uintptr_t k;

	for (k = 0; k < len / PG; k++) {
		volatile uint64_t *w = (volatile uint64_t *)(p + k * PG);

		w[0] = page_value(k);
		w[PG / 8 - 1] = ~page_value(k);
	}
}

/* The page of [p, p+len) that does not hold what fill wrote, or -1. */
static long find_changed(const char *p, size_t len)
{
	uintptr_t k;

	for (k = 0; k < len / PG; k++) {
		const volatile uint64_t *w =
			(const volatile uint64_t *)(p + k * PG);

		if (w[0] != page_value(k) || w[PG / 8 - 1] != ~page_value(k))
			return (long)k;
	}
	return -1;
}

static char *map_private(size_t len)
{
	void *p = mmap(NULL, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Hog A: grows one MiB at a time until it has @mib or is killed. */
static __attribute__((noreturn)) void hog_a(unsigned mib)
{
	unsigned k;

	for (k = 0; k < mib; k++) {
		char *p = map_private(MIB);

		if (!p)
			_exit(2);
		fill(p, MIB);
		__atomic_store_n(&board->a_mib, k + 1, __ATOMIC_RELEASE);
	}
	_exit(0);
}

/* Hog B: takes @mib, says it is ready, checks it all once A has ended. */
static __attribute__((noreturn)) void hog_b(unsigned mib)
{
	size_t len = (size_t)mib * MIB;
	char *p = map_private(len);
	long bad;

	if (!p)
		_exit(2);
	fill(p, len);
	__atomic_store_n(&board->b_ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&board->a_ended, __ATOMIC_ACQUIRE))
		pause_ms(10);
	bad = find_changed(p, len);
	if (bad >= 0) {
		printf("oomhog: hog B: page %ld changed while A ran\n", bad);
		exit(1);
	}
	exit(0);
}

static pid_t spawn(void (*hog)(unsigned), unsigned mib)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("oomhog: fork: errno %d\n", errno);
		exit(1);
	}
	if (pid == 0)
		hog(mib);
	return pid;
}

static void print_status(char name, unsigned mib, int st)
{
	if (WIFSIGNALED(st))
		printf("oomhog: hog %c (%u MiB): killed by signal %d\n", name,
		       mib, WTERMSIG(st));
	else
		printf("oomhog: hog %c (%u MiB): exit %d\n", name, mib,
		       WEXITSTATUS(st));
}

static void reap(pid_t pid, int *st)
{
	if (waitpid(pid, st, 0) != pid) {
		printf("oomhog: waitpid: errno %d\n", errno);
		exit(1);
	}
}

/* Waits until B is ready; 0, or B's status if it ended first. */
static int wait_ready(pid_t b, int *st)
{
	while (!__atomic_load_n(&board->b_ready, __ATOMIC_ACQUIRE)) {
		if (waitpid(b, st, WNOHANG) == b)
			return -1;
		pause_ms(10);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned a_mib, b_mib;
	pid_t a, b;
	int sa, sb;

	if (argc != 3) {
		printf("usage: oomhog A_MIB B_MIB\n");
		return 2;
	}
	a_mib = strtoul(argv[1], NULL, 0);
	b_mib = strtoul(argv[2], NULL, 0);
	board = mmap(NULL, PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (board == MAP_FAILED) {
		printf("oomhog: mmap of the shared page: errno %d\n", errno);
		return 1;
	}
	b = spawn(hog_b, b_mib);
	if (wait_ready(b, &sb)) {
		print_status('B', b_mib, sb);
		return 1;
	}
	printf("oomhog: hog B (%u MiB): ready\n", b_mib);
	a = spawn(hog_a, a_mib);
	reap(a, &sa);
	__atomic_store_n(&board->a_ended, 1, __ATOMIC_RELEASE);
	print_status('A', a_mib, sa);
	printf("oomhog: hog A had written %u MiB\n", board->a_mib);
	reap(b, &sb);
	print_status('B', b_mib, sb);
	if (!WIFSIGNALED(sa) || WTERMSIG(sa) != SIGKILL || sb != 0) {
		printf("oomhog: not ok: A must be killed by SIGKILL, B exit 0\n");
		return 1;
	}
	printf("oomhog: ok\n");
	return 0;
}
