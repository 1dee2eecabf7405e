/*
 * futex: sleeping on a user word until another task changes it and says
 * so (Linux's futex(2); docs/futex.md).
 *
 * A waiter is a struct futex_q on its own kernel stack, on one of
 * FUTEX_CHAINS lists chosen by a hash of its key (struct futex_key,
 * include/pagoda/as.h: the space and address for a private futex or a
 * private mapping, the shared object and offset for a shared one, so
 * processes sharing a MAP_SHARED page meet on it). One lock, futex_lock
 * (f), guards every chain: FUTEX_WAIT queues itself and then reads the
 * word under it, and a waker changes the word before it looks at the
 * chain (a full fence on each side), so a wake-up cannot fall between the
 * waiter's check and its sleep. A waker that finds the chain empty
 * returns without the lock: any waiter it missed reads the new word. The read under the lock
 * must not fault a page in (a fault may sleep): it runs with the hart's
 * nofault flag, and when the page is not there the waiter drops the lock,
 * faults it in with an ordinary read, and starts again.
 *
 * Each waiter sleeps on a wait queue of its own and is woken by name:
 * the waker takes it off its chain and sets woken under (f); a waiter
 * whose sleep ended otherwise (timeout, signal) takes itself off. REQUEUE
 * moves waiters to another key's chain under the same lock.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <pagoda/time.h>
#include <pagoda/uaccess.h>
#include <asm/cpu.h>

#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define FUTEX_REQUEUE           3
#define FUTEX_CMP_REQUEUE       4
#define FUTEX_WAIT_BITSET       9
#define FUTEX_WAKE_BITSET       10
#define FUTEX_PRIVATE_FLAG      128
#define FUTEX_CLOCK_REALTIME    256
#define FUTEX_BITSET_ANY        0xffffffffu
#define FUTEX_CHAINS            64

struct futex_q {
	struct futex_q *next;           /* (f) */
	struct futex_key key;           /* (f) REQUEUE changes it */
	u32 bitset;                     /* (c) */
	bool woken;                     /* (f) a waker took it off its chain */
	struct waitq wq;                /* (s) the waiter alone */
};

static struct spinlock futex_lock;
static struct futex_q *chains[FUTEX_CHAINS];    /* (f) */

static struct futex_q **chain(const struct futex_key *k)
{
	u64 h = (k->object ^ (k->offset >> 2)) * 0x9e3779b97f4a7c15ull;

	return &chains[h >> 58];
}

static bool same_key(const struct futex_key *a, const struct futex_key *b)
{
	return a->object == b->object && a->offset == b->offset;
}

/* At the tail: waiters of a key are woken first come, first served. */
static void enqueue(struct futex_q *q)
{
	struct futex_q **pp = chain(&q->key);

	assert_held(&futex_lock);
	while (*pp)
		pp = &(*pp)->next;
	q->next = NULL;
	__atomic_store_n(pp, q, __ATOMIC_RELAXED);     /* futex_wake looks without the lock */
}

static void unqueue(struct futex_q *q)
{
	struct futex_q **pp;

	assert_held(&futex_lock);
	for (pp = chain(&q->key); *pp && *pp != q; pp = &(*pp)->next)
		;
	if (*pp)
		__atomic_store_n(pp, q->next, __ATOMIC_RELAXED);
}

int arch_get_user_u32(u32 *dst, const void *src);

/*
 * The word at @uaddr, read in one access without faulting a page in and
 * without the space's lock (futex_lock is held, below it in the order):
 * 0 or -EFAULT. The caller checked with as_futex_key(read) that the VMA
 * may be read: a PROT_NONE page, which the kernel could read, is refused
 * there (a concurrent mprotect makes this read a value of the caller's
 * own memory, nothing more).
 */
static int read_nofault(u32 *val, vaddr_t uaddr)
{
	struct hart *h = this_hart();
	int r;

	if (!user_range_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	h->nofault++;
	r = arch_get_user_u32(val, (const void *)uaddr);
	h->nofault--;
	return r;
}

/*
 * The key of @uaddr, with the word at @uaddr read under futex_lock, which
 * is held on success (0); -EFAULT or -EINVAL (misaligned) without it.
 */
static int key_and_lock(vaddr_t uaddr, bool private, struct futex_key *k, u32 *val,
			unsigned long *irq)
{
	struct addr_space *as = current_proc()->as;
	int err;

	if (uaddr & 3)
		return -EINVAL;
	for (;;) {
		err = as_futex_key(as, uaddr, private, true, k);
		if (err)
			return err;
		*irq = spin_lock_irqsave(&futex_lock);
		if (!read_nofault(val, uaddr))
			return 0;
		spin_unlock_irqrestore(&futex_lock, *irq);
		if (copy_from_user(val, (const void *)uaddr, sizeof(u32)))  /* fault it in */
			return -EFAULT;
	}
}

/* Sleep while the word at @uaddr holds @val, until woken for @bitset or
 * @deadline (arch time, 0: none). */
static long futex_wait(vaddr_t uaddr, bool private, u32 val, u64 deadline, u32 bitset)
{
	struct futex_q q = { 0 };
	unsigned long irq;
	u32 cur;
	int r = 0;

	if (!bitset)
		return -EINVAL;
	if (uaddr & 3)
		return -EINVAL;
	q.bitset = bitset;
	for (;;) {
		r = as_futex_key(current_proc()->as, uaddr, private, true, &q.key);
		if (r)
			return r;
		irq = spin_lock_irqsave(&futex_lock);
		/* Queued before the word is read: a waker that finds the
		 * chain empty without the lock wrote the word before this
		 * read (see futex_wake). */
		enqueue(&q);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!read_nofault(&cur, uaddr))
			break;
		unqueue(&q);
		spin_unlock_irqrestore(&futex_lock, irq);
		if (copy_from_user(&cur, (const void *)uaddr, sizeof(u32)))  /* fault it in */
			return -EFAULT;
	}
	if (cur != val) {
		unqueue(&q);
		spin_unlock_irqrestore(&futex_lock, irq);
		return -EAGAIN;
	}
	while (!q.woken && !r)
		r = sched_sleep(&q.wq, &futex_lock, deadline, SLEEP_INTR);
	if (!q.woken)
		unqueue(&q);
	spin_unlock_irqrestore(&futex_lock, irq);
	if (q.woken)
		return 0;
	if (r == -ETIMEDOUT)
		return -ETIMEDOUT;
	return deadline ? -ERESTARTNOHAND : -ERESTARTSYS;
}

