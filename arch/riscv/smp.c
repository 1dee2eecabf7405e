/*
 * smp: start the other harts with SBI HSM and give each its struct hart.
 *
 * Each hart gets a struct hart_boot (physical address passed as HSM's
 * opaque argument) with the satp of the kernel root, its stack and tp, and
 * the virtual address to continue at; secondary_entry (head.S) turns the
 * MMU on and jumps there. A hart that does not come online within a
 * second is asked for its HSM state: STOPPED means it ran into the OpenSBI
 * <= 1.2 race, lost the boot lottery and parked, so it is started again.
 */
#include <pagoda/smp.h>
#include <pagoda/hart.h>
#include <pagoda/dt.h>
#include <pagoda/irq.h>
#include <pagoda/mm.h>
#include <pagoda/kmap.h>
#include <pagoda/hartmask.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/errno.h>
#include <asm/pte.h>
#include <asm/sbi.h>
#include <asm/trap.h>
#include <asm/tlb.h>
#include <asm/page.h>

struct hart_boot {
	u64 satp, sp, tp, entry;
};
_Static_assert(sizeof(struct hart_boot) == 32, "head.S reads these offsets");

_Static_assert(__builtin_offsetof(struct hart, cpu) == HART_CPU, "entry.S offset");
_Static_assert(__builtin_offsetof(struct hart, trap_sp_min) == HART_TRAP_SP_MIN, "entry.S offset");
_Static_assert(__builtin_offsetof(struct hart, entry_scratch) == HART_SCRATCH, "entry.S offset");
_Static_assert(__builtin_offsetof(struct hart, user_ksp) == HART_USER_KSP, "entry.S offset");
_Static_assert(__builtin_offsetof(struct hart, proc) == HART_PROC, "entry.S offset");
_Static_assert(MAX_HARTS <= 32, "entry.S keeps 32 emergency stacks");
_Static_assert(OVERFLOW_STACK_SIZE == 1 << 12, "entry.S shifts by 12");

struct hart harts[MAX_HARTS];
unsigned int nr_harts_online;
unsigned int nr_hart_slots = 1;
static struct hart_boot hart_boot[MAX_HARTS];
extern char secondary_entry[], secondary_virt[], boot_stack_top[];

void smp_init_boot_hart(unsigned long hartid)
{
	struct hart *h = &harts[0];

	h->hartid = hartid;
	h->cpu = 0;
	h->stack_top = (vaddr_t)boot_stack_top;
	h->trap_sp_min = trap_sp_min(h->stack_top, BOOT_STACK_SIZE);
	__asm__ __volatile__("mv tp, %0" :: "r"(h));
	trap_init_hart();
}

void secondary_main(struct hart *h)
{
	trap_init_hart();
	timer_init_hart();
	hartmask_set(&kernel_harts, h->cpu);
	__atomic_store_n(&h->online, true, __ATOMIC_RELEASE);
	__atomic_fetch_add(&nr_harts_online, 1, __ATOMIC_RELAXED);
	sched_init_hart();
	sched_idle();
}

void smp_run_on_all(void (*fn)(void *arg), void *arg)
{
	u64 sent = 0;
	unsigned int cpu;

	for_each_online_hart(cpu) {
		if (cpu == this_hart()->cpu)
			continue;
		harts[cpu].work_arg = arg;
		__atomic_store_n(&harts[cpu].work, fn, __ATOMIC_RELEASE);
		smp_send_ipi(cpu);
		sent |= 1ull << cpu;
	}
	fn(arg);
	for (cpu = 0; cpu < nr_hart_slots; cpu++)
		if (sent & (1ull << cpu))
			while (__atomic_load_n(&harts[cpu].work, __ATOMIC_ACQUIRE))
				cpu_relax();
}

/*
 * Wait up to a second for @h, sleeping in wfi on a 1 ms timer rather than
 * spinning: under QEMU -icount the harts run round-robin, and a spinning
 * boot hart keeps the starting one (asleep in OpenSBI) from being woken.
 */
