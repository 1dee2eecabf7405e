/*
 * ioremap: buddy allocation of the ioremap window, and the mapping of
 * device ranges into it (see include/pagoda/ioremap.h).
 *
 * Free blocks of the window are kept per order in lists of kmalloc'd
 * nodes; a freed block merges with its buddy while that one is free.
 * Mapped areas are kept in a list for iounmap. One lock (io_lock) covers
 * both; the KernelMapper lock is taken after it.
 */
#include <pagoda/ioremap.h>
#include <pagoda/kmap.h>
#include <pagoda/buddy.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/spinlock.h>
#include <asm/layout.h>

struct io_block {
	vaddr_t va;
	unsigned int order;
	paddr_t pa;                     /* areas: the physical start */
	u64 len;                        /* areas: bytes mapped (<= the block) */
	struct io_block *next;
};

static struct spinlock io_lock;
static struct io_block *free_blocks[IOREMAP_ORDERS];    /* (io_lock) */
static struct io_block *areas;                          /* (io_lock) */
static u64 free_pages;                                  /* (io_lock) */

_Static_assert((PAGE_SIZE << (IOREMAP_ORDERS - 1)) == IOREMAP_SIZE,
	       "the window is one block of the largest order");

static void block_push(struct io_block **list, struct io_block *b)
{
	b->next = *list;
	*list = b;
}

static struct io_block *block_take(struct io_block **list, vaddr_t va)
{
	for (; *list; list = &(*list)->next)
		if ((*list)->va == va) {
			struct io_block *b = *list;

			*list = b->next;
			return b;
		}
	return NULL;
}

void ioremap_init(void)
{
	struct io_block *b = kzalloc(sizeof(*b), GFP_KERNEL);

	BUG_ON(!b);
	b->va = IOREMAP_BASE;
	b->order = IOREMAP_ORDERS - 1;
	block_push(&free_blocks[b->order], b);
	free_pages = 1ull << b->order;
}

static void window_free(struct io_block *b);

/* Take a free block of @order, splitting a larger one. (io_lock) */
static struct io_block *window_alloc(unsigned int order)
{
	unsigned int k = order;
	struct io_block *b, *half;

	while (k < IOREMAP_ORDERS && !free_blocks[k])
		k++;
	if (k == IOREMAP_ORDERS)
		return NULL;
	b = free_blocks[k];
	free_blocks[k] = b->next;
	while (k > order) {
		half = kzalloc(sizeof(*half), GFP_KERNEL);
		if (!half) {            /* merge the halves split off so far back */
			free_pages -= 1ull << k;
			window_free(b);
			return NULL;
		}
		k--;
		half->va = b->va + (PAGE_SIZE << k);
		half->order = k;
		block_push(&free_blocks[k], half);
		b->order = k;
	}
	free_pages -= 1ull << order;
	return b;
}

/* Give a block back, merging with free buddies. (io_lock) */
static void window_free(struct io_block *b)
{
	free_pages += 1ull << b->order;
	while (b->order < IOREMAP_ORDERS - 1) {
		vaddr_t buddy = IOREMAP_BASE + ((b->va - IOREMAP_BASE) ^ (PAGE_SIZE << b->order));
		struct io_block *m = block_take(&free_blocks[b->order], buddy);

		if (!m)
			break;
		b->va = MIN(b->va, m->va);
		b->order++;
		kfree(m);
	}
	block_push(&free_blocks[b->order], b);
}

void *ioremap(paddr_t phys, u64 size)
{
	paddr_t pa = ALIGN_DOWN(phys, PAGE_SIZE);
	u64 len = ALIGN_UP(phys + size, PAGE_SIZE) - pa;
	unsigned int order = 0;
	struct io_block *b;
	struct kernel_mapper km;
	unsigned long f;
	int err;

	if (size == 0 || phys + size < phys || phys + size > (1ull << 56))
		return NULL;
	while ((PAGE_SIZE << order) < len)
		order++;
	if (order >= IOREMAP_ORDERS)
		return NULL;
	if (buddy_ram_pages(pa >> 12, len >> 12)) {
		printk("ioremap: [0x%llx-0x%llx] is RAM, refused\n",
		       (unsigned long long)phys, (unsigned long long)(phys + size - 1));
		return NULL;
	}
	f = spin_lock_irqsave(&io_lock);
	b = window_alloc(order);
	spin_unlock_irqrestore(&io_lock, f);
	if (!b)
		return NULL;
	km = kernel_mapper_lock();
	err = kmap_map_range(&km, b->va, pa, len, PTE_R | PTE_W, false);
	kernel_mapper_unlock(&km);
	f = spin_lock_irqsave(&io_lock);
	if (err) {
		window_free(b);
		b = NULL;
	} else {
		b->pa = pa;
		b->len = len;
		block_push(&areas, b);
	}
	spin_unlock_irqrestore(&io_lock, f);
	return b ? (void *)(b->va + (phys - pa)) : NULL;
}

int iounmap(void *addr)
{
	vaddr_t va = ALIGN_DOWN((vaddr_t)addr, PAGE_SIZE);
	struct io_block *b, **p;
	struct kernel_mapper km;
	int err;
	unsigned long f = spin_lock_irqsave(&io_lock);

	for (p = &areas; *p; p = &(*p)->next)
		if (va >= (*p)->va && va < (*p)->va + (PAGE_SIZE << (*p)->order))
			break;
	b = *p;
	if (b && b->va == va)           /* what ioremap returned, not inside */
		*p = b->next;
	else
		b = NULL;
	spin_unlock_irqrestore(&io_lock, f);
	if (!b)
		return -EINVAL;
	km = kernel_mapper_lock();
	err = kmap_unmap_range(&km, b->va, b->len);
	kernel_mapper_unlock(&km);
	f = spin_lock_irqsave(&io_lock);
	if (err)
		block_push(&areas, b);  /* still mapped (nested mapper): keep it */
	else
		window_free(b);
	spin_unlock_irqrestore(&io_lock, f);
	return err;
}

u64 ioremap_free_pages(void)
{
	return READ_ONCE(free_pages);
}
