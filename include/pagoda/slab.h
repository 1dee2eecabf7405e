/*
 * slab and kmalloc.
 *
 * kmalloc(size) serves 1 B .. 1 MiB in blocks of the next power of two (at
 * least 32 B), aligned to their size. Up to 2 KiB they come from slab
 * caches of one 4 KiB page per slab; above, straight from the buddy
 * allocator. Each hart keeps a short free list per size class (in its
 * struct hart), so the common kmalloc/kfree takes no lock.
 *
 * Lock order: kmem_cache->lock, then zone->lock.
 */
#ifndef PAGODA_SLAB_H
#define PAGODA_SLAB_H

#include <pagoda/types.h>
#include <pagoda/spinlock.h>

#define KMALLOC_MIN_SHIFT       5
#define KMALLOC_SMALL_MAX       2048
#define KMALLOC_CLASSES         7       /* 32 .. 2048 */
#define KMALLOC_MAX             (1u << 20)
#define KMEM_CPU_BATCH          16
#define KMEM_CPU_HIGH           32

typedef unsigned int gfp_t;

struct kmem_cpu {                       /* a hart's free objects of one class */
	void *head;                     /* linked through the object's first word */
	u32 count;
};

struct page;
struct kmem_cache {
	struct spinlock lock;           /* (k) */
	u64 align_mask;                 /* (c) size - 1 */
	u32 size;                       /* (c) object size, a power of two */
	u32 cls;                        /* (c) index in the size classes */
	u32 objs_per_slab;              /* (c) */
	struct page *partial;           /* (k) slabs with free objects */
	u64 nr_slabs;                   /* (k) */
	u64 free_objs;                  /* (k) objects on slab free lists */
};

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* Give this hart's cached objects back to their slabs (exact accounting). */
void kmem_drain_local(void);

struct kmem_stat {
	u64 slabs;                      /* slab pages */
	u64 used_bytes;                 /* objects handed out */
	u64 free_bytes;                 /* free objects inside slab pages */
};
void kmem_stat(struct kmem_stat *st);
#endif
