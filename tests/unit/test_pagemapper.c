/*
 * test_pagemapper: host tests of mm/pagemapper.c, compiled unchanged, over
 * a simulated arena of RAM (tests/unit/host), under ASan + UBSan.
 *
 *   usage: test_pagemapper          ($MM_SEED changes the random seeds)
 *
 * Table pages come from mm/buddy.c, so each has a struct page whose inuse
 * the mapper keeps; the pt_ops here counts allocations and frees, poisons
 * freed tables and can fail the Nth allocation. arch_tlb_flush() records
 * what it is given. Checks compare values: translations, range-walk dumps
 * against a model, the table count, each table's inuse against a scan of
 * its entries, and the flush ranges.
 *
 * Output: one line per case, "ok NAME" or "not ok NAME: reason"; the exit
 * status is 1 when any case failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/hartmask.h>
#include <pagoda/mm.h>
#include <pagoda/pagemapper.h>
#include <pagoda/printk.h>

#include "host.h"

#define TIME_LIMIT      60              /* seconds, for the whole program */
#define ARENA_PFN       0x80000ull      /* the simulated RAM: 16 MiB at 2 GiB */
#define ARENA_PAGES     4096ull
#define POISON          0x5a            /* a freed table: every entry invalid */
#define PA_LIMIT        (1ull << 56)
#define KHALF           0xffffffc000000000ull
#define UTOP            0x0000004000000000ull

static const u64 valid_prots[] = {
	PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X,
	PTE_R | PTE_U, PTE_R | PTE_W | PTE_U, PTE_X | PTE_U, PROT_KR, PROT_KRW, PROT_KRX,
	PROT_KRWX,
};

/* ---- the machine: arena, table pages, flush recorder ---------------------- */

static struct {
	u64 allocs, frees, live;        /* successful allocations, frees, held */
	u64 calls, fail_at;             /* alloc calls; fail call number fail_at */
} pt;

static struct pagemapper pm;
static paddr_t pins[8];                 /* tables pinned: inuse one above */
static unsigned int npins;

struct flush_rec {
	struct tlb_batch b;
	unsigned long asid;
	bool global;
	const struct hartmask *mask;
	u64 frees;                      /* table frees before this call */
};
static struct flush_rec last_flush;
static u64 nflushes, nruns;             /* arch calls; pm_flush_run calls */

pte_t *pt_table(paddr_t pa)
{
	struct page *p = pa_to_page(pa);

	if (!p)
		panic("%s: pa 0x%llx is not in the arena", __func__, (ull)pa);
	return page_va(p);
}

static int t_alloc(paddr_t *pa)
{
	struct page *p;

	if (++pt.calls == pt.fail_at)
		return -ENOMEM;
	p = buddy_alloc(0, GFP_KERNEL, OWNER_PGTABLE);
	if (!p)
		return -ENOMEM;
	memset(page_va(p), 0, PAGE_SIZE);
	p->inuse = 0xdead;              /* the mapper must set it */
	pt.allocs++;
	pt.live++;
	*pa = page_to_pa(p);
	return 0;
}

static void t_free(paddr_t pa)
{
	struct page *p = pa_to_page(pa);

	if (!p || p->owner != OWNER_PGTABLE || pa == pm.root_pa)
		panic("%s: 0x%llx is not a table page the ops gave out", __func__, (ull)pa);
	memset(page_va(p), POISON, PAGE_SIZE);
	pt.frees++;
	pt.live--;
	buddy_free(p, 0);
}

static const struct pt_ops t_ops = { t_alloc, t_free };

void arch_tlb_flush(const struct tlb_batch *b, unsigned long asid, bool global,
		    const struct hartmask *mask)
{
	last_flush = (struct flush_rec){ *b, asid, global, mask, pt.frees };
	nflushes++;
}

static void fail_alloc(u64 n)
{
	pt.calls = 0;
	pt.fail_at = n;
}

static void run_flush(struct pm_flush *fl)
{
	nruns++;
	pm_flush_run(fl, 1, false, NULL);
}

/* A fresh arena, a zeroed root from the buddy (not through the ops). */
static const char *setup(void)
{
	struct page *root;

	host_reset(1);
	CHECK(host_add_bank(ARENA_PFN, ARENA_PAGES, true) == 0, "arena refused");
	buddy_free_range(ARENA_PFN << 12, (ARENA_PFN + ARENA_PAGES) << 12);
	memset(&pt, 0, sizeof(pt));
	nflushes = nruns = 0;
	npins = 0;
	root = buddy_alloc(0, GFP_KERNEL, OWNER_PGTABLE);
	CHECK(root, "no root page");
	memset(page_va(root), 0, PAGE_SIZE);
	root->inuse = 0;
	pm = (struct pagemapper){ page_to_pa(root), &t_ops, 0 };
	return NULL;
}

static u64 seed_base(void)
{
	const char *s = getenv("MM_SEED");

	return s ? strtoull(s, NULL, 0) : 0;
}

/* ---- scanning the tree ------------------------------------------------------ */

struct vec {
	u64 *v;
	size_t n, cap;
};

static void vec_push(struct vec *x, u64 a)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
		if (!x->v)
			abort();
	}
	x->v[x->n++] = a;
}

static unsigned int pins_of(paddr_t tpa)
{
	unsigned int i, n = 0;

	for (i = 0; i < npins; i++)
		n += pins[i] == tpa;
	return n;
}

/*
 * Check the table at @tpa and below: a live table page, invalid entries
 * exactly 0, no table at level 0, inuse = valid entries + pins. Counts the
 * tables below in *ntables and, with @dump, appends (va | level, pte) for
 * every valid entry in address order.
 */
static const char *scan(paddr_t tpa, int level, vaddr_t base, u64 *ntables,
			struct vec *dump)
{
	struct page *p = pa_to_page(tpa);
	pte_t *t;
	unsigned int i, n = 0;

	CHECK(p && p->owner == OWNER_PGTABLE && (p->flags & PG_HEAD),
	      "0x%llx is linked as a table but is not a live table page", (ull)tpa);
	t = pt_table(tpa);
	for (i = 0; i < PT_ENTRIES; i++) {
		vaddr_t va = base + i * LEVEL_SIZE(level);

		if (!pte_is_valid(t[i])) {
			CHECK(t[i] == 0, "level %d table 0x%llx entry %u: 0x%llx", level,
			      (ull)tpa, i, (ull)t[i]);
			continue;
		}
		n++;
		if (dump) {
			vec_push(dump, va | (u64)level);
			vec_push(dump, t[i]);
		}
		if (pte_is_leaf(t[i]))
			continue;
		CHECK(level > 0, "a table entry at level 0 (0x%llx)", (ull)t[i]);
		(*ntables)++;
		TRY(scan(pte_pa(t[i]), level - 1, va, ntables, dump));
	}
	CHECK(p->inuse == n + pins_of(tpa), "level %d table 0x%llx: inuse %u, %u entries + %u pins",
	      level, (ull)tpa, p->inuse, n, pins_of(tpa));
	return NULL;
}

static u64 deferred_of(const struct pm_flush *fl)
{
	const struct page *p;
	u64 n = 0;

	for (p = fl->deferred; p; p = p->next)
		n++;
	return n;
}

/*
 * The whole tree is consistent: inuse counts, the mapper's table count
 * equal to the tables linked, the ops' live pages equal to those plus the
 * ones deferred on @fl, the buddy's free pages the rest of the arena, and
 * no flush outside pm_flush_run.
 */
static const char *check_tree(const struct pm_flush *fl, struct vec *dump)
{
	u64 ntables = 0, deferred = fl ? deferred_of(fl) : 0;

	if (dump)
		dump->n = 0;
	TRY(scan(pm.root_pa, PT_LEVELS - 1, 0, &ntables, dump));
	CHECK(pm_table_pages(&pm) == ntables, "pm_table_pages %llu, %llu tables linked",
	      (ull)pm_table_pages(&pm), (ull)ntables);
	CHECK(pt.live == ntables + deferred, "ops hold %llu pages: %llu linked + %llu deferred",
	      (ull)pt.live, (ull)ntables, (ull)deferred);
	CHECK(buddy_free_pages() + pt.live + 1 == ARENA_PAGES, "buddy: %llu free, %llu tables",
	      (ull)buddy_free_pages(), (ull)pt.live);
	CHECK(nflushes == nruns, "%llu arch flushes for %llu pm_flush_run calls",
	      (ull)nflushes, (ull)nruns);
	return NULL;
}

static bool dump_equal(const struct vec *a, const struct vec *b)
{
	return a->n == b->n && !memcmp(a->v, b->v, a->n * sizeof(u64));
}

static bool flush_empty(const struct pm_flush *fl)
{
	return fl->tlb.start >= fl->tlb.end && !fl->tlb.all && !fl->deferred;
}

static bool flush_is(const struct pm_flush *fl, vaddr_t start, vaddr_t end)
{
	return fl->tlb.start == start && fl->tlb.end == end && !fl->tlb.all;
}

static const char *translate_is(vaddr_t va, paddr_t want_pa, u64 want_prot, int want_level)
{
	paddr_t pa = 0;
	u64 prot = 0;
	int level = -1, err = pm_translate(&pm, va, &pa, &prot, &level);

	CHECK(err == 0, "translate 0x%llx: %d", (ull)va, err);
	CHECK(pa == want_pa && prot == want_prot && level == want_level,
	      "translate 0x%llx: pa 0x%llx prot 0x%llx level %d, want 0x%llx 0x%llx %d",
	      (ull)va, (ull)pa, (ull)prot, level, (ull)want_pa, (ull)want_prot, want_level);
	return NULL;
}

