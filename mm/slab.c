/*
 * slab: size-class caches for kmalloc, and kmalloc/kfree themselves.
 *
 * A slab is one 4 KiB page (PG_SLAB) cut into objects of one power-of-two
 * size; page->freelist links its free objects through their first word,
 * page->inuse counts the others. A cache keeps the slabs that have free
 * objects on its partial list; a slab whose objects are all free goes
 * straight back to the buddy allocator.
 *
 * Objects move between a slab and a hart's free list (struct hart.kmem)
 * KMEM_CPU_BATCH at a time. A free object carries a tag in its second word
 * (its own address inverted): kfree of an object that carries the tag
 * is a double free. With KMEM_POISON, the rest of a free object is filled
 * with POISON_BYTE and checked when it is handed out again.
 *
 * kmalloc and kfree are __fastpath (types.h): frameless leaves whose every
 * way off the fast path is a tail call. Panics name their caller.
 */
#include <pagoda/slab.h>
#include <pagoda/buddy.h>
#include <pagoda/hart.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <string.h>

#define POISON_BYTE     0x6b

static struct kmem_cache caches[KMALLOC_CLASSES];

/* Size class of (size - 1) >> 5 for sizes 1 .. 2048. */
static const u8 size_class[64] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
};

/* The second word of a free object: its address inverted (a value a live
 * object is very unlikely to hold there, and one instruction to make). */
static inline u64 free_tag(const void *obj)
{
	return ~(u64)(uintptr_t)obj;
}

__noreturn static void bad_free(const void *p, const char *why, void *caller)
{
	panic("kfree: %s: %p (caller %pS)", why, p, caller);
}

/* ---- poisoning (KMEM_POISON builds) ------------------------------------- */

static void poison_fill(void *obj, u32 size)
{
	if (KMEM_POISON)
		memset((u8 *)obj + 16, POISON_BYTE, size - 16);
}

static void poison_check(const void *obj, u32 size)
{
	const u8 *b = (const u8 *)obj;
	u32 i;

	if (!KMEM_POISON)
		return;
	for (i = 16; i < size; i++)
		if (b[i] != POISON_BYTE)
			panic("kmalloc: object %p written after free (byte %u is 0x%x)",
			      obj, i, b[i]);
}

/* ---- slabs (cache lock held) --------------------------------------------- */

static void partial_add(struct kmem_cache *c, struct page *pg)
{
	pg->prev = NULL;
	pg->next = c->partial;
	if (c->partial)
		c->partial->prev = pg;
	c->partial = pg;
}

static void partial_del(struct kmem_cache *c, struct page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		c->partial = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = pg->prev = NULL;
}

static struct page *slab_new(struct kmem_cache *c)
{
	assert_held(&c->lock);
	struct page *pg = buddy_alloc(0, GFP_KERNEL, OWNER_SLAB);
	u8 *base;
	u32 i;

	if (!pg)
		return NULL;
	base = page_va(pg);
	pg->flags |= PG_SLAB;
	pg->cache = c;
	pg->inuse = 0;
	pg->freelist = base;
	for (i = 0; i < c->objs_per_slab; i++) {
		u64 *obj = (u64 *)(base + i * c->size);

		obj[0] = i + 1 < c->objs_per_slab ? (u64)(uintptr_t)(base + (i + 1) * c->size) : 0;
		obj[1] = free_tag(obj);
		poison_fill(obj, c->size);
	}
	c->nr_slabs++;
	c->free_objs += c->objs_per_slab;
	partial_add(c, pg);
	return pg;
}

/* Take up to @n objects from the cache's slabs onto @kc. */
static void cache_refill(struct kmem_cache *c, struct kmem_cpu *kc, unsigned int n)
{
	spin_lock(&c->lock);
	while (n) {
		struct page *pg = c->partial ? c->partial : slab_new(c);
		void *obj;

		if (!pg)
			break;
		for (; n && (obj = pg->freelist); n--) {
			pg->freelist = *(void **)obj;
			pg->inuse++;
			c->free_objs--;
			*(void **)obj = kc->head;
			kc->head = obj;
			kc->count++;
		}
		if (!pg->freelist)
			partial_del(c, pg);     /* full: on no list */
	}
	spin_unlock(&c->lock);
}