/* Wake up to @nr waiters of @k whose bitset meets @bitset (at least one,
 * as Linux: it counts after waking). futex_lock held. */
static int wake_locked(const struct futex_key *k, int nr, u32 bitset)
{
	struct futex_q **pp = chain(k), *q;
	int n = 0;

	assert_held(&futex_lock);
	while ((q = *pp)) {
		if (!same_key(&q->key, k) || !(q->bitset & bitset)) {
			pp = &q->next;
			continue;
		}
		__atomic_store_n(pp, q->next, __ATOMIC_RELAXED);
		q->woken = true;
		sched_wake(&q->wq);
		if (++n >= nr)
			break;
	}
	return n;
}

static long futex_wake(vaddr_t uaddr, bool private, int nr, u32 bitset)
{
	struct futex_key k;
	unsigned long irq;
	int n;

	if (!bitset)
		return -EINVAL;
	if (uaddr & 3)
		return -EINVAL;
	n = as_futex_key(current_proc()->as, uaddr, private, false, &k);
	if (n)
		return n;
	/* No waiter on the chain: nothing to take the lock for. The caller
	 * changed the word before this call; a waiter queues itself before
	 * it reads the word, so one this misses reads the new value. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(chain(&k), __ATOMIC_RELAXED))
		return 0;
	irq = spin_lock_irqsave(&futex_lock);
	n = wake_locked(&k, nr, bitset);
	spin_unlock_irqrestore(&futex_lock, irq);
	return n;
}

/* Wake @nr_wake waiters of @uaddr and move up to @nr_requeue others to
 * @uaddr2; with @cmp, only while the word at @uaddr still holds @val3. */
static long futex_requeue(vaddr_t uaddr, vaddr_t uaddr2, bool private, int nr_wake,
			  int nr_requeue, bool cmp, u32 val3)
{
	struct futex_key k1, k2;
	struct futex_q **pp, *q, *moved = NULL, **tail = &moved;
	unsigned long irq;
	long n;
	u32 cur;
	int r;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if (uaddr2 & 3)
		return -EINVAL;
	r = as_futex_key(current_proc()->as, uaddr2, private, false, &k2);
	if (r)
		return r;
	r = key_and_lock(uaddr, private, &k1, &cur, &irq);
	if (r)
		return r;
	if (cmp && cur != val3) {
		spin_unlock_irqrestore(&futex_lock, irq);
		return -EAGAIN;
	}
	n = nr_wake ? wake_locked(&k1, nr_wake, FUTEX_BITSET_ANY) : 0;
	for (pp = chain(&k1); (q = *pp) && nr_requeue > 0;) {
		if (!same_key(&q->key, &k1)) {
			pp = &q->next;
			continue;
		}
		__atomic_store_n(pp, q->next, __ATOMIC_RELAXED);      /* to k2 after the walk */
		q->key = k2;
		q->next = NULL;         /* in their order: k2's queue stays first come, first served */
		*tail = q;
		tail = &q->next;
		nr_requeue--;
		n++;
	}
	while ((q = moved)) {
		moved = q->next;
		enqueue(q);
	}
	spin_unlock_irqrestore(&futex_lock, irq);
	return n;
}

/* The deadline of a FUTEX_WAIT(_BITSET) timeout @uts: relative for WAIT,
 * absolute for WAIT_BITSET (every clock counts from the boot here). */
static int timeout(const void *uts, bool absolute, u64 *deadline)
{
	struct kernel_timespec ts;
	u64 t;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	t = ns_to_time((u64)ts.tv_sec, (u64)ts.tv_nsec);
	*deadline = absolute ? t : time_add(arch_read_time(), t);
	if (!*deadline)
		*deadline = 1;          /* 0 means none: the epoch itself has passed */
	return 0;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
SYSCALL(futex)
{
	int op = (int)a1, cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool private = op & FUTEX_PRIVATE_FLAG;
	u64 deadline;
	int r;

	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		r = timeout((const void *)a3, cmd == FUTEX_WAIT_BITSET, &deadline);
		if (r)
			return r;
		return futex_wait(a0, private, (u32)a2, deadline,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_ANY : (u32)a5);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake(a0, private, (int)a2,
				  cmd == FUTEX_WAKE ? FUTEX_BITSET_ANY : (u32)a5);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(a0, a4, private, (int)a2, (int)a3, cmd == FUTEX_CMP_REQUEUE,
				     (u32)a5);
	default:
		return -ENOSYS;
	}
}
