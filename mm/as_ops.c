/*
 * as_ops: the mmap family over an AddressSpace, with Linux's semantics
 * (mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c, mm/mincore.c,
 * mm/msync.c of Linux 6.12, checked against a native Linux by the
 * conformance program). Each call validates its arguments, allocates the
 * VMAs a split may need, then changes the tree and the page table; the
 * one TLB flush of the call runs before any frame it unmapped is freed.
 *
 * Linux behaviours kept on purpose: mprotect stops at the first hole and
 * returns -ENOMEM after changing what lay before it; madvise skips holes,
 * acts on every mapped part and returns -ENOMEM; brk refuses to come
 * within a page of the next mapping (of a stack, STACK_GUARD_GAP more);
 * mremap with old_len 0 of a shared mapping makes a second view of the
 * same memory; the VMA count stays within vm_max_map_count where Linux
 * checks it.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/map_file.h>
#include <pagoda/printk.h>
#include <asm/layout.h>
#include <string.h>
#include "as_internal.h"

#define PROT_SEM        0x8
#define PROT_ALL        (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)
#define MAP_KNOWN       (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | \
			 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
			 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | \
			 MAP_SYNC | MAP_FIXED_NOREPLACE)

static bool range_free(struct addr_space *as, vaddr_t start, vaddr_t end)
{
	struct vma *n = vma_find_after(&as->vmas, start);

	return !n || n->start >= end;
}

/* Where a new mapping of @len goes: the hint (page-aligned, or 0) if
 * free, else top-down below mmap_base, else bottom-up anywhere. VMA_NONE
 * when nothing fits. */
static vaddr_t find_area(struct addr_space *as, vaddr_t hint, u64 len)
{
	vaddr_t a;

	if (len > USER_TOP - MMAP_MIN_ADDR)
		return VMA_NONE;
	if (hint >= MMAP_MIN_ADDR && hint <= USER_TOP - len && range_free(as, hint, hint + len))
		return hint;
	a = vma_gap_highest(&as->vmas, len, PAGE_SIZE, MMAP_MIN_ADDR, as->mmap_base);
	if (a == VMA_NONE)
		a = vma_gap_lowest(&as->vmas, len, PAGE_SIZE, MMAP_MIN_ADDR, USER_TOP);
	return a;
}

/* Move @v's start up to @start (inside it), keeping its backing aligned. */
static void trim_front(struct addr_space *as, struct as_vma *v, vaddr_t start)
{
	as_vma_advance(v, start - v->node.start);
	v->node.start = start;
	vma_update(&as->vmas, &v->node);
}

static void trim_back(struct addr_space *as, struct as_vma *v, vaddr_t end)
{
	v->node.end = end;
	vma_update(&as->vmas, &v->node);
}

/*
 * Unmap [s, e): pages zapped onto @b, VMAs trimmed or removed. Cutting a
 * hole inside one VMA takes *@spare (allocated by the caller when it may
 * be needed; left in *@spare otherwise) or allocates: -ENOMEM (no memory,
 * or vm_max_map_count VMAs already), and then nothing has changed.
 */
static int unmap_range(struct addr_space *as, vaddr_t s, vaddr_t e, struct as_batch *b,
		       struct as_vma **spare)
{
	struct vma *n = vma_find_after(&as->vmas, s);

	if (n && n->start < s && n->end > e) {
		struct as_vma *v = vma_of(n), *tail = spare && *spare ? *spare : as_vma_alloc_split(as);

		if (!tail)
			return -ENOMEM;
		if (spare)
			*spare = NULL;
		as_zap(as, v, s, e, b);
		as_vma_split(as, v, e, tail);
		trim_back(as, v, s);
		return 0;
	}
	while (n && n->start < e) {
		struct vma *next = vma_next(&as->vmas, n);
		struct as_vma *v = vma_of(n);

		as_zap(as, v, MAX(s, n->start), MIN(e, n->end), b);
		if (n->start < s)
			trim_back(as, v, s);
		else if (n->end > e)
			trim_front(as, v, e);
		else
			as_vma_remove(as, v, b);
		n = next;
	}
	return 0;
}

