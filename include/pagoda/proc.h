/*
 * proc: a task. One thread per process for now: a struct proc is both
 * the schedulable thread (kernel stack, context, FP state) and the
 * process (address space, files, signals, family). kernel/proc/ builds
 * and ends them (docs/processes.md).
 *
 * Locking (docs/locking.md): (s) sched_lock, (t) tasklist_lock, (o)
 * only the task itself, (a) atomic, (c) constant after creation.
 */
#ifndef PAGODA_PROC_H
#define PAGODA_PROC_H
#include <pagoda/types.h>
#include <pagoda/sched.h>
#include <asm/switch.h>

struct addr_space;
struct ramfs_file;

/* An open file: a file of the initramfs, or the console (rf == NULL). */
struct file {
	u32 refs;                       /* (a) fds of every process that point here */
	u32 flags;                      /* O_ACCMODE bits and O_* it was opened with */
	const struct ramfs_file *rf;
	u64 pos;
};
#define O_ACCMODE   3
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2

#define NR_OPEN 64

struct k_sigaction {
	u64 handler, flags, mask;
};

#define NSIG            64
#define SIGRTMIN        32
#define SIGBIT(sig)     (1ull << ((sig) - 1))
#define WAIT_STOPPED    1
#define WAIT_CONTINUED  2

/* A signal's siginfo as the kernel keeps it (signal.c writes Linux's). */
struct ksiginfo {
	int code;
	int pid;                        /* the sender; SIGCHLD: the child */
	u32 uid;
	int status;                     /* SIGCHLD */
	u64 addr;                       /* faults: si_addr */
	u64 value;                      /* sigqueue: si_value */
};

/* One queued real-time signal. */
struct sigqueue {
	struct sigqueue *next;
	int sig;
	struct ksiginfo info;
};

#define KSTACK_ORDER    2               /* 16 KiB kernel stack per task */
#define KSTACK_SIZE     (4096ul << KSTACK_ORDER)
#define PID_MAX         32768           /* Linux's default pid_max */
#define RLIM_NLIMITS    16

struct rlimit64 {
	u64 cur, max;
};

struct proc {
	u64 work;                       /* (a) WORK_*: entry.S reads it (PROC_WORK) */
	int pid;                        /* (c) */
	int state;                      /* (s) TASK_* */
	char name[32];                  /* (o) the program's base name */
	struct addr_space *as;          /* (o) its user space (a vfork child borrows its
					 * parent's); changed under (t) too, which the OOM
					 * killer holds to read it */
	bool as_borrowed;               /* (o) vfork child: the parent's space, not its own */
	struct file *files[NR_OPEN];    /* (o) */
	u64 cloexec;                    /* (o) one bit per fd: close on execve */

	/* scheduling */
	struct arch_context ctx;        /* (s) where it stopped */
	vaddr_t kstack;                 /* (c) its kernel stack, KSTACK_SIZE bytes */
	bool on_cpu;                    /* (s) a hart still runs on its stack */
	struct proc *rq_next;           /* (s) next on the run queue */
	struct waitq *wq;               /* (s) the queue it sleeps on, or NULL */
	struct proc *wq_next;           /* (s) */
	u64 wake_at;                    /* (s) timed sleep: arch time to wake, 0 none */
	struct proc *timer_next;        /* (s) next on the timer list */
	u8 sleep_mode;                  /* (s) SLEEP_*: what signal ends the sleep */
	bool timed_out;                 /* (s) woken by its deadline */
	struct arch_fpstate fp;         /* (o) the FP registers when not on a hart */
	int fp_cpu;                     /* (o) the hart whose registers hold fp, or -1 */

	/* family */
	struct proc *parent;            /* (t) NULL for init and the idle tasks */
	struct proc *children;          /* (t) first child */
	struct proc *sibling;           /* (t) next child of the parent */
	struct waitq child_wait;        /* (s) sleeps in wait4 for a child to change */
	bool exited;                    /* (t) a zombie: exit_code is final */
	int exit_code;                  /* (t) its wait status once a zombie */
	int exit_signal;                /* (t) signal to the parent at exit (SIGCHLD, or 0;
					 * SIGCHLD once reparented) */
	int pgid, sid;                  /* (t) */
	struct proc *vfork_parent;      /* (t) the parent waits until exec or exit */
	bool vfork_done;                /* (t) its vfork child has let it go */
	struct waitq vfork_wait;        /* (s) it sleeps here while its vfork child runs */
	u32 uid, euid, suid;            /* (o) */

