/*
 * Spinlocks: test-and-set on a word with acquire/release ordering, taken
 * with interrupts off on the local hart when the _irqsave form is used.
 */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <pagoda/types.h>
#include <asm/cpu.h>

struct spinlock {
	u32 locked;
};

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long f = arch_irq_save();
	spin_lock(l);
	return f;
}

/*
 * For the console in a panic: wait a bounded time, then take the lock
 * anyway, so a hart that died holding it cannot silence the panic.
 */
static inline unsigned long spin_lock_irqsave_or_steal(struct spinlock *l, bool steal)
{
	unsigned long f = arch_irq_save();
	unsigned long spins = 0;

	while (!spin_trylock(l)) {
		if (steal && ++spins > 1000000)
			break;
		arch_cpu_relax();
	}
	return f;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long f)
{
	spin_unlock(l);
	arch_irq_restore(f);
}
#endif
