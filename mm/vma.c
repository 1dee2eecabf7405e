/*
 * vma: the AVL tree of an address space's VMAs (see include/pagoda/vma.h).
 *
 * Invariants (vma_tree_check): in-order traversal is sorted by start with
 * no overlap; for every node |height(left) - height(right)| <= 1 and
 * height = 1 + the larger; sub_start/sub_end are the first start and last
 * end in the subtree; sub_gap is the largest start - end between two
 * neighbours in the subtree (0 for one VMA).
 */
#include <pagoda/vma.h>
#include <pagoda/errno.h>

static int height(const struct vma *n)
{
	return n ? n->height : 0;
}

static void update(struct vma *n)
{
	struct vma *l = n->left, *r = n->right;
	u64 gap = 0;

	n->height = 1 + MAX(height(l), height(r));
	n->sub_start = l ? l->sub_start : n->start;
	n->sub_end = r ? r->sub_end : n->end;
	if (l)
		gap = MAX(l->sub_gap, n->start - l->sub_end);
	if (r)
		gap = MAX(gap, MAX(r->sub_gap, r->sub_start - n->end));
	n->sub_gap = gap;
}

static struct vma *rotate_right(struct vma *n)
{
	struct vma *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct vma *rotate_left(struct vma *n)
{
	struct vma *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

static struct vma *balance(struct vma *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct vma *insert(struct vma *n, struct vma *v)
{
	if (!n)
		return v;
	if (v->start < n->start)
		n->left = insert(n->left, v);
	else
		n->right = insert(n->right, v);
	return balance(n);
}

int vma_insert(struct vma_tree *t, struct vma *v)
{
	struct vma *next = vma_find_after(t, v->start);

	if (v->start >= v->end || (next && next->start < v->end))
		return v->start >= v->end ? -EINVAL : -EEXIST;
	v->left = v->right = NULL;
	update(v);
	t->root = insert(t->root, v);
	t->count++;
	return 0;
}

/* Detach the leftmost node of @n into *@min; return the new subtree. */
static struct vma *take_min(struct vma *n, struct vma **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = take_min(n->left, min);
	return balance(n);
}

static struct vma *remove(struct vma *n, struct vma *v)
{
	struct vma *m;

	if (n == v) {
		if (!n->left || !n->right)
			return n->left ? n->left : n->right;
		n->right = take_min(n->right, &m);
		m->left = n->left;
		m->right = n->right;
		return balance(m);
	}
	if (v->start < n->start)
		n->left = remove(n->left, v);
	else
		n->right = remove(n->right, v);
	return balance(n);
}

void vma_remove(struct vma_tree *t, struct vma *v)
{
	t->root = remove(t->root, v);
	t->count--;
	v->left = v->right = NULL;
}

static void refresh(struct vma *n, const struct vma *v)
{
	if (n == v) {
		update(n);
		return;
	}
	refresh(v->start < n->start ? n->left : n->right, v);
	update(n);
}

void vma_update(struct vma_tree *t, struct vma *v)
{
	refresh(t->root, v);
}

struct vma *vma_find_after(const struct vma_tree *t, vaddr_t addr)
{
	struct vma *n = t->root, *best = NULL;

	while (n) {
		if (addr < n->end) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_find(const struct vma_tree *t, vaddr_t addr)
{
	struct vma *v = vma_find_after(t, addr);

	return v && v->start <= addr ? v : NULL;
}

struct vma *vma_next(const struct vma_tree *t, const struct vma *v)
{
	return vma_find_after(t, v->end);
}

/* ---- gap search -------------------------------------------------------- */

struct gap_query {
	u64 len, align;
	vaddr_t lo, hi;
};

/* The lowest or highest fitting address inside the free range [a, b). */
static vaddr_t fit(const struct gap_query *q, vaddr_t a, vaddr_t b, bool high)
{
	vaddr_t x;

	a = MAX(a, q->lo);
	b = MIN(b, q->hi);
	if (a >= b || b - a < q->len)
		return VMA_NONE;
	if (high) {
		x = ALIGN_DOWN(b - q->len, q->align);
		return x >= a ? x : VMA_NONE;
	}
	x = ALIGN_UP(a, q->align);
	return x >= a && x <= b - q->len ? x : VMA_NONE;
}

/*
 * Lowest fit in the subtree @n together with the free range that precedes
 * its first VMA, starting at @before. The range after its last VMA is the
 * caller's. Subtrees whose gaps are all too small, or lie below lo, are
 * skipped.
 */
static vaddr_t lowest(const struct gap_query *q, const struct vma *n, vaddr_t before)
{
	vaddr_t x;

	if (!n || n->sub_end <= q->lo || before >= q->hi ||
	    MAX(n->sub_gap, n->sub_start - before) < q->len)
		return VMA_NONE;
	x = lowest(q, n->left, before);
	if (x != VMA_NONE)
		return x;
	x = fit(q, n->left ? n->left->sub_end : before, n->start, false);
	if (x != VMA_NONE)
		return x;
	return lowest(q, n->right, n->end);
}

/* The mirror image: the free range after the subtree's last VMA, up to
 * @after, is included; the one before its first VMA is the caller's. */
static vaddr_t highest(const struct gap_query *q, const struct vma *n, vaddr_t after)
{
	vaddr_t x;

	if (!n || n->sub_start >= q->hi || after <= q->lo ||
	    MAX(n->sub_gap, after - n->sub_end) < q->len)
		return VMA_NONE;
	x = highest(q, n->right, after);
	if (x != VMA_NONE)
		return x;
	x = fit(q, n->end, n->right ? n->right->sub_start : after, true);
	if (x != VMA_NONE)
		return x;
	return highest(q, n->left, n->start);
}

static bool query_ok(const struct gap_query *q)
{
	return q->len && q->align && !(q->align & (q->align - 1)) && q->lo < q->hi;
}

vaddr_t vma_gap_lowest(const struct vma_tree *t, u64 len, u64 align, vaddr_t lo, vaddr_t hi)
{
	struct gap_query q = { len, align, lo, hi };
	vaddr_t x;

	if (!query_ok(&q))
		return VMA_NONE;
	if (!t->root)
		return fit(&q, lo, hi, false);
	x = lowest(&q, t->root, lo);
	return x != VMA_NONE ? x : fit(&q, t->root->sub_end, hi, false);
}

vaddr_t vma_gap_highest(const struct vma_tree *t, u64 len, u64 align, vaddr_t lo, vaddr_t hi)
{
	struct gap_query q = { len, align, lo, hi };
	vaddr_t x;

	if (!query_ok(&q))
		return VMA_NONE;
	if (!t->root)
		return fit(&q, lo, hi, true);
	x = highest(&q, t->root, hi);
	return x != VMA_NONE ? x : fit(&q, lo, t->root->sub_start, true);
}

/* ---- checks ------------------------------------------------------------------ */

/* Check @n's subtree; *@last is the end of the VMA before it (in order). */
static int check(const struct vma *n, vaddr_t *last, bool *first)
{
	struct vma copy;

	if (!n)
		return 0;
	if (check(n->left, last, first))
		return -EINVAL;
	if (n->start >= n->end || (!*first && n->start < *last))
		return -EINVAL;
	*first = false;
	*last = n->end;
	if (check(n->right, last, first))
		return -EINVAL;
	copy = *n;
	update(&copy);
	if (copy.height != n->height || copy.sub_start != n->sub_start ||
	    copy.sub_end != n->sub_end || copy.sub_gap != n->sub_gap ||
	    height(n->left) - height(n->right) > 1 || height(n->right) - height(n->left) > 1)
		return -EINVAL;
	return 0;
}

int vma_tree_check(const struct vma_tree *t)
{
	vaddr_t last = 0;
	bool first = true;

	return check(t->root, &last, &first);
}
