/*
 * Pagoda libc: malloc, free, calloc, realloc.
 *
 * Every block starts with a 16-byte header (struct block) and its payload is
 * 16-byte aligned.
 *  - Small requests (below LARGE_MIN) are served from size classes. Each
 *    class has a free list; an empty list is refilled with a page's worth of
 *    blocks (at least one block) carved from the brk arena.
 *  - The brk arena is the range between the program break when malloc last
 *    grew it and the break now. It grows by ARENA_STEP or more at a time,
 *    always from the current break, so a program that moves the break with
 *    raw brk calls is never shrunk under its feet. If brk cannot grow, the
 *    arena continues in an anonymous mapping.
 *  - Large requests get their own anonymous mapping, returned with munmap
 *    on free and resized with mremap(MREMAP_MAYMOVE) by realloc.
 * Small blocks are never returned to the kernel. A free of a pointer whose
 * header is not that of a live block (double free, stray pointer) aborts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "internal.h"

#define PAGE        4096UL
#define LARGE_MIN   (64 * 1024UL)
#define ARENA_STEP  (64 * 1024UL)
#define MAGIC_LIVE  0x6c697665u         /* "live" */
#define MAGIC_FREE  0x66726565u         /* "free" */
#define CLASS_LARGE 0xffffffffu

struct block {
	size_t size;            /* payload capacity; for large: mapping length */
	uint32_t magic;
	uint32_t cls;           /* index into class_size[], or CLASS_LARGE */
};
_Static_assert(sizeof(struct block) == 16, "header keeps 16-byte alignment");

/* Payload capacities; the last must hold any request below LARGE_MIN. */
static const uint32_t class_size[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048,
	3072, 4096, 6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536,
};
#define NCLASS (sizeof(class_size) / sizeof(class_size[0]))
_Static_assert(65536 >= LARGE_MIN - 1, "last class covers small requests");

/* A free small block's payload holds the link to the next one. */
static struct block *free_list[NCLASS];
static char *arena_cur, *arena_end;

static uintptr_t round_up(uintptr_t v, uintptr_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static unsigned int class_of(size_t n)
{
	unsigned int c = 0;

	while (class_size[c] < n)
		c++;
	return c;
}

static __attribute__((noreturn)) void heap_corrupt(const char *what, void *p)
{
	fprintf(stderr, "%s: bad pointer %p\n", what, p);
	abort();
}

/* The header of @p, a pointer malloc returned; aborts if it is not live. */
static struct block *block_of(void *p, const char *caller)
{
	struct block *b = (struct block *)p - 1;

	if ((uintptr_t)p & 15)
		heap_corrupt(caller, p);
	if (b->magic == MAGIC_FREE)
		heap_corrupt(caller, p);        /* double free */
	if (b->magic != MAGIC_LIVE)
		heap_corrupt(caller, p);
	return b;
}

/*
 * Make room for @n more bytes in the arena: extend it if the break is still
 * where malloc left it, otherwise start a new arena at the current break
 * (the old remainder is abandoned). 0, or -ENOMEM.
 */
static int arena_grow(size_t n)
{
	size_t step = round_up(n > ARENA_STEP ? n : ARENA_STEP, PAGE);
	uintptr_t cur = __syscall1(SYS_brk, 0);
	uintptr_t start = (cur == (uintptr_t)arena_end) ? (uintptr_t)arena_cur
							 : round_up(cur, 16);
	uintptr_t want = round_up(start + step, PAGE);
	void *m;

	if ((uintptr_t)__syscall1(SYS_brk, want) >= want) {
		arena_cur = (char *)start;
		arena_end = (char *)want;
		return 0;
	}
	m = mmap(NULL, step, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -ENOMEM;
	arena_cur = m;
	arena_end = (char *)m + step;
	return 0;
}

/* Put a page's worth (at least one) of new blocks on class @c's list. */
static int class_refill(unsigned int c)
{
	size_t bsize = class_size[c] + sizeof(struct block);
	size_t count = bsize < PAGE ? PAGE / bsize : 1;
	struct block *b;

	if ((size_t)(arena_end - arena_cur) < count * bsize &&
	    arena_grow(count * bsize))
		return -ENOMEM;
	while (count--) {
		b = (struct block *)arena_cur;
		arena_cur += bsize;
		b->size = class_size[c];
		b->magic = MAGIC_FREE;
		b->cls = c;
		*(struct block **)(b + 1) = free_list[c];
		free_list[c] = b;
	}
	return 0;
}

static void *large_alloc(size_t n)
{
	size_t len;
	struct block *b;

	if (n > SIZE_MAX - sizeof(struct block) - PAGE) {
		errno = ENOMEM;
		return NULL;
	}
	len = round_up(n + sizeof(struct block), PAGE);
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->size = len;
	b->magic = MAGIC_LIVE;
	b->cls = CLASS_LARGE;
	return b + 1;
}

void *malloc(size_t n)
{
	unsigned int c;
	struct block *b;

	if (n >= LARGE_MIN)
		return large_alloc(n);
	c = class_of(n);
	if (!free_list[c] && class_refill(c)) {
		errno = ENOMEM;
		return NULL;
	}
	b = free_list[c];
	free_list[c] = *(struct block **)(b + 1);
	b->magic = MAGIC_LIVE;
	return b + 1;
}

void free(void *p)
{
	struct block *b;

	if (!p)
		return;
	b = block_of(p, "free");
	if (b->cls == CLASS_LARGE) {
		munmap(b, b->size);
		return;
	}
	b->magic = MAGIC_FREE;
	*(struct block **)p = free_list[b->cls];
	free_list[b->cls] = b;
}

void *calloc(size_t count, size_t size)
{
	size_t n;
	void *p;

	if (__builtin_mul_overflow(count, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n);
	/* A new mapping is already zero; recycled small blocks are not. */
	if (p && n < LARGE_MIN)
		memset(p, 0, n);
	return p;
}

/* Resize a large block in place or by moving its mapping. */
static void *large_resize(struct block *b, size_t n)
{
	size_t len;
	struct block *nb;

	if (n > SIZE_MAX - sizeof(struct block) - PAGE) {
		errno = ENOMEM;
		return NULL;
	}
	len = round_up(n + sizeof(struct block), PAGE);
	if (len == b->size)
		return b + 1;
	nb = mremap(b, b->size, len, MREMAP_MAYMOVE);
	if (nb == MAP_FAILED)
		return NULL;
	nb->size = len;
	return nb + 1;
}

void *realloc(void *p, size_t n)
{
	struct block *b;
	size_t keep;
	void *q;

	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	b = block_of(p, "realloc");
	if (b->cls == CLASS_LARGE && n >= LARGE_MIN)
		return large_resize(b, n);
	if (b->cls != CLASS_LARGE && n <= b->size)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	keep = b->cls == CLASS_LARGE ? b->size - sizeof(struct block) : b->size;
	memcpy(q, p, keep < n ? keep : n);
	free(p);
	return q;
}