/* ---- range walks ------------------------------------------------------------ */

struct span {
	vaddr_t va;
	u64 size;
	int level;                      /* -1: a hole */
	pte_t pte;
};

struct spans {
	struct span v[1 << 16];
	size_t n;
};

static int on_leaf(vaddr_t va, pte_t *pte, int level, void *arg)
{
	struct spans *s = arg;

	if (s->n == ARRAY_SIZE(s->v))
		return -E2BIG;
	s->v[s->n++] = (struct span){ va, LEVEL_SIZE(level), level, *pte };
	return 0;
}

static int on_hole(vaddr_t va, u64 size, void *arg)
{
	struct spans *s = arg;

	if (s->n == ARRAY_SIZE(s->v))
		return -E2BIG;
	s->v[s->n++] = (struct span){ va, size, -1, 0 };
	return 0;
}

static const struct pm_walk_ops collect_ops = { on_leaf, on_hole };

/*
 * Walk [start, end) into @s and check that the spans tile it in order:
 * holes exactly inside, leaves whole (the first may start before @start,
 * the last end after @end), so the sizes clipped to the range add up.
 */
static const char *collect(vaddr_t start, vaddr_t end, struct spans *s)
{
	vaddr_t cur = start;
	u64 covered = 0;
	size_t i;
	int err;

	s->n = 0;
	err = pm_walk_range(&pm, start, end, &collect_ops, s);
	CHECK(err == 0, "walk [0x%llx, 0x%llx): %d", (ull)start, (ull)end, err);
	for (i = 0; i < s->n; i++) {
		const struct span *x = &s->v[i];
		vaddr_t lo = MAX(x->va, start), hi = MIN(x->va + x->size, end);

		CHECK(x->va == cur || (x->level >= 0 && i == 0 && x->va < cur &&
				       x->va + x->size > cur),
		      "span %zu at 0x%llx, expected 0x%llx", i, (ull)x->va, (ull)cur);
		CHECK(x->level >= 0 || hi == x->va + x->size, "hole past the end");
		CHECK(x->level < 0 || IS_ALIGNED(x->va, x->size), "unaligned leaf");
		covered += hi - lo;
		cur = x->va + x->size;
	}
	CHECK(cur >= end && covered == end - start, "spans cover 0x%llx of 0x%llx",
	      (ull)covered, (ull)(end - start));
	return NULL;
}

static size_t count_leaves(const struct spans *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->v[i].level >= 0;
	return n;
}

/* ---- case: map and translate at each level, in both halves ------------------- */

struct mapping {
	vaddr_t va;
	int level;
	paddr_t pa;
	u64 prot;
};

static const struct mapping level_maps[] = {
	{ 0x0, 2, 0x0, PTE_R | PTE_U },
	{ 0x3fc0000000, 1, 0x12345600000, PTE_R | PTE_W | PTE_U },
	{ 0x3ffffff000, 0, PA_LIMIT - PAGE_SIZE, PTE_X | PTE_U },
	{ 0xffffffc000000000, 2, PA_LIMIT - GiB, PROT_KRW },
	{ 0xffffffd83fe00000, 1, 0x80200000, PROT_KRX },
	{ 0xffffffff80001000, 0, 0x80001000, PROT_KR },
	{ 0xffffffffbffff000, 0, 0x1000, PROT_KRWX },
};
#define LEVEL_TABLES    6               /* L1 + L0 user; 2 L1 + 2 L0 kernel */

/* The mapping in level_maps that covers @va, or NULL. */
static const struct mapping *level_map_of(vaddr_t va)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(level_maps); i++)
		if (va - level_maps[i].va < LEVEL_SIZE(level_maps[i].level))
			return &level_maps[i];
	return NULL;
}

static const char *check_level_va(vaddr_t va)
{
	const struct mapping *m = level_map_of(va);
	paddr_t pa;

	if (!m) {
		CHECK(pm_translate(&pm, va, &pa, NULL, NULL) == -EFAULT,
		      "0x%llx translates, nothing is mapped there", (ull)va);
		return NULL;
	}
	return translate_is(va, m->pa + (va - m->va), m->prot, m->level);
}

static const char *check_level_half(vaddr_t start, vaddr_t end)
{
	static struct spans s;
	unsigned int i, j = 0;
	size_t k;

	TRY(collect(start, end, &s));
	for (k = 0; k < s.n; k++) {
		const struct span *x = &s.v[k];

		if (x->level < 0)
			continue;
		while (j < ARRAY_SIZE(level_maps) && level_maps[j].va < start)
			j++;
		CHECK(j < ARRAY_SIZE(level_maps), "extra leaf at 0x%llx", (ull)x->va);
		i = j++;
		CHECK(x->va == level_maps[i].va && x->level == level_maps[i].level &&
		      pte_pa(x->pte) == level_maps[i].pa && pte_prot(x->pte) == level_maps[i].prot,
		      "leaf 0x%llx level %d pte 0x%llx, want mapping %u", (ull)x->va, x->level,
		      (ull)x->pte, i);
	}
	CHECK(j == ARRAY_SIZE(level_maps) || level_maps[j].va >= end,
	      "leaf 0x%llx not reported", (ull)level_maps[j].va);
	return NULL;
}

static const char *case_map_levels(void)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	static struct spans s;
	unsigned int i;

	TRY(setup());
	for (i = 0; i < ARRAY_SIZE(level_maps); i++) {
		const struct mapping *m = &level_maps[i];

		CHECK(pm_map(&pm, m->va, m->pa, m->level, m->prot, &fl) == 0, "map %u", i);
		CHECK(flush_is(&fl, m->va, m->va + LEVEL_SIZE(m->level)) && !fl.deferred,
		      "map %u: flush [0x%llx, 0x%llx)", i, (ull)fl.tlb.start, (ull)fl.tlb.end);
		run_flush(&fl);
		TRY(check_tree(&fl, NULL));
	}
	CHECK(pm_table_pages(&pm) == LEVEL_TABLES, "%llu tables", (ull)pm_table_pages(&pm));
	for (i = 0; i < ARRAY_SIZE(level_maps); i++) {
		vaddr_t va = level_maps[i].va, size = LEVEL_SIZE(level_maps[i].level);

		TRY(check_level_va(va));
		TRY(check_level_va(va + size / 2 + 0x123));
		TRY(check_level_va(va + size - 1));
		TRY(check_level_va(va + size));
		if (va)
			TRY(check_level_va(va - 1));
	}
	TRY(check_level_half(0, UTOP));
	TRY(check_level_half(KHALF, 0xffffffffc0000000ull));
	/* Part of a leaf: the whole leaf; part of a hole: exactly that. */
	TRY(collect(0x3fc0003000, 0x3fc0005000, &s));
	CHECK(s.n == 1 && s.v[0].va == 0x3fc0000000 && s.v[0].level == 1, "sub-range of a leaf");
	TRY(collect(0x3fc0200000, 0x3fc0203000, &s));
	CHECK(s.n == 1 && s.v[0].level < 0 && s.v[0].size == 0x3000, "sub-range of a hole");
	for (i = 0; i < ARRAY_SIZE(level_maps); i++) {
		paddr_t pa = 0;
		int level = -1;

		CHECK(pm_unmap(&pm, level_maps[i].va, &pa, &level, &fl) == 0, "unmap %u", i);
		CHECK(pa == level_maps[i].pa && level == level_maps[i].level,
		      "unmap %u: pa 0x%llx level %d", i, (ull)pa, level);
		CHECK(pm_translate(&pm, level_maps[i].va, NULL, NULL, NULL) == -EFAULT,
		      "unmap %u: still translates", i);
	}
	run_flush(&fl);
	TRY(check_tree(&fl, NULL));
	TRY(collect(0, UTOP, &s));
	CHECK(!count_leaves(&s), "leaves left in the user half");
	CHECK(pm_table_pages(&pm) == 0 && pt.live == 0 && pt.frees == LEVEL_TABLES,
	      "%llu tables left, %llu freed", (ull)pm_table_pages(&pm), (ull)pt.frees);
	return NULL;
}

/* ---- a standard tree for the error cases ---------------------------------------- */

#define U_G     0x0000000040000000ull   /* 1 GiB leaf */
#define U_M     0x0000000080200000ull   /* 2 MiB leaf, GiB 2 slot 1 */
#define U_P     0x0000000080603000ull   /* 4 KiB leaf, GiB 2 slot 3 */
#define K_P     0xffffffc000002000ull   /* two 4 KiB leaves */
#define STD_TABLES 4

static const struct mapping std_maps[] = {
	{ U_G, 2, 0x100000000, PTE_R | PTE_W | PTE_U },
	{ U_M, 1, 0x200000000, PTE_R | PTE_X | PTE_U },
	{ U_P, 0, 0x300005000, PTE_R | PTE_U },
	{ K_P, 0, 0x80002000, PROT_KRW },
	{ K_P + PAGE_SIZE, 0, 0x80003000, PROT_KR },
};

static const char *setup_std(struct vec *dump)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	unsigned int i;

	TRY(setup());
	for (i = 0; i < ARRAY_SIZE(std_maps); i++)
		CHECK(pm_map(&pm, std_maps[i].va, std_maps[i].pa, std_maps[i].level,
			     std_maps[i].prot, &fl) == 0, "standard map %u", i);
	run_flush(&fl);
	TRY(check_tree(&fl, dump));
	CHECK(pm_table_pages(&pm) == STD_TABLES, "%llu tables", (ull)pm_table_pages(&pm));
	return NULL;
}