static bool wait_online(struct hart *h)
{
	u64 tb = timebase_hz ? timebase_hz : 10000000, deadline = read_time() + tb;

	while (!__atomic_load_n(&h->online, __ATOMIC_ACQUIRE)) {
		if (read_time() >= deadline)
			return false;
		sbi_set_timer(read_time() + tb / 1000);
		wait_for_interrupt();   /* interrupts are off: wfi just returns */
	}
	return true;
}

static int start_hart(struct hart *h)
{
	struct hart_boot *hb = &hart_boot[h->cpu];
	int tries, err = 0;

	*hb = (struct hart_boot){ arch_current_satp(), h->stack_top,
				  (u64)h, (u64)secondary_virt };
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	for (tries = 0; tries < 3; tries++) {
		err = sbi_hart_start(h->hartid, kernel_va_to_pa(secondary_entry),
				     kernel_va_to_pa(hb));
		if (err && err != -EBUSY)
			return err;
		if (wait_online(h))
			return 0;
		if (sbi_hart_get_status(h->hartid) != SBI_HART_STOPPED)
			return -EINPROGRESS;    /* may still come: keep its slot */
	}
	return -ETIMEDOUT;
}

static int prepare_hart(unsigned int cpu, unsigned long hartid)
{
	struct hart *h = &harts[cpu];
	struct page *stack = page_alloc(HART_STACK_ORDER, GFP_KERNEL);
	vaddr_t va = KSTACK_BASE + cpu * KSTACK_SLOT + PAGE_SIZE;  /* guard below */
	struct kernel_mapper km;
	int err;

	if (!stack)
		return -ENOMEM;
	km = kernel_mapper_lock();
	err = kmap_map_range(&km, va, page_to_pa(stack), HART_STACK_SIZE, PROT_KRW, true);
	kernel_mapper_unlock(&km);
	if (err) {
		page_free(stack, HART_STACK_ORDER);
		return err;
	}
	h->hartid = hartid;
	h->cpu = cpu;
	h->stack_top = va + HART_STACK_SIZE;
	h->trap_sp_min = trap_sp_min(h->stack_top, HART_STACK_SIZE);
	return 0;
}

/* Undo prepare_hart for a hart that did not come online. */
static void release_hart(unsigned int cpu)
{
	vaddr_t va = harts[cpu].stack_top - HART_STACK_SIZE;
	struct kernel_mapper km = kernel_mapper_lock();
	paddr_t pa;

	if (!pm_translate(&kernel_pm, va, &pa, NULL, NULL) &&
	    !kmap_unmap_range(&km, va, HART_STACK_SIZE))
		page_free(pa_to_page(pa), HART_STACK_ORDER);
	kernel_mapper_unlock(&km);
	harts[cpu] = (struct hart){ 0 };
}

unsigned int smp_boot(const struct dt_info *dt)
{
	unsigned int i, cpu = 1;
	int err;

	nr_harts_online = 1;
	harts[0].online = true;
	if (!sbi_info.has_hsm) {
		printk("smp: no SBI HSM, running on the boot hart only\n");
		return 1;
	}
	/* Other harts could keep stale TLB entries that nothing can flush. */
	if (!sbi_info.has_rfence) {
		printk("smp: no SBI RFENCE, running on the boot hart only\n");
		return 1;
	}
	for (i = 0; i < dt->nharts && cpu < MAX_HARTS; i++) {
		const struct dt_hart *d = &dt->harts[i];

		if (!d->usable) {
			printk("smp: hart %u skipped (%s)\n", d->hartid, d->why);
			continue;
		}
		if (d->hartid == harts[0].hartid)
			continue;
		err = prepare_hart(cpu, d->hartid);
		if (!err)
			err = start_hart(&harts[cpu]);
		if (err == -EINPROGRESS) {
			printk("smp: hart %u not online after 1 s; its slot stays reserved\n",
			       d->hartid);
			nr_hart_slots = ++cpu;
			continue;
		}
		if (err) {
			release_hart(cpu);
			printk("smp: hart %u did not come online (%d)\n", d->hartid, err);
			continue;
		}
		nr_hart_slots = ++cpu;
	}
	return __atomic_load_n(&nr_harts_online, __ATOMIC_ACQUIRE);
}

int smp_send_ipi(unsigned int cpu)
{
	unsigned long id = harts[cpu].hartid;

	return sbi_send_ipi(1ul << (id % 64), id - id % 64);
}
