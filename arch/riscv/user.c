/*
 * Traps from user mode other than system calls (entry.S sends those
 * straight to syscall_dispatch): page faults of the running
 * process's address space, interrupts, and everything else, which kills
 * the process with Linux's signal number in its exit status.
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <pagoda/errno.h>

#define SIGILL  4
#define SIGTRAP 5
#define SIGBUS  7
#define SIGKILL 9
#define SIGSEGV 11

void arch_handle_irq(unsigned long code);       /* trap.c */

struct trapframe *arch_user_frame(void)
{
	return (struct trapframe *)(this_hart()->user_ksp - TF_SIZE);
}

unsigned long arch_user_sstatus(void)
{
	unsigned long s = csr_read(sstatus);

	s &= ~(SSTATUS_SPP | SSTATUS_SIE | SSTATUS_SUM | SSTATUS_FS);
	return s | SSTATUS_SPIE | SSTATUS_FS_INITIAL;
}

static int fault_access(unsigned long cause)
{
	if (cause == EXC_STORE_PAGE_FAULT)
		return FAULT_WRITE;
	return cause == EXC_INST_PAGE_FAULT ? FAULT_EXEC : FAULT_READ;
}

/* as_fault() refused the fault (@err): end the process. */
static __noreturn void user_page_fault(struct trapframe *tf, int err)
{
	static const char *const what[] = { "load", "store", "fetch" };
	static const char *const past[] = {
		"load past the end of the mapped object",
		"store past the end of the mapped object",
		"fetch past the end of the mapped object",
	};
	int access = fault_access(tf->scause);
	int i = access == FAULT_WRITE ? 1 : access == FAULT_EXEC ? 2 : 0;

	if (err == -ENOMEM)
		proc_kill(SIGKILL, "out of memory on a page fault", tf->stval, tf->sepc);
	if (err == -ENXIO)
		proc_kill(SIGBUS, past[i], tf->stval, tf->sepc);
	proc_kill(SIGSEGV, what[i], tf->stval, tf->sepc);
}

static __noreturn void user_exception(struct trapframe *tf)
{
	switch (tf->scause) {
	case EXC_ILLEGAL_INST:
		proc_kill(SIGILL, "illegal instruction", tf->stval, tf->sepc);
	case EXC_BREAKPOINT:
		proc_kill(SIGTRAP, "breakpoint", tf->stval, tf->sepc);
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		proc_kill(SIGBUS, "misaligned access", tf->stval, tf->sepc);
	default:
		proc_kill(SIGSEGV, "access fault", tf->stval, tf->sepc);
	}
}

void user_trap_handler(struct trapframe *tf)
{
	unsigned long cause = tf->scause;

	if (cause & CAUSE_IRQ_FLAG) {
		arch_handle_irq(cause & ~CAUSE_IRQ_FLAG);
		return;
	}
	if (cause == EXC_LOAD_PAGE_FAULT || cause == EXC_STORE_PAGE_FAULT ||
	    cause == EXC_INST_PAGE_FAULT) {
		int err = as_fault(this_hart()->as, tf->stval, fault_access(cause));

		if (!err)
			return;
		user_page_fault(tf, err);
	}
	user_exception(tf);
}