/* ---- case: bad input ------------------------------------------------------------- */

enum op { MAP, UNMAP, PROTECT, REMAP, MAP_RANGE, MAP_RANGE_BIG, UNMAP_RANGE, WALK, TRANSLATE };

struct call {
	enum op op;
	vaddr_t va;
	paddr_t pa;
	u64 size;                       /* the level for MAP */
	u64 prot;
	int want;
};

#define RW      (PTE_R | PTE_W)
#define NONCANON 0x0000004000000000ull

static const struct call bad_calls[] = {
	/* alignment for the level, canonical va, pa range, prot, level */
	{ MAP, 0xc0001000, 0x200000, 1, RW, -EINVAL },
	{ MAP, 0xc0200000, 0x201000, 1, RW, -EINVAL },
	{ MAP, 0xc0200000, 0x0, 2, RW, -EINVAL },
	{ MAP, 0xc0000000, 0x40200000, 2, RW, -EINVAL },
	{ MAP, 0xc0000800, 0x0, 0, RW, -EINVAL },
	{ MAP, 0xc0000000, 0x800, 0, RW, -EINVAL },
	{ MAP, NONCANON, 0x0, 0, RW, -EINVAL },
	{ MAP, NONCANON, 0x0, 2, RW, -EINVAL },
	{ MAP, 0xffffff8000000000, 0x0, 0, RW, -EINVAL },
	{ MAP, 0xffffffbffffff000, 0x0, 0, RW, -EINVAL },
	{ MAP, 0x8000000000000000, 0x0, 2, RW, -EINVAL },
	{ MAP, 0xc0000000, PA_LIMIT, 0, RW, -EINVAL },
	{ MAP, 0xc0000000, PA_LIMIT, 2, RW, -EINVAL },
	{ MAP, 0xc0000000, 0xfffffffffffff000, 0, RW, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, 0, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_W, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_W | PTE_X, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_U | PTE_G, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_R | PTE_V, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_R | PTE_A, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_R | PTE_D, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 0, PTE_R | (1ull << 9), -EINVAL },   /* RSW bit 8 is PTE_COW */
	{ MAP, 0xc0000000, 0x0, 0, PTE_R | (1ull << 63), -EINVAL },
	{ MAP, 0xc0000000, 0x0, (u64)-1, RW, -EINVAL },
	{ MAP, 0xc0000000, 0x0, 3, RW, -EINVAL },
	/* something is mapped there */
	{ MAP, U_G, 0x0, 2, RW, -EEXIST },
	{ MAP, U_G + 5 * (2 * MiB), 0x0, 1, RW, -EEXIST },
	{ MAP, U_G + 0x1000, 0x0, 0, RW, -EEXIST },
	{ MAP, 0x80000000, 0x0, 2, RW, -EEXIST },       /* over a level-1 table */
	{ MAP, 0x80600000, 0x0, 1, RW, -EEXIST },       /* over a level-0 table */
	{ MAP, U_M, 0x0, 1, RW, -EEXIST },
	{ MAP, U_M + 0x5000, 0x0, 0, RW, -EEXIST },
	{ MAP, U_P, 0x0, 0, RW, -EEXIST },
	{ MAP, K_P + PAGE_SIZE, 0x0, 0, RW, -EEXIST },
	{ MAP, KHALF, 0x0, 2, RW, -EEXIST },
	/* nothing is mapped there */
	{ UNMAP, 0xc0000000, 0, 0, 0, -ENOENT },        /* no level-1 table */
	{ UNMAP, 0x80400000, 0, 0, 0, -ENOENT },        /* no level-0 table */
	{ UNMAP, U_P + 0x1000, 0, 0, 0, -ENOENT },      /* empty slot */
	{ UNMAP, K_P + 2 * PAGE_SIZE, 0, 0, 0, -ENOENT },
	{ UNMAP, 0xffffffffbffff000, 0, 0, 0, -ENOENT },
	{ PROTECT, 0xc0000000, 0, 0, RW, -ENOENT },
	{ PROTECT, U_P - 0x1000, 0, 0, RW, -ENOENT },
	{ REMAP, 0xc0000000, 0x0, 0, RW, -ENOENT },
	{ REMAP, U_P + 0x1000, 0x0, 0, RW, -ENOENT },
	/* inside a leaf, bad arguments to an existing leaf */
	{ UNMAP, U_M + 0x1000, 0, 0, 0, -EINVAL },
	{ UNMAP, U_M + 0x100000, 0, 0, 0, -EINVAL },
	{ UNMAP, U_G + 2 * MiB, 0, 0, 0, -EINVAL },
	{ UNMAP, U_P + 1, 0, 0, 0, -EINVAL },
	{ UNMAP, NONCANON, 0, 0, 0, -EINVAL },
	{ PROTECT, U_M + 0x1000, 0, 0, RW, -EINVAL },
	{ PROTECT, U_P, 0, 0, PTE_W, -EINVAL },
	{ PROTECT, U_P, 0, 0, PTE_R | PTE_A, -EINVAL },
	{ REMAP, U_M + 0x1000, 0x0, 0, RW, -EINVAL },
	{ REMAP, U_M, 0x1000, 0, RW, -EINVAL },
	{ REMAP, U_G, 2 * MiB, 0, RW, -EINVAL },
	{ REMAP, U_P, PA_LIMIT, 0, RW, -EINVAL },
	{ REMAP, U_P, 0x0, 0, 0, -EINVAL },
	/* ranges: holes, leaves across an edge, sizes */
	{ UNMAP_RANGE, U_P - 0x1000, 0, 0x2000, 0, -ENOENT },
	{ UNMAP_RANGE, U_P, 0, 0x2000, 0, -ENOENT },
	{ UNMAP_RANGE, K_P, 0, 0x3000, 0, -ENOENT },
	{ UNMAP_RANGE, U_M, 0, 4 * MiB, 0, -ENOENT },
	{ UNMAP_RANGE, U_M - 2 * MiB, 0, 4 * MiB, 0, -ENOENT },
	{ UNMAP_RANGE, 0xc0000000, 0, GiB, 0, -ENOENT },
	{ UNMAP_RANGE, U_M + 0x1000, 0, 0x1000, 0, -EINVAL },
	{ UNMAP_RANGE, U_G, 0, 2 * MiB, 0, -EINVAL },
	{ UNMAP_RANGE, U_G - 2 * MiB, 0, 4 * MiB, 0, -ENOENT },
	{ UNMAP_RANGE, U_P, 0, 0, 0, -EINVAL },
	{ UNMAP_RANGE, U_P, 0, 0x800, 0, -EINVAL },
	{ UNMAP_RANGE, U_P + 0x800, 0, 0x1000, 0, -EINVAL },
	{ UNMAP_RANGE, 0xfffffffffffff000, 0, 0x2000, 0, -EINVAL },
	{ UNMAP_RANGE, 0x1000, 0, (u64)-0x1000, 0, -EINVAL },
	{ UNMAP_RANGE, 0x3ffffff000, 0, 0x2000, 0, -EINVAL },
	{ MAP_RANGE, 0xc0000000, 0x0, 0, RW, -EINVAL },
	{ MAP_RANGE, 0xc0000000, 0x0, 0x800, RW, -EINVAL },
	{ MAP_RANGE, 0xc0000000, 0x800, 0x1000, RW, -EINVAL },
	{ MAP_RANGE, 0xfffffffffffff000, 0x0, 0x2000, RW, -EINVAL },
	{ MAP_RANGE, 0x1000, 0x0, (u64)-0x1000, RW, -EINVAL },
	{ MAP_RANGE, 0xc0000000, 0x0, 0x1000, PTE_W, -EINVAL },
	/* map_range failing midway: rolled back (it had mapped pages) */
	{ MAP_RANGE, U_P - 0x2000, 0x0, 0x4000, RW, -EEXIST },
	{ MAP_RANGE, U_M - 0x2000, 0x0, 4 * MiB, RW, -EEXIST },
	{ MAP_RANGE, K_P - 0x1000, 0x0, 0x3000, RW, -EEXIST },
	{ MAP_RANGE, 0x3fffffe000, 0x0, 0x3000, RW, -EINVAL },
	{ MAP_RANGE_BIG, 0x0, 0x0, 2 * GiB, RW, -EEXIST },
	{ MAP_RANGE_BIG, U_G - 2 * MiB, 0x0, 4 * MiB, RW, -EEXIST },
	/* walks and translations */
	{ WALK, U_P, 0, 0, 0, -EINVAL },
	{ WALK, 0x3ffffff000, 0, KHALF + 0x1000 - 0x3ffffff000, 0, -EINVAL },
	{ WALK, NONCANON, 0, 0x1000, 0, -EINVAL },
	{ WALK, 0xffffffbffffff000, 0, 0x2000, 0, -EINVAL },
	{ TRANSLATE, 0xc0000000, 0, 0, 0, -EFAULT },
	{ TRANSLATE, U_M + 2 * MiB, 0, 0, 0, -EFAULT },
	{ TRANSLATE, NONCANON, 0, 0, 0, -EFAULT },
	{ TRANSLATE, 0xffffff8000000000, 0, 0, 0, -EFAULT },
};

