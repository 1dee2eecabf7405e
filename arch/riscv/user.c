/*
 * Traps from user mode other than system calls (entry.S calls those
 * straight from syscall_table): page faults of the running process's
 * address space, interrupts, and everything else, which raises Linux's
 * signal for it (a handler may run; without one the process dies with
 * the signal in its wait status). And the work on the way back.
 */
#include <asm/csr.h>
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/hart.h>
#include <pagoda/irq.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>

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

/* as_fault() refused the fault (@err): SIGSEGV, or SIGBUS past the end of
 * a mapped object; when memory ran out, the OOM killer frees some (or
 * kills this process) and the access runs again. */
static void user_page_fault(struct trapframe *tf, int err)
{
	static const char *const what[] = { "load", "store", "fetch" };
	static const char *const past[] = {
		"load past the end of the mapped object",
		"store past the end of the mapped object",
		"fetch past the end of the mapped object",
	};
	int access = fault_access(tf->scause);
	int i = access == FAULT_WRITE ? 1 : access == FAULT_EXEC ? 2 : 0;

	if (err == -ENOMEM) {
		if (!oom_kill_and_wait())       /* true: the access runs again */
			proc_kill(SIGKILL, "out of memory on a page fault", tf->stval, tf->sepc);
	} else if (err == -ENXIO)
		signal_fault(SIGBUS, BUS_ADRERR, tf->stval, past[i], tf->sepc);
	else
		signal_fault(SIGSEGV, err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, tf->stval,
			     what[i], tf->sepc);
}

static void user_exception(struct trapframe *tf)
{
	switch (tf->scause) {
	case EXC_ILLEGAL_INST:
		signal_fault(SIGILL, ILL_ILLOPC, tf->sepc, "illegal instruction", tf->sepc);
		break;
	case EXC_BREAKPOINT:
		signal_fault(SIGTRAP, TRAP_BRKPT, tf->sepc, "breakpoint", tf->sepc);
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		signal_fault(SIGBUS, 1 /* BUS_ADRALN */, tf->stval, "misaligned access", tf->sepc);
		break;
	default:
		signal_fault(SIGSEGV, SEGV_ACCERR, tf->stval, "access fault", tf->sepc);
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

		if (err)
			user_page_fault(tf, err);
		return;
	}
	user_exception(tf);
}

/*
 * The work a task has before it returns to user mode (entry.S calls this
 * while proc.work is not 0): switch when its slice is over, deliver
 * signals. Returns with interrupts off and no work left.
 */
void user_return_work(struct trapframe *tf)
{
	struct proc *p = current_proc();
	u64 w;

	for (;;) {
		arch_irq_disable();
		w = __atomic_load_n(&p->work, __ATOMIC_ACQUIRE);
		if (!w)
			return;
		if (w & WORK_RESCHED)
			sched_yield();
		else
			signal_deliver(tf);
	}
}
