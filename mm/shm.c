/*
 * shm: shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS). The object
 * (include/pagoda/shm.h) holds pages by index; indexes below 2^27
 * (512 GiB, more than user space) fit three levels. The backend maps the
 * object's page pgoff + i at page i of a VMA; every VMA viewing the object
 * holds a reference, dropped only after the TLB flush that unmapped it,
 * so the last view's pages are freed when no hart can reach them. A
 * child of as_fork gets its own views (the copy hook takes their
 * references) and faults the pages in from the object.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/shm.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/printk.h>
#include "as_internal.h"

#define SHM_FANOUT 512
#define SHM_LEVELS 3

struct shm *shm_create(u64 size)
{
	struct shm *s = kzalloc(sizeof(*s), 0);

	if (s) {
		s->refs = 1;
		s->size = size;
	}
	return s;
}

void shm_get(struct shm *s)
{
	__atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
}

static void free_node(void **node, int level)
{
	unsigned int i;

	for (i = 0; i < SHM_FANOUT; i++) {
		if (!node[i])
			continue;
		if (level)
			free_node(node[i], level - 1);
		else
			page_free(node[i], 0);
	}
	kfree(node);
}

void shm_put(struct shm *s)
{
	u32 left = __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL);

	BUG_ON(left == ~0u);
	if (left)
		return;
	if (s->root)
		free_node(s->root, SHM_LEVELS - 1);
	kfree(s);
}

static struct page *shm_page_locked(struct shm *s, u64 idx, bool create)
{
	void ***slot = (void ***)&s->root;
	struct page *p;
	int level;

	assert_held(&s->lock);
	for (level = SHM_LEVELS - 1; level >= 0; level--) {
		if (!*slot) {
			if (!create || !(*slot = kzalloc(SHM_FANOUT * sizeof(void *), 0)))
				return NULL;
		}
		slot = (void ***)&(*slot)[(idx >> (9 * level)) & (SHM_FANOUT - 1)];
	}
	p = (struct page *)*slot;
	if (!p && create) {
		p = page_alloc(0, __GFP_ZERO);
		if (p) {
			*slot = (void **)p;
			s->pages++;
		}
	}
	return p;
}

struct page *shm_page(struct shm *s, u64 idx, bool create)
{
	unsigned long irq;
	struct page *p;

	if (idx >> (9 * SHM_LEVELS))
		return NULL;
	irq = spin_lock_irqsave(&s->lock);
	p = shm_page_locked(s, idx, create);
	spin_unlock_irqrestore(&s->lock, irq);
	return p;
}

/* ---- the backend ---------------------------------------------------------- */

static u64 shm_index(const struct as_vma *v, vaddr_t va)
{
	return v->pgoff + ((va - v->node.start) >> PAGE_SHIFT);
}

static int shm_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
		     int access)
{
	u64 idx = shm_index(v, va);
	struct page *p;

	if (idx >= v->shm->size >> PAGE_SHIFT)
		return -ENXIO;          /* mremap grew the view past the object */
	p = shm_page(v->shm, idx, true);
	if (!p)
		return -ENOMEM;
	return as_fill_pa(as, v, va, s, page_to_pa(p));
}

static bool shm_can_merge(const struct as_vma *a, const struct as_vma *b)
{
	return a->shm == b->shm;
}

static void shm_copy(struct as_vma *n)
{
	shm_get(n->shm);
}

static void shm_release(struct as_vma *v)
{
	shm_put(v->shm);
}

static bool shm_resident(const struct as_vma *v, vaddr_t va)
{
	return shm_page(v->shm, shm_index(v, va), false) != NULL;
}

/* MADV_FREE and MADV_WIPEONFORK are for private anonymous memory only
 * (Linux: EINVAL). */
static int shm_advise(const struct as_vma *v, int advice)
{
	return advice == MADV_FREE || advice == MADV_WIPEONFORK ? -EINVAL : 0;
}

static const void *shm_object(const struct as_vma *v)
{
	return v->shm;
}

const struct vma_ops shm_vma_ops = {
	.name = "shm",
	.object = shm_object,
	.fault = shm_fault,
	.can_merge = shm_can_merge,
	.copy = shm_copy,
	.release = shm_release,
	.resident = shm_resident,
	.advise = shm_advise,
};

int shm_setup(struct as_vma *v, u64 size)
{
	v->shm = shm_create(size);
	if (!v->shm)
		return -ENOMEM;
	v->ops = &shm_vma_ops;
	v->pgoff = 0;
	return 0;
}
