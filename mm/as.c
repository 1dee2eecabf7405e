/*
 * as: the AddressSpace core (include/pagoda/as.h). Creating and running
 * an address space, the VMA bookkeeping every operation shares (allocate,
 * split, merge, remove), zapping page table entries with their private
 * frames, and the page-fault path, which calls the VMA's backend: its
 * fault hook for a missing page, its cow hook for a write to an entry
 * marked copy-on-write.
 *
 * Freed frames and released VMAs: a zap puts the frames it unmapped, and a
 * removal the VMA it took out, on a struct as_batch next to its pm_flush;
 * as_batch_finish() runs the TLB flush first and frees them after, so no
 * hart can reach a frame, or a backing object's page, once it is free. A
 * frame other spaces map too loses this space's reference only after the
 * flush as well: the last space to drop it frees it, after its own flush.
 * as_destroy() needs no flush (no hart runs the space): it drops frames
 * at once and frees the page tables whole.
 *
 * PROT_NONE pages keep their frame in a leaf without the U bit: user
 * accesses fault, kernel writes fault (no W), and kernel reads are
 * refused by as_user_readable() before uaccess copies.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/kmap.h>
#include <pagoda/mm.h>
#include <pagoda/paging.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <asm/page.h>
#include <asm/tlb.h>
#include <string.h>
#include "as_internal.h"

#define KERNEL_ROOT_FIRST (PT_ENTRIES / 2)      /* root entries 256..511 */

/* PROT_WRITE implies read (Sv39 has no write-only pages); PROT_NONE keeps
 * the frame in a leaf the user cannot reach. */
#define PTE_PROT_OF(p) (!(p) ? PTE_R : PTE_U | (((p) & (PROT_READ | PROT_WRITE)) ? PTE_R : 0) | \
			(((p) & PROT_WRITE) ? PTE_W : 0) | (((p) & PROT_EXEC) ? PTE_X : 0))
const u64 as_pte_prots[8] = {
	PTE_PROT_OF(0), PTE_PROT_OF(1), PTE_PROT_OF(2), PTE_PROT_OF(3),
	PTE_PROT_OF(4), PTE_PROT_OF(5), PTE_PROT_OF(6), PTE_PROT_OF(7),
};
_Static_assert((PROT_READ | PROT_WRITE | PROT_EXEC) == 7, "as_pte_prots index");

/* ---- batches ----------------------------------------------------------------- */

static void vma_release(struct as_vma *v)
{
	if (v->ops->release)
		v->ops->release(v);
	kfree(v);
}

/* Drop one reference to the user frame @p, freeing it with the last. */
static void frame_put(struct page *p)
{
	if (frame_put_last(p))
		buddy_free(p, 0);
}

#define SHARED_PER_PAGE (PAGE_SIZE / sizeof(struct page *))

/* The shared frames @b holds, a page of pointers at a time. */
static void batch_put_shared(struct as_batch *b)
{
	while (b->shared) {
		struct page *pg = b->shared, **held = page_va(pg);

		while (b->nshared)
			frame_put(held[--b->nshared]);
		b->shared = pg->next;
		b->nshared = SHARED_PER_PAGE;
		pg->next = NULL;
		buddy_free(pg, 0);
	}
	b->nshared = 0;
}

/* What waited for @b's flush, which has run (or was not needed). */
static void batch_release(struct as_batch *b)
{
	while (b->frames) {
		struct page *p = b->frames;

		b->frames = p->next;
		p->next = NULL;
		buddy_free(p, 0);
	}
	batch_put_shared(b);
	while (b->dead) {
		struct as_vma *v = b->dead;

		b->dead = v->next_dead;
		vma_release(v);
	}
}

void as_batch_finish(struct addr_space *as, struct as_batch *b)
{
	assert_held(&as->lock);
	pm_flush_run(&b->fl, as_asid(as), false, &as->harts);
	batch_release(b);
}

/*
 * @b holds the frame @p, which other spaces map too and whose entry the
 * zap just cleared, by pointer until its flush (struct as_batch). With no
 * page for the pointers, the flush runs now and the reference goes at
 * once. Out of line: the zap of a frame only this space maps is the
 * common case, and it only links the frame (zap_leaf).
 */
