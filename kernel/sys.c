/*
 * sys: the Linux syscalls about the process itself and the system,
 * other than files and memory: exit, ids, signal bookkeeping, resource
 * limits, getrandom and its generator, uname, clock_gettime, sched_yield
 * and reboot. Linux riscv64 ABI and errno values, checks in Linux's order.
 *
 * Signals are recorded (actions, blocked mask) but never delivered: Pagoda
 * has no signal sources besides faults, which end the process.
 *
 * Locking: process state is touched only by the hart running the process.
 * The random generator is shared and has its own lock.
 */
#include <pagoda/syscall.h>
#include <pagoda/proc.h>
#include <pagoda/uaccess.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/power.h>
#include <pagoda/irq.h>
#include <pagoda/spinlock.h>
#include <asm/cpu.h>
#include <asm/pte.h>
#include <string.h>

/* ---- exit and ids ------------------------------------------------------ */

/* exit(status): the process is the only thread, so exit is exit_group. */
SYSCALL(exit)
{
	proc_exit((int)(a0 & 0xff));
}

SYSCALL(exit_group)
{
	proc_exit((int)(a0 & 0xff));
}

SYSCALL(getpid)
{
	return current_proc()->pid;
}

/* One thread per process: its tid is the pid. */
SYSCALL(gettid)
{
	return current_proc()->pid;
}

/* The first process has no parent inside the system. */
SYSCALL(getppid)
{
	return 0;
}

/* Everything runs as root; the table also routes geteuid, getgid, getegid here. */
SYSCALL(getuid)
{
	return 0;
}

/* set_tid_address(tidptr): recorded (nothing clears it: no threads). */
SYSCALL(set_tid_address)
{
	struct proc *p = current_proc();

	p->clear_child_tid = a0;
	return p->pid;
}

#define ROBUST_LIST_HEAD_SIZE   24      /* struct robust_list_head, LP64 */

/* set_robust_list(head, len): recorded, never walked. */
SYSCALL(set_robust_list)
{
	struct proc *p = current_proc();

	if (a1 != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	p->robust_list = a0;
	p->robust_len = a1;
	return 0;
}

SYSCALL(sched_yield)
{
	return 0;
}

/* ---- signals ----------------------------------------------------------- */

#define NSIG            64
#define SIGKILL         9
#define SIGSTOP         19
#define SIGBIT(sig)     (1ull << ((sig) - 1))
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2

/* The sa_flags bits Linux keeps; others read back as 0 so that user space
 * can tell them unsupported (SA_UNSUPPORTED, 0x400, among them). */
#define SA_KNOWN_FLAGS  (0x00000001u /* SA_NOCLDSTOP */ | 0x00000002u /* SA_NOCLDWAIT */ | \
			 0x00000004u /* SA_SIGINFO */ | 0x00000800u /* SA_EXPOSE_TAGBITS */ | \
			 0x08000000u /* SA_ONSTACK */ | 0x10000000u /* SA_RESTART */ | \
			 0x40000000u /* SA_NODEFER */ | 0x80000000u /* SA_RESETHAND */)

/* riscv has no SA_RESTORER: the user's struct sigaction is handler, flags, mask. */
_Static_assert(sizeof(struct k_sigaction) == 24, "riscv64 struct sigaction");