/* Return one object to its slab; free the slab when it empties. */
static void slab_put(struct kmem_cache *c, void *obj)
{
	struct page *pg = va_to_page(obj);

	assert_held(&c->lock);
	if (!pg->freelist)
		partial_add(c, pg);
	*(void **)obj = pg->freelist;
	pg->freelist = obj;
	pg->inuse--;
	c->free_objs++;
	if (pg->inuse == 0) {
		partial_del(c, pg);
		c->nr_slabs--;
		c->free_objs -= c->objs_per_slab;
		pg->freelist = NULL;
		pg->cache = NULL;
		buddy_free(pg, 0);
	}
}

static __noinline void cache_flush(struct kmem_cache *c, struct kmem_cpu *kc, unsigned int n)
{
	spin_lock(&c->lock);
	while (n-- && kc->head) {
		void *obj = kc->head;

		kc->head = *(void **)obj;
		kc->count--;
		slab_put(c, obj);
	}
	spin_unlock(&c->lock);
}

/* ---- kmalloc ---------------------------------------------------------------- */

static __noinline void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct page *pg;

	if (size == 0 || size > KMALLOC_MAX)
		return NULL;
	while ((4096ul << order) < size)
		order++;
	pg = buddy_alloc(order, gfp & GFP_DMA32, OWNER_KMALLOC);
	if (!pg)
		return NULL;
	pg->flags |= PG_LARGE;
	if (gfp & __GFP_ZERO)
		memset(page_va(pg), 0, 4096ul << order);
	return page_va(pg);
}

/* Hand out @obj: poison check, clear the free tag, zero on request. */
static void *kmalloc_finish(u64 *obj, unsigned long cls, gfp_t gfp)
{
	poison_check(obj, caches[cls].size);
	obj[1] = 0;                     /* no longer carries the free tag */
	if (gfp & __GFP_ZERO)
		memset(obj, 0, caches[cls].size);
	return obj;
}

static __noinline void *kmalloc_slow(unsigned long cls, gfp_t gfp)
{
	struct kmem_cpu *kc;
	void *obj;
	unsigned long f = arch_irq_save();

	kc = &this_hart()->kmem[cls];
	if (!kc->head)
		cache_refill(&caches[cls], kc, KMEM_CPU_BATCH);
	obj = kc->head;
	if (obj) {
		kc->head = *(void **)obj;
		kc->count--;
	}
	arch_irq_restore(f);
	return obj ? kmalloc_finish(obj, cls, gfp) : NULL;
}

static __noinline void *kmalloc_finish_slow(u64 *obj, unsigned long cls, gfp_t gfp)
{
	return kmalloc_finish(obj, cls, gfp);
}

/*
 * kmalloc - @size bytes (1 .. 1 MiB) in a block of the next power of two
 * (32 B at least), aligned to the block size; NULL for 0, for more than
 * 1 MiB, or when memory is out. __GFP_ZERO zeroes the block.
 * Every way off the fast path is a tail call: the fast path needs no frame.
 */
