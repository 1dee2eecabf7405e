/*
 * sys_host: the kernel symbols kernel/fs/fs.c and kernel/sys.c need
 * outside the kernel (user copies, the current process, console, printk,
 * kmalloc, exit and power-off, panic, strlcpy), over a simulated user
 * address space. See sys_host.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <pagoda/errno.h>
#include <pagoda/power.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <asm/switch.h>
#include <asm/trap.h>
#include <pagoda/slab.h>
#include <pagoda/uaccess.h>

#include "sys_host.h"

#define UPAGE           4096ul
#define UMEM_PAGES      (UMEM_SIZE / UPAGE)
#define UMEM_LOW        (UMEM_SIZE / 2)         /* ualloc below, edges above */

struct proc host_proc;
u8 host_con[HOST_CON_MAX];
size_t host_con_len;
char host_log[8192];
static size_t host_log_len;
u64 timebase_hz = 10000000;
unsigned long host_time, host_instret, host_irqs_on = 1;
char host_hart;
long host_kmalloc_live;
static long kmalloc_budget = -1;
jmp_buf *host_panic_jmp;
char host_panic_msg[512];

static u8 *umem;
static bool page_faults[UMEM_PAGES];
static size_t ualloc_next, edge_next;

/* ---- user memory --------------------------------------------------------- */

void umem_init(void)
{
	void *p = mmap((void *)UMEM_BASE, UMEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)UMEM_BASE) {
		fprintf(stderr, "sys_host: cannot map user memory at 0x%lx\n", UMEM_BASE);
		abort();
	}
	umem = p;
}

void umem_reset(void)
{
	memset(umem, 0, UMEM_SIZE);
	memset(page_faults, 0, sizeof(page_faults));
	ualloc_next = UPAGE;            /* the arena's first page stays unused */
	edge_next = UMEM_LOW;
}

void *ualloc(size_t n)
{
	void *p = umem + ualloc_next;

	if (n > UMEM_LOW - ualloc_next) {
		fprintf(stderr, "sys_host: user memory exhausted\n");
		abort();
	}
	ualloc_next = (ualloc_next + n + 15) & ~15ul;
	return p;
}

char *ustr(const char *s)
{
	return memcpy(ualloc(strlen(s) + 1), s, strlen(s) + 1);
}

void umem_set_fault(const void *uaddr, bool fault)
{
	vaddr_t a = (vaddr_t)uaddr;

	if (a < UMEM_BASE || a >= UMEM_BASE + UMEM_SIZE)
		abort();
	page_faults[(a - UMEM_BASE) / UPAGE] = fault;
}

u8 *umem_edge(void)
{
	u8 *p = umem + edge_next;

	if (edge_next + 2 * UPAGE > UMEM_SIZE)
		abort();
	edge_next += 2 * UPAGE;
	umem_set_fault(p + UPAGE, true);
	return p;
}

static bool ubyte_ok(vaddr_t a)
{
	return a >= UMEM_BASE && a < UMEM_BASE + UMEM_SIZE &&
	       !page_faults[(a - UMEM_BASE) / UPAGE];
}

/* Byte by byte, as far as the first byte that faults. */
static int ucopy(u8 *dst, const u8 *src, u64 n, vaddr_t uaddr)
{
	u64 i;

	for (i = 0; i < n; i++) {
		if (!ubyte_ok(uaddr + i))
			return -EFAULT;
		dst[i] = src[i];
	}
	return 0;
}

int copy_from_user(void *dst, const void *usrc, u64 size)
{
	if (!user_range_ok((vaddr_t)usrc, size))
		return -EFAULT;
	return ucopy(dst, usrc, size, (vaddr_t)usrc);
}

int copy_to_user(void *udst, const void *src, u64 size)
{
	if (!user_range_ok((vaddr_t)udst, size))
		return -EFAULT;
	return ucopy(udst, src, size, (vaddr_t)udst);
}

int clear_user(void *udst, u64 size)
{
	u64 i;

	if (!user_range_ok((vaddr_t)udst, size))
		return -EFAULT;
	for (i = 0; i < size; i++) {
		if (!ubyte_ok((vaddr_t)udst + i))
			return -EFAULT;
		((u8 *)udst)[i] = 0;
	}
	return 0;
}

