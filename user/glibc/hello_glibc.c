/*
 * hello-glibc: a static riscv64 program built against glibc
 * (riscv64-linux-gnu-gcc -static), to check that the kernel runs a binary
 * it did not build. glibc's start-up reads the auxv, sets up TLS with brk,
 * calls set_tid_address, set_robust_list, prlimit64, readlinkat, getrandom
 * and mprotect (RELRO); its stdio does newfstatat(1, "", AT_EMPTY_PATH);
 * its malloc takes small blocks from brk and large ones (128 KiB and up)
 * from mmap. Fills and checks blocks of several sizes, then exits 0 iff
 * every byte read back as written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const size_t sizes[] = { 1, 24, 200, 4096, 100000, 4 << 20 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Fill @p with a pattern that depends on the block and the offset. */
static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static size_t count_bad(const unsigned char *p, size_t n, unsigned int seed)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += p[i] != (unsigned char)(i * 7 + seed);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned char *blocks[NSIZES];
	size_t bad = 0, total = 0;
	unsigned int i;

	printf("hello-glibc: pid %d, argc %d, argv[0] %s\n", getpid(), argc, argv[0]);
	for (i = 0; i < NSIZES; i++) {
		blocks[i] = malloc(sizes[i]);
		if (!blocks[i]) {
			printf("hello-glibc: malloc(%zu) failed\n", sizes[i]);
			return 1;
		}
		fill(blocks[i], sizes[i], i);
		total += sizes[i];
	}
	for (i = 0; i < NSIZES; i++) {
		bad += count_bad(blocks[i], sizes[i], i);
		free(blocks[i]);
	}
	printf("hello-glibc: %u blocks, %zu bytes, %zu bad\n", (unsigned int)NSIZES, total, bad);
	return bad != 0;
}