static __noinline void batch_hold_shared(struct addr_space *as, struct as_batch *b,
					 struct page *p)
{
	struct page *pg;

	if (!b->shared || b->nshared == SHARED_PER_PAGE) {
		pg = buddy_alloc(0, GFP_KERNEL, OWNER_KERNEL);
		if (!pg) {
			as_batch_finish(as, b);
			frame_put(p);
			return;
		}
		pg->next = b->shared;
		b->shared = pg;
		b->nshared = 0;
	}
	((struct page **)page_va(b->shared))[b->nshared++] = p;
}

/* ---- creating and running ------------------------------------------------- */

/* A root with no user entries and the kernel's half copied: each half
 * written once (fork makes one per child). 0 or -ENOMEM. */
static int root_alloc(paddr_t *pa)
{
	struct page *p = buddy_alloc(0, GFP_KERNEL, OWNER_PGTABLE);
	pte_t *t;
	unsigned int i;

	if (!p)
		return -ENOMEM;
	*pa = page_to_pa(p);
	t = pt_table(*pa);
	memset(t, 0, KERNEL_ROOT_FIRST * sizeof(pte_t));
	for (i = KERNEL_ROOT_FIRST; i < PT_ENTRIES; i += 8)
		COPY8(t, kernel_root, i);
	return 0;
}

struct addr_space *as_create(void)
{
	struct addr_space *as = kzalloc(sizeof(*as), 0);
	paddr_t root;

	if (!as)
		return NULL;
	if (root_alloc(&root)) {
		kfree(as);
		return NULL;
	}
	as->pm = (struct pagemapper){ root, &pt_page_ops, 0 };
	as->mmap_base = STACK_TOP - MMAP_GAP;
	as->users = 1;
	return as;
}

void as_get(struct addr_space *as)
{
	__atomic_fetch_add(&as->users, 1, __ATOMIC_RELAXED);
}

bool as_put(struct addr_space *as)
{
	return __atomic_sub_fetch(&as->users, 1, __ATOMIC_ACQ_REL) == 0;
}

/*
 * No hart holds entries of @as: each VMA's frames are dropped at once
 * (as_put_frames), its other entries only counted out of rss, and then
 * every table goes in one sweep (tables exist only under VMAs: the fault
 * path makes one only to map a page).
 */
void as_destroy(struct addr_space *as)
{
	struct as_batch b = AS_BATCH_INIT;
	vaddr_t lo = USER_TOP, hi = 0;
	struct vma *v;
	unsigned long irq;

	BUG_ON(hartmask_read(&as->harts));      /* active nowhere */
	irq = spin_lock_irqsave(&as->lock);     /* for the assertions below it */
	while ((v = as->vmas.root)) {
		struct as_vma *av = vma_of(v);

		lo = MIN(lo, v->start);
		hi = MAX(hi, v->end);
		as_put_frames(as, av, v->start, v->end);
		as_vma_remove(as, av, &b);
	}
	pm_free_tables(&as->pm, lo, hi);
	batch_release(&b);
	spin_unlock_irqrestore(&as->lock, irq);
	BUG_ON(as->pm.tables || as->rss);
	pt_page_free(as->pm.root_pa);
	kfree(as);
}

void as_activate(struct addr_space *as)
{
	struct hart *h = this_hart();
	unsigned long asid;

	hartmask_set(&as->harts, h->cpu);
	asid = asid_get(&as->asid);
	arch_set_root(as->pm.root_pa, asid);
	h->as = as;
}

void as_deactivate(struct addr_space *as)
{
	struct hart *h = this_hart();

	arch_set_root(kernel_root_pa, 0);
	local_flush_tlb_asid(as_asid(as));     /* nothing of it stays here */
	hartmask_clear(&as->harts, h->cpu);
	h->as = NULL;
}

/* ---- VMAs ------------------------------------------------------------------- */

u64 vm_max_map_count = DEFAULT_MAX_MAP_COUNT;

struct as_vma *as_vma_alloc(struct addr_space *as)
{
	struct as_vma *v = kzalloc(sizeof(*v), 0);

	assert_held(&as->lock);
	if (v)
		as->spare++;
	return v;
}

/* Linux's split_vma() refuses a split once the process has
 * vm_max_map_count VMAs; the ones allocated for this call count, as
 * Linux would have split them off already. */
