/*
 * vma_tree: the VMAs of an address space, in an AVL tree keyed by start.
 *
 * VMAs are non-overlapping [start, end) ranges. Each node also keeps, for
 * its subtree, the first start, the last end and the largest gap between
 * two of its VMAs; these depend only on the node's children, so rotations
 * keep them exact, and a gap search skips every subtree whose gaps are too
 * small. Lookup, insert, remove and gap search are O(log n).
 *
 * The tree does not allocate: callers embed struct vma in their own
 * object. Locking: the address space's lock, held by the caller.
 */
#ifndef PAGODA_VMA_H
#define PAGODA_VMA_H
#include <pagoda/types.h>

struct vma {
	vaddr_t start, end;             /* [start, end), start < end */
	/* tree links and subtree summary, private to mm/vma.c */
	struct vma *left, *right;
	int height;
	vaddr_t sub_start, sub_end;
	u64 sub_gap;
};

struct vma_tree {
	struct vma *root;
	u64 count;
};

#define VMA_NONE (~0ul)                 /* gap search: nothing fits */

/* Insert @v; -EEXIST (and nothing changes) when it overlaps a VMA. */
int vma_insert(struct vma_tree *t, struct vma *v);
/* Remove @v, which must be in @t. */
void vma_remove(struct vma_tree *t, struct vma *v);
/* After @v's start or end changed in place without reaching a neighbour:
 * bring the summaries on its path up to date. O(log n). */
void vma_update(struct vma_tree *t, struct vma *v);
/* The VMA containing @addr, or NULL. */
struct vma *vma_find(const struct vma_tree *t, vaddr_t addr);
/* The lowest VMA ending above @addr (containing it, or the next), or NULL. */
struct vma *vma_find_after(const struct vma_tree *t, vaddr_t addr);
/* The next VMA after @v in address order, or NULL. */
struct vma *vma_next(const struct vma_tree *t, const struct vma *v);

/*
 * The lowest (vma_gap_lowest) or highest (vma_gap_highest) address a,
 * aligned to @align (a power of two), with [a, a + len) inside [lo, hi)
 * and overlapping no VMA; VMA_NONE when there is none.
 */
vaddr_t vma_gap_lowest(const struct vma_tree *t, u64 len, u64 align, vaddr_t lo, vaddr_t hi);
vaddr_t vma_gap_highest(const struct vma_tree *t, u64 len, u64 align, vaddr_t lo, vaddr_t hi);

/* Check the AVL shape, ordering and summaries (tests): 0 or -EINVAL. */
int vma_tree_check(const struct vma_tree *t);
#endif