/* Would unmapping [s, e) need a new VMA (one VMA reaching past both ends)? */
static bool unmap_splits(struct addr_space *as, vaddr_t s, vaddr_t e)
{
	struct vma *n = vma_find_after(&as->vmas, s);

	return n && n->start < s && n->end > e;
}

/* ---- mmap -------------------------------------------------------------- */

struct mmap_req {
	vaddr_t addr;
	u64 len;
	u32 prot, flags;
	const struct map_file *file;
	bool fd_writable;
	u64 off;
};

static int mmap_check(const struct mmap_req *r)
{
	u32 type = r->flags & MAP_TYPE;

	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && !r->file)
		return -EINVAL;                 /* anonymous: SHARED or PRIVATE only */
	if (type == MAP_SHARED_VALIDATE && (r->flags & ~MAP_KNOWN))
		return -EOPNOTSUPP;
	if (r->file && r->off > (u64)INT64_MAX - r->len)
		return -EOVERFLOW;              /* past the largest file offset (Linux's too) */
	if (r->file && type != MAP_PRIVATE && (r->prot & PROT_WRITE) && !r->fd_writable)
		return -EACCES;
	if (r->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(r->addr, PAGE_SIZE))
			return -EINVAL;
		if (r->addr > USER_TOP - r->len)
			return -ENOMEM;
		if (r->addr < MMAP_MIN_ADDR)
			return -EPERM;
	}
	if (r->file && !r->file->ops)
		return -ENODEV;                 /* a directory, the console: Linux's last check */
	if ((r->flags & MAP_GROWSDOWN) && (r->file || type != MAP_PRIVATE))
		return -EINVAL;                 /* only private anonymous memory */
	return 0;
}

/* The VMA a request describes, at @start (backend, protection, flags). */
static int mmap_fill(const struct mmap_req *r, vaddr_t start, struct as_vma *v)
{
	memset(v, 0, sizeof(*v));
	v->node.start = start;
	v->node.end = start + r->len;
	v->prot = r->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	v->stack = r->flags & MAP_STACK;
	v->growsdown = r->flags & MAP_GROWSDOWN;
	v->shared = (r->flags & MAP_TYPE) != MAP_PRIVATE;
	if (r->file)
		file_setup(v, r->file, r->off, ~0ull);
	else if (v->shared)
		return shm_setup(v, r->len);
	else
		anon_setup(v);
	return 0;
}

/* Linux's round_hint_to_min(), on every architecture: an mmap hint is
 * rounded down to its page, and one below MMAP_MIN_ADDR (not 0) raised. */
static vaddr_t mmap_hint(vaddr_t hint)
{
	hint = ALIGN_DOWN(hint, PAGE_SIZE);
	return hint && hint < MMAP_MIN_ADDR ? MMAP_MIN_ADDR : hint;
}

