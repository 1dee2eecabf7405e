/*
 * PageMapper: map, unmap, protect and translate over any Sv39 root.
 *
 * One walker (pm_walk) returns the PTE slot for an address at a level,
 * creating tables only when asked; one range walk (pm_walk_range) with
 * leaf and hole callbacks serves unmapping, protection, dumps and tests.
 * Each table page counts its valid entries in its struct page (inuse), so
 * a table that empties is freed, but only once the flush that makes it
 * unreachable has run: it waits on the pm_flush's list.
 *
 * Every change adds its range to a struct pm_flush. The caller runs it now
 * (pm_flush_run), merges several into one, or discards the range because
 * a full flush follows (pm_flush_drop still frees the deferred tables).
 *
 * Errors: -EINVAL (unaligned, not canonical, bad protection), -EEXIST
 * (something is mapped there), -ENOENT (nothing is mapped there), -ENOMEM.
 * A failed call changes nothing and keeps no table page it allocated.
 * Locking: the caller serializes changes to one root.
 */
#ifndef PAGODA_PAGEMAPPER_H
#define PAGODA_PAGEMAPPER_H
#include <pagoda/types.h>
#include <asm/pte.h>
#include <asm/tlb.h>

struct page;
struct hartmask;

/* Table pages: the kernel takes them from the buddy allocator. */
struct pt_ops {
	int (*alloc)(paddr_t *pa);      /* a zeroed page, or -ENOMEM */
	void (*free)(paddr_t pa);
};

struct pagemapper {
	paddr_t root_pa;
	const struct pt_ops *ops;
	u64 tables;                     /* table pages allocated through ops */
};

struct pm_flush {
	struct tlb_batch tlb;
	struct page *deferred;          /* table pages to free after the flush */
	const struct pt_ops *ops;       /* how to free them */
};
#define PM_FLUSH_INIT { { 0, 0, false }, NULL, NULL }

/* The kernel address of a table page (supplied per build: kernel, host). */
#ifdef __KERNEL__
#include <asm/page.h>
static inline pte_t *pt_table(paddr_t pa)
{
	return phys_to_virt(pa);
}
#else
pte_t *pt_table(paddr_t pa);
#endif

pte_t *pm_walk(struct pagemapper *pm, vaddr_t va, int level, bool create, int *err);
/* Map @va (where nothing is mapped) to @pa. @fl may be NULL when the
 * caller makes the new entry visible itself (a user page fault). */
int pm_map(struct pagemapper *pm, vaddr_t va, paddr_t pa, int level, u64 prot,
	   struct pm_flush *fl);
int pm_unmap(struct pagemapper *pm, vaddr_t va, paddr_t *pa, int *level,
	     struct pm_flush *fl);
int pm_protect(struct pagemapper *pm, vaddr_t va, u64 prot, struct pm_flush *fl);
/* Point the leaf at @va (of any size) to @pa with @prot, in one store. */
int pm_remap(struct pagemapper *pm, vaddr_t va, paddr_t pa, u64 prot, struct pm_flush *fl);
/* Every 4 KiB leaf in [start, end) gets @prot, keeping its frame; holes
 * and larger leaves are left alone, and a leaf marked PTE_COW keeps its
 * mark and never becomes writable. */
int pm_protect_range(struct pagemapper *pm, vaddr_t start, vaddr_t end, u64 prot,
		     struct pm_flush *fl);
int pm_translate(struct pagemapper *pm, vaddr_t va, paddr_t *pa, u64 *prot, int *level);

/* Map [va, va + size) to [pa, ...) with the largest pages that fit (4 KiB
 * only with @small). On failure, what this call mapped is unmapped again. */
int pm_map_range(struct pagemapper *pm, vaddr_t va, paddr_t pa, u64 size, u64 prot,
		 bool small, struct pm_flush *fl);
/* Unmap [va, va + size), which must be mapped throughout by leaves lying
 * inside it: a hole is -ENOENT, a leaf across an edge -EINVAL, and then
 * nothing has changed. */
int pm_unmap_range(struct pagemapper *pm, vaddr_t va, u64 size, struct pm_flush *fl);