struct as_vma *as_vma_alloc_split(struct addr_space *as)
{
	if (as->vmas.count + as->spare >= vm_max_map_count)
		return NULL;
	return as_vma_alloc(as);
}

/* Give back a VMA from as_vma_alloc that was never inserted. */
void as_vma_unused(struct addr_space *as, struct as_vma *v)
{
	if (v) {
		as->spare--;
		kfree(v);
	}
}

void as_vma_insert(struct addr_space *as, struct as_vma *v)
{
	assert_held(&as->lock);
	as->spare--;
	BUG_ON(vma_insert(&as->vmas, &v->node));
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		as->none_vmas++;
}

/*
 * Take @v out of the tree (its pages must be unmapped). It is released
 * after @b's flush; with @b NULL at once, which is right only when its
 * backing stays referenced anyway (a merge into a neighbour that views
 * the same object).
 */
void as_vma_remove(struct addr_space *as, struct as_vma *v, struct as_batch *b)
{
	assert_held(&as->lock);
	vma_remove(&as->vmas, &v->node);
	if (as->fault_hint == v)
		as->fault_hint = NULL;
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		as->none_vmas--;
	if (b) {
		v->next_dead = b->dead;
		b->dead = v;
	} else {
		vma_release(v);
	}
}

void as_vma_set_prot(struct addr_space *as, struct as_vma *v, u32 prot)
{
	bool was_none = !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
	bool is_none = !(prot & (PROT_READ | PROT_WRITE | PROT_EXEC));

	as->none_vmas += (int)is_none - (int)was_none;
	v->prot = prot;
}

/* Move @v's backing @delta bytes on, for a VMA that now starts @delta
 * bytes later. */
void as_vma_advance(struct as_vma *v, u64 delta)
{
	v->pgoff += delta >> PAGE_SHIFT;
}

void as_vma_copy(struct as_vma *n, const struct as_vma *v, vaddr_t start, vaddr_t end)
{
	*n = *v;
	memset(&n->node, 0, sizeof(n->node));
	n->node.start = start;
	n->node.end = end;
	as_vma_advance(n, start - v->node.start);
	if (n->ops->copy)
		n->ops->copy(n);
}


/*
 * Split @v at @addr (inside it) using @n, which becomes [addr, end) with
 * the same backing; @v keeps [start, addr). Cannot fail.
 */
void as_vma_split(struct addr_space *as, struct as_vma *v, vaddr_t addr, struct as_vma *n)
{
	BUG_ON(addr <= v->node.start || addr >= v->node.end || !IS_ALIGNED(addr, PAGE_SIZE));
	as_vma_copy(n, v, addr, v->node.end);
	v->node.end = addr;     /* shrinking an end keeps the tree's order */
	vma_update(&as->vmas, &v->node);
	as_vma_insert(as, n);
}

/* @a directly below @b, the same mapping in all but place, with
 * continuous backing, and the backend agrees. */
static bool can_merge(const struct as_vma *a, const struct as_vma *b)
{
	u64 pages = (a->node.end - a->node.start) >> PAGE_SHIFT;

	if (a->node.end != b->node.start || a->prot != b->prot || a->ops != b->ops ||
	    a->stack != b->stack || a->growsdown != b->growsdown || a->shared != b->shared ||
	    a->fork != b->fork || a->pgoff + pages != b->pgoff)
		return false;
	return !a->ops->can_merge || a->ops->can_merge(a, b);
}

/* @keep takes @gone's range (they touch); @gone leaves the tree. */
static void merge_into(struct addr_space *as, struct as_vma *keep, struct as_vma *gone,
		       vaddr_t end)
{
	if (keep->ops->merged)
		keep->ops->merged(keep, gone);
	as_vma_remove(as, gone, NULL);  /* @keep references the same backing */
	keep->node.end = end;
	vma_update(&as->vmas, &keep->node);
}

/*
 * Whether [s, e) of @v, with protection @prot and fork flags @fork, would
 * merge with the VMA before @v (when s is its start) or after it (when e
 * is its end). Linux then moves the boundary between the two instead of
 * splitting @v, so the VMA limit does not apply.
 */
