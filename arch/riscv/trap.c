/*
 * trap: dispatch of interrupts and exceptions taken in S-mode.
 * Interrupts: supervisor software (IPI) and timer. A kernel exception is
 * a kernel bug: it panics with the cause, stval, sepc and a backtrace.
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <pagoda/hart.h>
#include <pagoda/printk.h>
#include <pagoda/irq.h>
#include <pagoda/ksyms.h>
#include <pagoda/as.h>
#include <asm/layout.h>

extern char trap_vector[];

static const char *const exc_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INST] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "ecall from U-mode",
	[EXC_ECALL_S] = "ecall from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store page fault",
};

/* trap_init_hart - point stvec at the vector and enable IPI and timer;
 * user mode may read the cycle, time and instret counters. */
void trap_init_hart(void)
{
	csr_write(stvec, (unsigned long)trap_vector);
	csr_write(sscratch, 0);
	csr_write(scounteren, 7);
	csr_set(sie, SIE_SSIE | SIE_STIE);
}

static const char *exc_name(unsigned long cause)
{
	if (cause < ARRAY_SIZE(exc_names) && exc_names[cause])
		return exc_names[cause];
	return "unknown exception";
}

struct ex_entry {
	u64 insn, fixup;
};
extern const struct ex_entry __start_ex_table[], __stop_ex_table[];

/* A fault at an instruction listed in __ex_table resumes at its fixup. */
static bool fixup_exception(struct trapframe *tf)
{
	const struct ex_entry *e;

	for (e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == tf->sepc) {
			tf->sepc = e->fixup;
			return true;
		}
	return false;
}

static bool in_ex_table(unsigned long pc)
{
	const struct ex_entry *e;

	for (e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == pc)
			return true;
	return false;
}

/*
 * A page fault by uaccess.S on a user address: the running process's
 * fault handler may map the page (lazy allocation), and then the access
 * is retried. Otherwise the caller resumes at the fixup (-EFAULT).
 */
static bool user_access_fault(struct trapframe *tf)
{
	unsigned long c = tf->scause;
	int access = c == EXC_STORE_PAGE_FAULT ? FAULT_WRITE : FAULT_READ;
	struct addr_space *as = this_hart()->as;

	if ((c != EXC_LOAD_PAGE_FAULT && c != EXC_STORE_PAGE_FAULT) || !as ||
	    tf->stval >= USER_TOP || !in_ex_table(tf->sepc) || this_hart()->nofault)
		return false;
	return !as_fault(as, tf->stval, access);
}

static __noreturn void kernel_exception(struct trapframe *tf)
{
	char sym[96];

	ksyms_format(tf->sepc, sym, sizeof(sym));
	panic_begin();
	printk("panic: hart %lu: kernel exception: %s (scause %lu) stval 0x%lx sepc 0x%lx %s\n",
	       this_hart()->hartid, exc_name(tf->scause), tf->scause,
	       tf->stval, tf->sepc, sym);
	backtrace_print(tf->sepc, tf->ra, tf->s0);
	panic_end();
}

/* entry.S found sp below this hart's limit: it is on its emergency stack. */
__noreturn void kernel_stack_overflow(unsigned long sepc, unsigned long stval,
				      unsigned long scause, unsigned long sp)
{
	panic_begin();
	printk("panic: hart %lu: kernel stack overflow: sp 0x%lx below 0x%lx at sepc 0x%lx %pS "
	       "(%s, stval 0x%lx)\n", this_hart()->hartid, sp, this_hart()->trap_sp_min,
	       sepc, (void *)sepc, exc_name(scause & ~CAUSE_IRQ_FLAG), stval);
	panic_end();
}

void arch_handle_irq(unsigned long code)
{
	if (code == IRQ_S_SOFT) {
		csr_clear(sip, SIP_SSIP);
		irq_ipi();
	} else if (code == IRQ_S_TIMER) {
		irq_timer();
	} else {
		printk("trap: hart %lu: unexpected interrupt %lu\n",
		       this_hart()->hartid, code);
		csr_clear(sie, 1ul << code);
	}
}

void trap_handler(struct trapframe *tf)
{
	if (tf->scause & CAUSE_IRQ_FLAG)
		arch_handle_irq(tf->scause & ~CAUSE_IRQ_FLAG);
	else if (!user_access_fault(tf) && !fixup_exception(tf))
		kernel_exception(tf);
}