	/* signals (kernel/proc/signal.c) */
	u64 sigpending;                 /* (a) raised, not yet delivered */
	u64 sigmask;                    /* (o) blocked */
	struct k_sigaction sigactions[NSIG];    /* (o) written under (t) too: senders
						 * read them under (t) */
	struct ksiginfo siginfo[SIGRTMIN - 1];  /* (t) the siginfo of each pending standard signal */
	struct sigqueue *rtq;           /* (t) queued real-time signals, oldest first */
	u32 rtq_len;                    /* (t) */
	bool stopped;                   /* (t) stopped by a stop signal */
	bool stop_dequeued;             /* (t) a stop signal was taken, not yet acted on;
					 * a SIGCONT meanwhile cancels it */
	int stop_sig;                   /* (t) the signal that stopped it */
	u8 wait_report;                 /* (t) WAIT_STOPPED / WAIT_CONTINUED for the parent */
	struct waitq stop_wait;         /* (s) sleeps here while stopped */
	u64 sigaltstack_sp, sigaltstack_size;   /* (o) */
	u32 sigaltstack_flags;                  /* (o) */
	u64 saved_sigmask;                      /* (o) rt_sigsuspend's mask, restored after the handler */
	bool restore_sigmask;                   /* (o) */

	vaddr_t set_child_tid;          /* (o) CLONE_CHILD_SETTID: the child writes its tid there */
	vaddr_t clear_child_tid;        /* (o) */
	vaddr_t robust_list;            /* (o) */
	u64 robust_len;                 /* (o) */
	struct rlimit64 rlimits[RLIM_NLIMITS];  /* (o) */
	u64 itimer_real_at, itimer_real_interval; /* (s) arch time of the next SIGALRM, 0 none */
	struct proc *itimer_next;       /* (s) */
};

/* The task running on this hart (the hart's idle task between processes,
 * NULL before the scheduler starts). The kernel's is inline (a field of
 * the hart); host tests supply their own. */
#ifdef __KERNEL__
#include <pagoda/hart.h>
static inline struct proc *current_proc(void)
{
	return this_hart()->proc;
}
#else
struct proc *current_proc(void);
#endif

extern struct spinlock tasklist_lock;

/* Start @path from the initramfs as pid 1 with @argv and @envp. 0, or a
 * negative errno (-ENOENT, -ENOEXEC, -ENOMEM, -E2BIG) with the reason
 * logged. */
int proc_start_init(const char *path, char *const argv[], char *const envp[]);
/* Whether init has exited and every process is gone: *@status is init's
 * exit status (0..255, 128 + signal when killed). */
bool proc_all_done(int *status);
/* The process with @pid, or NULL. (t) held. */
struct proc *proc_find(int pid);

/* End the current process with wait status @wstatus (Linux's encoding:
 * code << 8, or the signal number); does not return. */
__noreturn void proc_exit(int wstatus);
/* Kill the current process for a fault it cannot survive: one log line
 * (pid, what, address, pc), then it dies of @signo. */
__noreturn void proc_kill(int signo, const char *what, vaddr_t addr, vaddr_t pc);
/* The idle loop's check, every time round: on the boot hart, power off
 * once init and every other process are gone. */
void proc_idle(void);
/* Give back a task's pid, stack and struct (reaped, or never started). */
void proc_free(struct proc *p);

#define AT_FDCWD        (-100)
#define PATH_MAX        4096            /* with the NUL */

/* kernel/proc/proc.c */
struct proc *proc_new(int *err);        /* pid and stack: NULL, *err -EAGAIN/-ENOMEM */
void proc_wait_off_cpu(struct proc *p);
void proc_reap_dead(void);             /* free the zombies nobody waits for */
void proc_link_child(struct proc *parent, struct proc *c);     /* (t) */
void proc_unlink_child(struct proc *c);                         /* (t) */
void proc_vfork_done(struct proc *p);                           /* (t) */
void proc_set_start(struct proc *p);
void proc_child_start(struct proc *p);
void proc_clear_child_tid(struct proc *p);
extern unsigned int max_tasks;
/* kernel/sys.c: Linux's default limits. */
void rlimits_init(struct rlimit64 *lim);
/* kernel/proc/sleep.c; arch time from seconds and nanoseconds, and sums,
 * saturating at Linux's KTIME_MAX rather than wrapping */
u64 ns_to_time(u64 sec, u64 nsec);
u64 time_add(u64 a, u64 b);
void itimer_exit(struct proc *p);
void itimer_tick(u64 now);
/* kernel/proc/oom.c */
bool oom_kill_and_wait(void);
/* Let go of a process's space; the last user destroys it, telling the
 * OOM killer when it was the victim's. */
void oom_space_put(struct addr_space *as);
u64 oom_kill_count(void);
/* kernel/proc/init.c: the boot hart's idle check. */
void init_check_done(void);

/* kernel/fs/fs.c: the file table. */
void proc_files_fork(struct proc *c, const struct proc *p);
void proc_files_exec(struct proc *p);                   /* close-on-exec */
int fs_lookup_exec(int dirfd, const char *upath, int flags, const struct ramfs_file **rf,
		   char *kpath);
int proc_files_init(struct proc *p);            /* fds 0, 1, 2 on the console */
void proc_files_release(struct proc *p);        /* close everything */
struct file *proc_file(struct proc *p, int fd); /* NULL when not open */
struct file *proc_file_io(struct proc *p, int fd); /* NULL too when O_PATH */
#endif