bool as_vma_part_joins(struct addr_space *as, struct as_vma *v, vaddr_t s, vaddr_t e,
		       u32 prot, u8 fork)
{
	struct as_vma t = *v;
	struct vma *n;

	t.node.start = s;
	t.node.end = e;
	as_vma_advance(&t, s - v->node.start);
	t.prot = prot;
	t.fork = fork;
	if (s == v->node.start && s && (n = vma_find(&as->vmas, s - 1)))
		return can_merge(vma_of(n), &t);
	if (e == v->node.end && (n = vma_next(&as->vmas, &v->node)))
		return can_merge(&t, vma_of(n));
	return false;
}

/* Merge @v with its neighbours where they are compatible; the survivor. */
struct as_vma *as_vma_merge_around(struct addr_space *as, struct as_vma *v)
{
	struct vma *pn = v->node.start ? vma_find(&as->vmas, v->node.start - 1) : NULL;
	struct vma *nn = vma_next(&as->vmas, &v->node);

	if (nn && can_merge(v, vma_of(nn)))
		merge_into(as, v, vma_of(nn), nn->end);
	if (pn && can_merge(vma_of(pn), v)) {
		struct as_vma *p = vma_of(pn);

		merge_into(as, p, v, v->node.end);
		v = p;
	}
	return v;
}

/* ---- zapping -------------------------------------------------------------- */

struct zap_ctx {
	struct addr_space *as;
	struct as_batch *b;
	bool owned;                     /* the frames belong to the entries */
	paddr_t zero_pa;
};

static int zap_leaf(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct zap_ctx *z = arg;
	struct page *p;
	paddr_t pa;

	BUG_ON(level != 0);             /* user mappings are 4 KiB pages */
	BUG_ON(pm_unmap(&z->as->pm, va, &pa, NULL, &z->b->fl));
	if (z->owned && pa == z->zero_pa)
		return 0;               /* not in rss, never freed */
	z->as->rss--;
	if (!z->owned)
		return 0;
	p = pa_to_page(pa);
	if (frame_is_exclusive(p)) {    /* freed after the flush */
		p->next = z->b->frames;
		z->b->frames = p;
	} else {
		batch_hold_shared(z->as, z->b, p);
	}
	return 0;
}

/* Unmap the pages of [start, end), which lies inside @v; private frames
 * go on @b, to lose their reference after its flush. */
void as_zap(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end,
	    struct as_batch *b)
{
	struct zap_ctx z = { as, b, v->ops->owns_frames, as_zero_pa() };
	const struct pm_walk_ops ops = { .leaf = zap_leaf };

	if (start < end)
		pm_walk_range(&as->pm, start, end, &ops, &z);
}

struct put_ctx {
	u64 mapped;                     /* entries counted in rss */
	paddr_t zero_pa;
};

static void put_run(pte_t *slots, u64 n, void *arg)
{
	struct put_ctx *c = arg;
	const struct mem_bank b0 = mem_banks[0];
	const paddr_t zero_pa = c->zero_pa;
	u64 i, mapped = 0;

	for_each_valid_pte(slots, i, n) {
		paddr_t pa = pte_pa(slots[i]);
		struct page *p;

		if (pa == zero_pa)
			continue;
		mapped++;
		p = frame_of(&b0, pa);
		if (frame_put_last(p))
			buddy_free(p, 0);
	}
	c->mapped += mapped;
}

static void count_run(pte_t *slots, u64 n, void *arg)
{
	struct put_ctx *c = arg;
	u64 i;

	for_each_valid_pte(slots, i, n)
		c->mapped++;
}

/* The entries stay: as_destroy frees their tables whole. */
void as_put_frames(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end)
{
	struct put_ctx c = { 0, as_zero_pa() };

	assert_held(&as->lock);
	pm_for_each_table(&as->pm, start, end, v->ops->owns_frames ? put_run : count_run, &c);
	as->rss -= c.mapped;
}

/* ---- faults ---------------------------------------------------------------- */

static bool access_allowed(u32 prot, int access)
{
	if (access == FAULT_WRITE)
		return prot & PROT_WRITE;
	if (access == FAULT_EXEC)
		return prot & PROT_EXEC;
	return prot & (PROT_READ | PROT_WRITE);
}

