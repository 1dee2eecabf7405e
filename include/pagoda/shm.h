/*
 * shm: the object behind shared anonymous mappings. It holds pages by
 * index (page offset within the object) in a three-level radix of
 * 512-entry nodes, allocated as pages are added; every VMA viewing it
 * holds a reference, and the last reference frees its pages.
 * Locking: (m) of the one address space whose VMAs view it (objects are
 * not shared between processes yet: fork must give them a lock of their own).
 */
#ifndef PAGODA_SHM_H
#define PAGODA_SHM_H
#include <pagoda/types.h>

struct page;
struct shm {
	u32 refs;                       /* (m) */
	void **root;                    /* (m) NULL: empty */
	u64 pages;                      /* (m) pages held */
	u64 size;                       /* (c) bytes, page-aligned, fixed at creation:
					 * no page exists at or past it */
};

/* An empty object of @size bytes with one reference, or NULL. */
struct shm *shm_create(u64 size);
void shm_get(struct shm *s);
void shm_put(struct shm *s);
/* The page at @idx; with @create a zeroed one is added when missing (NULL
 * then means out of memory). */
struct page *shm_page(struct shm *s, u64 idx, bool create);
#endif