static int do_call(const struct call *c, struct pm_flush *fl)
{
	static struct spans s;

	switch (c->op) {
	case MAP:
		return pm_map(&pm, c->va, c->pa, (int)c->size, c->prot, fl);
	case UNMAP:
		return pm_unmap(&pm, c->va, NULL, NULL, fl);
	case PROTECT:
		return pm_protect(&pm, c->va, c->prot, fl);
	case REMAP:
		return pm_remap(&pm, c->va, c->pa, c->prot, fl);
	case MAP_RANGE:
		return pm_map_range(&pm, c->va, c->pa, c->size, c->prot, true, fl);
	case MAP_RANGE_BIG:
		return pm_map_range(&pm, c->va, c->pa, c->size, c->prot, false, fl);
	case UNMAP_RANGE:
		return pm_unmap_range(&pm, c->va, c->size, fl);
	case WALK:
		s.n = 0;
		return pm_walk_range(&pm, c->va, c->va + c->size, &collect_ops, &s);
	case TRANSLATE:
		return pm_translate(&pm, c->va, NULL, NULL, NULL);
	}
	return 0;
}

static const char *case_bad_input(void)
{
	static struct vec before, after;
	unsigned int i;

	TRY(setup_std(&before));
	for (i = 0; i < ARRAY_SIZE(bad_calls); i++) {
		const struct call *c = &bad_calls[i];
		struct pm_flush fl = PM_FLUSH_INIT;
		u64 allocs = pt.allocs;
		int err = do_call(c, &fl);

		CHECK(err == c->want, "call %u (op %d va 0x%llx): %d, want %d", i, c->op,
		      (ull)c->va, err, c->want);
		CHECK(pm_table_pages(&pm) == STD_TABLES, "call %u: %llu tables", i,
		      (ull)pm_table_pages(&pm));
		/* Only a rolled-back map_range has had something to flush. */
		CHECK(c->op == MAP_RANGE || c->op == MAP_RANGE_BIG || flush_empty(&fl),
		      "call %u: flush changed", i);
		CHECK(c->op == MAP_RANGE || c->op == MAP_RANGE_BIG || pt.allocs == allocs,
		      "call %u allocated", i);
		TRY(check_tree(&fl, &after));
		CHECK(dump_equal(&before, &after), "call %u changed the tree", i);
		pm_flush_drop(&fl);
		TRY(check_tree(NULL, NULL));
	}
	return NULL;
}

/* ---- case: allocation failure injection ------------------------------------------- */

/* pm_map with allocation @n failing: -ENOMEM (or 0 with @ok), the tree and
 * the table count unchanged, no page held once the flush is dropped. */
static const char *map_failing(vaddr_t va, int level, u64 n, bool ok)
{
	static struct vec before, after;
	struct pm_flush fl = PM_FLUSH_INIT;
	u64 tables = pm_table_pages(&pm);
	int err;

	TRY(check_tree(NULL, &before));
	fail_alloc(n);
	err = pm_map(&pm, va, 0x40000000, level, PTE_R, &fl);
	fail_alloc(0);
	if (ok) {
		CHECK(err == 0, "map 0x%llx level %d, alloc %llu failing: %d", (ull)va,
		      level, (ull)n, err);
		return NULL;
	}
	CHECK(err == -ENOMEM, "map 0x%llx level %d, alloc %llu failing: %d, want -ENOMEM",
	      (ull)va, level, (ull)n, err);
	CHECK(pm_table_pages(&pm) == tables, "alloc %llu failing: %llu tables, had %llu",
	      (ull)n, (ull)pm_table_pages(&pm), (ull)tables);
	TRY(check_tree(&fl, &after));
	CHECK(dump_equal(&before, &after), "alloc %llu failing changed the tree", (ull)n);
	pm_flush_drop(&fl);
	return check_tree(NULL, NULL);
}

static const char *unmap_one(vaddr_t va)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	CHECK(pm_unmap(&pm, va, NULL, NULL, &fl) == 0, "unmap 0x%llx", (ull)va);
	run_flush(&fl);
	return check_tree(NULL, NULL);
}

static const char *case_map_enomem(void)
{
	u64 allocs;

	TRY(setup_std(NULL));
	/* Empty GiB: a 4 KiB leaf needs two tables, a 2 MiB leaf one. */
	TRY(map_failing(0xc0005000, 0, 1, false));
	TRY(map_failing(0xc0005000, 0, 2, false));
	TRY(map_failing(0xc0005000, 0, 3, true));
	TRY(unmap_one(0xc0005000));
	TRY(map_failing(0xffffffd800000000, 0, 1, false));
	TRY(map_failing(0xffffffd800000000, 0, 2, false));
	TRY(map_failing(0xffffffd800200000, 1, 1, false));
	TRY(map_failing(0xffffffd800200000, 1, 2, true));
	/* Level-1 table there, level-0 missing: one allocation. */
	TRY(map_failing(0x80805000, 0, 1, false));
	TRY(map_failing(0x80805000, 0, 2, true));
	/* Whole path there, or a 1 GiB leaf: no allocation at all. */
	allocs = pt.allocs;
	TRY(map_failing(U_P + 0x1000, 0, 1, true));
	TRY(map_failing(0x80400000, 1, 1, true));
	TRY(map_failing(0x140000000, 2, 1, true));
	CHECK(pt.allocs == allocs && pt.calls == 0, "allocated for an existing path");
	TRY(unmap_one(0xffffffd800200000));
	TRY(unmap_one(0x80805000));
	TRY(unmap_one(U_P + 0x1000));
	TRY(unmap_one(0x80400000));
	TRY(unmap_one(0x140000000));
	CHECK(pm_table_pages(&pm) == STD_TABLES, "%llu tables", (ull)pm_table_pages(&pm));
	return NULL;
}

/* pm_map_range of [va, va + size) with allocation n failing, for every n
 * until it succeeds; then it is checked page by page and unmapped. */
static const char *map_range_failing(vaddr_t va, paddr_t pa, u64 size, bool small,
				     u64 want_allocs)
{
	static struct vec before, after;
	struct pm_flush fl = PM_FLUSH_INIT;
	u64 n, off;
	int err;

	TRY(check_tree(NULL, &before));
	for (n = 1; ; n++) {
		u64 allocs = pt.allocs;

		fail_alloc(n);
		err = pm_map_range(&pm, va, pa, size, PTE_R | PTE_W, small, &fl);
		fail_alloc(0);
		if (!err) {
			CHECK(n == want_allocs + 1 && pt.allocs - allocs == want_allocs,
			      "succeeded with alloc %llu failing, %llu allocations", (ull)n,
			      (ull)(pt.allocs - allocs));
			CHECK(flush_is(&fl, va, va + size), "flush [0x%llx, 0x%llx)",
			      (ull)fl.tlb.start, (ull)fl.tlb.end);
			run_flush(&fl);
			break;
		}
		CHECK(err == -ENOMEM && n <= want_allocs, "alloc %llu failing: %d", (ull)n, err);
		TRY(check_tree(&fl, &after));
		CHECK(dump_equal(&before, &after), "alloc %llu failing: not rolled back", (ull)n);
		pm_flush_drop(&fl);
		TRY(check_tree(NULL, NULL));
	}
	for (off = 0; off < size; off += PAGE_SIZE) {
		paddr_t got;
		int level;

		CHECK(pm_translate(&pm, va + off, &got, NULL, &level) == 0 && got == pa + off,
		      "0x%llx not mapped to 0x%llx", (ull)(va + off), (ull)(pa + off));
		CHECK(small ? level == 0 : level <= 1, "0x%llx at level %d", (ull)(va + off),
		      level);
	}
	CHECK(pm_unmap_range(&pm, va, size, &fl) == 0, "unmap_range");
	run_flush(&fl);
	TRY(check_tree(NULL, &after));
	CHECK(dump_equal(&before, &after), "unmap_range left something");
	return NULL;
}

static const char *case_map_range_enomem(void)
{
	TRY(setup_std(NULL));
	/* 4 KiB pages over slots 0..3 of an empty GiB: L1 + four L0 tables. */
	TRY(map_range_failing(0xc01ff000, 0x7000, 3 * (2 * MiB) + 0x1000, true, 5));
	/* Largest pages: one page, two 2 MiB leaves, two pages: L1 + two L0. */
	TRY(map_range_failing(0xc01ff000, 0x1001ff000, 2 * MiB * 2 + 0x3000, false, 3));
	TRY(map_range_failing(0xffffffc0001ff000, 0x1ff000, 0x2000, true, 1));
	CHECK(pm_table_pages(&pm) == STD_TABLES, "%llu tables", (ull)pm_table_pages(&pm));
	return NULL;
}

/* ---- case: accounting and deferred frees ---------------------------------------- */

static const vaddr_t acct_gibs[] = { 0x40000000, 0x80000000, 0x3fc0000000, 0xffffffd800000000 };
static const u64 acct_slots[] = { 0, 7, 511 };
static const u64 acct_pages[] = { 0, 1, 100, 511 };
#define ACCT_TABLES (ARRAY_SIZE(acct_gibs) * (1 + ARRAY_SIZE(acct_slots)))

static vaddr_t acct_va(unsigned int i)
{
	unsigned int np = ARRAY_SIZE(acct_pages), ns = ARRAY_SIZE(acct_slots);

	return acct_gibs[i / (np * ns)] + acct_slots[i / np % ns] * 2 * MiB +
	       acct_pages[i % np] * PAGE_SIZE;
}
#define ACCT_N (ARRAY_SIZE(acct_gibs) * ARRAY_SIZE(acct_slots) * ARRAY_SIZE(acct_pages))

