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
 * and larger leaves are left alone. */
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
