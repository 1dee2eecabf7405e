/*
 * asid: see include/pagoda/asid.h.
 *
 * ASID 0 is the kernel's (no user address space gets it), so a generation
 * has 2^bits - 1 ASIDs; asid_map marks those taken in the current one.
 * At a rollover the ASID each hart is running (active[]; reserved[] when
 * the hart ran nothing since the last rollover) is carried into the new
 * generation: an address space running on some hart keeps its number, so
 * it never runs under two ASIDs at once, and a hart that switches to it
 * elsewhere gets the same one (as Linux does). Every hart then owes a full
 * local flush (flush_pending), paid in asid_get before it runs any space.
 */
#include <pagoda/asid.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/kmap.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <asm/tlb.h>
#include <string.h>

#define ASID_MAX_BITS 16

static struct spinlock asid_lock;
static unsigned int nbits;                      /* (asid_lock) */
static u64 generation = 1;                      /* (asid_lock) */
static u32 next_asid = 1;                       /* (asid_lock) */
static u64 rollovers;                           /* (asid_lock) */
static u64 asid_map[(1u << ASID_MAX_BITS) / 64];        /* (asid_lock) */
static u64 active[MAX_HARTS], reserved[MAX_HARTS];      /* (asid_lock) gen_asid */
static u64 flushes[MAX_HARTS];                  /* (o) full flushes paid */
static struct hartmask flush_pending;

void asid_init(void)
{
	nbits = arch_asid_bits();
	asid_map[0] = 1;                        /* ASID 0: the kernel's */
	printk("asid: %u ASID bits%s\n", nbits, nbits ? "" : ", full flush on every switch");
}

unsigned int asid_bits(void)
{
	return nbits;
}

static bool map_test_and_set(u32 asid)
{
	u64 bit = 1ull << (asid % 64);
	bool was = asid_map[asid / 64] & bit;

	asid_map[asid / 64] |= bit;
	return was;
}

static void rollover_locked(void)
{
	unsigned int cpu;

	generation++;
	rollovers++;
	memset(asid_map, 0, sizeof(asid_map));
	asid_map[0] = 1;
	for (cpu = 0; cpu < MAX_HARTS; cpu++) {
		u64 a = active[cpu] ? active[cpu] : reserved[cpu];

		/*
		 * From now on only reserved[] speaks for this hart until it
		 * switches again: a stale active[] would override a reservation
		 * that carry_reserved() has since moved to a newer generation.
		 */
		active[cpu] = 0;
		reserved[cpu] = a;
		if (a)
			map_test_and_set(a & 0xffff);
	}
	next_asid = 1;
	flush_pending.bits = hartmask_read(&kernel_harts);
}

/* A space a hart was running at the last rollover keeps its number. */
static bool carry_reserved(u64 old, u64 now)
{
	unsigned int cpu;
	bool found = false;

	for (cpu = 0; cpu < MAX_HARTS; cpu++)
		if (old && reserved[cpu] == old) {
			reserved[cpu] = now;
			found = true;
		}
	return found;
}

static u64 new_asid_locked(u64 old)
{
	u32 asid = old & 0xffff, limit = 1u << nbits;
	u64 now = (generation << 16) | asid;

	if (old && asid < limit && (carry_reserved(old, now) || !map_test_and_set(asid)))
		return now;
	for (asid = next_asid; asid < limit && map_test_and_set(asid); asid++)
		;
	if (asid >= limit) {
		rollover_locked();
		for (asid = 1; map_test_and_set(asid); asid++)
			;               /* free: harts <= 32 < 2^bits - 1 */
	}
	next_asid = asid + 1;
	return (generation << 16) | asid;
}

unsigned int asid_set_bits(unsigned int bits)
{
	unsigned long f = spin_lock_irqsave(&asid_lock);
	unsigned int old = nbits;

	nbits = MIN(bits, ASID_MAX_BITS);
	memset(active, 0, sizeof(active));
	memset(reserved, 0, sizeof(reserved));
	rollover_locked();              /* no ASID of the old width survives */
	spin_unlock_irqrestore(&asid_lock, f);
	return old;
}

unsigned long asid_get(struct asid_ctx *ctx)
{
	unsigned int cpu = this_hart()->cpu;
	unsigned long f, asid;
	bool flush;

	if (nbits == 0) {
		local_flush_tlb_all();
		flushes[cpu]++;
		return 0;
	}
	f = spin_lock_irqsave(&asid_lock);
	if ((ctx->gen_asid >> 16) != generation)
		ctx->gen_asid = new_asid_locked(ctx->gen_asid);
	active[cpu] = ctx->gen_asid;
	flush = flush_pending.bits & (1ull << cpu);
	flush_pending.bits &= ~(1ull << cpu);
	asid = ctx->gen_asid & 0xffff;
	spin_unlock_irqrestore(&asid_lock, f);
	if (flush) {
		local_flush_tlb_all();
		flushes[cpu]++;
	}
	return asid;
}

u64 asid_rollovers(void)
{
	return READ_ONCE(rollovers);
}

u64 asid_local_flushes(unsigned int cpu)
{
	return READ_ONCE(flushes[cpu]);
}
