/*
 * pagemapper: the Sv39 walker and the map/unmap/protect operations on it
 * (see include/pagoda/pagemapper.h). PTE bits only through asm/pte.h.
 *
 * Invariants: a table page's struct page->inuse is the number of valid
 * entries in it (pm_recount sets it for tables made before struct pages
 * existed); a table whose count drops to 0 is unlinked and put on the
 * flush's deferred list, never freed before that flush has run; the root
 * is never freed here.
 */
#include <pagoda/pagemapper.h>
#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>

#define PROT_BITS (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G)
#define LIN_MASK  ((1ul << VA_BITS) - 1)

static bool va_canonical(vaddr_t va)
{
	return (vaddr_t)((s64)(va << (64 - VA_BITS)) >> (64 - VA_BITS)) == va;
}

static vaddr_t va_sext(vaddr_t lin)
{
	return (vaddr_t)((s64)(lin << (64 - VA_BITS)) >> (64 - VA_BITS));
}

static bool prot_valid(u64 prot)
{
	return !(prot & ~(PROT_BITS | PTE_COW)) && (prot & (PTE_R | PTE_X)) &&
	       (!(prot & PTE_W) || (prot & PTE_R));
}

static void count_add(paddr_t table_pa, int delta)
{
	struct page *p = pa_to_page(table_pa);

	if (p)
		p->inuse += delta;
}

static void count_set(paddr_t table_pa, unsigned int n)
{
	struct page *p = pa_to_page(table_pa);

	if (p)
		p->inuse = n;
}

static unsigned int count_of(paddr_t table_pa)
{
	struct page *p = pa_to_page(table_pa);

	return p ? p->inuse : 1;        /* unknown: never treated as empty */
}

/*
 * Walk to @level for @va, recording the path in @w. Stops early at a leaf
 * above @level (-EEXIST) or at a hole (-ENOENT); w->slot and w->level
 * then name that entry. Calls nothing and is inlined, so a walk that
 * finds its path costs no call and no saved registers.
 */
static __always_inline int walk_path(struct pagemapper *pm, vaddr_t va, int level, struct pm_pos *w)
{
	paddr_t tpa = pm->root_pa;
	pte_t *slot;
	int l;

	for (l = PT_LEVELS - 1; ; l--) {
		slot = &pt_table(tpa)[pt_index(va, l)];
		w->table_pa[l] = tpa;
		if (l == level || !pte_is_valid(*slot) || pte_is_leaf(*slot))
			break;
		tpa = pte_pa(*slot);
	}
	w->slot = slot;
	w->level = l;
	if (l == level)
		return 0;
	return pte_is_valid(*slot) ? -EEXIST : -ENOENT;
}

/*
 * @w stops at a hole above @level: allocate the tables the path lacks,
 * all before any is linked (so -ENOMEM leaves the tree as it was and the
 * pages, never reachable, go straight back), then link them top-down and
 * complete @w to @level.
 */
static __noinline int walk_create(struct pagemapper *pm, vaddr_t va, int level,
				  struct pm_pos *w)
{
	paddr_t fresh[PT_LEVELS];
	int n, l;

	for (n = 0; n < w->level - level; n++) {
		if (pm->ops->alloc(&fresh[n])) {
			while (n--)
				pm->ops->free(fresh[n]);
			return -ENOMEM;
		}
	}
	pm->tables += n;
	for (n = 0, l = w->level; l > level; l--, n++) {
		count_set(fresh[n], 0);
		*w->slot = pte_mktable(fresh[n]);
		count_add(w->table_pa[l], 1);
		w->table_pa[l - 1] = fresh[n];
		w->slot = &pt_table(fresh[n])[pt_index(va, l - 1)];
	}
	w->level = level;
	return 0;
}

/* walk_path, and with @create the tables the path lacks. */
static int walk(struct pagemapper *pm, vaddr_t va, int level, bool create,
		struct pm_pos *w)
{
	int err = walk_path(pm, va, level, w);

