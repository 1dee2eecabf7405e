/*
 * asid: see include/pagoda/asid.h.
 *
 * ASID 0 is the kernel's (no user address space gets it), so a generation
 * has 2^bits - 1 ASIDs. flush_pending holds the harts that have not yet
 * flushed since the last rollover; asid_get clears this hart's bit and
 * flushes the whole local TLB before handing out anything. An address
 * space still running on some hart with an ASID of the old generation is
 * safe: that hart's TLB holds only its entries under that ASID until the
 * hart switches, and the switch flushes.
 */
#include <pagoda/asid.h>
#include <pagoda/hart.h>
#include <pagoda/hartmask.h>
#include <pagoda/kmap.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <asm/tlb.h>

static struct spinlock asid_lock;
static unsigned int nbits;              /* (asid_lock) */
static u64 generation = 1;              /* (asid_lock) */
static u32 next_asid = 1;               /* (asid_lock) */
static u64 rollovers;                   /* (asid_lock) */
static struct hartmask flush_pending;

void asid_init(void)
{
	nbits = arch_asid_bits();
	printk("asid: %u ASID bits%s\n", nbits, nbits ? "" : ", full flush on every switch");
}

unsigned int asid_bits(void)
{
	return nbits;
}

unsigned int asid_set_bits(unsigned int bits)
{
	unsigned long f = spin_lock_irqsave(&asid_lock);
	unsigned int old = nbits;

	nbits = bits;
	next_asid = ~0u >> 1;           /* force a rollover at the next need */
	spin_unlock_irqrestore(&asid_lock, f);
	return old;
}

static void new_asid_locked(struct asid_ctx *ctx)
{
	if (next_asid >= (1u << nbits)) {
		generation++;
		next_asid = 1;
		rollovers++;
		flush_pending.bits = hartmask_read(&kernel_harts);
	}
	ctx->gen_asid = (generation << 16) | next_asid++;
}

unsigned long asid_get(struct asid_ctx *ctx)
{
	u64 me = 1ull << this_hart()->cpu;
	unsigned long f, asid;
	bool flush;

	if (nbits == 0) {
		local_flush_tlb_all();
		return 0;
	}
	f = spin_lock_irqsave(&asid_lock);
	if ((ctx->gen_asid >> 16) != generation)
		new_asid_locked(ctx);
	flush = flush_pending.bits & me;
	flush_pending.bits &= ~me;
	asid = ctx->gen_asid & 0xffff;
	spin_unlock_irqrestore(&asid_lock, f);
	if (flush)
		local_flush_tlb_all();
	return asid;
}

u64 asid_rollovers(void)
{
	return READ_ONCE(rollovers);
}