/*
 * A fault on the present entry @s of @va. When the entry lets the user
 * make @access, a stale TLB entry faulted. A write to an entry marked
 * copy-on-write (the VMA allows it: the caller checked) goes to the
 * backend's cow hook. Anything else would fault again forever, so it is
 * refused. Out of line, to keep the missing-page path short; the hook is
 * a tail call.
 */
static __noinline __fastpath int fault_present(struct addr_space *as, struct as_vma *v,
					       vaddr_t va, struct pm_slot *s, int access)
{
	pte_t pte = *s->pte;
	u64 need = access == FAULT_WRITE ? PTE_W : access == FAULT_EXEC ? PTE_X : PTE_R;

	if (!(pte & PTE_U))
		return -EACCES;
	if (pte & need)
		return 0;
	if (access == FAULT_WRITE && pte_is_cow(pte) && v->ops->cow)
		return v->ops->cow(as, v, va, s);
	return -EACCES;
}

/* The page at @va of @v for @access: a missing one from the backend, a
 * present one through fault_present. 0, or an error of vma_ops.fault. */
static int fault_page(struct addr_space *as, struct as_vma *v, vaddr_t va, int access)
{
	struct pm_slot s;
	int err = pm_slot(&as->pm, va, &s);    /* -ENOENT: no table yet */

	if (s.pte && pte_is_valid(*s.pte))
		return fault_present(as, v, va, &s, access);
	if (err == -EEXIST)
		return -EFAULT;         /* a larger leaf: never in user space */
	return v->ops->fault(as, v, va, &s, access);
}

/*
 * The VMA containing @addr, or NULL. Faults come in runs on one VMA, so
 * the last one found is tried first: while it is in the tree (removal
 * clears the hint) and contains @addr, it is the VMA containing @addr.
 */
static struct as_vma *fault_vma(struct addr_space *as, vaddr_t addr)
{
	struct as_vma *v = as->fault_hint;
	struct vma *n;

	if (v && addr - v->node.start < v->node.end - v->node.start)
		return v;
	n = vma_find(&as->vmas, addr);
	if (!n)
		return NULL;
	as->fault_hint = vma_of(n);
	return as->fault_hint;
}

int as_futex_key(struct addr_space *as, vaddr_t uaddr, bool private, bool read,
		 struct futex_key *k)
{
	struct as_vma *v;
	unsigned long irq;
	int err = 0;

	*k = (struct futex_key){ (u64)as, uaddr };
	if (uaddr >= USER_TOP)
		return -EFAULT;
	if (private && !read)
		return 0;
	irq = spin_lock_irqsave(&as->lock);
	v = fault_vma(as, uaddr);
	if (!v || (read && !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC))))
		err = -EFAULT;
	else if (!private && v->shared && v->ops->object)
		*k = (struct futex_key){ (u64)v->ops->object(v),
					 (v->pgoff << PAGE_SHIFT) + (uaddr - v->node.start) };
	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

static int fault_locked(struct addr_space *as, vaddr_t addr, int access)
{
	vaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	struct as_vma *v;
	int err;

	assert_held(&as->lock);
	v = fault_vma(as, addr);
	if (!v)
		return -EFAULT;
	if (!access_allowed(v->prot, access))
		return -EACCES;         /* mapped, but not for this: SEGV_ACCERR */
	err = fault_page(as, v, va, access);
	/* An invalid entry may have been cached: flush this page here. Other
	 * harts that cached it fault once and find it mapped. */
	local_flush_tlb_page_asid(va, as_asid(as));
	return err;
}

