/*
 * sys_host: the kernel around kernel/fs/fs.c and kernel/sys.c on the
 * host, for the syscall unit tests (test_fs).
 *
 * User memory is an arena mapped at a fixed low address (below USER_TOP,
 * so the kernel's range checks pass for it); any page of it can be made
 * to fault, and every address outside it faults. The console records the
 * exact bytes console_write() is given; printk appends its lines to a log.
 * kmalloc counts live blocks and fails on request. proc_exit() and
 * kernel_poweroff() jump back to host_call_end(); panic() jumps to
 * *host_panic_jmp when a test armed it, else aborts.
 */
#ifndef SYS_HOST_H
#define SYS_HOST_H
#include <setjmp.h>
#include <stddef.h>
#include <pagoda/types.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <asm/cpu.h>                    /* host_time, host_instret (host/sys/asm) */

/* ---- user memory --------------------------------------------------------- */

#define UMEM_BASE       0x10000000ul
#define UMEM_SIZE       (4ul << 20)

/* Map the arena (once per program; aborts when the address is taken). */
void umem_init(void);
/* Zero the arena, make every page good, restart ualloc at the bottom. */
void umem_reset(void);
/* @n zeroed bytes of user memory, 16-byte aligned, from the lower half. */
void *ualloc(size_t n);
/* A copy of @s (with its NUL) in user memory. */
char *ustr(const char *s);
/* Make the page holding @uaddr fault (or not) on every access. */
void umem_set_fault(const void *uaddr, bool fault);
/* A good page of the upper half whose next page faults: copies running
 * off its end stop at the boundary. Each call gives another one. */
u8 *umem_edge(void);

/* ---- the process, the console, the log ----------------------------------- */

extern struct proc host_proc;           /* what current_proc() returns */

#define HOST_CON_MAX    (1u << 16)
extern u8 host_con[HOST_CON_MAX];       /* bytes given to console_write() */
extern size_t host_con_len;
extern char host_log[8192];             /* printk's lines */
void host_con_reset(void);              /* forget console bytes and log */

extern u64 timebase_hz;                 /* the timer's rate (kernel/timer.c's) */

/* ---- kmalloc ------------------------------------------------------------- */

extern long host_kmalloc_live;          /* blocks allocated and not freed */
/* Let @n more kmalloc/kzalloc calls succeed, then fail every one; -1: never fail. */
void host_kmalloc_fail_after(long n);

/* ---- calls that end the process or the system ---------------------------- */

enum host_end {
	HOST_RETURNED,                  /* the call returned: *ret */
	HOST_EXITED,                    /* proc_exit(*status) */
	HOST_POWEROFF,                  /* kernel_poweroff(*status) */
};

/* Run @fn(@a0, @a1, @a2, @a3, 0, 0) and tell how it ended. */
enum host_end host_call_end(syscall_fn fn, u64 a0, u64 a1, u64 a2, u64 a3,
			    long *ret, int *status);

/* panic() jumps here (and disarms it) when set; the message is kept. */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];
#endif