__fastpath void *kmalloc(size_t size, gfp_t gfp)
{
	struct kmem_cpu *kc;
	unsigned long cls, f;
	u64 *obj;

	if (unlikely(size - 1 >= KMALLOC_SMALL_MAX))
		return kmalloc_large(size, gfp);
	cls = size_class[(size - 1) >> KMALLOC_MIN_SHIFT];
	f = arch_irq_save_short();
	kc = &this_hart()->kmem[cls];
	obj = kc->head;
	if (unlikely(!obj)) {
		arch_irq_restore_short(f);
		return kmalloc_slow(cls, gfp);
	}
	kc->head = (void *)obj[0];
	kc->count--;
	arch_irq_restore_short(f);
	if (KMEM_POISON || unlikely(gfp & __GFP_ZERO))
		return kmalloc_finish_slow(obj, cls, gfp);
	obj[1] = 0;                     /* no longer carries the free tag */
	return obj;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static __noinline void kfree_large(struct page *pg, const void *p, void *caller)
{
	if (!(pg->flags & PG_LARGE) || !(pg->flags & PG_HEAD) || page_va(pg) != p)
		bad_free(p, "not a kmalloc pointer", caller);
	buddy_free(pg, pg->order);
}

/* kfree's ways off the fast path; each is a tail call from kfree. */
static __noinline void kfree_slab_full(struct kmem_cache *c, struct kmem_cpu *kc,
				       unsigned long f)
{
	cache_flush(c, kc, KMEM_CPU_BATCH);
	arch_irq_restore_short(f);
}

/* Put a checked slab object on this hart's free list. Inlined in kfree. */
static inline void kfree_slab(const void *p, struct page *pg)
{
	struct kmem_cache *c = pg->cache;
	struct kmem_cpu *kc;
	unsigned long f;
	u64 *obj = (u64 *)p;

	obj[1] = free_tag(obj);
	poison_fill(obj, c->size);
	f = arch_irq_save_short();
	kc = &this_hart()->kmem[c->cls];
	obj[0] = (u64)(uintptr_t)kc->head;
	kc->head = obj;
	if (unlikely(++kc->count > KMEM_CPU_HIGH))
		return kfree_slab_full(c, kc, f);
	arch_irq_restore_short(f);
}

/*
 * Reached from kfree by a tail jump, so its own return address is kfree's
 * caller: that is the caller a panic names.
 */
static __noinline void kfree_other(const void *p)
{
	void *caller = __builtin_return_address(0);
	struct page *pg = va_to_page(p);

	if (!p)
		return;
	if (!pg)
		bad_free(p, "not a kmalloc pointer", caller);
	if (!(pg->flags & PG_SLAB)) {
		kfree_large(pg, p, caller);
		return;
	}
	if ((uintptr_t)p & pg->cache->align_mask)
		bad_free(p, "not a kmalloc pointer", caller);
	if (((u64 *)p)[1] == free_tag(p))
		bad_free(p, "double free", caller);
	kfree_slab(p, pg);              /* a slab object outside bank 0 */
}

/*
 * kfree - free what kmalloc returned; NULL does nothing. A pointer kmalloc
 * did not return, or a second free, panics with the pointer and caller.
 */
__fastpath void kfree(const void *p)
{
	u64 i = ((vaddr_t)p - bank0_lookup.va_base) >> 12;
	u64 *obj = (u64 *)p;
	struct page *pg;

	if (unlikely(i >= bank0_lookup.npages))
		return kfree_other(p);  /* NULL, another bank, or no RAM */
	pg = bank0_lookup.pages + i;
	if (unlikely(!pg->cache || ((uintptr_t)p & pg->cache->align_mask) ||
		     obj[1] == free_tag(obj)))
		return kfree_other(p);  /* page->cache is set iff PG_SLAB */
	kfree_slab(p, pg);
}

void kmem_drain_local(void)
{
	unsigned long f = arch_irq_save();
	unsigned int i;

	for (i = 0; i < KMALLOC_CLASSES; i++)
		cache_flush(&caches[i], &this_hart()->kmem[i], ~0u);
	arch_irq_restore(f);
}

void kmem_init(void)
{
	unsigned int i;

	for (i = 0; i < KMALLOC_CLASSES; i++) {
		caches[i] = (struct kmem_cache){ 0 };
		caches[i].size = 1u << (KMALLOC_MIN_SHIFT + i);
		caches[i].align_mask = caches[i].size - 1;
		caches[i].cls = i;
		caches[i].objs_per_slab = 4096 / caches[i].size;
	}
}

void kmem_stat(struct kmem_stat *st)
{
	unsigned int i, h;

	*st = (struct kmem_stat){ 0 };
	for (i = 0; i < KMALLOC_CLASSES; i++) {
		const struct kmem_cache *c = &caches[i];
		u64 cached = 0, total = c->nr_slabs * c->objs_per_slab;

		for (h = 0; h < MAX_HARTS; h++)
			cached += READ_ONCE(harts[h].kmem[i].count);
		st->slabs += c->nr_slabs;
		st->free_bytes += (c->free_objs + cached) * c->size;
		st->used_bytes += (total - c->free_objs - cached) * c->size;
	}
}
