/*
 * What mm/as.c shares with mm/as_ops.c (the mmap family): VMA bookkeeping,
 * zapping with deferred frame frees, and filling pages.
 */
#ifndef MM_AS_INTERNAL_H
#define MM_AS_INTERNAL_H
#include <pagoda/as.h>

struct page;

/* A change's TLB flush, and what waits for it: the private frames it
 * unmapped and the VMAs it removed, released after the flush. */
struct as_batch {
	struct pm_flush fl;
	struct page *frames;
	struct as_vma *dead;
};
#define AS_BATCH_INIT { PM_FLUSH_INIT, NULL, NULL }

static inline struct as_vma *vma_of(struct vma *n)
{
	return (struct as_vma *)((char *)n - __builtin_offsetof(struct as_vma, node));
}

static inline unsigned long as_asid(const struct addr_space *as)
{
	return as->asid.gen_asid & 0xffff;
}

u64 as_pte_prot(u32 prot);

void as_batch_finish(struct addr_space *as, struct as_batch *b);

/* The backends (one file each) and how a new VMA gets one. */
extern const struct vma_ops anon_vma_ops, shm_vma_ops, file_vma_ops, linear_vma_ops;
void anon_setup(struct as_vma *v);
int shm_setup(struct as_vma *v, u64 size);      /* 0, -ENOMEM */
void file_setup(struct as_vma *v, const struct map_file *f, u64 off, u64 end);
void linear_setup(struct as_vma *v, paddr_t pa);

/* For a backend's fault: map @va of @v to a frame it owns (freed on
 * failure), or to a physical address it does not: 0, -EEXIST, -ENOMEM. */
int as_map_frame(struct addr_space *as, struct as_vma *v, vaddr_t va, struct page *p,
		 struct pm_flush *fl);
int as_map_pa(struct addr_space *as, struct as_vma *v, vaddr_t va, paddr_t pa,
	      struct pm_flush *fl);

/* VMAs: allocate (NULL without memory; for a split also NULL at
 * vm_max_map_count), give back one never inserted, insert (the range
 * must be free), remove and free. */
struct as_vma *as_vma_alloc(struct addr_space *as);
struct as_vma *as_vma_alloc_split(struct addr_space *as);
void as_vma_unused(struct addr_space *as, struct as_vma *v);
void as_vma_insert(struct addr_space *as, struct as_vma *v);
void as_vma_remove(struct addr_space *as, struct as_vma *v, struct as_batch *b);
void as_vma_set_prot(struct addr_space *as, struct as_vma *v, u32 prot);
void as_vma_advance(struct as_vma *v, u64 delta);
/* @n becomes a copy of @v at [start, end), with its own reference to the
 * backing; not in the tree yet. */
void as_vma_copy(struct as_vma *n, const struct as_vma *v, vaddr_t start, vaddr_t end);
void as_vma_split(struct addr_space *as, struct as_vma *v, vaddr_t addr, struct as_vma *n);
struct as_vma *as_vma_merge_around(struct addr_space *as, struct as_vma *v);
bool as_vma_part_joins(struct addr_space *as, struct as_vma *v, vaddr_t s, vaddr_t e,
		       u32 prot);

/* as_map_anon for callers that hold as->lock. */
int as_map_anon_locked(struct addr_space *as, vaddr_t start, u64 len, u32 prot);

void as_zap(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end,
	    struct as_batch *b);
int as_populate(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end);
#endif