/* rt_sigaction(sig, act, oldact, sigsetsize) */
SYSCALL(rt_sigaction)
{
	struct proc *p = current_proc();
	const void *uact = (const void *)a1;
	void *uoact = (void *)a2;
	struct k_sigaction act, old;
	int sig = (int)a0;

	if (a3 != sizeof(u64))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (sig < 1 || sig > NSIG || (uact && (SIGBIT(sig) & SIG_UNBLOCKABLE)))
		return -EINVAL;
	old = p->sigactions[sig - 1];
	if (uact) {
		act.flags &= SA_KNOWN_FLAGS;
		act.mask &= ~SIG_UNBLOCKABLE;
		p->sigactions[sig - 1] = act;
	}
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The blocked mask after applying @set with @how: 0 or -EINVAL. */
static int sigmask_apply(u64 *mask, int how, u64 set)
{
	set &= ~SIG_UNBLOCKABLE;
	switch (how) {
	case SIG_BLOCK:
		*mask |= set;
		return 0;
	case SIG_UNBLOCK:
		*mask &= ~set;
		return 0;
	case SIG_SETMASK:
		*mask = set;
		return 0;
	default:
		return -EINVAL;
	}
}

/* rt_sigprocmask(how, set, oldset, sigsetsize): @how is checked only with a set. */
SYSCALL(rt_sigprocmask)
{
	struct proc *p = current_proc();
	u64 old = p->sigmask, set;
	int r;

	if (a3 != sizeof(u64))
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, (const void *)a1, sizeof(set)))
			return -EFAULT;
		r = sigmask_apply(&p->sigmask, (int)a0, set);
		if (r)
			return r;
	}
	if (a2 && copy_to_user((void *)a2, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- resource limits --------------------------------------------------- */

#define RLIM_NLIMITS    16
#define RLIMIT_STACK    3
#define RLIMIT_NOFILE   7
#define RLIM_INFINITY   (~0ull)
#define SYSCTL_NR_OPEN  (1024 * 1024)   /* Linux's default fs.nr_open */

struct rlimit64 {
	u64 cur, max;
};

/*
 * The running process's limits. struct proc has no room for them, so they
 * live here, tagged with the pid they belong to (pids are never reused)
 * and reset to the defaults when another process first asks. Recorded and
 * reported, never enforced: the fd table stays NR_OPEN slots whatever
 * RLIMIT_NOFILE says.
 */
static struct {
	int pid;
	struct rlimit64 lim[RLIM_NLIMITS];
} rlimits = { .pid = -1 };

static struct rlimit64 rlimit_default(unsigned int res)
{
	if (res == RLIMIT_STACK)
		return (struct rlimit64){ 8 * MiB, RLIM_INFINITY };
	if (res == RLIMIT_NOFILE)
		return (struct rlimit64){ NR_OPEN, NR_OPEN };
	return (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
}

static struct rlimit64 *rlimits_current(void)
{
	int pid = current_proc()->pid;
	unsigned int i;

	if (rlimits.pid != pid) {
		rlimits.pid = pid;
		for (i = 0; i < RLIM_NLIMITS; i++)
			rlimits.lim[i] = rlimit_default(i);
	}
	return rlimits.lim;
}

/*
 * Linux's do_prlimit for the running process: *@old the limit before,
 * then @new (if any) in its place. -EINVAL for an unknown resource or a
 * soft limit above the hard one, -EPERM for RLIMIT_NOFILE above nr_open.
 * Raising a hard limit is allowed: the process runs as root.
 */
static int rlimit_swap(unsigned int res, const struct rlimit64 *new, struct rlimit64 *old)
{
	struct rlimit64 *lim;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->cur > new->max)
		return -EINVAL;
	if (new && res == RLIMIT_NOFILE && new->max > SYSCTL_NR_OPEN)
		return -EPERM;
	lim = rlimits_current() + res;
	*old = *lim;
	if (new)
		*lim = *new;
	return 0;
}

/* prlimit64(pid, resource, new, old): pid 0 or the caller's own. */
SYSCALL(prlimit64)
{
	const void *unew = (const void *)a2;
	void *uold = (void *)a3;
	struct rlimit64 new, old;
	int pid = (int)a0, r;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (pid != 0 && pid != current_proc()->pid)
		return -ESRCH;
	r = rlimit_swap((unsigned int)a1, unew ? &new : NULL, &old);
	if (r)
		return r;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* getrlimit(resource, rlim): struct rlimit is struct rlimit64 on LP64. */
SYSCALL(getrlimit)
{
	struct rlimit64 old;
	int r = rlimit_swap((unsigned int)a0, NULL, &old);

	if (r)
		return r;
	return copy_to_user((void *)a1, &old, sizeof(old));
}

/* ---- getrandom --------------------------------------------------------- */

/*
 * The generator: ChaCha20 (RFC 8439) in counter mode, keyed at first use
 * from the timer and the instruction counter. Its output is uniform and
 * unpredictable without the key, but the key has little entropy (and
 * none at all under QEMU -icount, where a run repeats exactly): good for
 * hash seeds and tests, not for secrets.
 */
#define CHACHA_WORDS    16
#define CHACHA_BLOCK    64
#define ROTL32(v, n)    (((v) << (n)) | ((v) >> (32 - (n))))

static struct {
	struct spinlock lock;
	bool seeded;
	u32 state[CHACHA_WORDS];        /* constants, key, 64-bit counter, nonce */
} prng;

static void chacha_quarter(u32 *x, int a, int b, int c, int d)
{
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 16);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 12);
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 8);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 7);
}