	if (likely(err != -ENOENT) || !create)
		return err;
	return walk_create(pm, va, level, w);
}

pte_t *pm_walk(struct pagemapper *pm, vaddr_t va, int level, bool create, int *err)
{
	struct pm_pos w;

	*err = walk(pm, va, level, create, &w);
	return *err ? NULL : w.slot;
}

void pm_flush_add(struct pm_flush *fl, vaddr_t start, vaddr_t end)
{
	if (!end) {             /* up to 2^64: no tlb_batch range says that */
		fl->tlb.all = true;
		return;
	}
	if (fl->tlb.start >= fl->tlb.end) {
		fl->tlb.start = start;
		fl->tlb.end = end;
		return;
	}
	fl->tlb.start = MIN(fl->tlb.start, start);
	fl->tlb.end = MAX(fl->tlb.end, end);
}

static void defer_free(struct pagemapper *pm, struct pm_flush *fl, paddr_t pa)
{
	struct page *p = pa_to_page(pa);

	BUG_ON(!p);
	p->next = fl->deferred;
	fl->deferred = p;
	fl->ops = pm->ops;
	pm->tables--;
}

/*
 * Unlink and defer every table on @va's path (recorded in @w down to
 * w->level) that has become empty, lowest first; the root stays.
 */
static void prune(struct pagemapper *pm, vaddr_t va, const struct pm_pos *w,
		  struct pm_flush *fl)
{
	int l;

	for (l = w->level; l < PT_LEVELS - 1; l++) {
		paddr_t tpa = w->table_pa[l], parent = w->table_pa[l + 1];
		vaddr_t base = ALIGN_DOWN(va, LEVEL_SIZE(l + 1));

		if (count_of(tpa) != 0)
			return;
		pt_table(parent)[pt_index(va, l + 1)] = 0;
		count_add(parent, -1);
		defer_free(pm, fl, tpa);
		pm_flush_add(fl, base, base + LEVEL_SIZE(l + 1));
	}
}

/* Fill the empty slot @w found at @level with a leaf for @pa. */
static __always_inline void fill_leaf(const struct pm_pos *w, vaddr_t va, paddr_t pa,
				      int level, u64 prot, struct pm_flush *fl)
{
	*w->slot = pte_mkleaf(pa, prot);
	if (fl)
		pm_flush_add(fl, va, va + LEVEL_SIZE(level));
	count_add(w->table_pa[level], 1);
}

/* pm_map where the walk @w stopped at a hole above @level. */
static __noinline int map_into_hole(struct pagemapper *pm, vaddr_t va, paddr_t pa,
				    int level, u64 prot, struct pm_flush *fl,
				    struct pm_pos *w)
{
	int err = walk_create(pm, va, level, w);

	if (err)
		return err;
	fill_leaf(w, va, pa, level, prot, fl);
	return 0;
}

/*
 * The tables usually exist: then the walk is inline and fill_leaf() is the
 * last thing done, so this path keeps nothing across a call.
 */
int pm_map(struct pagemapper *pm, vaddr_t va, paddr_t pa, int level, u64 prot,
	   struct pm_flush *fl)
{
	struct pm_pos w;
	int err;

	/* Aligned to a level size (< 2^38), va is canonical to its end as well. */
	if (level < 0 || level >= PT_LEVELS || !IS_ALIGNED(va | pa, LEVEL_SIZE(level)) ||
	    !va_canonical(va) || pa >> 56 || !prot_valid(prot))
		return -EINVAL;
	err = walk_path(pm, va, level, &w);
	if (unlikely(err == -ENOENT))   /* allocates only into a hole */
		return map_into_hole(pm, va, pa, level, prot, fl, &w);
	if (err)
		return err;
	if (pte_is_valid(*w.slot))
		return -EEXIST;
	fill_leaf(&w, va, pa, level, prot, fl);
	return 0;
}

/*
 * Find the leaf that maps @va (it must start exactly at @va), recording
 * the path in @w: one walk from the root.
 */
