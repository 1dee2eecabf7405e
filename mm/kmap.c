/*
 * kmap: the kernel's page table after boot.
 *
 * kernel_pm is the PageMapper over the kernel root; its table pages come
 * from the buddy allocator (owner OWNER_PGTABLE). The KernelMapper lock is
 * reentrant for the hart that holds it, in the DragonOS sense: the nested
 * holder is read-only. Kernel mappings are global (G), so changes are
 * flushed with a global fence on every online hart (kernel_harts).
 *
 * Lock order: the KernelMapper lock, then zone->lock (table pages).
 */
#include <pagoda/kmap.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/mm.h>
#include <pagoda/paging.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <asm/page.h>
#include <string.h>

struct pagemapper kernel_pm;
struct hartmask kernel_harts;           /* every online hart */

static struct spinlock kmap_lock;
static int kmap_owner = -1;             /* cpu holding kmap_lock, or -1 */
static unsigned int kmap_depth;         /* (kmap_lock) */

int pt_page_alloc(paddr_t *pa)
{
	struct page *p = buddy_alloc(0, GFP_KERNEL, OWNER_PGTABLE);

	if (!p)
		return -ENOMEM;
	memset(page_va(p), 0, PAGE_SIZE);
	*pa = page_to_pa(p);
	return 0;
}

void pt_page_free(paddr_t pa)
{
	buddy_free(pa_to_page(pa), 0);
}

const struct pt_ops pt_page_ops = { pt_page_alloc, pt_page_free };

/* ---- KernelMapper ------------------------------------------------------ */

struct kernel_mapper kernel_mapper_lock(void)
{
	int me = (int)this_hart()->cpu;
	unsigned long f;

	if (__atomic_load_n(&kmap_owner, __ATOMIC_ACQUIRE) == me) {
		kmap_depth++;
		return (struct kernel_mapper){ &kernel_pm, true };
	}
	f = arch_irq_save();            /* no nested taker between lock and owner */
	spin_lock(&kmap_lock);
	__atomic_store_n(&kmap_owner, me, __ATOMIC_RELEASE);
	kmap_depth = 1;
	arch_irq_restore(f);
	return (struct kernel_mapper){ &kernel_pm, false };
}

void kernel_mapper_unlock(struct kernel_mapper *km)
{
	unsigned long f = arch_irq_save();

	BUG_ON(kmap_owner != (int)this_hart()->cpu || kmap_depth == 0);
	if (--kmap_depth == 0) {
		__atomic_store_n(&kmap_owner, -1, __ATOMIC_RELEASE);
		spin_unlock(&kmap_lock);
	}
	arch_irq_restore(f);
	km->pm = NULL;
}

/*
 * Kernel mappings made after boot live only where the level-1 tables are
 * pinned (the hart-stack gigabyte, the ioremap window): elsewhere a new or
 * freed level-1 table would change the root's kernel half, which address
 * spaces copy once.
 */
static bool kmap_range_ok(vaddr_t va, u64 size)
{
	vaddr_t end = va + size;

	if (!size || end < va)
		return false;
	return (va >= KSTACK_BASE && end <= KSTACK_BASE + LEVEL_SIZE(2)) ||
	       (va >= IOREMAP_BASE && end <= IOREMAP_BASE + IOREMAP_SIZE);
}

static int kmap_done(struct pm_flush *fl, int err)
{
	pm_flush_run(fl, 0, true, &kernel_harts);
	return err;
}

int kmap_map_range(struct kernel_mapper *km, vaddr_t va, paddr_t pa, u64 size,
		   u64 prot, bool small)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	if (km->readonly)
		return -EAGAIN;
	if (!kmap_range_ok(va, size))
		return -EINVAL;
	return kmap_done(&fl, pm_map_range(km->pm, va, pa, size, prot | PTE_G, small, &fl));
}

int kmap_unmap_range(struct kernel_mapper *km, vaddr_t va, u64 size)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	if (km->readonly)
		return -EAGAIN;
	if (!kmap_range_ok(va, size))
		return -EINVAL;
	return kmap_done(&fl, pm_unmap_range(km->pm, va, size, &fl));
}

int kmap_remap(struct kernel_mapper *km, vaddr_t va, paddr_t pa, u64 prot)
{
	struct pm_flush fl = PM_FLUSH_INIT;

	if (km->readonly)
		return -EAGAIN;
	if (!kmap_range_ok(va, PAGE_SIZE))
		return -EINVAL;
	return kmap_done(&fl, pm_remap(km->pm, va, pa, prot | PTE_G, &fl));
}

/* ---- W^X kernel image ---------------------------------------------------- */

extern char _etext[], _erodata[], boot_stack_guard[];

static u64 image_prot(vaddr_t va)
{
	if (va < ALIGN_UP((vaddr_t)_etext, PAGE_SIZE))
		return PROT_KRX;
	if (va < ALIGN_UP((vaddr_t)_erodata, PAGE_SIZE))
		return PROT_KR;
	return PROT_KRW;
}

/*
 * Replace one 2 MiB leaf of the image by a table of 4 KiB pages with
 * their own permissions, in one store: the code doing it runs from there.
 */
static void split_chunk(vaddr_t chunk)
{
	vaddr_t end = ALIGN_UP((vaddr_t)_end, PAGE_SIZE), va;
	pte_t *slot, *t;
	paddr_t tpa;
	int err;

	slot = pm_walk(&kernel_pm, chunk, 1, false, &err);
	if (!slot || !pte_is_leaf(*slot))
		panic("%s: image chunk 0x%lx is not a 2 MiB leaf", __func__, chunk);
	if (pt_page_alloc(&tpa))
		panic("%s: no memory to split the kernel image", __func__);
	kernel_pm.tables++;
	t = pt_table(tpa);
	for (va = chunk; va < chunk + LEVEL_SIZE(1) && va < end; va += PAGE_SIZE)
		if (va != (vaddr_t)boot_stack_guard)
			t[pt_index(va, 0)] = pte_mkleaf(kernel_va_to_pa((void *)va),
							image_prot(va));
	WRITE_ONCE(*slot, pte_mktable(tpa));
}

/*
 * Every level-1 table under the kernel half of the root that the kernel
 * may ever fill (hart stacks, the ioremap window) exists from boot and is
 * pinned, so the root's kernel half never changes after this: an address
 * space copies it once, when it is made.
 */
static void pin_kernel_half(void)
{
	vaddr_t va;

	int err = pm_pin_table(&kernel_pm, KSTACK_BASE, 1);

	for (va = IOREMAP_BASE; !err && va < IOREMAP_BASE + IOREMAP_SIZE; va += LEVEL_SIZE(2))
		err = pm_pin_table(&kernel_pm, va, 1);
	if (err)
		panic("%s: no memory for the kernel's level-1 tables", __func__);
}

void kmap_init(void)
{
	vaddr_t chunk;

	kernel_pm = (struct pagemapper){ kernel_root_pa, &pt_page_ops, 0 };
	hartmask_set(&kernel_harts, this_hart()->cpu);
	for (chunk = KERNEL_VA; chunk < (vaddr_t)_end; chunk += LEVEL_SIZE(1))
		split_chunk(chunk);
	local_flush_tlb_all();          /* other harts are not started yet */
	pm_recount(&kernel_pm);
	pin_kernel_half();
	printk("kmap: kernel image W^X in 4 KiB pages (text RX, rodata R, data RW), "
	       "boot stack guard at 0x%lx\n", (vaddr_t)boot_stack_guard);
}
