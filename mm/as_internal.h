/*
 * What mm/as.c shares with mm/as_ops.c (the mmap family), mm/cow.c and
 * the backends: VMA bookkeeping, zapping with deferred frame frees,
 * filling pages, frame references and the zero page.
 */
#ifndef MM_AS_INTERNAL_H
#define MM_AS_INTERNAL_H
#include <pagoda/as.h>
#include <pagoda/buddy.h>
#include <asm/page.h>

struct page;

/*
 * A change's TLB flush, and what waits for it: the VMAs it removed and the
 * private frames it unmapped, released after the flush. A frame only this
 * space maps (refcount 1) is freed, linked through its page->next; one
 * that other spaces map too may sit on their batches at the same time, so
 * it is held by pointer instead, in pages of pointers (shared; nshared in
 * the first), and only loses this space's reference after the flush.
 */
struct as_batch {
	struct pm_flush fl;
	struct page *frames;
	struct page *shared;
	u64 nshared;
	struct as_vma *dead;
};
#define AS_BATCH_INIT { PM_FLUSH_INIT, NULL, NULL, 0, NULL }

static inline struct as_vma *vma_of(struct vma *n)
{
	return (struct as_vma *)((char *)n - __builtin_offsetof(struct as_vma, node));
}

static inline unsigned long as_asid(const struct addr_space *as)
{
	return as->asid.gen_asid & 0xffff;
}

/* The PTE permission bits of a VMA with protection @prot (PROT_*). */
extern const u64 as_pte_prots[8];
static inline u64 as_pte_prot(u32 prot)
{
	return as_pte_prots[prot & (PROT_READ | PROT_WRITE | PROT_EXEC)];
}

void as_batch_finish(struct addr_space *as, struct as_batch *b);

/* The backends (one file each) and how a new VMA gets one. */
extern const struct vma_ops anon_vma_ops, shm_vma_ops, file_vma_ops, linear_vma_ops;
void anon_setup(struct as_vma *v);
int shm_setup(struct as_vma *v, u64 size);      /* 0, -ENOMEM */
void file_setup(struct as_vma *v, const struct map_file *f, u64 off, u64 end);
void linear_setup(struct as_vma *v, paddr_t pa);

/* The zero page's frame (as_zero_page, include/pagoda/as.h). */
static inline paddr_t as_zero_pa(void)
{
	return kernel_va_to_pa(as_zero_page);
}

/* Frame references (struct page.refcount, atomic): one more entry maps
 * @p; one entry fewer, true when it was the last (then the caller frees). */
static inline void frame_get(struct page *p)
{
	__atomic_fetch_add(&p->refcount, 1, __ATOMIC_RELAXED);
}

static inline bool frame_put_last(struct page *p)
{
	return __atomic_load_n(&p->refcount, __ATOMIC_ACQUIRE) == 1 ||
	       __atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

/* Eight words from s[i] to d[i]: explicit loads and stores, never a loop
 * the compiler could turn into a call to memcpy (whose loop spends three
 * instructions more on each word). */
#define COPY8(d, s, i) \
	((d)[(i)] = (s)[(i)], (d)[(i) + 1] = (s)[(i) + 1], (d)[(i) + 2] = (s)[(i) + 2], \
	 (d)[(i) + 3] = (s)[(i) + 3], (d)[(i) + 4] = (s)[(i) + 4], (d)[(i) + 5] = (s)[(i) + 5], \
	 (d)[(i) + 6] = (s)[(i) + 6], (d)[(i) + 7] = (s)[(i) + 7])

/* pa_to_page for loops over many entries: @b0 is the caller's copy of
 * mem_banks[0], so the atomics of the loop do not make every frame read
 * the bank again. */
static inline struct page *frame_of(const struct mem_bank *b0, paddr_t pa)
{
	u64 i = (pa >> PAGE_SHIFT) - b0->base_pfn;

	return likely(i < b0->npages) ? b0->pages + i : pfn_to_page_slow(pa >> PAGE_SHIFT);
}

/* Whether no other entry maps @p: it stays so while the caller holds the
 * lock of the one space whose entry maps it (only as_fork adds entries). */
static inline bool frame_is_exclusive(struct page *p)
{
	return __atomic_load_n(&p->refcount, __ATOMIC_ACQUIRE) == 1;
}

/*
 * For a backend's fault: put @pa with protection @prot into the entry @s
 * of @va found by the fault, making its tables first when the walk found
 * none (s->pte NULL): 0 or -ENOMEM. as_fill_frame maps a frame the
 * backend owns and counts it in rss; on failure it frees the frame. No
 * flush range (see vma_ops.fault). Inline: the last steps of every fault.
 */
static inline int as_fill(struct addr_space *as, vaddr_t va, struct pm_slot *s, paddr_t pa,
			  u64 prot)
{
	if (unlikely(!s->pte) && pm_slot_make(&as->pm, va, s))
		return -ENOMEM;
	pm_slot_fill(s, pa, prot);
	return 0;
}

static inline int as_fill_pa(struct addr_space *as, struct as_vma *v, vaddr_t va,
			     struct pm_slot *s, paddr_t pa)
{
	int err = as_fill(as, va, s, pa, as_pte_prot(v->prot));

	if (!err)
		as->rss++;
	return err;
}

static inline int as_fill_frame(struct addr_space *as, struct as_vma *v, vaddr_t va,
				struct pm_slot *s, struct page *p)
{
	int err = as_fill_pa(as, v, va, s, page_to_pa(p));

	if (err)
		buddy_free(p, 0);
	return err;
}

/* A read of private anonymous memory never written: the zero page, read
 * only and marked copy-on-write, not counted in rss. */
static inline int as_fill_zero(struct addr_space *as, struct as_vma *v, vaddr_t va,
			       struct pm_slot *s)
{
	return as_fill(as, va, s, as_zero_pa(), (as_pte_prot(v->prot) & ~PTE_W) | PTE_COW);
}

/* mm/cow.c: vma_ops.cow for private frames (the backends' hook, or a
 * part of it). */
int cow_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s);

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
		       u32 prot, u8 fork);

/* as_map_anon for callers that hold as->lock. */
int as_map_anon_locked(struct addr_space *as, vaddr_t start, u64 len, u32 prot);
/*
 * Grow @v up to @end (page aligned, above its end; [end of @v, end) must
 * be free) when a private anonymous mapping of that range with @prot
 * would merge into @v anyway: what as_map_anon_locked and a merge would
 * make, without a VMA allocated and merged away. false, and nothing
 * changes, when it would not merge.
 */
bool as_vma_extend_anon(struct addr_space *as, struct as_vma *v, vaddr_t end, u32 prot);

void as_zap(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end,
	    struct as_batch *b);
int as_populate(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end);
/* Count the entries of [start, end), inside @v, out of rss and drop the
 * references of their private frames, for a space no hart runs
 * (as_destroy): no flush needed, frames freed at once. */
void as_put_frames(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end);
#endif