static int find_leaf(struct pagemapper *pm, vaddr_t va, struct pm_pos *w)
{
	paddr_t tpa = pm->root_pa;
	int l;

	if (!va_canonical(va) || !IS_ALIGNED(va, PAGE_SIZE))
		return -EINVAL;
	for (l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t *slot = &pt_table(tpa)[pt_index(va, l)];

		w->table_pa[l] = tpa;
		w->slot = slot;
		w->level = l;
		if (!pte_is_valid(*slot))
			return -ENOENT;
		if (pte_is_leaf(*slot))
			return IS_ALIGNED(va, LEVEL_SIZE(l)) ? 0 : -EINVAL;
		tpa = pte_pa(*slot);
	}
	return -ENOENT;
}

int pm_unmap(struct pagemapper *pm, vaddr_t va, paddr_t *pa, int *level,
	     struct pm_flush *fl)
{
	struct pm_pos w;
	int err = find_leaf(pm, va, &w);

	if (err)
		return err;
	if (pa)
		*pa = pte_pa(*w.slot);
	if (level)
		*level = w.level;
	*w.slot = 0;
	count_add(w.table_pa[w.level], -1);
	pm_flush_add(fl, va, va + LEVEL_SIZE(w.level));
	prune(pm, va, &w, fl);
	return 0;
}

/* Rewrite the leaf at @va in one store: to @pa, or its own frame (~0). */
static int set_leaf(struct pagemapper *pm, vaddr_t va, paddr_t pa, u64 prot,
		    struct pm_flush *fl)
{
	struct pm_pos w;
	int err;

	if (!prot_valid(prot))
		return -EINVAL;
	err = find_leaf(pm, va, &w);
	if (err)
		return err;
	if (pa == ~0ull)
		pa = pte_pa(*w.slot);
	if (!IS_ALIGNED(pa, LEVEL_SIZE(w.level)) || pa >> 56)
		return -EINVAL;
	WRITE_ONCE(*w.slot, pte_mkleaf(pa, prot));
	pm_flush_add(fl, va, va + LEVEL_SIZE(w.level));
	return 0;
}

int pm_protect(struct pagemapper *pm, vaddr_t va, u64 prot, struct pm_flush *fl)
{
	return set_leaf(pm, va, ~0ull, prot, fl);
}

int pm_remap(struct pagemapper *pm, vaddr_t va, paddr_t pa, u64 prot, struct pm_flush *fl)
{
	return pa == ~0ull ? -EINVAL : set_leaf(pm, va, pa, prot, fl);
}

int pm_translate(struct pagemapper *pm, vaddr_t va, paddr_t *pa, u64 *prot, int *level)
{
	paddr_t tpa = pm->root_pa;
	int l;

	if (!va_canonical(va))
		return -EFAULT;
	for (l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t pte = pt_table(tpa)[pt_index(va, l)];

		if (!pte_is_valid(pte))
			return -EFAULT;
		if (pte_is_leaf(pte)) {
			if (pa)
				*pa = pte_pa(pte) + (va & (LEVEL_SIZE(l) - 1));
			if (prot)
				*prot = pte_prot(pte);
			if (level)
				*level = l;
			return 0;
		}
		tpa = pte_pa(pte);
	}
	return -EFAULT;
}

/* ---- ranges ------------------------------------------------------------- */

struct range_walk {
	const struct pm_walk_ops *ops;
	void *arg;
	vaddr_t start, end;             /* linear (39-bit) addresses */
};

static int walk_table(struct range_walk *rw, paddr_t tpa, int level, vaddr_t base)
{
	u64 size = LEVEL_SIZE(level);
	vaddr_t lo = MAX(rw->start, base), hi = MIN(rw->end, base + size * PT_ENTRIES);
	vaddr_t va;
	int err = 0;

	for (va = ALIGN_DOWN(lo, size); va < hi && !err; va += size) {
		pte_t *slot = &pt_table(tpa)[(va - base) / size];

		if (!pte_is_valid(*slot))
			err = rw->ops->hole ? rw->ops->hole(va_sext(MAX(va, lo)),
					MIN(va + size, hi) - MAX(va, lo), rw->arg) : 0;
		else if (pte_is_leaf(*slot))
			err = rw->ops->leaf ? rw->ops->leaf(va_sext(va), slot, level, rw->arg) : 0;
		else
			err = walk_table(rw, pte_pa(*slot), level - 1, va);
	}
	return err;
}

