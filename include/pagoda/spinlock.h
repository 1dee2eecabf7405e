/*
 * Spinlocks: compare-and-swap on a word with acquire/release ordering,
 * taken with interrupts off on the local hart when the _irqsave form is
 * used. The word holds the holder's struct hart pointer (0 when free), so
 * a function that needs a lock can check that its own hart holds it:
 * assert_held(), and a hart that asks again for a lock it holds panics
 * instead of spinning for ever. Not reentrant.
 */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <pagoda/types.h>
#include <asm/cpu.h>

__attribute__((noreturn)) void panic(const char *fmt, ...);

/* The holder's mark: its struct hart, odd so that it is never 0. */
static inline unsigned long spin_self(void)
{
	return (unsigned long)arch_this_hart() | 1;
}

struct spinlock {
	unsigned long holder;           /* (a) spin_self() of the holder, 0 when free */
};

static inline bool spin_trylock(struct spinlock *l)
{
	unsigned long free = 0;

	return __atomic_compare_exchange_n(&l->holder, &free, spin_self(),
					   false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Whether this hart holds @l. */
static inline bool spin_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) == spin_self();
}

/* A function's lock precondition: panic, naming the function, when this
 * hart does not hold @l. */
#define assert_held(l) do { if (unlikely(!spin_held(l))) \
	panic("%s: %s not held", __func__, #l); } while (0)

/* Waiting for a lock this hart holds itself would never end: a panic
 * naming the lock's address says so instead. */
static inline void spin_lock(struct spinlock *l)
{
	unsigned long h;

	while (!spin_trylock(l))
		while ((h = __atomic_load_n(&l->holder, __ATOMIC_RELAXED))) {
			if (unlikely(h == spin_self()))
				panic("spin_lock: the lock at %p is already held by this hart", l);
			arch_cpu_relax();
		}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELEASE);
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
		if (steal && ++spins > 1000000) {
			__atomic_store_n(&l->holder, spin_self(),
					 __ATOMIC_RELAXED);
			break;
		}
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
