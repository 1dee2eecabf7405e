/*
 * The kernel's page table: the KernelMapper, and the C mapping API users
 * of DragonOS know.
 *
 * KernelMapper: one global lock, which the hart holding it may take again.
 * The outer holder gets a mapper that can change mappings; a nested holder
 * (the same hart, e.g. from an interrupt taken while mapping) gets a
 * read-only one, and every change through it fails with -EAGAIN. Changes to
 * kernel mappings are flushed on every online hart.
 */
#ifndef PAGODA_KMAP_H
#define PAGODA_KMAP_H
#include <pagoda/pagemapper.h>

struct dt_info;

struct kernel_mapper {
	struct pagemapper *pm;
	bool readonly;
};

extern struct pagemapper kernel_pm;
/* Table pages from the buddy allocator (owner OWNER_PGTABLE), zeroed:
 * the ops of the kernel's root and of every user address space. */
extern const struct pt_ops pt_page_ops;
int pt_page_alloc(paddr_t *pa);
void pt_page_free(paddr_t pa);
extern struct hartmask kernel_harts;    /* every online hart */

/* Take the kernel mapper (blocking until no other hart holds it). */
struct kernel_mapper kernel_mapper_lock(void);
void kernel_mapper_unlock(struct kernel_mapper *km);

/* Through a KernelMapper: -EAGAIN when it is the read-only nested one.
 * Each call flushes its change on every hart before returning. */
int kmap_map_range(struct kernel_mapper *km, vaddr_t va, paddr_t pa, u64 size,
		   u64 prot, bool small);
int kmap_unmap_range(struct kernel_mapper *km, vaddr_t va, u64 size);
int kmap_remap(struct kernel_mapper *km, vaddr_t va, paddr_t pa, u64 prot);

/* After mm_init: the kernel root gets table accounting and buddy-backed
 * table pages; the kernel image is split into 4 KiB pages, W^X. */
void kmap_init(void);

/* The DragonOS C mapping API. @flags: MM_PROT_* below. */
#define MM_PROT_READ    (1u << 0)
#define MM_PROT_WRITE   (1u << 1)
#define MM_PROT_EXEC    (1u << 2)
#define MM_MAP_DEVICE   (1u << 3)       /* not RAM: without it, RAM only */
int mm_map_phys_addr(vaddr_t virt, paddr_t phys, u64 length, u64 flags, bool use4k);
int mm_map_proc_page_table(u64 pgd, bool is_phys, vaddr_t virt, paddr_t phys,
			   u64 length, u64 flags, bool user, bool flush, bool use4k);
int mm_unmap_proc_table(u64 pgd, bool is_phys, vaddr_t virt, u64 length);
int mm_unmap_addr(vaddr_t virt, u64 length);
#endif