int pm_walk_range(struct pagemapper *pm, vaddr_t start, vaddr_t end,
		  const struct pm_walk_ops *ops, void *arg)
{
	struct range_walk rw = { ops, arg, start & LIN_MASK, ((end - 1) & LIN_MASK) + 1 };

	if (start >= end || !va_canonical(start) || !va_canonical(end - 1) ||
	    (start ^ (end - 1)) >> (VA_BITS - 1))
		return -EINVAL;         /* empty, or across the non-canonical hole */
	return walk_table(&rw, pm->root_pa, PT_LEVELS - 1, 0);
}

/* A table (not a leaf) sits at @level for @va: a pinned one, or one in use. */
static bool table_at(struct pagemapper *pm, vaddr_t va, int level)
{
	struct pm_pos w;

	return !walk_path(pm, va, level, &w) && pte_is_valid(*w.slot) &&
	       !pte_is_leaf(*w.slot);
}

int pm_map_range(struct pagemapper *pm, vaddr_t va, paddr_t pa, u64 size, u64 prot,
		 bool small, struct pm_flush *fl)
{
	vaddr_t v = va;
	int err = 0;

	if (!size || !IS_ALIGNED(va | pa | size, PAGE_SIZE) || va + size < va)
		return -EINVAL;
	while (v < va + size && !err) {
		u64 left = va + size - v;
		int l = PT_LEVELS - 1;

		while (l > 0 && (small || !IS_ALIGNED(v | (pa + (v - va)), LEVEL_SIZE(l)) ||
				 left < LEVEL_SIZE(l) || table_at(pm, v, l)))
			l--;
		err = pm_map(pm, v, pa + (v - va), l, prot, fl);
		if (!err)
			v += LEVEL_SIZE(l);
	}
	if (err && v > va)
		pm_unmap_range(pm, va, v - va, fl);
	return err;
}

struct unmap_ctx {
	struct pagemapper *pm;
	struct pm_flush *fl;
	vaddr_t start, end;
};

static int leaf_inside(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct unmap_ctx *u = arg;

	return (va < u->start || va + LEVEL_SIZE(level) > u->end) ? -EINVAL : 0;
}

static int hole_found(vaddr_t va, u64 size, void *arg)
{
	return -ENOENT;
}

static int leaf_unmap(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct unmap_ctx *u = arg;

	return pm_unmap(u->pm, va, NULL, NULL, u->fl);
}

int pm_unmap_range(struct pagemapper *pm, vaddr_t va, u64 size, struct pm_flush *fl)
{
	struct unmap_ctx u = { pm, fl, va, va + size };
	const struct pm_walk_ops check = { .leaf = leaf_inside, .hole = hole_found };
	const struct pm_walk_ops unmap = { .leaf = leaf_unmap };
	int err;

	if (!size || !IS_ALIGNED(va | size, PAGE_SIZE) || va + size < va)
		return -EINVAL;
	err = pm_walk_range(pm, va, va + size, &check, &u);
	return err ? err : pm_walk_range(pm, va, va + size, &unmap, &u);
}

/*
 * Give the @n entries at @t that are valid the protection @set (a leaf's
 * bits), keeping their frames and copy-on-write marks; a marked entry
 * stays read-only. The test for an unmarked valid entry costs what the
 * test for a valid one did: one mask, one compare.
 */
static void protect_slots(pte_t *t, u64 n, pte_t set)
{
	const pte_t keep = ~(pte_t)(PROT_BITS | PTE_A | PTE_D);
	pte_t *stop = t + n;

	for (; t < stop; t++) {
		pte_t p = *t;

		if (unlikely((p & (PTE_V | PTE_COW)) != PTE_V)) {
			if (p & PTE_V)
				*t = ((p & keep) | set) & ~(pte_t)(PTE_W | PTE_D);
			continue;
		}
		*t = (p & keep) | set;
	}
}