/* The contract of kernel/uaccess.c: the string must end below USER_TOP. */
long strncpy_from_user(char *dst, const char *usrc, u64 size)
{
	vaddr_t a = (vaddr_t)usrc;
	u64 n = size, i;

	if (!size)
		return -ENAMETOOLONG;
	if (a >= USER_TOP)
		return -EFAULT;
	n = MIN(n, USER_TOP - a);
	for (i = 0; i < n; i++) {
		if (!ubyte_ok(a + i))
			return -EFAULT;
		dst[i] = usrc[i];
		if (!dst[i])
			return (long)i;
	}
	return n == size ? -ENAMETOOLONG : -EFAULT;
}

/* ---- the process and the system ------------------------------------------ */

static jmp_buf *end_jmp;
static int end_status;

struct proc *current_proc(void)
{
	return &host_proc;
}

static __noreturn void end_jump(enum host_end how, int status)
{
	if (!end_jmp)
		panic("%s(%d) called outside host_call_end",
		      how == HOST_EXITED ? "proc_exit" : "kernel_poweroff", status);
	end_status = status;
	longjmp(*end_jmp, how);
}

__noreturn void proc_exit(int status)
{
	end_jump(HOST_EXITED, status);
}

__noreturn void proc_kill(int signo, const char *what, vaddr_t addr, vaddr_t pc)
{
	end_jump(HOST_EXITED, signo);
}

/* ---- the scheduler and the process table, for kernel/proc/signal.c ------- */

struct spinlock tasklist_lock;
unsigned int max_tasks = 64;
static struct trapframe host_frame;

void sched_yield(void)
{
}

void sched_cond_resched(void)
{
}

void sched_kick(struct proc *p)
{
}

void sched_wake(struct waitq *wq)
{
}

/* One thread: nothing could wake a sleeper, so a sleep is interrupted. */
int sched_sleep(struct waitq *wq, struct spinlock *lk, u64 deadline, int mode)
{
	return -EINTR;
}

struct proc *proc_find(int pid)
{
	return pid == host_proc.pid ? &host_proc : NULL;
}

struct trapframe *arch_user_frame(void)
{
	return &host_frame;
}

void arch_fpu_save(struct arch_fpstate *fp)
{
	memset(fp, 0, sizeof(*fp));
}

void arch_fpu_restore(const struct arch_fpstate *fp)
{
}

vaddr_t vdso_sym_sigreturn(const struct addr_space *as)
{
	return 0;
}

__noreturn void kernel_poweroff(int status)
{
	end_jump(HOST_POWEROFF, status);
}

enum host_end host_call_end(syscall_fn fn, u64 a0, u64 a1, u64 a2, u64 a3,
			    long *ret, int *status)
{
	jmp_buf jb;
	int how;

	end_jmp = &jb;
	how = setjmp(jb);
	if (how) {
		end_jmp = NULL;
		*status = end_status;
		return (enum host_end)how;
	}
	*ret = fn(a0, a1, a2, a3, 0, 0);
	end_jmp = NULL;
	return HOST_RETURNED;
}

__noreturn void panic(const char *fmt, ...)
{
	jmp_buf *j = host_panic_jmp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (j) {
		host_panic_jmp = NULL;
		longjmp(*j, 1);
	}
	fprintf(stderr, "panic: %s\n", host_panic_msg);
	abort();
}

void host_spin_deadlock(void)
{
	panic("spin_lock: lock already held (one thread: it would spin forever)");
}

/* ---- console and log ----------------------------------------------------- */

void console_write(const char *s, size_t n)
{
	if (n > HOST_CON_MAX - host_con_len)
		panic("sys_host: console capture full");
	memcpy(host_con + host_con_len, s, n);
	host_con_len += n;
}

void printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(host_log + host_log_len, sizeof(host_log) - host_log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		host_log_len = MIN(host_log_len + (size_t)n, sizeof(host_log) - 1);
}

void host_con_reset(void)
{
	host_con_len = 0;
	host_log_len = 0;
	host_log[0] = '\0';
}

/* ---- memory -------------------------------------------------------------- */

void host_kmalloc_fail_after(long n)
{
	kmalloc_budget = n;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (kmalloc_budget == 0 || size == 0 || size > KMALLOC_MAX)
		return NULL;
	if (kmalloc_budget > 0)
		kmalloc_budget--;
	p = malloc(size);
	if (p)
		host_kmalloc_live++;
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	return p ? memset(p, 0, size) : NULL;
}

void kfree(const void *p)
{
	if (!p)
		return;
	host_kmalloc_live--;
	free((void *)p);
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src), n;

	if (size) {
		n = MIN(len, size - 1);
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
