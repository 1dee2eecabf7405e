/*
 * ASIDs: a generation-based allocator. An address space keeps the ASID it
 * got (with the generation it got it in) until the generation changes.
 * When the ASIDs of a generation run out, the generation advances; the
 * ASIDs harts are running are carried into it, and every hart must flush
 * its whole TLB before it next runs a space (asid_get does that flush on
 * the hart that switches). With no ASID bits, every ASID is 0 and every
 * switch flushes everything.
 */
#ifndef PAGODA_ASID_H
#define PAGODA_ASID_H
#include <pagoda/types.h>

struct asid_ctx {
	u64 gen_asid;                   /* generation << 16 | asid; 0: none yet */
};

void asid_init(void);                   /* probe the bits on the boot hart */
unsigned int asid_bits(void);
/* Pretend the hart has only @bits ASID bits (tests); returns the old value. */
unsigned int asid_set_bits(unsigned int bits);
/* The ASID to run @ctx with on this hart now, after any flush owed. */
unsigned long asid_get(struct asid_ctx *ctx);
u64 asid_rollovers(void);
u64 asid_local_flushes(unsigned int cpu);       /* full flushes @cpu has paid */
#endif