static const char *case_deferred_frees(void)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	unsigned int i;

	TRY(setup());
	for (i = 0; i < ACCT_N; i++) {
		CHECK(pm_map(&pm, acct_va(i), 0x1000ull * i, 0, PTE_R, &fl) == 0, "map %u", i);
		TRY(check_tree(&fl, NULL));
	}
	run_flush(&fl);
	CHECK(pm_table_pages(&pm) == ACCT_TABLES && pt.allocs == ACCT_TABLES,
	      "%llu tables, %llu allocated", (ull)pm_table_pages(&pm), (ull)pt.allocs);
	for (i = 0; i < ACCT_N; i++) {
		CHECK(pm_unmap(&pm, acct_va(i), NULL, NULL, &fl) == 0, "unmap %u", i);
		TRY(check_tree(&fl, NULL));
		CHECK(pt.frees == 0, "unmap %u: a table freed before the flush", i);
	}
	CHECK(pm_table_pages(&pm) == 0 && deferred_of(&fl) == ACCT_TABLES && pt.live == ACCT_TABLES,
	      "%llu tables, %llu deferred", (ull)pm_table_pages(&pm), (ull)deferred_of(&fl));
	CHECK(flush_is(&fl, acct_gibs[0], acct_gibs[3] + GiB), "flush [0x%llx, 0x%llx)",
	      (ull)fl.tlb.start, (ull)fl.tlb.end);
	run_flush(&fl);
	CHECK(last_flush.b.start == acct_gibs[0] && last_flush.b.end == acct_gibs[3] + GiB,
	      "arch flushed [0x%llx, 0x%llx)", (ull)last_flush.b.start, (ull)last_flush.b.end);
	CHECK(pt.frees == ACCT_TABLES && pt.live == 0 && flush_empty(&fl), "%llu freed",
	      (ull)pt.frees);
	/* The same again, the deferred tables freed by a drop. */
	for (i = 0; i < ACCT_N; i++)
		CHECK(pm_map(&pm, acct_va(i), 0x1000ull * i, 0, PTE_R, &fl) == 0, "remap %u", i);
	run_flush(&fl);
	for (i = 0; i < ACCT_N; i++)
		CHECK(pm_unmap(&pm, acct_va(i), NULL, NULL, &fl) == 0, "unmap %u", i);
	CHECK(pt.frees == ACCT_TABLES, "freed before the drop");
	pm_flush_drop(&fl);
	CHECK(pt.frees == 2 * ACCT_TABLES && pt.live == 0, "drop freed %llu",
	      (ull)(pt.frees - ACCT_TABLES));
	CHECK(pa_to_page(pm.root_pa)->inuse == 0 && pa_to_page(pm.root_pa)->owner == OWNER_PGTABLE,
	      "the root's count or owner changed");
	return check_tree(NULL, NULL);
}

/* ---- the random model ------------------------------------------------------------- */

/* A small universe where leaves of every level collide: six GiBs, five
 * 2 MiB slots in each, seventeen pages in each slot (0..15 contiguous). */
#define RG 6
#define RM 5
#define RP 17
static const vaddr_t r_gib[RG] = {
	0x0, 0x40000000, 0x3fc0000000, 0xffffffc000000000, 0xffffffd800000000,
	0xffffffff80000000,
};
static const u64 r_slot[RM] = { 0, 1, 2, 3, 511 };
static const u64 r_page[RP] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 511 };

struct mleaf {
	bool on;
	paddr_t pa;
	u64 prot;
};

static struct model {
	struct mleaf g[RG], m[RG][RM], p[RG][RM][RP];
	unsigned int mcount[RG], pcount[RG][RM];
	u64 leaves;
} md;

struct at {
	int g, m, p;
};

static vaddr_t at_va(struct at a)
{
	return r_gib[a.g] + r_slot[a.m] * LEVEL_SIZE(1) + r_page[a.p] * PAGE_SIZE;
}

/* The model's leaf covering @a, its level in *level, or NULL. */
static struct mleaf *model_find(struct at a, int *level)
{
	*level = 2;
	if (md.g[a.g].on)
		return &md.g[a.g];
	*level = 1;
	if (md.m[a.g][a.m].on)
		return &md.m[a.g][a.m];
	*level = 0;
	return md.p[a.g][a.m][a.p].on ? &md.p[a.g][a.m][a.p] : NULL;
}

static struct mleaf *model_slot(struct at a, int level)
{
	return level == 2 ? &md.g[a.g] : level == 1 ? &md.m[a.g][a.m] : &md.p[a.g][a.m][a.p];
}

static void model_set(struct at a, int level, bool on, paddr_t pa, u64 prot)
{
	struct mleaf *x = model_slot(a, level);
	int d = (int)on - (int)x->on;

	if (level == 1)
		md.mcount[a.g] += d;
	if (level == 0)
		md.pcount[a.g][a.m] += d;
	md.leaves += d;
	*x = (struct mleaf){ on, pa, prot };
}

/* Tables the tree must hold for the model: no pins in the random runs. */
static u64 model_tables(void)
{
	u64 n = 0;
	int g, m;

	for (g = 0; g < RG; g++) {
		u64 l0 = 0;

		for (m = 0; m < RM; m++)
			l0 += md.pcount[g][m] != 0;
		n += l0 + (l0 || md.mcount[g]);
	}
	return n;
}

static struct at rand_at(int level)
{
	struct at a = { (int)test_rand_below(RG), (int)test_rand_below(RM),
			(int)test_rand_below(RP) };

	if (level >= 1 || test_rand_below(4) == 0)
		a.p = 0;
	if (level == 2 || test_rand_below(4) == 0)
		a.m = 0;
	return a;
}

static int rand_level(void)
{
	u64 r = test_rand_below(10);

	return r < 6 ? 0 : r < 9 ? 1 : 2;
}

static u64 rand_prot(void)
{
	if (test_rand_below(16) == 0)
		return PTE_W | (test_rand_below(2) ? PTE_X : 0);       /* invalid */
	return valid_prots[test_rand_below(ARRAY_SIZE(valid_prots))];
}

static paddr_t rand_pa(int level)
{
	return ALIGN_DOWN(test_rand() & (PA_LIMIT - 1), LEVEL_SIZE(level));
}

/* The start of the leaf at @level that covers @a. */
static vaddr_t leaf_start(struct at a, int level)
{
	if (level >= 1)
		a.p = 0;
	if (level == 2)
		a.m = 0;
	return at_va(a);
}

/* ---- random operations: each returns NULL or why it disagreed -------------------- */

/* What the random ops answered, so a run shows it met every outcome. */
enum { R_MAP, R_UNMAP, R_PROTECT, R_REMAP, R_MAP_RANGE, R_UNMAP_RANGE, R_KINDS };
static const char *const r_names[R_KINDS] = {
	"map", "unmap", "protect", "remap", "map_range", "unmap_range",
};
static u64 r_ok[R_KINDS];
static u32 r_errs[R_KINDS];             /* bit e: -e was answered */
static int r_err;                       /* the last op's answer */

/* The rule pm_* apply: known bits only, R or X, no W without R. */
static bool prot_ok(u64 prot)
{
	return !(prot & ~(PTE_R | PTE_W | PTE_X | PTE_U | PTE_G)) && (prot & (PTE_R | PTE_X)) &&
	       (!(prot & PTE_W) || (prot & PTE_R));
}

/* Something at @a's leaf of @level or above it, or a table below it. */
static bool model_busy(struct at a, int level)
{
	int m;

	if (md.g[a.g].on || (level < 2 && md.m[a.g][a.m].on) ||
	    (level == 0 && md.p[a.g][a.m][a.p].on) || (level == 1 && md.pcount[a.g][a.m]))
		return true;
	if (level == 2 && md.mcount[a.g])
		return true;
	for (m = 0; level == 2 && m < RM; m++)
		if (md.pcount[a.g][m])
			return true;
	return false;
}

static const char *rop_map(struct pm_flush *fl)
{
	int level = rand_level(), want, err;
	struct at a = rand_at(level);
	u64 prot = rand_prot(), size = LEVEL_SIZE(level);
	paddr_t pa = rand_pa(level);
	vaddr_t va = at_va(a);

	want = !prot_ok(prot) ? -EINVAL : model_busy(a, level) ? -EEXIST : 0;
	err = pm_map(&pm, va, pa, level, prot, fl);
	r_err = err;
	CHECK(err == want, "map 0x%llx level %d prot 0x%llx: %d, want %d", (ull)va, level,
	      (ull)prot, err, want);
	if (err)
		return flush_empty(fl) ? NULL : "a failed map added to the flush";
	model_set(a, level, true, pa, prot);
	CHECK(flush_is(fl, va, va + size), "map 0x%llx: flush [0x%llx, 0x%llx)", (ull)va,
	      (ull)fl->tlb.start, (ull)fl->tlb.end);
	return NULL;
}

/* What pm_unmap/protect/remap must answer at @va for the model. */
static int find_want(struct at a, vaddr_t va, int *level, struct mleaf **x)
{
	*x = model_find(a, level);
	if (!*x)
		return -ENOENT;
	return leaf_start(a, *level) == va ? 0 : -EINVAL;
}

/* An op on an existing leaf changed exactly its range (more if tables went). */
static const char *leaf_flush_ok(const struct pm_flush *fl, vaddr_t va, int level, u64 tables)
{
	vaddr_t end = va + LEVEL_SIZE(level);

	if (pm_table_pages(&pm) == tables)
		CHECK(flush_is(fl, va, end), "0x%llx: flush [0x%llx, 0x%llx)", (ull)va,
		      (ull)fl->tlb.start, (ull)fl->tlb.end);
	else
		CHECK(fl->tlb.start <= va && fl->tlb.end >= end, "0x%llx: flush [0x%llx, 0x%llx)",
		      (ull)va, (ull)fl->tlb.start, (ull)fl->tlb.end);
	return NULL;
}