int as_fault(struct addr_space *as, vaddr_t addr, int access)
{
	unsigned long irq = spin_lock_irqsave(&as->lock);
	int err = fault_locked(as, addr, access);

	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

/* Map every page of [start, end) inside @v that is not mapped yet, as
 * Linux's populate does: by write faults when @v is writable, else by
 * read faults (new entries only: nothing stale to flush). */
int as_populate(struct addr_space *as, struct as_vma *v, vaddr_t start, vaddr_t end)
{
	int access = (v->prot & PROT_WRITE) ? FAULT_WRITE : FAULT_READ;
	struct pm_slot s;
	vaddr_t va;
	int err = 0;

	assert_held(&as->lock);
	for (va = start; va < end && !err; va += PAGE_SIZE) {
		if (pm_slot(&as->pm, va, &s) == -EEXIST)
			err = -EFAULT;
		else if (!s.pte || !pte_is_valid(*s.pte))       /* s.pte NULL: no table yet */
			err = v->ops->fault(as, v, va, &s, access);
	}
	return err;
}

bool as_user_readable_slow(struct addr_space *as, vaddr_t addr, u64 size)
{
	vaddr_t end = addr + size;
	unsigned long irq;
	struct vma *n;
	bool ok = true;

	irq = spin_lock_irqsave(&as->lock);
	for (n = vma_find_after(&as->vmas, addr); n && n->start < end;
	     n = vma_next(&as->vmas, n))
		if (!(vma_of(n)->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			ok = false;
	spin_unlock_irqrestore(&as->lock, irq);
	return ok;
}

/* ---- kernel-side mappings -------------------------------------------------- */

/* Insert @tmpl's copy (a range, a protection and a backend set up) where
 * nothing is mapped yet. */
static int map_new(struct addr_space *as, const struct as_vma *tmpl, bool populate)
{
	vaddr_t start = tmpl->node.start, end = tmpl->node.end;
	struct vma *next;
	struct as_vma *v;

	assert_held(&as->lock);
	if (!end || !IS_ALIGNED(start | end, PAGE_SIZE) || start >= end || end > USER_TOP)
		return -EINVAL;
	next = vma_find_after(&as->vmas, start);
	if (next && next->start < end)
		return -EEXIST;
	v = as_vma_alloc(as);
	if (!v)
		return -ENOMEM;
	*v = *tmpl;
	as_vma_insert(as, v);
	if (populate)
		as_populate(as, v, start, end);
	return 0;
}

/* map_new under the lock, for callers outside mm/. */
static int map_new_locked(struct addr_space *as, const struct as_vma *tmpl, bool populate)
{
	unsigned long irq = spin_lock_irqsave(&as->lock);
	int err = map_new(as, tmpl, populate);

	spin_unlock_irqrestore(&as->lock, irq);
	return err;
}

static struct as_vma vma_template(vaddr_t start, u64 len, u32 prot)
{
	return (struct as_vma){ .node = { .start = start, .end = start + len }, .prot = prot };
}

int as_map_anon_locked(struct addr_space *as, vaddr_t start, u64 len, u32 prot)
{
	struct as_vma t = vma_template(start, len, prot);

	anon_setup(&t);
	return map_new(as, &t, false);
}

bool as_vma_extend_anon(struct addr_space *as, struct as_vma *v, vaddr_t end, u32 prot)
{
	struct as_vma t = vma_template(v->node.end, end - v->node.end, prot);

	assert_held(&as->lock);
	BUG_ON(end <= v->node.end || !IS_ALIGNED(end, PAGE_SIZE));
	anon_setup(&t);
	if (!can_merge(v, &t))
		return false;
	v->node.end = end;      /* the range up to end is free: the order holds */
	vma_update(&as->vmas, &v->node);
	return true;
}

int as_map_anon(struct addr_space *as, vaddr_t start, u64 len, u32 prot, bool populate)
{
	struct as_vma t = vma_template(start, len, prot);

	anon_setup(&t);
	return map_new_locked(as, &t, populate);
}

/* The process stack: what Linux marks VM_GROWSDOWN, for brk's gap. */
int as_map_stack(struct addr_space *as, vaddr_t start, u64 len)
{
	struct as_vma t = vma_template(start, len, PROT_READ | PROT_WRITE);

	anon_setup(&t);
	t.growsdown = true;
	return map_new_locked(as, &t, false);
}

int as_map_file(struct addr_space *as, vaddr_t start, u64 len, u32 prot,
		const struct map_file *f, u64 foff, u64 fend)
{
	struct as_vma t = vma_template(start, len, prot);

	if (!IS_ALIGNED(foff, PAGE_SIZE))
		return -EINVAL;
	file_setup(&t, f, foff, fend);
	return map_new_locked(as, &t, false);
}

int as_map_linear(struct addr_space *as, vaddr_t start, u64 len, u32 prot, paddr_t pa)
{
	struct as_vma t = vma_template(start, len, prot);

	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	linear_setup(&t, pa);
	return map_new_locked(as, &t, false);
}
