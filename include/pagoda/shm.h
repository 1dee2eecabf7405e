/*
 * shm: the object behind shared anonymous mappings. It holds pages by
 * index (page offset within the object) in a three-level radix of
 * 512-entry nodes, allocated as pages are added; every VMA viewing it
 * holds a reference, and the last reference frees its pages.
 * Locking (docs/locking.md): the views of one object may lie in several
 * address spaces (after as_fork), each under its own lock, so the object
 * has its own: (h) shm->lock, taken inside addr_space.lock, with slab and
 * zone locks inside it; (a) atomic; (c) constant after creation.
 */
#ifndef PAGODA_SHM_H
#define PAGODA_SHM_H
#include <pagoda/types.h>
#include <pagoda/spinlock.h>

struct page;
struct shm {
	u32 refs;                       /* (a) */
	struct spinlock lock;
	void **root;                    /* (h) NULL: empty */
	u64 pages;                      /* (h) pages held */
	u64 size;                       /* (c) bytes, page-aligned, fixed at creation:
					 * no page exists at or past it */
};

/* An empty object of @size bytes with one reference, or NULL. */
struct shm *shm_create(u64 size);
/* One reference more; one fewer, the last freeing the object (no view
 * left: no lock needed). */
void shm_get(struct shm *s);
void shm_put(struct shm *s);
/* The page at @idx; with @create a zeroed one is added when missing (NULL
 * then means out of memory). */
struct page *shm_page(struct shm *s, u64 idx, bool create);
#endif