static const char *rop_unmap(struct pm_flush *fl)
{
	struct at a = rand_at(rand_level());
	vaddr_t va = at_va(a);
	u64 tables = pm_table_pages(&pm);
	struct mleaf *x, old;
	paddr_t pa = 0;
	int level, got = -1, want = find_want(a, va, &level, &x);
	int err = pm_unmap(&pm, va, &pa, &got, fl);

	r_err = err;
	CHECK(err == want, "unmap 0x%llx: %d, want %d", (ull)va, err, want);
	if (err)
		return flush_empty(fl) ? NULL : "a failed unmap added to the flush";
	old = *x;
	CHECK(pa == old.pa && got == level, "unmap 0x%llx: pa 0x%llx level %d, want 0x%llx %d",
	      (ull)va, (ull)pa, got, (ull)old.pa, level);
	model_set(a, level, false, 0, 0);
	return leaf_flush_ok(fl, va, level, tables);
}

static const char *rop_change(struct pm_flush *fl, bool remap)
{
	struct at a = rand_at(rand_level());
	vaddr_t va = at_va(a);
	u64 prot = rand_prot();
	paddr_t pa = rand_pa(test_rand_below(2) ? 2 : 0);
	struct mleaf *x;
	int level, err, want = find_want(a, va, &level, &x);

	if (!prot_ok(prot))
		want = -EINVAL;
	if (!want && remap && !IS_ALIGNED(pa, LEVEL_SIZE(level)))
		want = -EINVAL;
	err = remap ? pm_remap(&pm, va, pa, prot, fl) : pm_protect(&pm, va, prot, fl);
	r_err = err;
	CHECK(err == want, "%s 0x%llx: %d, want %d", remap ? "remap" : "protect", (ull)va,
	      err, want);
	if (err)
		return flush_empty(fl) ? NULL : "a failed change added to the flush";
	x->prot = prot;
	if (remap)
		x->pa = pa;
	return leaf_flush_ok(fl, va, level, pm_table_pages(&pm));
}

/* Pages [a.p, a.p + n) of one slot, n >= 1, all within pages 0..15. */
static struct at rand_run(unsigned int *n)
{
	struct at a = rand_at(0);

	a.p = (int)test_rand_below(16);
	*n = 1 + (unsigned int)test_rand_below(16 - a.p);
	return a;
}

static const char *rop_map_range(struct pm_flush *fl)
{
	unsigned int n, i;
	struct at a = rand_run(&n);
	vaddr_t va = at_va(a);
	paddr_t pa = rand_pa(0);
	u64 prot = valid_prots[test_rand_below(ARRAY_SIZE(valid_prots))];
	int want = md.g[a.g].on || md.m[a.g][a.m].on ? -EEXIST : 0, err;

	for (i = 0; i < n; i++)
		if (md.p[a.g][a.m][a.p + i].on)
			want = -EEXIST;
	err = pm_map_range(&pm, va, pa, n * PAGE_SIZE, prot, test_rand_below(2), fl);
	r_err = err;
	CHECK(err == want, "map_range 0x%llx +%u pages: %d, want %d", (ull)va, n, err, want);
	if (err)
		return NULL;            /* rolled back: the checks that follow see it */
	for (i = 0; i < n; i++, a.p++)
		model_set(a, 0, true, pa + i * PAGE_SIZE, prot);
	CHECK(flush_is(fl, va, va + n * PAGE_SIZE), "map_range flush");
	return NULL;
}

static const char *rop_unmap_range(struct pm_flush *fl)
{
	unsigned int n, i;
	struct at a = rand_run(&n);
	vaddr_t va = at_va(a);
	u64 tables = pm_table_pages(&pm);
	int want = md.g[a.g].on || md.m[a.g][a.m].on ? -EINVAL : 0, err;

	for (i = 0; i < n && !want; i++)
		if (!md.p[a.g][a.m][a.p + i].on)
			want = -ENOENT;
	err = pm_unmap_range(&pm, va, n * PAGE_SIZE, fl);
	r_err = err;
	CHECK(err == want, "unmap_range 0x%llx +%u pages: %d, want %d", (ull)va, n, err, want);
	if (err)
		return flush_empty(fl) ? NULL : "a failed unmap_range added to the flush";
	for (i = 0; i < n; i++, a.p++)
		model_set(a, 0, false, 0, 0);
	if (pm_table_pages(&pm) == tables)
		CHECK(flush_is(fl, va, va + n * PAGE_SIZE), "unmap_range flush");
	return NULL;
}

/* pm_translate at a random address agrees with the model. */
static const char *sample_translate(void)
{
	struct at a = rand_at(0);
	vaddr_t va = at_va(a) + test_rand_below(PAGE_SIZE);
	struct mleaf *x;
	int level;
	paddr_t pa;

	x = model_find(a, &level);
	if (!x) {
		CHECK(pm_translate(&pm, va, &pa, NULL, NULL) == -EFAULT,
		      "0x%llx translates, the model has a hole", (ull)va);
		return NULL;
	}
	return translate_is(va, x->pa + (va - leaf_start(a, level)), x->prot, level);
}

struct mref {
	vaddr_t va;
	int level;
	const struct mleaf *x;
};

/* The model's leaves in GiB @g, in address order; how many. */
static size_t model_leaves(int g, struct mref *out)
{
	size_t n = 0;
	struct at a = { g, 0, 0 };

	if (md.g[g].on) {
		out[n++] = (struct mref){ r_gib[g], 2, &md.g[g] };
		return n;
	}
	for (a.m = 0; a.m < RM; a.m++) {
		a.p = 0;
		if (md.m[g][a.m].on) {
			out[n++] = (struct mref){ at_va(a), 1, &md.m[g][a.m] };
			continue;
		}
		for (a.p = 0; a.p < RP; a.p++)
			if (md.p[g][a.m][a.p].on)
				out[n++] = (struct mref){ at_va(a), 0, &md.p[g][a.m][a.p] };
	}
	return n;
}

/* pm_walk_range over GiB @g against the model, leaf by leaf. */
static const char *compare_gib(int g, struct spans *s)
{
	static struct mref want[RM * RP + 1];
	size_t n = model_leaves(g, want), k = 0, i;

	TRY(collect(r_gib[g], r_gib[g] + GiB, s));
	for (i = 0; i < s->n; i++) {
		const struct span *x = &s->v[i];

		if (x->level < 0)
			continue;
		CHECK(k < n, "GiB %d: extra leaf 0x%llx", g, (ull)x->va);
		CHECK(x->va == want[k].va && x->level == want[k].level &&
		      pte_pa(x->pte) == want[k].x->pa && pte_prot(x->pte) == want[k].x->prot,
		      "GiB %d leaf %zu: 0x%llx level %d pte 0x%llx, want 0x%llx level %d pa 0x%llx",
		      g, k, (ull)x->va, x->level, (ull)x->pte, (ull)want[k].va, want[k].level,
		      (ull)want[k].x->pa);
		k++;
	}
	CHECK(k == n, "GiB %d: %zu leaves, the model has %zu", g, k, n);
	return NULL;
}

/* A full dump of both halves against the model. */
static const char *compare_all(void)
{
	static struct spans s;
	u64 leaves = 0;
	int g;

	for (g = 0; g < RG; g++) {
		TRY(compare_gib(g, &s));
		leaves += count_leaves(&s);
	}
	CHECK(leaves == md.leaves, "%llu leaves in the GiBs, the model has %llu", (ull)leaves,
	      (ull)md.leaves);
	TRY(collect(0, UTOP, &s));
	leaves = count_leaves(&s);
	TRY(collect(KHALF, 0xffffffffc0000000ull, &s));
	leaves += count_leaves(&s);
	CHECK(leaves == md.leaves, "%llu leaves in the halves, the model has %llu", (ull)leaves,
	      (ull)md.leaves);
	return check_tree(NULL, NULL);
}

static const char *random_op(struct pm_flush *fl)
{
	u64 r = test_rand_below(100);
	int k = r < 35 ? R_MAP : r < 60 ? R_UNMAP : r < 70 ? R_PROTECT : r < 80 ? R_REMAP :
		r < 90 ? R_MAP_RANGE : R_UNMAP_RANGE;
	const char *e;

	switch (k) {
	case R_MAP:
		e = rop_map(fl);
		break;
	case R_UNMAP:
		e = rop_unmap(fl);
		break;
	case R_PROTECT:
	case R_REMAP:
		e = rop_change(fl, k == R_REMAP);
		break;
	case R_MAP_RANGE:
		e = rop_map_range(fl);
		break;
	default:
		e = rop_unmap_range(fl);
		break;
	}
	if (r_err)
		r_errs[k] |= 1u << -r_err;
	else
		r_ok[k]++;
	return e;
}