struct pm_walk_ops {
	/* A leaf at @va of LEVEL_SIZE(level); return non-zero to stop. */
	int (*leaf)(vaddr_t va, pte_t *pte, int level, void *arg);
	/* [va, va + size) has no mapping. */
	int (*hole)(vaddr_t va, u64 size, void *arg);
};
int pm_walk_range(struct pagemapper *pm, vaddr_t start, vaddr_t end,
		  const struct pm_walk_ops *ops, void *arg);

/* Where a walk stopped: the entry, its level, the table at each level. */
struct pm_pos {
	pte_t *slot;
	paddr_t table_pa[PT_LEVELS];
	int level;
};

/*
 * The 4 KiB entry of @va, for a caller that reads or fills it in place
 * (the page-fault path: one walk, no argument checks). pm_slot: 0 with
 * s->pte the entry (valid or not); -ENOENT when a table on the way is
 * missing, -EEXIST under a larger leaf, and s->pte NULL. pm_slot_make,
 * after -ENOENT with the tables unchanged since: make them, going on
 * from where the walk stopped (0, with s->pte, or -ENOMEM). pm_slot_fill:
 * make the invalid entry s->pte a leaf of @pa with @prot (PTE_COW
 * allowed), no flush range (nothing was cached).
 */
struct pm_slot {
	pte_t *pte;
	struct pm_pos pos;
};
int pm_slot(struct pagemapper *pm, vaddr_t va, struct pm_slot *s);
int pm_slot_make(struct pagemapper *pm, vaddr_t va, struct pm_slot *s);
void pm_slot_fill(struct pm_slot *s, paddr_t pa, u64 prot);

/*
 * Runs of 4 KiB entries of [start, end), a table at a time (page aligned;
 * holes and larger leaves skipped): pm_for_each_table hands each run of
 * @n entries to @fn. pm_copy_range copies into @dst, where [start, end)
 * has no leaf, from @src: for each run of @src, @copy gets the run in
 * @dst (its tables made) and fills it, and returns how many entries it
 * made valid; a table made for none waits on @dfl. 0, or -ENOMEM when a
 * table of @dst cannot be had: what was copied until then stays.
 */
/*
 * The first valid entry of t[i..n), or n: for loops over runs, which may
 * be dense (one test per entry, inline) or sparse (a stack's table: holes
 * skipped eight entries a test, out of line).
 */
u64 pte_skip_holes(const pte_t *t, u64 i, u64 n);
static inline u64 pte_next_valid(const pte_t *t, u64 i, u64 n)
{
	if (likely(i < n && pte_is_valid(t[i])))
		return i;
	return pte_skip_holes(t, i, n);
}
/* @i over the indexes of the valid entries of t[0..n). */
#define for_each_valid_pte(t, i, n) \
	for ((i) = 0; ((i) = pte_next_valid((t), (i), (n))) < (n); (i)++)

void pm_for_each_table(struct pagemapper *pm, vaddr_t start, vaddr_t end,
		       void (*fn)(pte_t *slots, u64 n, void *arg), void *arg);
int pm_copy_range(struct pagemapper *dst, struct pagemapper *src, vaddr_t start, vaddr_t end,
		  u64 (*copy)(pte_t *to, pte_t *from, u64 n, void *arg), void *arg,
		  struct pm_flush *dfl);
/* Free every table under the root entries that cover [start, end), at
 * once and without a flush: for a root no hart uses any more, whose
 * leaves' frames its owner has dealt with. */
void pm_free_tables(struct pagemapper *pm, vaddr_t start, vaddr_t end);

void pm_flush_add(struct pm_flush *fl, vaddr_t start, vaddr_t end);
void pm_flush_merge(struct pm_flush *dst, struct pm_flush *src);
void pm_flush_run(struct pm_flush *fl, unsigned long asid, bool global,
		  const struct hartmask *mask);
void pm_flush_drop(struct pm_flush *fl);

/* Create the table at @level covering @va and pin it: it is never freed,
 * so copies of the level above stay valid (kernel half of the root). */
int pm_pin_table(struct pagemapper *pm, vaddr_t va, int level);

/* Set every table's entry count from its contents (tables built before
 * struct pages existed). */
void pm_recount(struct pagemapper *pm);

/* Table pages allocated through @pm's ops and not yet freed. */
static inline u64 pm_table_pages(const struct pagemapper *pm) { return pm->tables; }
#endif
