/*
 * anon: the backend of private anonymous memory (MAP_PRIVATE|MAP_ANONYMOUS,
 * the break, the stack, a program's bss). A page first read maps the
 * shared zero page; a page first written is a zeroed frame, which belongs
 * to the entries that map it (one, until as_fork shares it: mm/cow.c).
 * A write to the zero page gets a frame through the copy-on-write path.
 *
 * anon_id stands in for Linux's anon_vma: 0 until the VMA's first page,
 * then a number shared by the pieces a split makes of it. Two neighbours
 * merge only when at most one of them has pages of its own, or both come
 * from the same mapping (the same id), so a merged VMA never mixes pages
 * of unrelated mappings.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <string.h>
#include "as_internal.h"

static u64 next_anon_id = 1;            /* (a) */

/* @v has a page of its own from now on. */
static void anon_take_id(struct as_vma *v)
{
	if (!v->anon_id)
		v->anon_id = __atomic_fetch_add(&next_anon_id, 1, __ATOMIC_RELAXED);
}

static int anon_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
		      int access)
{
	struct page *p;

	if (access != FAULT_WRITE)
		return as_fill_zero(as, v, va, s);
	p = buddy_alloc(0, GFP_KERNEL, OWNER_USER);
	if (!p)
		return -ENOMEM;
	clear_page(page_va(p));
	anon_take_id(v);
	return as_fill_frame(as, v, va, s, p);
}

/* A write to the zero page gives the VMA a page of its own, as a first
 * write would have (the id goes first, so cow_fault is a tail call). */
static __fastpath int anon_cow(struct addr_space *as, struct as_vma *v, vaddr_t va,
			       struct pm_slot *s)
{
	anon_take_id(v);
	return cow_fault(as, v, va, s);
}

static bool anon_can_merge(const struct as_vma *a, const struct as_vma *b)
{
	return !a->anon_id || !b->anon_id || a->anon_id == b->anon_id;
}

static void anon_merged(struct as_vma *keep, const struct as_vma *gone)
{
	if (!keep->anon_id)
		keep->anon_id = gone->anon_id;
}

const struct vma_ops anon_vma_ops = {
	.name = "anon",
	.owns_frames = true,
	.fault = anon_fault,
	.cow = anon_cow,
	.can_merge = anon_can_merge,
	.merged = anon_merged,
};

void anon_setup(struct as_vma *v)
{
	v->ops = &anon_vma_ops;
	v->pgoff = v->node.start >> PAGE_SHIFT;
	v->anon_id = 0;
}