/* Each kind of op succeeded often and gave each error it can give. */
static const char *check_outcomes(void)
{
	static const u32 want[R_KINDS] = {
		[R_MAP] = 1u << EINVAL | 1u << EEXIST,
		[R_UNMAP] = 1u << EINVAL | 1u << ENOENT,
		[R_PROTECT] = 1u << EINVAL | 1u << ENOENT,
		[R_REMAP] = 1u << EINVAL | 1u << ENOENT,
		[R_MAP_RANGE] = 1u << EEXIST,
		[R_UNMAP_RANGE] = 1u << EINVAL | 1u << ENOENT,
	};
	int k;

	for (k = 0; k < R_KINDS; k++)
		CHECK(r_ok[k] >= 500 && r_errs[k] == want[k],
		      "%s: %llu succeeded, errors 0x%x, want 0x%x", r_names[k],
		      (ull)r_ok[k], r_errs[k], want[k]);
	return NULL;
}

/* After an op: its flush run or dropped, one arch call per run. */
static const char *finish_op(struct pm_flush *fl)
{
	struct tlb_batch b = fl->tlb;
	u64 calls = nflushes;

	if (test_rand_below(2)) {
		pm_flush_drop(fl);
		CHECK(nflushes == calls, "pm_flush_drop called arch_tlb_flush");
	} else {
		run_flush(fl);
		CHECK(nflushes == calls + 1 && last_flush.b.start == b.start &&
		      last_flush.b.end == b.end && last_flush.b.all == b.all,
		      "pm_flush_run did not pass its batch once");
	}
	CHECK(flush_empty(fl), "the flush was not reset");
	CHECK(pm_table_pages(&pm) == model_tables() && pt.live == model_tables(),
	      "%llu tables (ops hold %llu), the model needs %llu", (ull)pm_table_pages(&pm),
	      (ull)pt.live, (ull)model_tables());
	return NULL;
}

static const char *unmap_all(void)
{
	struct pm_flush fl = PM_FLUSH_INIT;
	struct at a;
	int level;

	for (a.g = 0; a.g < RG; a.g++)
		for (a.m = 0; a.m < RM; a.m++)
			for (a.p = 0; a.p < RP; a.p++)
				if (model_find(a, &level) && leaf_start(a, level) == at_va(a)) {
					CHECK(pm_unmap(&pm, at_va(a), NULL, NULL, &fl) == 0,
					      "unmap 0x%llx", (ull)at_va(a));
					model_set(a, level, false, 0, 0);
				}
	run_flush(&fl);
	TRY(compare_all());
	CHECK(md.leaves == 0 && pm_table_pages(&pm) == 0 && pt.live == 0,
	      "%llu tables left", (ull)pm_table_pages(&pm));
	CHECK(pt.allocs == pt.frees, "%llu allocated, %llu freed", (ull)pt.allocs, (ull)pt.frees);
	return NULL;
}

/* @nops random operations from @seed; the tree is scanned every @every ops. */
static const char *run_random(u64 seed, unsigned long nops, unsigned long every)
{
	unsigned long i;
	int k;

	TRY(setup());
	memset(&md, 0, sizeof(md));
	test_srand(seed);
	for (i = 1; i <= nops; i++) {
		struct pm_flush fl = PM_FLUSH_INIT;
		const char *e = random_op(&fl);

		if (!e)
			e = finish_op(&fl);
		for (k = 0; k < 4 && !e; k++)
			e = sample_translate();
		if (!e && i % every == 0)
			e = every == 1 ? check_tree(NULL, NULL) : compare_all();
		CHECK(!e, "seed %llu op %lu: %s", (ull)seed, i, e);
	}
	TRY(compare_all());
	return unmap_all();
}

static const char *case_inuse_random(void)
{
	TRY(run_random(seed_base() + 11, 4000, 1));
	return run_random(seed_base() + 12, 4000, 1);
}

static const char *case_random(void)
{
	memset(r_ok, 0, sizeof(r_ok));
	memset(r_errs, 0, sizeof(r_errs));
	TRY(run_random(seed_base() + 1, 100000, 997));
	TRY(run_random(seed_base() + 2, 100000, 997));
	return check_outcomes();
}

/* ---- case: flush batches -------------------------------------------------------------- */

static const char *case_flush_batches(void)
{
	struct pm_flush fa = PM_FLUSH_INIT, fb = PM_FLUSH_INIT;
	struct hartmask mask = { 0x5 };
	const vaddr_t x = 0x80000000, y = 0xffffffd800000000, big = 0xc0000000;

	TRY(setup());
	/* Each op adds exactly its range. */
	CHECK(pm_map(&pm, 0x40001000, 0x1000, 0, PTE_R, &fa) == 0, "map");
	CHECK(flush_is(&fa, 0x40001000, 0x40002000), "4 KiB range");
	CHECK(pm_map(&pm, 0x40400000, 0, 1, PTE_R, &fa) == 0, "map 2 MiB");
	CHECK(flush_is(&fa, 0x40001000, 0x40600000), "grown range");
	CHECK(pm_protect(&pm, 0x40400000, PTE_R | PTE_W, &fb) == 0, "protect");
	CHECK(flush_is(&fb, 0x40400000, 0x40600000), "protect range");
	pm_flush_merge(&fa, &fb);
	CHECK(flush_is(&fa, 0x40001000, 0x40600000) && flush_empty(&fb), "merge of ranges");
	nruns++;
	pm_flush_run(&fa, 3, false, &mask);
	CHECK(nflushes == 1 && last_flush.b.start == 0x40001000 && last_flush.b.end == 0x40600000 &&
	      !last_flush.b.all && last_flush.asid == 3 && !last_flush.global &&
	      last_flush.mask == &mask, "arch got [0x%llx, 0x%llx) asid %lu",
	      (ull)last_flush.b.start, (ull)last_flush.b.end, last_flush.asid);
	CHECK(flush_empty(&fa), "not reset after the run");
	/* Merging keeps both deferred lists; one arch call, then the frees. */
	CHECK(pm_map(&pm, x, 0, 0, PTE_R, &fa) == 0 && pm_map(&pm, y, 0, 0, PTE_R, &fa) == 0, "map");
	run_flush(&fa);
	CHECK(pm_unmap(&pm, x, NULL, NULL, &fa) == 0 && pm_unmap(&pm, y, NULL, NULL, &fb) == 0,
	      "unmap");
	CHECK(deferred_of(&fa) == 2 && deferred_of(&fb) == 2, "deferred %llu + %llu",
	      (ull)deferred_of(&fa), (ull)deferred_of(&fb));
	CHECK(flush_is(&fa, x, x + GiB) && flush_is(&fb, y, y + GiB), "unmap ranges");
	pm_flush_merge(&fa, &fb);
	CHECK(flush_is(&fa, x, y + GiB) && deferred_of(&fa) == 4 && flush_empty(&fb),
	      "merged [0x%llx, 0x%llx), %llu deferred", (ull)fa.tlb.start, (ull)fa.tlb.end,
	      (ull)deferred_of(&fa));
	TRY(check_tree(&fa, NULL));
	CHECK(pt.frees == 0, "freed before the run");
	nruns++;
	pm_flush_run(&fa, 0, true, NULL);
	CHECK(nflushes == 3 && last_flush.b.start == x && last_flush.b.end == y + GiB &&
	      last_flush.global && !last_flush.mask, "arch call for the merge");
	CHECK(pt.frees == 4 && pt.live == 2 && last_flush.frees == 0,
	      "%llu freed, %llu of them before the arch flush", (ull)pt.frees,
	      (ull)last_flush.frees);
	/* Past TLB_FLUSH_PAGES_MAX pages: still a range here, the arch decides. */
	CHECK(pm_map_range(&pm, big, 0, (TLB_FLUSH_PAGES_MAX + 1) * PAGE_SIZE, PTE_R, true,
			   &fa) == 0, "map 33 pages");
	CHECK(flush_is(&fa, big, big + (TLB_FLUSH_PAGES_MAX + 1) * PAGE_SIZE), "33-page range");
	run_flush(&fa);
	CHECK(last_flush.b.end - last_flush.b.start == (TLB_FLUSH_PAGES_MAX + 1) * PAGE_SIZE &&
	      !last_flush.b.all, "33 pages reached the arch as [0x%llx, 0x%llx) all %d",
	      (ull)last_flush.b.start, (ull)last_flush.b.end, last_flush.b.all);
	CHECK(pm_unmap_range(&pm, big, TLB_FLUSH_PAGES_MAX * PAGE_SIZE, &fa) == 0, "unmap 32");
	CHECK(flush_is(&fa, big, big + TLB_FLUSH_PAGES_MAX * PAGE_SIZE), "32-page range");
	CHECK(pm_unmap(&pm, big + TLB_FLUSH_PAGES_MAX * PAGE_SIZE, NULL, NULL, &fa) == 0, "unmap");
	CHECK(flush_is(&fa, big, big + GiB) && deferred_of(&fa) == 2, "tables' range");
	run_flush(&fa);
	/* "all" survives a merge; an empty flush still reaches the arch once. */
	fb.tlb.all = true;
	pm_flush_merge(&fa, &fb);
	CHECK(fa.tlb.all && fa.tlb.start >= fa.tlb.end, "all lost in the merge");
	run_flush(&fa);
	CHECK(last_flush.b.all, "arch did not get all");
	run_flush(&fa);
	CHECK(nflushes == nruns && !last_flush.b.all && last_flush.b.start >= last_flush.b.end,
	      "empty run");
	pm_flush_drop(&fa);
	CHECK(nflushes == nruns, "drop flushed");
	return check_tree(NULL, NULL);
}

/* ---- case: pinned tables ---------------------------------------------------------------- */

static paddr_t table_at(vaddr_t va, int level)
{
	int err;
	pte_t *slot = pm_walk(&pm, va, level + 1, false, &err);

	return slot && pte_is_valid(*slot) && !pte_is_leaf(*slot) ? pte_pa(*slot) : 0;
}

