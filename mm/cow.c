/*
 * cow: private frames shared between address spaces. as_fork() gives a
 * child the parent's VMAs and, for private memory, the parent's very
 * frames: both spaces' entries become read-only and marked PTE_COW, and
 * each frame's refcount counts the entries that map it. A write to such
 * an entry (cow_fault) takes a private copy, or, when no other entry maps
 * the frame any more, makes the entry writable again (reuse).
 *
 * The shared zero page is the same idea from the start: a read of private
 * anonymous memory never written maps one read-only frame of zeroes,
 * marked copy-on-write, and the first write replaces it with a zeroed
 * frame of the page's own. It lies in the kernel image (read-only there
 * too), is never counted and never freed, and rss leaves it out, as
 * Linux's RSS leaves out its zero page.
 *
 * Invariants: an entry marked copy-on-write is never writable
 * (pm_protect_range keeps it so); a frame's refcount is the number of
 * entries mapping it, and a reference goes only after the flush that made
 * its entry unreachable (struct as_batch), so the last space to drop a
 * frame frees it when no hart of any space can reach it.
 *
 * Locking: as_fork holds the parent's lock, and the child's inside it
 * (nobody else can reach the child yet, so no order can invert);
 * cow_fault runs under the faulting space's lock. Reference counts are
 * atomic: spaces on different harts share frames.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/mm.h>
#include <string.h>
#include "as_internal.h"

const u8 as_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* ---- fork -------------------------------------------------------------------- */

struct fork_ctx {
	u64 frames;                     /* frames the child maps: its rss */
	paddr_t zero_pa;
};

/*
 * pm_copy_range's copy for private memory: each valid entry of @from is
 * write-protected and marked, in both spaces, and its frame (the zero
 * page aside) counts one entry more. The parent's store is one 64-bit
 * write, atomic for a hart walking the table meanwhile.
 */
static u64 copy_private(pte_t *to, pte_t *from, u64 n, void *arg)
{
	struct fork_ctx *f = arg;
	const struct mem_bank b0 = mem_banks[0];
	const paddr_t zero_pa = f->zero_pa;
	u64 i, made = 0, zero = 0;

	for_each_valid_pte(from, i, n) {
		pte_t pte = pte_mkcow(from[i]);

		WRITE_ONCE(from[i], pte);
		to[i] = pte;
		made++;
		if (pte_pa(pte) == zero_pa)
			zero++;
		else
			frame_get(frame_of(&b0, pte_pa(pte)));
	}
	f->frames += made - zero;
	return made;
}

/*
 * Give @child a copy of the parent's VMA @v (the copy hook takes the
 * child's reference to its backing) and, for private memory not wiped on
 * fork, its entries. The range goes on @pfl, the parent's flush, before
 * any entry changes. 0 or -ENOMEM.
 */
static int fork_vma(struct addr_space *parent, struct addr_space *child, struct as_vma *v,
		    struct fork_ctx *f, struct pm_flush *pfl, struct pm_flush *cfl)
{
	vaddr_t start = v->node.start, end = v->node.end;
	struct as_vma *n = as_vma_alloc(child);

	if (!n)
		return -ENOMEM;
	as_vma_copy(n, v, start, end);
	as_vma_insert(child, n);
	if (!v->ops->owns_frames || (v->fork & VMA_WIPEONFORK))
		return 0;
	pm_flush_add(pfl, start, end);
	return pm_copy_range(&child->pm, &parent->pm, start, end, copy_private, f, cfl);
}

/* Give @child every VMA of @parent it gets: 0, or -ENOMEM with some given. */
static int fork_vmas(struct addr_space *parent, struct addr_space *child,
		     struct pm_flush *pfl)
{
	struct fork_ctx f = { 0, as_zero_pa() };
	struct pm_flush cfl = PM_FLUSH_INIT;
	struct vma *n;
	int err = 0;

	assert_held(&parent->lock);
	child->mmap_base = parent->mmap_base;
	child->vdso_base = parent->vdso_base;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	for (n = vma_find_after(&parent->vmas, 0); n && !err; n = vma_next(&parent->vmas, n))
		if (!(vma_of(n)->fork & VMA_DONTFORK))
			err = fork_vma(parent, child, vma_of(n), &f, pfl, &cfl);
	child->rss = f.frames;
	pm_flush_drop(&cfl);            /* no hart has run the child */
	return err;
}

