/*
 * What mm/as.c shares with mm/as_ops.c (the mmap family): VMA bookkeeping,
 * zapping with deferred frame frees, and filling pages.
 */
#ifndef MM_AS_INTERNAL_H
#define MM_AS_INTERNAL_H
#include <pagoda/as.h>

struct page;

/* A change's TLB flush, and the private frames to free after it. */
struct as_batch {
	struct pm_flush fl;
	struct page *frames;
};
#define AS_BATCH_INIT { PM_FLUSH_INIT, NULL }

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
void as_batch_free_frames(struct as_batch *b);

/* VMAs: allocate (NULL without memory; for a split also NULL at
 * vm_max_map_count), give back one never inserted, insert (the range
 * must be free), remove and free. */
struct as_vma *as_vma_alloc(struct addr_space *as);
struct as_vma *as_vma_alloc_split(struct addr_space *as);
void as_vma_unused(struct addr_space *as, struct as_vma *v);
void as_vma_insert(struct addr_space *as, struct as_vma *v);
void as_vma_remove(struct addr_space *as, struct as_vma *v);
void as_vma_set_prot(struct addr_space *as, struct as_vma *v, u32 prot);
void as_vma_advance(struct as_vma *v, u64 delta);
void as_vma_split(struct addr_space *as, struct as_vma *v, vaddr_t addr, struct as_vma *n);
struct as_vma *as_vma_merge_around(struct addr_space *as, struct as_vma *v);
bool as_vma_part_joins(struct addr_space *as, struct as_vma *v, vaddr_t s, vaddr_t e,
		       u32 prot);

void as_zap(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end,
	    struct as_batch *b);
int as_fill(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_flush *fl);
int as_populate(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end);
#endif
