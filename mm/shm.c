/*
 * shm: pages of shared anonymous memory by index (include/pagoda/shm.h).
 * Indexes below 2^27 (512 GiB, more than user space) fit three levels.
 */
#include <pagoda/shm.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/printk.h>

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
	s->refs++;
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
	BUG_ON(!s->refs);
	if (--s->refs)
		return;
	if (s->root)
		free_node(s->root, SHM_LEVELS - 1);
	kfree(s);
}

struct page *shm_page(struct shm *s, u64 idx, bool create)
{
	void ***slot = (void ***)&s->root;
	struct page *p;
	int level;

	if (idx >> (9 * SHM_LEVELS))
		return NULL;
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
