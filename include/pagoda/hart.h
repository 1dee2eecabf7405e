/*
 * Per-hart data, reached through tp. Fields marked (o) are written only by
 * the owning hart; (a) are atomics any hart may update; (c) constant once
 * the hart is online.
 */
#ifndef PAGODA_HART_H
#define PAGODA_HART_H

#include <pagoda/types.h>
#include <pagoda/page.h>
#include <pagoda/slab.h>
#include <asm/cpu.h>

#define MAX_HARTS 32

struct proc;
struct addr_space;

struct hart {
	unsigned long hartid;           /* (c) the SBI/DT hart id */
	unsigned int cpu;               /* (c) dense index, boot hart = 0 */
	vaddr_t stack_top;              /* (c) */
	vaddr_t trap_sp_min;            /* (o) lowest sp with room for a trap frame, on the
					 * stack running here (set at every switch) */
	u64 entry_scratch;              /* (o) entry.S: one spilled register */
	vaddr_t user_ksp;               /* (o) traps from U-mode: frame goes below (the
					 * top of the running task's kernel stack) */
	struct proc *proc;              /* (o) the task this hart runs (its idle task when none) */
	u64 ipis;                       /* (a) IPIs received */
	u64 ticks;                      /* (o) timer interrupts taken */
	bool online;                    /* (a) reached its idle loop */
	struct kmem_cpu kmem[KMALLOC_CLASSES];  /* (o) irqs off: kmalloc's cache */
	struct pcp pcp[NR_ZONES];       /* (o) irqs off: free order-0 pages */
	void (*work)(void *arg);        /* (a) set by smp_run_on_all, cleared when done */
	void *work_arg;                 /* (a) */
	struct addr_space *as;          /* (o) the address space in satp, or NULL */
	u32 nofault;                    /* (o) user accesses fail (-EFAULT) rather than
					 * fault pages in: a spinlock is held */
};

extern struct hart harts[MAX_HARTS];
extern unsigned int nr_harts_online;    /* harts that reached their idle loop */
extern unsigned int nr_hart_slots;      /* struct harts handed out (dense cpu < this) */

/* Every hart that is online, by dense index. */
#define for_each_online_hart(cpu) \
	for ((cpu) = 0; (cpu) < nr_hart_slots; (cpu)++) \
		if (__atomic_load_n(&harts[cpu].online, __ATOMIC_ACQUIRE))

static inline struct hart *this_hart(void)
{
	return arch_this_hart();
}

bool hart_in_panic(void);
#endif