/*
 * Give every 4 KiB leaf in [start, end) protection @prot, keeping its
 * frame: one walk per 2 MiB, then a tight loop over the last-level table.
 * Holes and larger leaves are skipped; a leaf marked copy-on-write keeps
 * its mark and is never made writable. The whole range goes on @fl.
 */
int pm_protect_range(struct pagemapper *pm, vaddr_t start, vaddr_t end, u64 prot,
		     struct pm_flush *fl)
{
	const pte_t set = pte_mkleaf(0, prot & ~PTE_COW);
	vaddr_t va, next;
	struct pm_pos w;

	if (!prot_valid(prot) || start >= end || !IS_ALIGNED(start | end, PAGE_SIZE) ||
	    !va_canonical(start) || !va_canonical(end - 1))
		return -EINVAL;
	for (va = start; va < end; va = next) {
		next = MIN(ALIGN_DOWN(va, LEVEL_SIZE(1)) + LEVEL_SIZE(1), end);
		if (!walk_path(pm, va, 0, &w))
			protect_slots(w.slot, (next - va) >> PAGE_SHIFT, set);
	}
	pm_flush_add(fl, start, end);
	return 0;
}

/* ---- slots and tables ------------------------------------------------------------- */

int pm_slot(struct pagemapper *pm, vaddr_t va, struct pm_slot *s)
{
	int err = walk_path(pm, va, 0, &s->pos);

	s->pte = err ? NULL : s->pos.slot;
	return err;
}

int pm_slot_make(struct pagemapper *pm, vaddr_t va, struct pm_slot *s)
{
	int err = walk_create(pm, va, 0, &s->pos);

	if (!err)
		s->pte = s->pos.slot;
	return err;
}

void pm_slot_fill(struct pm_slot *s, paddr_t pa, u64 prot)
{
	*s->pte = pte_mkleaf(pa, prot);
	count_add(s->pos.table_pa[0], 1);
}

u64 pte_skip_holes(const pte_t *t, u64 i, u64 n)
{
	for (; i < n && (i & 7); i++)
		if (pte_is_valid(t[i]))
			return i;
	for (; i + 8 <= n; i += 8)
		if ((t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] |
		     t[i + 7]) & PTE_V)
			break;
	for (; i < n; i++)
		if (pte_is_valid(t[i]))
			return i;
	return n;
}

/*
 * Where the last-level run that holds @va ends (at most @end), and the
 * walk to it in @w; when there is no such table (a hole, or a larger
 * leaf), where the entry that stopped the walk ends, and false.
 */
static bool next_run(struct pagemapper *pm, vaddr_t va, vaddr_t end, struct pm_pos *w,
		     vaddr_t *next)
{
	int err = walk_path(pm, va, 0, w);
	int l = err ? w->level : 1;

	*next = MIN(ALIGN_DOWN(va, LEVEL_SIZE(l)) + LEVEL_SIZE(l), end);
	return !err;
}

void pm_for_each_table(struct pagemapper *pm, vaddr_t start, vaddr_t end,
		       void (*fn)(pte_t *slots, u64 n, void *arg), void *arg)
{
	vaddr_t va, next;
	struct pm_pos w;

	for (va = start; va < end; va = next)
		if (next_run(pm, va, end, &w, &next))
			fn(w.slot, (next - va) >> PAGE_SHIFT, arg);
}

int pm_copy_range(struct pagemapper *dst, struct pagemapper *src, vaddr_t start, vaddr_t end,
		  u64 (*copy)(pte_t *to, pte_t *from, u64 n, void *arg), void *arg,
		  struct pm_flush *dfl)
{
	vaddr_t va, next;
	struct pm_pos w, d;
	u64 made;

