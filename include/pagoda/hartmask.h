/* A set of harts by dense index (struct hart.cpu), updated atomically. */
#ifndef PAGODA_HARTMASK_H
#define PAGODA_HARTMASK_H
#include <pagoda/types.h>

struct hartmask {
	u64 bits;                       /* bit cpu: the hart with that index */
};
_Static_assert(sizeof(u64) * 8 >= 32, "MAX_HARTS fits a hartmask");

static inline void hartmask_set(struct hartmask *m, unsigned int cpu)
{
	__atomic_fetch_or(&m->bits, 1ull << cpu, __ATOMIC_RELAXED);
}
static inline void hartmask_clear(struct hartmask *m, unsigned int cpu)
{
	__atomic_fetch_and(&m->bits, ~(1ull << cpu), __ATOMIC_RELAXED);
}
static inline u64 hartmask_read(const struct hartmask *m)
{
	return __atomic_load_n(&m->bits, __ATOMIC_RELAXED);
}
#endif
