/*
 * signal: Linux signals (kernel/proc/signal.c, docs/signals.md).
 * Numbers, flags and codes are Linux riscv64's.
 */
#ifndef PAGODA_SIGNAL_H
#define PAGODA_SIGNAL_H
#include <pagoda/types.h>

struct proc;
struct trapframe;

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

#define SIG_DFL   0ul
#define SIG_IGN   1ul

#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO   0x00000004u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u

/* si_code values */
#define SI_USER      0
#define SI_KERNEL    0x80
#define SI_TKILL     (-6)
#define CLD_EXITED   1
#define CLD_KILLED   2
#define CLD_DUMPED   3
#define CLD_STOPPED  5
#define CLD_CONTINUED 6
#define SEGV_MAPERR  1
#define SEGV_ACCERR  2
#define BUS_ADRERR   2
#define ILL_ILLOPC   1
#define TRAP_BRKPT   1

#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* Raise @sig on @p with a siginfo of @code and @pid (or, for faults, the
 * address in @val). */
void signal_send(struct proc *p, int sig, int code, u64 val);
/* The same with tasklist_lock held. */
void signal_send_locked(struct proc *p, int sig, int code, u64 val);
/* SIGCHLD to @parent: @child ended with wait status @wstatus. */
void signal_send_chld(struct proc *parent, struct proc *child, int wstatus);
/* Recompute WORK_SIGNAL of the current task after its mask or pending
 * set changed. */
void signal_recalc(struct proc *p);
/* On the way to user mode: deliver one pending signal (run its default
 * action, or set up its handler's frame in @tf). */
void signal_deliver(struct trapframe *tf);
/* A fault the process may handle: queue @sig with @code at @addr; the
 * process dies at once when it blocks or ignores it. */
void signal_fault(int sig, int code, u64 addr, const char *what, u64 pc);
/* execve: handlers back to SIG_DFL (ignored stay ignored), no altstack. */
void signal_exec(struct proc *p);
/* A process being freed drops its queued real-time signals. */
void signal_release(struct proc *p);
/* fork: @c inherits @p's actions, mask and alternate stack; nothing pending. */
void signal_fork(struct proc *c, const struct proc *p);
#endif