	for (va = start; va < end; va = next) {
		if (!next_run(src, va, end, &w, &next))
			continue;
		if (walk(dst, va, 0, true, &d))
			return -ENOMEM;
		made = copy(d.slot, w.slot, (next - va) >> PAGE_SHIFT, arg);
		count_add(d.table_pa[0], (int)made);
		if (!made)
			prune(dst, va, &d, dfl);        /* a table made for nothing */
	}
	return 0;
}

static void free_subtree(struct pagemapper *pm, paddr_t tpa, int level);

/*
 * Free the tables under the entries t[i..n) of a table at @level + 1 and
 * clear those entries, stopping once @left valid entries were seen (a
 * table's count, when known): how many tables.
 */
static int free_children(struct pagemapper *pm, pte_t *t, u64 i, u64 n, int level, u64 left)
{
	int freed = 0;

	for (; left && (i = pte_next_valid(t, i, n)) < n; i++, left--) {
		if (pte_is_leaf(t[i]))
			continue;
		free_subtree(pm, pte_pa(t[i]), level);
		t[i] = 0;
		freed++;
	}
	return freed;
}

/* Free the table at @tpa of @level and every table below it. */
static void free_subtree(struct pagemapper *pm, paddr_t tpa, int level)
{
	if (level)
		free_children(pm, pt_table(tpa), 0, PT_ENTRIES, level - 1, count_of(tpa));
	pm->ops->free(tpa);
	pm->tables--;
}

/* The root's own count is not kept for the entries a copy filled (a
 * user root's kernel half): its scan stops at the range's end only. */
void pm_free_tables(struct pagemapper *pm, vaddr_t start, vaddr_t end)
{
	const int top = PT_LEVELS - 1;

	if (start < end)
		count_add(pm->root_pa, -free_children(pm, pt_table(pm->root_pa), pt_index(start, top),
						      pt_index(end - 1, top) + 1, top - 1, ~0ull));
}

/* ---- flushes ---------------------------------------------------------------- */

void pm_flush_merge(struct pm_flush *dst, struct pm_flush *src)
{
	if (src->tlb.start < src->tlb.end)
		pm_flush_add(dst, src->tlb.start, src->tlb.end);
	dst->tlb.all |= src->tlb.all;
	while (src->deferred) {
		struct page *p = src->deferred;

		src->deferred = p->next;
		p->next = dst->deferred;
		dst->deferred = p;
		dst->ops = src->ops;
	}
	*src = (struct pm_flush)PM_FLUSH_INIT;
}

static void free_deferred(struct pm_flush *fl)
{
	while (fl->deferred) {
		struct page *p = fl->deferred;

		fl->deferred = p->next;
		p->next = NULL;
		fl->ops->free(page_to_pa(p));
	}
}

void pm_flush_run(struct pm_flush *fl, unsigned long asid, bool global,
		  const struct hartmask *mask)
{
	arch_tlb_flush(&fl->tlb, asid, global, mask);
	free_deferred(fl);
	*fl = (struct pm_flush)PM_FLUSH_INIT;
}

void pm_flush_drop(struct pm_flush *fl)
{
	free_deferred(fl);
	*fl = (struct pm_flush)PM_FLUSH_INIT;
}

int pm_pin_table(struct pagemapper *pm, vaddr_t va, int level)
{
	struct pm_pos w;
	int err = walk(pm, va, level, true, &w);

	if (err)
		return err;
	count_add(w.table_pa[level], 1);        /* one entry nobody removes */
	return 0;
}

/* ---- recount ------------------------------------------------------------------ */

static void recount(paddr_t tpa, int level)
{
	unsigned int i, n = 0;

	for (i = 0; i < PT_ENTRIES; i++) {
		pte_t pte = pt_table(tpa)[i];

		if (!pte_is_valid(pte))
			continue;
		n++;
		if (!pte_is_leaf(pte) && level > 0)
			recount(pte_pa(pte), level - 1);
	}
	count_set(tpa, n);
}

void pm_recount(struct pagemapper *pm)
{
	recount(pm->root_pa, PT_LEVELS - 1);
}
