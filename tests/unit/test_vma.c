/*
 * test_vma: host tests of the VMA tree (mm/vma.c) against a brute-force
 * model: a sorted array of ranges. One line per case, in the format of
 * tests/unit/harness.h; $VMA_SEED (default 1) seeds the random cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pagoda/errno.h>
#include <pagoda/vma.h>

#include "harness.h"

#define SPACE   (1ul << 30)             /* addresses 0 .. 1 GiB, in pages */
#define PG      4096ul

/* Uniform in [0, n): the harness's PRNG. */
static unsigned long rnd(unsigned long n)
{
	return (unsigned long)test_rand_below(n);
}

/* ---- the model: live VMAs, kept sorted by start ------------------------- */

static struct vma **model;
static size_t nmodel;

static int cmp_start(const void *a, const void *b)
{
	const struct vma *x = *(struct vma *const *)a, *y = *(struct vma *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Index of the first VMA ending above @a (sorted by start, so by end too). */
static size_t model_after(vaddr_t a)
{
	size_t lo = 0, hi = nmodel;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (model[mid]->end > a)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool model_overlaps(vaddr_t s, vaddr_t e)
{
	size_t i = model_after(s);

	return i < nmodel && model[i]->start < e;
}

static struct vma *model_find(vaddr_t a)
{
	size_t i = model_after(a);

	return i < nmodel && model[i]->start <= a ? model[i] : NULL;
}

static bool free_at(vaddr_t a, unsigned long len)
{
	return !model_overlaps(a, a + len);
}

/* Brute force over every candidate: the ends of VMAs and the bounds. */
static vaddr_t model_gap(unsigned long len, unsigned long align, vaddr_t lo, vaddr_t hi, bool high)
{
	vaddr_t best = VMA_NONE, a;

	for (size_t i = 0; i <= nmodel * 2 + 1; i++) {
		vaddr_t base = i == nmodel * 2 ? lo : i == nmodel * 2 + 1 ? hi :
			       (i & 1) ? model[i / 2]->start : model[i / 2]->end;

		for (int k = 0; k < 2; k++) {
			a = k == 0 ? (base + align - 1) & ~(align - 1)      /* up from a free start */
				   : ((base - len) & ~(align - 1));        /* down from a free end */
			if (k == 1 && base < len)
				continue;
			if (a < lo || a + len > hi || a + len < a || !free_at(a, len))
				continue;
			if (best == VMA_NONE || (high ? a > best : a < best))
				best = a;
		}
	}
	return best;
}

/* ---- cases ---------------------------------------------------------------- */

static struct vma *new_vma(vaddr_t s, vaddr_t e)
{
	struct vma *v = calloc(1, sizeof(*v));

	v->start = s;
	v->end = e;
	return v;
}

static const char *random_ops(int ops)
{
	static char why[160];
	struct vma_tree t = { 0 };

	for (int i = 0; i < ops; i++) {
		unsigned long op = rnd(44);

		if (nmodel > 3000 && op < 16)
			op += 16;                       /* keep the model small */
		if (op < 16 || nmodel == 0) {           /* insert */
			vaddr_t s = rnd(SPACE / PG) * PG, e = s + (1 + rnd(64)) * PG;
			struct vma *v = new_vma(s, e);
			int want = model_overlaps(s, e) ? -EEXIST : 0, got = vma_insert(&t, v);

			if (got != want) {
				snprintf(why, sizeof(why), "insert [%lx,%lx): %d, expected %d", s, e, got, want);
				return why;
			}
			if (got) {
				free(v);
			} else {
				model[nmodel++] = v;
				qsort(model, nmodel, sizeof(*model), cmp_start);
			}
		} else if (op < 28) {                   /* remove */
			size_t k = rnd(nmodel);
			struct vma *v = model[k];

			vma_remove(&t, v);
			memmove(&model[k], &model[k + 1], (nmodel - k - 1) * sizeof(*model));
			nmodel--;
			free(v);
		} else if (op < 38) {                   /* find */
			vaddr_t a = rnd(SPACE);

			if (vma_find(&t, a) != model_find(a)) {
				snprintf(why, sizeof(why), "find 0x%lx disagrees with the model", a);
				return why;
			}
		} else if (op >= 40) {                  /* resize in place */
			size_t k = rnd(nmodel);
			struct vma *v = model[k];
			vaddr_t lo = k ? model[k - 1]->end : 0;
			vaddr_t hi = k + 1 < nmodel ? model[k + 1]->start : SPACE;
			vaddr_t s = lo + rnd((v->start - lo) / PG + 1) * PG;
			vaddr_t e = v->end + rnd((hi - v->end) / PG + 1) * PG;

			if (op & 1)             /* shrink instead, keeping a page */
				s = v->start + rnd((v->end - v->start) / PG) * PG, e = v->end;
			v->start = s;
			v->end = e;
			vma_update(&t, v);
			if (vma_tree_check(&t))
				return "tree invariants broken after vma_update";
		} else {                                /* gap search, low or high */
			unsigned long len = (1 + rnd(32)) * PG, align = PG << rnd(4);
			vaddr_t lo = rnd(SPACE / 2 / PG) * PG, hi = lo + rnd(SPACE / 2 / PG) * PG + PG;
			bool high = op == 39;
			vaddr_t got = high ? vma_gap_highest(&t, len, align, lo, hi)
					   : vma_gap_lowest(&t, len, align, lo, hi);
			vaddr_t want = model_gap(len, align, lo, hi, high);

			if (got != want) {
				snprintf(why, sizeof(why), "gap %s len 0x%lx align 0x%lx in [%lx,%lx): 0x%lx, expected 0x%lx",
					 high ? "highest" : "lowest", len, align, lo, hi, got, want);
				return why;
			}
		}
		if (t.count != nmodel)
			return "count differs from the model";
		if (i % 512 == 0 && vma_tree_check(&t))
			return "tree invariants broken";
	}
	while (nmodel)
		vma_remove(&t, model[--nmodel]), free(model[nmodel]);
	return t.root || t.count ? "tree not empty after removing everything" : NULL;
}

/* 100,000 VMAs: the tree stays balanced (height bounds every operation). */
static const char *many(void)
{
	static char why[128];
	static struct vma v[100000];
	struct vma_tree t = { 0 };
	vaddr_t g;

	for (long i = 0; i < 100000; i++) {
		long k = (i * 7919) % 100000;           /* not in address order */

		v[k].start = k * 2 * PG;
		v[k].end = v[k].start + PG;
		if (vma_insert(&t, &v[k]))
			return "insert failed";
	}
	if (vma_tree_check(&t) || t.root->height > 25) {
		snprintf(why, sizeof(why), "height %d for 100000 VMAs (at most 25)", t.root->height);
		return why;
	}
	g = vma_gap_lowest(&t, 2 * PG, PG, 0, ~0ul);
	if (g != 100000 * 2 * PG - PG) {        /* only after the last VMA */
		snprintf(why, sizeof(why), "first 2-page gap at 0x%lx", g);
		return why;
	}
	for (long k = 0; k < 100000; k += 2)
		vma_remove(&t, &v[k]);
	if (vma_tree_check(&t) || t.count != 50000 || t.root->height > 23)
		return "after removing half: not balanced";
	if (vma_gap_lowest(&t, 2 * PG, PG, 0, ~0ul) != 0 ||
	    vma_gap_highest(&t, 3 * PG, PG, 0, 100000 * 2 * PG) != 199995 * PG)
		return "gaps after removing half are wrong";
	return NULL;
}

static const char *edges(void)
{
	struct vma_tree t = { 0 };
	struct vma a = { .start = 0x1000, .end = 0x3000 }, b = { .start = 0x3000, .end = 0x4000 };
	struct vma bad = { .start = 0x5000, .end = 0x5000 }, over = { .start = 0x2000, .end = 0x6000 };

	if (vma_gap_lowest(&t, PG, PG, 0x1000, 0x2000) != 0x1000 ||
	    vma_gap_lowest(&t, 2 * PG, PG, 0x1000, 0x2000) != VMA_NONE)
		return "empty tree gaps";
	if (vma_insert(&t, &a) || vma_insert(&t, &b) || vma_insert(&t, &bad) != -EINVAL ||
	    vma_insert(&t, &over) != -EEXIST)
		return "insert results";
	if (vma_find(&t, 0x2fff) != &a || vma_find(&t, 0x3000) != &b || vma_find(&t, 0x4000) ||
	    vma_find(&t, 0xfff) || vma_next(&t, &a) != &b || vma_next(&t, &b))
		return "find/next";
	if (vma_gap_lowest(&t, PG, PG, 0, ~0ul) != 0 || vma_gap_lowest(&t, PG, PG, 0x1000, ~0ul) != 0x4000 ||
	    vma_gap_highest(&t, PG, PG, 0, 0x4000) != 0 ||
	    vma_gap_lowest(&t, PG, 3, 0, ~0ul) != VMA_NONE || vma_gap_lowest(&t, 0, PG, 0, ~0ul) != VMA_NONE ||
	    vma_gap_highest(&t, PG, PG, 0, ~0ul) != 0xffffffffffffe000ul)
		return "gap edges (bounds, bad alignment, zero length, top of space)";
	return NULL;
}

static const char *random_small_space(void)
{
	return random_ops(60000);
}

static const char *random_large(void)
{
	return random_ops(100000);
}

int main(void)
{
	model = calloc(200000, sizeof(*model));
	test_srand(test_env_u64("VMA_SEED", 1));
	test_run("vma_edges", edges);
	test_run("vma_random_small_space", random_small_space);
	test_run("vma_random", random_large);
	test_run("vma_100000", many);
	return test_exit_status();
}