struct addr_space *as_fork(struct addr_space *parent)
{
	struct addr_space *child = as_create();
	struct pm_flush pfl = PM_FLUSH_INIT;
	unsigned long irq;
	int err;

	if (!child)
		return NULL;
	irq = spin_lock_irqsave(&parent->lock);
	spin_lock(&child->lock);
	err = fork_vmas(parent, child, &pfl);
	/* Every hart of the parent drops its writable entries before either
	 * space runs again: from here on a write to a shared frame faults. */
	pm_flush_run(&pfl, as_asid(parent), false, &parent->harts);
	spin_unlock(&child->lock);
	spin_unlock_irqrestore(&parent->lock, irq);
	if (err) {
		as_destroy(child);      /* gives back the references it took */
		return NULL;
	}
	return child;
}

/* ---- the write fault ----------------------------------------------------------- */

/* 64 words from s[i] to d[i]. */
#define COPY64(d, s, i) \
	(COPY8(d, s, (i)), COPY8(d, s, (i) + 8), COPY8(d, s, (i) + 16), COPY8(d, s, (i) + 24), \
	 COPY8(d, s, (i) + 32), COPY8(d, s, (i) + 40), COPY8(d, s, (i) + 48), COPY8(d, s, (i) + 56))

/* Copy a 4 KiB page: 512 loads and 512 stores, 1 KiB a loop iteration
 * (8-byte accesses are the widest rv64imac has). Out of line, so that
 * the fault path around it saves no registers for it. */
static __noinline void copy_page(void *dst, const void *src)
{
	u64 *d = dst;
	const u64 *s = src, *end = s + PAGE_SIZE / 8;

	for (; s < end; s += 128, d += 128)
		COPY64(d, s, 0), COPY64(d, s, 64);
}

/* The page @va of @as, on every hart of its mask. */
static __noinline void flush_page(struct addr_space *as, vaddr_t va)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	pm_flush_add(&fl, va, va + PAGE_SIZE);
	pm_flush_run(&fl, as_asid(as), false, &as->harts);
}

/*
 * Point the present entry @s of @va at the frame @pa, writable. Another
 * hart of @as may hold the old entry (the shared frame, or the zero
 * page): it would go on reading the old frame after this space's writes,
 * so the other harts of the mask are flushed before the old frame loses
 * this reference. This hart's entry is the fault path's to flush (as_fault
 * does, before anything here can use it).
 */
static void replace_frame(struct addr_space *as, struct as_vma *v, vaddr_t va,
			  struct pm_slot *s, paddr_t pa)
{
	WRITE_ONCE(*s->pte, pte_mkleaf(pa, as_pte_prot(v->prot)));
	if (hartmask_read(&as->harts) & ~(1ull << this_hart()->cpu))
		flush_page(as, va);
}

/*
 * The zero page gets a zeroed frame of its own (nothing to copy); a frame
 * no other entry maps is made writable where it is (the old read-only
 * entry, stale on another hart, faults there once more and finds it
 * writable); any other frame is copied, and the copy replaces it.
 */
int cow_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s)
{
	paddr_t pa = pte_pa(*s->pte), npa;
	bool zero = pa == as_zero_pa();
	struct page *old = zero ? NULL : pa_to_page(pa), *p;

	assert_held(&as->lock);
	if (old && frame_is_exclusive(old)) {
		WRITE_ONCE(*s->pte, pte_mkleaf(pa, as_pte_prot(v->prot)));
		return 0;
	}
	p = buddy_alloc(0, GFP_KERNEL, OWNER_USER);
	if (!p)
		return -ENOMEM;
	npa = page_to_pa(p);
	if (zero)
		clear_page(dmap_va(npa));
	else
		copy_page(dmap_va(npa), dmap_va(pa));
	replace_frame(as, v, va, s, npa);
	if (zero)
		as->rss++;
	else if (__atomic_sub_fetch(&old->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		buddy_free(old, 0);     /* the other entries went meanwhile */
	return 0;
}