/* One ChaCha20 block of @in into @out: 10 double rounds, then the feed-forward. */
static void chacha20_block(const u32 in[CHACHA_WORDS], u32 out[CHACHA_WORDS])
{
	u32 x[CHACHA_WORDS];
	int i;

	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		chacha_quarter(x, 0, 4, 8, 12);
		chacha_quarter(x, 1, 5, 9, 13);
		chacha_quarter(x, 2, 6, 10, 14);
		chacha_quarter(x, 3, 7, 11, 15);
		chacha_quarter(x, 0, 5, 10, 15);
		chacha_quarter(x, 1, 6, 11, 12);
		chacha_quarter(x, 2, 7, 8, 13);
		chacha_quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < CHACHA_WORDS; i++)
		out[i] = x[i] + in[i];
}

/* splitmix64: spreads the few varying bits of a seed over a whole word. */
static u64 mix64(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void prng_seed(void)
{
	static const u32 sigma[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	u64 s = arch_read_time() ^ (arch_read_instret() << 32), v;
	int i;

	memcpy(prng.state, sigma, sizeof(sigma));
	for (i = 4; i < CHACHA_WORDS; i += 2) {
		v = mix64(&s);
		prng.state[i] = (u32)v;
		prng.state[i + 1] = (u32)(v >> 32);
	}
	prng.state[12] = prng.state[13] = 0;    /* the block counter */
	prng.seeded = true;
}

/* The next 64 bytes of the generator. */
static void prng_block(u32 out[CHACHA_WORDS])
{
	unsigned long flags = spin_lock_irqsave(&prng.lock);

	if (!prng.seeded)
		prng_seed();
	chacha20_block(prng.state, out);
	if (++prng.state[12] == 0)
		prng.state[13]++;
	spin_unlock_irqrestore(&prng.lock, flags);
}

#define GRND_NONBLOCK   0x1
#define GRND_RANDOM     0x2
#define GRND_INSECURE   0x4

/* Fill @len user bytes: @len, the bytes before a fault, or -EFAULT. Each
 * copy stays within one user page, so a fault loses no written bytes. */
static long random_to_user(u8 *ubuf, u64 len)
{
	u32 block[CHACHA_WORDS];
	u64 done = 0, n, room;

	while (done < len) {
		prng_block(block);
		room = PAGE_SIZE - (((vaddr_t)ubuf + done) & (PAGE_SIZE - 1));
		n = MIN(MIN(len - done, (u64)CHACHA_BLOCK), room);
		if (copy_to_user(ubuf + done, block, n))
			break;
		done += n;
	}
	memset(block, 0, sizeof(block));
	return done ? (long)done : -EFAULT;
}

/*
 * getrandom(buf, len, flags): never blocks (the generator is ready from
 * the start), so the flags only get checked. As in Linux 6.12, one call
 * returns at most MAX_RW_COUNT bytes.
 */
SYSCALL(getrandom)
{
	u32 flags = (u32)a2;
	u64 len = MIN(a1, MAX_RW_COUNT);

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (!user_range_ok(a0, len))
		return -EFAULT;
	if (len == 0)
		return 0;
	return random_to_user((u8 *)a0, len);
}

/* ---- uname ------------------------------------------------------------- */

#define UTS_LEN 65

struct new_utsname {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};
_Static_assert(sizeof(struct new_utsname) == 6 * UTS_LEN, "struct utsname");

/* The release reads as a Linux version, for C libraries that parse it. */
static const struct new_utsname utsname = {
	.sysname = "Pagoda",
	.nodename = "pagoda",
	.release = "6.12.0-pagoda",
	.version = "#1 SMP",
	.machine = "riscv64",
	.domainname = "(none)",
};

SYSCALL(uname)
{
	return copy_to_user((void *)a0, &utsname, sizeof(utsname));
}

/* ---- clock_gettime ----------------------------------------------------- */

#define CLOCK_REALTIME                  0
#define CLOCK_MONOTONIC                 1
#define CLOCK_PROCESS_CPUTIME_ID        2
#define CLOCK_THREAD_CPUTIME_ID         3
#define CLOCK_MONOTONIC_RAW             4
#define CLOCK_REALTIME_COARSE           5
#define CLOCK_MONOTONIC_COARSE          6
#define CLOCK_BOOTTIME                  7
#define CLOCK_TAI                       11
#define NSEC_PER_SEC                    1000000000ull

struct kernel_timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

/*
 * Every clock reads the timer, which counts from reset: there is no RTC,
 * so the epoch of CLOCK_REALTIME and CLOCK_TAI is the boot, and the CPU
 * clocks count all the time since boot (one process, which owns the CPU).
 * The alarm clocks (8, 9) need an RTC and are refused, as Linux does
 * without one; so are the per-pid CPU clocks (negative ids).
 */
static bool clock_known(s32 id)
{
	return (id >= CLOCK_REALTIME && id <= CLOCK_BOOTTIME) || id == CLOCK_TAI;
}

static struct kernel_timespec ticks_to_timespec(u64 t)
{
	u64 hz = timebase_hz;

	return (struct kernel_timespec){
		.tv_sec = (s64)(t / hz),
		.tv_nsec = (s64)((t % hz) * NSEC_PER_SEC / hz),
	};
}

/* clock_gettime(clockid, tp) */
SYSCALL(clock_gettime)
{
	struct kernel_timespec ts;

	if (!clock_known((s32)a0))
		return -EINVAL;
	ts = ticks_to_timespec(arch_read_time());
	return copy_to_user((void *)a1, &ts, sizeof(ts));
}

/* ---- reboot ------------------------------------------------------------ */

#define LINUX_REBOOT_MAGIC1             0xfee1deadu
#define LINUX_REBOOT_MAGIC2             672274793u
#define LINUX_REBOOT_MAGIC2A            85072278u
#define LINUX_REBOOT_MAGIC2B            369367448u
#define LINUX_REBOOT_MAGIC2C            537993216u
#define LINUX_REBOOT_CMD_RESTART        0x01234567u
#define LINUX_REBOOT_CMD_HALT           0xcdef0123u
#define LINUX_REBOOT_CMD_CAD_ON         0x89abcdefu
#define LINUX_REBOOT_CMD_CAD_OFF        0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF      0x4321fedcu
#define LINUX_REBOOT_CMD_RESTART2       0xa1b2c3d4u

static bool reboot_magic_ok(u32 magic1, u32 magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

/* There is nothing to restart into: a restart powers off, saying so. */
static __noreturn void reboot_restart(void)
{
	printk("reboot: restart requested; powering off instead\n");
	kernel_poweroff(EXIT_OK);
}

/*
 * reboot(magic1, magic2, cmd, arg): power-off and halt end the system
 * with status 0, restarts too; Ctrl-Alt-Del settings are accepted and
 * mean nothing (no keyboard). Other commands (kexec, suspend, which this
 * kernel lacks) are -EINVAL, as in a Linux built without them.
 */
SYSCALL(reboot)
{
	char buf[256];

	if (!reboot_magic_ok((u32)a0, (u32)a1))
		return -EINVAL;
	switch ((u32)a2) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_poweroff(EXIT_OK);
	case LINUX_REBOOT_CMD_RESTART:
		reboot_restart();
	case LINUX_REBOOT_CMD_RESTART2:
		/* Linux reads the command string first: a bad pointer fails. */
		if (strncpy_from_user(buf, (const char *)a3, sizeof(buf)) == -EFAULT)
			return -EFAULT;
		reboot_restart();
	default:
		return -EINVAL;
	}
}