static long do_mmap(struct addr_space *as, const struct mmap_req *r)
{
	struct as_batch b = AS_BATCH_INIT;
	struct as_vma *v, *spare = NULL;
	bool fixed = r->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	vaddr_t start = fixed ? r->addr : find_area(as, mmap_hint(r->addr), r->len);
	int err;

	if (start == VMA_NONE || as->vmas.count > vm_max_map_count)
		return -ENOMEM;         /* no room, or too many VMAs (Linux: '>') */
	if ((r->flags & MAP_FIXED_NOREPLACE) && !range_free(as, start, start + r->len))
		return -EEXIST;
	if (fixed && unmap_splits(as, start, start + r->len) && !(spare = as_vma_alloc_split(as)))
		return -ENOMEM;
	v = as_vma_alloc(as);
	if (!v) {
		as_vma_unused(as, spare);
		return -ENOMEM;
	}
	err = mmap_fill(r, start, v);
	if (err) {
		as_vma_unused(as, v);
		as_vma_unused(as, spare);
		return err;
	}
	if (fixed)
		BUG_ON(unmap_range(as, start, start + r->len, &b, &spare));
	as_vma_unused(as, spare);
	as_vma_insert(as, v);
	as_batch_finish(as, &b);
	if ((r->flags & MAP_POPULATE) && (v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		as_populate(as, v, start, start + r->len);     /* best effort, as Linux */
	as_vma_merge_around(as, v);
	return start;
}

long as_mmap(struct addr_space *as, vaddr_t addr, u64 len, u32 prot, u32 flags,
	     const struct map_file *f, bool fd_writable, u64 off)
{
	struct mmap_req r = { addr, ALIGN_UP(len, PAGE_SIZE), prot, flags, f, fd_writable, off };
	unsigned long irq;
	long ret;

	if (!len)
		return -EINVAL;
	if (!r.len || r.len > USER_TOP)
		return -ENOMEM;
	ret = mmap_check(&r);
	if (ret)
		return ret;
	irq = spin_lock_irqsave(&as->lock);
	ret = do_mmap(as, &r);
	spin_unlock_irqrestore(&as->lock, irq);
	return ret;
}

/* ---- munmap -------------------------------------------------------------- */

long as_munmap(struct addr_space *as, vaddr_t addr, u64 len)
{
	struct as_batch b = AS_BATCH_INIT;
	unsigned long irq;
	int err;

	len = ALIGN_UP(len, PAGE_SIZE);
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !len || addr > USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	err = unmap_range(as, addr, addr + len, &b, NULL);
	as_batch_finish(as, &b);
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* ---- mprotect ------------------------------------------------------------ */

/*
 * Give [s, e), inside @v, protection @prot and fork flags @fork (what
 * mprotect and madvise change): split off what lies outside, change the
 * entries' protection, merge with the neighbours.
 */
static int change_part(struct addr_space *as, struct as_vma *v, vaddr_t s, vaddr_t e,
		       u32 prot, u8 fork, struct as_batch *b)
{
	struct as_vma *head = NULL, *tail = NULL;
	struct as_vma *(*alloc)(struct addr_space *as);

	if (v->prot == prot && v->fork == fork)
		return 0;
	/* A part that joins its neighbour moves a boundary: no limit. */
	alloc = as_vma_part_joins(as, v, s, e, prot, fork) ? as_vma_alloc : as_vma_alloc_split;
	if ((s > v->node.start && !(head = alloc(as))) ||
	    (e < v->node.end && !(tail = alloc(as)))) {
		as_vma_unused(as, head);
		return -ENOMEM;
	}
	if (head) {
		as_vma_split(as, v, s, head);
		v = head;
	}
	if (tail)
		as_vma_split(as, v, e, tail);
	if (v->prot != prot)
		pm_protect_range(&as->pm, s, e, as_pte_prot(prot), &b->fl);
	as_vma_set_prot(as, v, prot);
	v->fork = fork;
	as_vma_merge_around(as, v);
	return 0;
}

static long do_mprotect(struct addr_space *as, vaddr_t start, vaddr_t end, u32 prot,
			struct as_batch *b)
{
	struct vma *n = vma_find(&as->vmas, start);
	vaddr_t next;
	int err;

	if (!n)
		return -ENOMEM;
	for (;;) {
		struct as_vma *v = vma_of(n);

		if (v->ops->protect) {
			err = v->ops->protect(v, prot);
			if (err)
				return err;
		}
		next = n->end;
		err = change_part(as, v, MAX(start, n->start), MIN(end, next), prot, v->fork, b);
		if (err || next >= end)
			return err;
		n = vma_find(&as->vmas, next);
		if (!n)
			return -ENOMEM;         /* a hole: what came before stays changed */
	}
}

long as_mprotect(struct addr_space *as, vaddr_t start, u64 len, u32 prot)
{
	struct as_batch b = AS_BATCH_INIT;
	unsigned long irq;
	long err;

	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || start + len <= start)
		return -ENOMEM;
	if ((prot & ~(PROT_ALL | PROT_GROWSDOWN | PROT_GROWSUP)) ||
	    (prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	if (prot & (PROT_GROWSDOWN | PROT_GROWSUP))     /* no VMA grows */
		err = vma_find(&as->vmas, start) ? -EINVAL : -ENOMEM;
	else
		err = do_mprotect(as, start, start + len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC), &b);
	as_batch_finish(as, &b);
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* ---- mremap -------------------------------------------------------------- */

struct move_ctx {
	struct addr_space *as;
	vaddr_t from, to;               /* source and destination of the first page */
	struct pm_flush *fl;
};

/* The entry moves as it is: a copy-on-write one stays read-only. */
static int move_leaf(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct move_ctx *m = arg;

	return pm_map(&m->as->pm, m->to + (va - m->from), pte_pa(*pte), 0, pte_prot(*pte), m->fl);
}

static int unmap_leaf(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct move_ctx *m = arg;

	return pm_unmap(&m->as->pm, va, NULL, NULL, m->fl);
}

/*
 * Move the entries of [from, from + len) to @to: first map every frame at
 * its new address too (undone if a table cannot be allocated: -ENOMEM,
 * nothing changed), then unmap the old entries. Frames are not freed.
 */
static int move_entries(struct addr_space *as, vaddr_t from, vaddr_t to, u64 len,
			struct as_batch *b)
{
	struct move_ctx m = { as, from, to, &b->fl };
	const struct pm_walk_ops map = { .leaf = move_leaf }, unmap = { .leaf = unmap_leaf };
	int err;

	if (!len)
		return 0;
	err = pm_walk_range(&as->pm, from, from + len, &map, &m);
	if (err) {
		pm_walk_range(&as->pm, to, to + len, &unmap, &m);
		return err;
	}
	return pm_walk_range(&as->pm, from, from + len, &unmap, &m);
}

/*
 * The part [old, old + old_len) of @v (old_len 0: a new view of a shared
 * mapping) moves to [new, new + new_len), new_len >= old_len, which is free.
 * With @keep (MREMAP_DONTUNMAP) the old range stays mapped, empty.
 */
static long move_vma(struct addr_space *as, struct as_vma *v, vaddr_t old, u64 old_len,
		     vaddr_t new, u64 new_len, bool keep, struct as_batch *b)
{
	struct as_vma *nv, *spare = NULL;
	int err;

	if (as->vmas.count + 3 >= vm_max_map_count)
		return -ENOMEM;         /* Linux keeps room for splitting one VMA in three */
	nv = as_vma_alloc(as);
	if (!nv)
		return -ENOMEM;
	if (!keep && old_len && unmap_splits(as, old, old + old_len) && !(spare = as_vma_alloc(as))) {
		as_vma_unused(as, nv);
		return -ENOMEM;
	}
	err = move_entries(as, old, new, old_len, b);
	if (err) {
		as_vma_unused(as, nv);
		as_vma_unused(as, spare);
		return err;
	}
	as_vma_copy(nv, v, old, old + new_len);
	nv->node.start = new;
	nv->node.end = new + new_len;
	if (!keep && old_len)
		BUG_ON(unmap_range(as, old, old + old_len, b, &spare));
	as_vma_unused(as, spare);
	as_vma_insert(as, nv);
	as_vma_merge_around(as, nv);
	return new;
}

/* Grow @v, which ends at old + old_len, in place to old + new_len if free. */
static bool grow_in_place(struct addr_space *as, struct as_vma *v, vaddr_t old, u64 old_len,
			  u64 new_len)
{
	vaddr_t end = old + new_len;

	if (!old_len || old + old_len != v->node.end || new_len > USER_TOP - old ||
	    !range_free(as, v->node.end, end))
		return false;
	trim_back(as, v, end);          /* extends: the range up to end is free */
	as_vma_merge_around(as, v);
	return true;
}

struct mremap_req {
	vaddr_t old;
	u64 old_len, new_len;
	u32 flags;
	vaddr_t new_addr;
};

static long mremap_to(struct addr_space *as, struct as_vma *v, struct mremap_req *r,
		      struct as_batch *b)
{
	vaddr_t new = r->new_addr;
	struct vma *n;
	int err;

	/* Linux checks these for MREMAP_DONTUNMAP's hint as well. */
	if (!IS_ALIGNED(new, PAGE_SIZE) || r->new_len > USER_TOP || new > USER_TOP - r->new_len)
		return -EINVAL;
	if (new < r->old + r->old_len && r->old < new + r->new_len)
		return -EINVAL;                 /* the ranges overlap */
	if (as->vmas.count + 2 + 3 >= vm_max_map_count)
		return -ENOMEM;                 /* Linux: both ranges may split, then move_vma's room */
	if (r->flags & MREMAP_FIXED) {
		err = unmap_range(as, new, new + r->new_len, b, NULL);
		if (err)
			return err;
		n = vma_find(&as->vmas, r->old);
		if (!n)
			return -EFAULT;         /* old_len 0 at new: the view is gone (Linux too) */
		v = vma_of(n);
	} else {
		new = find_area(as, new, r->new_len);
		if (new == VMA_NONE)
			return -ENOMEM;
	}
	if (r->old_len > r->new_len) {
		err = unmap_range(as, r->old + r->new_len, r->old + r->old_len, b, NULL);
		if (err)
			return err;
		r->old_len = r->new_len;
		n = vma_find(&as->vmas, r->old);
		if (!n)
			return -EFAULT;
		v = vma_of(n);
	}
	return move_vma(as, v, r->old, r->old_len, new, r->new_len,
			r->flags & MREMAP_DONTUNMAP, b);
}

static long do_mremap(struct addr_space *as, struct mremap_req *r, struct as_batch *b)
{
	struct vma *n = vma_find(&as->vmas, r->old);
	struct as_vma *v;
	vaddr_t new;

	if (!n)
		return -EFAULT;
	v = vma_of(n);
	if (!r->old_len && !v->shared)
		return -EINVAL;                 /* a second view needs shared memory */
	if (!(r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && r->old_len >= r->new_len) {
		/* Linux checks no more than munmap would: the range may span
		 * several mappings, but not leave user space. */
		if (r->old_len == r->new_len)
			return r->old;
		if (r->old_len > USER_TOP - r->old)
			return -EINVAL;
		if (unmap_range(as, r->old + r->new_len, r->old + r->old_len, b, NULL))
			return -ENOMEM;
		return r->old;
	}
	if (r->old_len > n->end - r->old)
		return -EFAULT;                 /* not inside one mapping */
	if (r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(as, v, r, b);
	if (grow_in_place(as, v, r->old, r->old_len, r->new_len))
		return r->old;
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new = find_area(as, 0, r->new_len);
	if (new == VMA_NONE)
		return -ENOMEM;
	return move_vma(as, v, r->old, r->old_len, new, r->new_len, false, b);
}

long as_mremap(struct addr_space *as, vaddr_t old, u64 old_len, u64 new_len,
	       u32 flags, vaddr_t new_addr)
{
	struct mremap_req r = { old, ALIGN_UP(old_len, PAGE_SIZE), ALIGN_UP(new_len, PAGE_SIZE),
				flags, new_addr };
	struct as_batch b = AS_BATCH_INIT;
	unsigned long irq;
	long ret;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (!IS_ALIGNED(old, PAGE_SIZE))
		return -EINVAL;
	if (!r.new_len || (old_len && !r.old_len) || r.new_len > USER_TOP)
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	ret = do_mremap(as, &r, &b);
	as_batch_finish(as, &b);
	spin_unlock_irqrestore(&as->lock, irq);
	return ret;
}

/* ---- brk --------------------------------------------------------------------- */

/*
 * Map [oldbrk, newbrk), which is free: the VMA ending at @oldbrk (the
 * break's own, or the bss below it) grows in place when the new range
 * would merge into it anyway; otherwise a new VMA, merged with its
 * neighbours. 0 or -ENOMEM.
 */
static int brk_grow(struct addr_space *as, vaddr_t oldbrk, vaddr_t newbrk)
{
	const u32 prot = PROT_READ | PROT_WRITE;
	struct vma *prev = vma_find(&as->vmas, oldbrk - 1);

	if (prev && prev->end == oldbrk && as_vma_extend_anon(as, vma_of(prev), newbrk, prot))
		return 0;
	if (as_map_anon_locked(as, oldbrk, newbrk - oldbrk, prot))
		return -ENOMEM;
	as_vma_merge_around(as, vma_of(vma_find(&as->vmas, oldbrk)));
	return 0;
}

static long do_brk(struct addr_space *as, vaddr_t brk, struct as_batch *b)
{
	vaddr_t oldbrk = ALIGN_UP(as->brk, PAGE_SIZE), newbrk = ALIGN_UP(brk, PAGE_SIZE);
	struct vma *next;
	u64 gap;

	if (brk < as->brk_start || brk > USER_TOP - PAGE_SIZE)
		return as->brk;
	if (newbrk == oldbrk) {
		as->brk = brk;
		return brk;
	}
	if (brk < as->brk) {
		if (unmap_range(as, newbrk, oldbrk, b, NULL))
			return as->brk;
		as->brk = brk;
		return brk;
	}
	/* Like Linux: no closer than one page below the next mapping, and
	 * STACK_GUARD_GAP more below a stack (vm_start_gap()). */
	next = vma_find_after(&as->vmas, oldbrk);
	gap = next && vma_of(next)->growsdown ? STACK_GUARD_GAP : 0;
	if (next && newbrk + PAGE_SIZE + gap > next->start)
		return as->brk;
	if (as->vmas.count > vm_max_map_count)
		return as->brk;
	if (brk_grow(as, oldbrk, newbrk))
		return as->brk;
	as->brk = brk;
	return brk;
}

long as_brk(struct addr_space *as, vaddr_t brk)
{
	struct as_batch b = AS_BATCH_INIT;
	unsigned long irq = spin_lock_irqsave(&as->lock);
	long ret = do_brk(as, brk, &b);

	as_batch_finish(as, &b);
	spin_unlock_irqrestore(&as->lock, irq);
	return ret;
}

/* ---- madvise ------------------------------------------------------------- */

static bool advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE:
	case MADV_DONTFORK: case MADV_DOFORK:
	case 12: case 13:               /* MERGEABLE, UNMERGEABLE */
	case 14: case 15:               /* HUGEPAGE, NOHUGEPAGE */
	case 16: case 17:               /* DONTDUMP, DODUMP */
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case 20: case 21:               /* COLD, PAGEOUT */
		return true;
	default:
		return false;
	}
}

/* @v's fork flags once @advice (one of the four fork advices) applies. */
static u8 fork_flags(const struct as_vma *v, int advice)
{
	switch (advice) {
	case MADV_DONTFORK:
		return v->fork | VMA_DONTFORK;
	case MADV_DOFORK:
		return v->fork & ~VMA_DONTFORK;
	case MADV_WIPEONFORK:
		return v->fork | VMA_WIPEONFORK;
	default:                        /* MADV_KEEPONFORK */
		return v->fork & ~VMA_WIPEONFORK;
	}
}

/*
 * Act on [s, e), inside @v (it may then be split or merged away). The
 * fork advices set VMA flags, splitting the VMA like mprotect (and with
 * its VMA limit: -ENOMEM). MADV_FREE (private anonymous memory only, the
 * backends check): the pages may stay until memory is short, and Pagoda
 * never reclaims, so they stay (as on Linux without memory pressure). The
 * rest are hints.
 */
static int advise_part(struct addr_space *as, struct as_vma *v, vaddr_t s, vaddr_t e,
		       int advice, struct as_batch *b)
{
	int err = v->ops->advise ? v->ops->advise(v, advice) : 0;

	if (err)
		return err;
	if (advice == MADV_DONTNEED)
		as_zap(as, v, s, e, b);
	if (advice == MADV_DONTFORK || advice == MADV_DOFORK || advice == MADV_WIPEONFORK ||
	    advice == MADV_KEEPONFORK)
		return change_part(as, v, s, e, v->prot, fork_flags(v, advice), b);
	return 0;
}

static long do_madvise(struct addr_space *as, vaddr_t start, vaddr_t end, int advice,
		       struct as_batch *b)
{
	long unmapped = 0;
	vaddr_t next;
	int err;

	for (;;) {
		struct vma *n = vma_find_after(&as->vmas, start);     /* advice may merge */

		if (!n)
			return -ENOMEM;
		if (start < n->start) {
			unmapped = -ENOMEM;
			start = n->start;
			if (start >= end)
				return unmapped;
		}
		next = MIN(end, n->end);
		err = advise_part(as, vma_of(n), start, next, advice, b);
		if (err)
			return err;
		start = next;
		if (start >= end)
			return unmapped;
	}
}

long as_madvise(struct addr_space *as, vaddr_t start, u64 len, int advice)
{
	struct as_batch b = AS_BATCH_INIT;
	u64 alen = ALIGN_UP(len, PAGE_SIZE);
	unsigned long irq;
	long err;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !advice_known(advice) || (len && !alen) ||
	    start + alen < start)
		return -EINVAL;
	if (!alen)
		return 0;
	irq = spin_lock_irqsave(&as->lock);
	err = do_madvise(as, start, start + alen, advice, &b);
	as_batch_finish(as, &b);
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* ---- mincore, msync ------------------------------------------------------- */

/* Mapped here, or in memory in the backing (a page another view of a
 * shared object touched, a file's page). */
static u8 page_resident(struct addr_space *as, struct as_vma *v, vaddr_t va)
{
	if (!pm_translate(&as->pm, va, NULL, NULL, NULL))
		return 1;
	return v->ops->resident && v->ops->resident(v, va);
}

long as_mincore(struct addr_space *as, vaddr_t addr, u64 len, u8 *vec)
{
	vaddr_t end = addr + ALIGN_UP(len, PAGE_SIZE), va;
	unsigned long irq;
	struct vma *n = NULL;
	long err = 0;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	irq = spin_lock_irqsave(&as->lock);
	for (va = addr; va < end; va += PAGE_SIZE) {
		if (!n || va >= n->end)
			n = vma_find(&as->vmas, va);
		if (!n) {
			err = -ENOMEM;
			break;
		}
		*vec++ = page_resident(as, vma_of(n), va);
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

long as_msync(struct addr_space *as, vaddr_t start, u64 len, int flags)
{
	vaddr_t end;
	struct vma *n;
	unsigned long irq;
	long err = 0;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || !IS_ALIGNED(start, PAGE_SIZE) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	irq = spin_lock_irqsave(&as->lock);
	/* Nothing to write back (the initramfs is read-only): only holes matter. */
	for (n = vma_find_after(&as->vmas, start); ; n = vma_next(&as->vmas, n)) {
		if (!n || n->start > start) {
			err = -ENOMEM;
			break;
		}
		start = n->end;
		if (start >= end)
			break;
	}
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}