static const char *map_unmap_keeps(vaddr_t va, int level, u64 tables)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	CHECK(pm_map(&pm, va, 0, level, PTE_R, &fl) == 0, "map 0x%llx", (ull)va);
	TRY(check_tree(&fl, NULL));
	CHECK(pm_unmap(&pm, va, NULL, NULL, &fl) == 0, "unmap 0x%llx", (ull)va);
	CHECK(!fl.deferred && flush_is(&fl, va, va + LEVEL_SIZE(level)),
	      "0x%llx: a pinned table went", (ull)va);
	run_flush(&fl);
	CHECK(pm_table_pages(&pm) == tables, "%llu tables, want %llu", (ull)pm_table_pages(&pm),
	      (ull)tables);
	return check_tree(NULL, NULL);
}

static const char *case_pin_table(void)
{
	static struct vec before, after;
	struct pm_flush fl = PM_FLUSH_INIT;
	u64 allocs;

	TRY(setup());
	/* A level-1 table pinned: survives its last 2 MiB leaf. */
	CHECK(pm_pin_table(&pm, 0x40000000, 1) == 0, "pin level 1");
	pins[npins++] = table_at(0x40000000, 1);
	CHECK(pins[0] && pm_table_pages(&pm) == 1, "pin made %llu tables",
	      (ull)pm_table_pages(&pm));
	TRY(check_tree(NULL, NULL));
	TRY(map_unmap_keeps(0x40400000, 1, 1));
	/* ... and its level-0 tables still come and go. */
	CHECK(pm_map(&pm, 0x40600000, 0, 0, PTE_R, &fl) == 0, "map");
	CHECK(pm_unmap(&pm, 0x40600000, NULL, NULL, &fl) == 0 && deferred_of(&fl) == 1,
	      "the level-0 table stayed");
	run_flush(&fl);
	/* A level-0 table pinned in the kernel half: both tables stay. */
	CHECK(pm_pin_table(&pm, 0xffffffc000200000, 0) == 0, "pin level 0");
	pins[npins++] = table_at(0xffffffc000200000, 0);
	TRY(map_unmap_keeps(0xffffffc000201000, 0, 3));
	/* Pinning an existing table allocates nothing. */
	CHECK(pm_map(&pm, 0xc0000000, 0, 0, PTE_R, &fl) == 0, "map");
	allocs = pt.allocs;
	CHECK(pm_pin_table(&pm, 0xc0000000, 0) == 0 && pt.allocs == allocs, "pin existing");
	pins[npins++] = table_at(0xc0000000, 0);
	CHECK(pm_unmap(&pm, 0xc0000000, NULL, NULL, &fl) == 0 && !fl.deferred, "unmap");
	run_flush(&fl);
	CHECK(pm_table_pages(&pm) == 5, "%llu tables", (ull)pm_table_pages(&pm));
	TRY(check_tree(NULL, &before));
	/* Under a 1 GiB leaf there is no table to pin. */
	CHECK(pm_map(&pm, 0x100000000, 0, 2, PTE_R, &fl) == 0, "map 1 GiB");
	run_flush(&fl);
	CHECK(pm_pin_table(&pm, 0x100200000, 1) == -EEXIST, "pin under a leaf");
	TRY(unmap_one(0x100000000));
	TRY(check_tree(NULL, &after));
	CHECK(dump_equal(&before, &after), "the tree changed");
	return NULL;
}

/*
 * pm_pin_table failing an allocation keeps no table and changes nothing
 * ("A failed call changes nothing and keeps no table page it allocated").
 * It has no pm_flush to defer a linked table on, so it must not link one.
 */
static const char *case_pin_table_enomem(void)
{
	static struct vec before, after;
	u64 n;

	TRY(setup_std(&before));
	for (n = 1; n <= 2; n++) {
		int err;

		fail_alloc(n);
		err = pm_pin_table(&pm, 0xc0000000, 0);
		fail_alloc(0);
		CHECK(err == -ENOMEM, "pin with alloc %llu failing: %d", (ull)n, err);
		CHECK(pm_table_pages(&pm) == STD_TABLES && pt.live == STD_TABLES,
		      "pin with alloc %llu failing: %llu tables kept, had %u", (ull)n,
		      (ull)pm_table_pages(&pm), STD_TABLES);
		TRY(check_tree(NULL, &after));
		CHECK(dump_equal(&before, &after), "alloc %llu failing changed the tree", (ull)n);
	}
	return NULL;
}

/* ---- case: recount ------------------------------------------------------------------------ */

static void scramble(paddr_t tpa, int level)
{
	pte_t *t = pt_table(tpa);
	unsigned int i;

	pa_to_page(tpa)->inuse = (u32)test_rand();
	for (i = 0; i < PT_ENTRIES; i++)
		if (pte_is_valid(t[i]) && !pte_is_leaf(t[i]))
			scramble(pte_pa(t[i]), level - 1);
}

static const char *case_recount(void)
{
	static struct vec before, after;
	struct pm_flush fl = PM_FLUSH_INIT;
	unsigned int i;

	TRY(setup_std(NULL));
	test_srand(seed_base() + 77);
	for (i = 0; i < 300; i++) {
		vaddr_t va = 0xffffffd800000000 + test_rand_below(8) * GiB +
			     test_rand_below(16) * 2 * MiB + test_rand_below(64) * PAGE_SIZE;
		int err = pm_map(&pm, va, va & (PA_LIMIT - 1), 0, PROT_KRW, &fl);

		CHECK(!err || err == -EEXIST, "map: %d", err);
	}
	CHECK(pm_map(&pm, 0xffffffd800000000 + 20 * 2 * MiB, 0, 1, PROT_KR, &fl) == 0, "2 MiB");
	run_flush(&fl);
	TRY(check_tree(NULL, &before));
	pm_recount(&pm);
	TRY(check_tree(NULL, NULL));
	scramble(pm.root_pa, PT_LEVELS - 1);
	pm_recount(&pm);
	TRY(check_tree(NULL, &after));
	CHECK(dump_equal(&before, &after), "recount changed entries");
	return NULL;
}

/* ---- case: the last page of the address space ---------------------------------------------- */

/*
 * A leaf that ends at 2^64 (the last page, 2 MiB or 1 GiB of the kernel
 * half) has end 0 as a [start, end) pair, which a tlb_batch reads as
 * empty. Whatever the encoding, its map, protect and unmap must reach the
 * TLB. @fl makes the TLB forget [va, va + size): a range containing it, or all.
 */
static bool flush_covers(const struct pm_flush *fl, vaddr_t va, u64 size)
{
	return fl->tlb.all || (fl->tlb.start < fl->tlb.end && fl->tlb.start <= va &&
			       fl->tlb.end - 1 >= va + (size - 1));
}

static const char *case_top_of_space(void)
{
	static const struct { vaddr_t va; int level; } top[] = {
		{ 0xfffffffffffff000, 0 }, { 0xffffffffffe00000, 1 }, { 0xffffffffc0000000, 2 },
	};
	unsigned int i;

	TRY(setup());
	for (i = 0; i < ARRAY_SIZE(top); i++) {
		struct pm_flush fl = PM_FLUSH_INIT;
		u64 size = LEVEL_SIZE(top[i].level);

		CHECK(pm_map(&pm, top[i].va, 0, top[i].level, PROT_KRW, &fl) == 0, "map %u", i);
		TRY(translate_is(top[i].va + size - 1, size - 1, PROT_KRW, top[i].level));
		CHECK(flush_covers(&fl, top[i].va, size),
		      "map 0x%llx level %d: flush [0x%llx, 0x%llx) all %d misses it",
		      (ull)top[i].va, top[i].level, (ull)fl.tlb.start, (ull)fl.tlb.end,
		      fl.tlb.all);
		run_flush(&fl);
		CHECK(pm_protect(&pm, top[i].va, PROT_KR, &fl) == 0 && flush_covers(&fl, top[i].va, size),
		      "protect 0x%llx: flush [0x%llx, 0x%llx) all %d misses it", (ull)top[i].va,
		      (ull)fl.tlb.start, (ull)fl.tlb.end, fl.tlb.all);
		run_flush(&fl);
		CHECK(pm_unmap(&pm, top[i].va, NULL, NULL, &fl) == 0 &&
		      flush_covers(&fl, top[i].va, size),
		      "unmap 0x%llx: flush [0x%llx, 0x%llx) all %d misses it", (ull)top[i].va,
		      (ull)fl.tlb.start, (ull)fl.tlb.end, fl.tlb.all);
		run_flush(&fl);
		TRY(check_tree(NULL, NULL));
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		test_case_fn fn;
	} cases[] = {
		{ "pm_map_levels", case_map_levels },
		{ "pm_bad_input", case_bad_input },
		{ "pm_map_enomem", case_map_enomem },
		{ "pm_map_range_enomem", case_map_range_enomem },
		{ "pm_deferred_frees", case_deferred_frees },
		{ "pm_inuse_random", case_inuse_random },
		{ "pm_random", case_random },
		{ "pm_flush_batches", case_flush_batches },
		{ "pm_pin_table", case_pin_table },
		{ "pm_pin_table_enomem", case_pin_table_enomem },
		{ "pm_recount", case_recount },
		{ "pm_top_of_space", case_top_of_space },
	};
	unsigned int i;

	alarm(TIME_LIMIT);              /* a hang in mm/ kills the run */
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		host_run_case(cases[i].name, cases[i].fn);
	return test_exit_status();
}
