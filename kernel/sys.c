/*
 * sys: the Linux syscalls about the process itself and the system,
 * other than files, memory, signals and the process family: exit, ids,
 * resource limits, getrandom and its generator, uname, clock_gettime,
 * sched_yield and reboot. Linux riscv64 ABI and errno values, checks in
 * Linux's order.
 *
 * Locking: process state is touched only by the task itself. The random
 * generator is shared and has its own lock.
 */
#include <pagoda/syscall.h>
#include <pagoda/time.h>
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
	proc_exit((int)(a0 & 0xff) << 8);
}

SYSCALL(exit_group)
{
	proc_exit((int)(a0 & 0xff) << 8);
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

SYSCALL(getuid)
{
	return current_proc()->uid;
}

SYSCALL(geteuid)
{
	return current_proc()->euid;
}

/* Groups are not kept: every process is in group 0; the table also
 * routes getegid here. */
SYSCALL(getgid)
{
	return 0;
}

#define ID_KEEP ((u32)-1)

/*
 * setresuid(ruid, euid, suid): root may set anything; others only to one
 * of their three ids (Linux's rule without capabilities). The ids decide
 * who may signal whom and whether RLIMIT_NPROC binds (it does not bind
 * root).
 */
SYSCALL(setresuid)
{
	struct proc *p = current_proc();
	u32 ids[3] = { (u32)a0, (u32)a1, (u32)a2 };
	int i;

	for (i = 0; i < 3 && p->euid; i++)
		if (ids[i] != ID_KEEP && ids[i] != p->uid && ids[i] != p->euid && ids[i] != p->suid)
			return -EPERM;
	if (ids[0] != ID_KEEP)
		p->uid = ids[0];
	if (ids[1] != ID_KEEP)
		p->euid = ids[1];
	if (ids[2] != ID_KEEP)
		p->suid = ids[2];
	return 0;
}

/* setuid(uid): root sets all three; others only the effective id, to
 * their real or saved one. */
SYSCALL(setuid)
{
	struct proc *p = current_proc();
	u32 uid = (u32)a0;

	if (uid == ID_KEEP)
		return -EINVAL;
	if (!p->euid) {
		p->uid = p->euid = p->suid = uid;
		return 0;
	}
	if (uid != p->uid && uid != p->suid)
		return -EPERM;
	p->euid = uid;
	return 0;
}

/* getresuid(ruid, euid, suid) */
SYSCALL(getresuid)
{
	struct proc *p = current_proc();

	if (put_user_u32(a0, p->uid) || put_user_u32(a1, p->euid) || put_user_u32(a2, p->suid))
		return -EFAULT;
	return 0;
}

/* Group ids are accepted and not kept (every process is in group 0). */
SYSCALL(setgid)
{
	return (u32)a0 == ID_KEEP ? -EINVAL : 0;
}

SYSCALL(setresgid)
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
	sched_yield();
	return 0;
}

/* ---- resource limits --------------------------------------------------- */

#define RLIMIT_STACK    3
#define RLIMIT_NPROC    6
#define RLIMIT_NOFILE   7
#define RLIM_INFINITY   (~0ull)
#define SYSCTL_NR_OPEN  (1024 * 1024)   /* Linux's default fs.nr_open */

/* init's limits, which every process inherits: Linux's defaults. Recorded
 * and reported; RLIMIT_NPROC binds non-root forks (kernel/proc/fork.c),
 * the others are not enforced (the fd table stays NR_OPEN slots whatever
 * RLIMIT_NOFILE says). */
void rlimits_init(struct rlimit64 *lim)
{
	unsigned int i;

	for (i = 0; i < RLIM_NLIMITS; i++)
		lim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	lim[RLIMIT_STACK] = (struct rlimit64){ 8 * MiB, RLIM_INFINITY };
	lim[RLIMIT_NOFILE] = (struct rlimit64){ NR_OPEN, NR_OPEN };
	lim[RLIMIT_NPROC] = (struct rlimit64){ max_tasks / 2, max_tasks / 2 };
}

/*
 * Linux's do_prlimit for process @p: *@old the limit before, then @new
 * (if any) in its place. -EINVAL for an unknown resource or a soft limit
 * above the hard one, -EPERM for RLIMIT_NOFILE above nr_open, or for a
 * raised hard limit when the caller is not root.
 */
static int rlimit_swap(struct proc *p, unsigned int res, const struct rlimit64 *new,
		       struct rlimit64 *old)
{
	struct rlimit64 *lim;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->cur > new->max)
		return -EINVAL;
	lim = p->rlimits + res;
	if (new && new->max > lim->max && current_proc()->euid)
		return -EPERM;
	if (new && res == RLIMIT_NOFILE && new->max > SYSCTL_NR_OPEN)
		return -EPERM;
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
	r = rlimit_swap(current_proc(), (unsigned int)a1, unew ? &new : NULL, &old);
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
	int r = rlimit_swap(current_proc(), (unsigned int)a0, NULL, &old);

	if (r)
		return r;
	return copy_to_user((void *)a1, &old, sizeof(old));
}

/* setrlimit(resource, rlim) */
SYSCALL(setrlimit)
{
	struct rlimit64 new, old;

	if (copy_from_user(&new, (const void *)a1, sizeof(new)))
		return -EFAULT;
	return rlimit_swap(current_proc(), (unsigned int)a0, &new, &old);
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
		if (done && !(done & (PAGE_SIZE - 1))) {        /* a long call: let others run */
			sched_cond_resched();
			if (__atomic_load_n(&current_proc()->work, __ATOMIC_RELAXED) & WORK_SIGNAL)
				break;
		}
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
