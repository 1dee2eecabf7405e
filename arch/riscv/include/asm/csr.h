/* Supervisor CSRs: numbers, bits and accessors. Only arch/riscv includes this. */
#ifndef ASM_CSR_H
#define ASM_CSR_H

#define SSTATUS_SIE     (1ul << 1)
#define SSTATUS_SPIE    (1ul << 5)
#define SSTATUS_SPP     (1ul << 8)
#define SSTATUS_SUM     (1ul << 18)
#define SSTATUS_FS      (3ul << 13)
#define SSTATUS_FS_INITIAL (1ul << 13)

#define IRQ_S_SOFT      1
#define IRQ_S_TIMER     5
#define IRQ_S_EXT       9
#define SIE_SSIE        (1ul << IRQ_S_SOFT)
#define SIE_STIE        (1ul << IRQ_S_TIMER)
#define SIE_SEIE        (1ul << IRQ_S_EXT)
#define SIP_STIP        (1ul << 5)
#define SIP_SSIP        SIE_SSIE

#define CAUSE_IRQ_FLAG  (1ul << 63)
#define EXC_INST_MISALIGNED     0
#define EXC_INST_ACCESS         1
#define EXC_ILLEGAL_INST        2
#define EXC_BREAKPOINT          3
#define EXC_LOAD_MISALIGNED     4
#define EXC_LOAD_ACCESS         5
#define EXC_STORE_MISALIGNED    6
#define EXC_STORE_ACCESS        7
#define EXC_ECALL_U             8
#define EXC_ECALL_S             9
#define EXC_INST_PAGE_FAULT     12
#define EXC_LOAD_PAGE_FAULT     13
#define EXC_STORE_PAGE_FAULT    15

#define SATP_MODE_SV39  (8ul << 60)
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK  0xfffful

#ifndef __ASSEMBLY__
#define csr_read(csr) ({ unsigned long __v; \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })

static inline void local_irq_enable(void) { csr_set(sstatus, SSTATUS_SIE); }
static inline void local_irq_disable(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline unsigned long local_irq_save(void)
{
	unsigned long f;
	__asm__ __volatile__("csrrc %0, sstatus, %1" : "=r"(f) : "rK"(SSTATUS_SIE) : "memory");
	return f & SSTATUS_SIE;
}
static inline void local_irq_restore(unsigned long f) { csr_set(sstatus, f); }
static inline void cpu_relax(void) { __asm__ __volatile__("nop" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm__ __volatile__("wfi" ::: "memory"); }
static inline unsigned long read_time(void) { return csr_read(time); }
static inline unsigned long read_instret(void) { return csr_read(instret); }
#endif
#endif
