/*
 * mpstress: the stress test run by many processes at once. It checks fork's
 * copy-on-write of private memory, shared anonymous memory seen by several
 * processes, and the memory manager with many address spaces changing at the
 * same time on several harts.
 *
 * Usage: mpstress SEED PROCS ROUNDS OPS      (e.g. mpstress 1 8 3 2000)
 *
 * This file includes stress.c for its shadow model and operations: every
 * worker runs stress's checked sequence (mmap, munmap, mprotect, mremap,
 * madvise, mincore, brk, each checked against the model) on its own window.
 *
 * A round:
 *  - the parent writes version 0 of its pattern over a private area, fills
 *    a shared data area, forks PROCS workers, and writes version 1 over the
 *    private area while they run;
 *  - worker i checks that the private area holds version 0 (the memory as of
 *    the fork, whatever the parent writes since) and the shared data, writes
 *    its own pattern over the private area and its tag into its slot of the
 *    shared control area, and runs OPS/2 operations on a fresh window;
 *  - the workers the seed chooses (about half) then fork a grandchild, which
 *    inherits the window in mid-run: it checks the private area (the
 *    worker's pattern) and the whole window against its copy of the model,
 *    unmaps its views of the window's shared pages, checks in through its
 *    slot, and runs OPS/4 operations of its own with its own pattern, while
 *    the worker, once the grandchild has checked in, writes a second pattern
 *    and runs the other half of its operations;
 *  - every process checks its pattern before it exits 0; a worker first
 *    waits for its grandchild and fails if that did not exit 0;
 *  - the parent waits for the workers in order and checks every exit status,
 *    every slot, the number of processes that checked in (an atomic add in
 *    shared memory) and that its private area still holds version 1.
 *
 * Output: "mpstress: seed S, P procs, R rounds, ok" and exit 0, or one line
 * for the first failure and exit 1. Workers and grandchildren print nothing:
 * a failure line goes to the process's slot (stress.c's fail_slot), and the
 * parent prints the first in the order grandchild of worker 0, worker 0,
 * grandchild of worker 1, ... so the result does not depend on scheduling.
 *
 * Residency in the grandchild: Linux copies at fork the page table entries
 * of a private mapping that holds anonymous pages, and none of a shared
 * mapping or of one that only maps the zero page, so a page resident in the
 * worker need not be in the grandchild: the grandchild's model leaves those
 * open (RES_MAYBE). A page never touched is not resident in either, except
 * a shared one the grandchild's check read: it is then in the worker's too.
 *
 * The grandchild shares the worker's probe file, offset included: a probe
 * only needs some byte, and an end of file is retried after a rewind.
 */
#define STRESS_NO_MAIN
#include "stress.c"
#include <sched.h>
#include <sys/wait.h>

#define MAX_PROCS	32
#define PRIV_PAGES	64U	/* the parent's private area */
#define SHDATA_PAGES	8U	/* shared data the parent fills each round */

/* The versions of a process's values in a round (see key_of). */
enum { VER_FORK, VER_AFTER, VER_SHARED, VER_SLOT, VER_RNG, VER_GRAND };

enum { SLOT_EMPTY, SLOT_CHECKED, SLOT_DONE };

/* What a process of the round leaves for the others; written by it alone. */
struct slot {
	uint64_t tag;			/* key_of(who, VER_SLOT) */
	uint32_t state;			/* SLOT_*, read and written atomically */
	char msg[FAIL_LINE_MAX];	/* its failure line, or "" */
};

/* The shared control area: worker i at slot i, its grandchild at
 * MAX_PROCS + i. */
struct control {
	uint32_t arrived;		/* processes checked in, atomic adds */
	struct slot slot[2 * MAX_PROCS];
};

#define CTL_PAGES	((sizeof(struct control) + PG - 1) / PG)

static uint64_t seed;
static unsigned procs, round_no;
static unsigned long ops_per_worker;
static const char *self;
static uintptr_t priv, shdata;
static struct control *ctl;
static char who_text[64];

/*
 * The key of value @version of process @who in this round: who is 0 for the
 * parent, 1 + i for worker i, 1 + MAX_PROCS + i for its grandchild.
 */
static uint64_t key_of(unsigned who, unsigned version)
{
	return splitmix64(seed ^ (uint64_t)round_no << 40 ^ (uint64_t)who << 8 ^
			  version);
}

static bool has_grandchild(unsigned i)
{
	return key_of(1 + i, VER_GRAND) & 1;
}

static uint64_t area_tag(uint64_t key, unsigned page)
{
	uint64_t t = splitmix64(key + page);

	return t ? t : 1;
}

static void area_fill(uintptr_t base, unsigned pages, uint64_t key)
{
	unsigned k;

	for (k = 0; k < pages; k++)
		write_tag((volatile uint64_t *)(base + k * PG), area_tag(key, k));
}

static void area_check(const char *name, uintptr_t base, unsigned pages,
		       uint64_t key)
{
	static const unsigned words[] = { W0, W1, W2 };
	unsigned k, j;

	for (k = 0; k < pages; k++) {
		const volatile uint64_t *p =
			(const volatile uint64_t *)(base + k * PG);

		for (j = 0; j < 3; j++) {
			uint64_t want = tag_word(area_tag(key, k), words[j]);
			uint64_t got = p[words[j]];

			if (got != want)
				fail("%s page %u word %u: expected 0x%lx got "
				     "0x%lx", name, k, words[j],
				     (unsigned long)want, (unsigned long)got);
		}
	}
}

/* The private area as @who wrote it at the fork, and the shared data. */
static void check_inherited(unsigned who)
{
	area_check("private", priv, PRIV_PAGES, key_of(who, VER_FORK));
	area_check("shared", shdata, SHDATA_PAGES, key_of(0, VER_SHARED));
}

static const char *status_text(char *buf, size_t size, int st)
{
	if (WIFSIGNALED(st))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(st));
	return buf;
}

/* From here on, failures of this process go to its slot, named @what @i. */
static void become(unsigned who, const char *what, unsigned i)
{
	snprintf(who_text, sizeof(who_text), "mpstress: round %u %s %u",
		 round_no, what, i);
	fail_who = who_text;
	fail_slot = ctl->slot[who - 1].msg;
}

static void check_in(unsigned who)
{
	struct slot *s = &ctl->slot[who - 1];

	s->tag = key_of(who, VER_SLOT);
	__atomic_store_n(&s->state, SLOT_CHECKED, __ATOMIC_RELEASE);
	__atomic_fetch_add(&ctl->arrived, 1, __ATOMIC_SEQ_CST);
}

static __attribute__((noreturn)) void finish(unsigned who)
{
	__atomic_store_n(&ctl->slot[who - 1].state, SLOT_DONE, __ATOMIC_RELEASE);
	exit(0);
}

/* Pages resident in the process that forked may not be in its child. */
static void model_forked(void)
{
	unsigned i;

	for (i = 0; i < WIN_PAGES; i++)
		if (model[i].res == RES_YES)
			model[i].res = RES_MAYBE;
}

/*
 * The grandchild's check read some of the window's shared pages, which puts
 * them in the shared object (there is no zero page for shared memory), so
 * the worker may now see them resident.
 */
static void model_shared_read(void)
{
	unsigned i;

	for (i = 0; i < WIN_PAGES; i++)
		if (model[i].kind == KIND_SHARED && model[i].res == RES_NO)
			model[i].res = RES_MAYBE;
}

/* Unmaps the window's shared pages, run by run (the worker keeps its own). */
static void unmap_shared(void)
{
	unsigned i = 0, j;

	DESCRIBE("unmap of the inherited shared pages");
	while (i < WIN_PAGES) {
		if (model[i].kind != KIND_SHARED) {
			i++;
			continue;
		}
		for (j = i; j < WIN_PAGES && model[j].kind == KIND_SHARED; j++)
			;
		expect_ret("munmap", SYS(munmap((void *)pa(i), (j - i) * PG)),
			   0);
		model_unmap(i, j - i);
		i = j;
	}
}

/* Grandchild of worker @i, forked before operation @first. */
static __attribute__((noreturn)) void grandchild(unsigned i,
						 unsigned long first)
{
	unsigned who = 1 + MAX_PROCS + i;

	become(who, "grandchild of worker", i);
	DESCRIBE("memory inherited from worker %u", i);
	check_inherited(1 + i);
	model_forked();
	verify_all();
	unmap_shared();
	check_in(who);
	area_fill(priv, PRIV_PAGES, key_of(who, VER_FORK));
	rng_seed(key_of(who, VER_RNG));
	run_ops(first, first + ops_per_worker / 4 - 1);
	DESCRIBE("final check");
	verify_all();
	area_check("private", priv, PRIV_PAGES, key_of(who, VER_FORK));
	finish(who);
}

/* Forks worker @i's grandchild and waits until it has checked in. */
static pid_t spawn_grandchild(unsigned i)
{
	const struct slot *s = &ctl->slot[MAX_PROCS + i];
	char buf[40];
	pid_t pid;
	int st;

	DESCRIBE("fork of the grandchild");
	pid = fork();
	if (pid < 0)
		fail("fork: errno %d", errno);
	if (pid == 0)
		grandchild(i, op_index);
	while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SLOT_EMPTY) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			fail("grandchild ended before it checked in: %s",
			     status_text(buf, sizeof(buf), st));
		sched_yield();
	}
	model_shared_read();
	return pid;
}

static void reap_grandchild(pid_t pid)
{
	char buf[40];
	int st;

	DESCRIBE("wait for the grandchild");
	if (waitpid(pid, &st, 0) != pid)
		fail("waitpid: errno %d", errno);
	if (st)
		fail("grandchild %s", status_text(buf, sizeof(buf), st));
}

static __attribute__((noreturn)) void worker(unsigned i)
{
	unsigned who = 1 + i;
	unsigned long half = ops_per_worker / 2;
	pid_t gc = 0;

	become(who, "worker", i);
	DESCRIBE("memory inherited from the parent");
	check_inherited(0);
	area_fill(priv, PRIV_PAGES, key_of(who, VER_FORK));
	check_in(who);
	setup(self);
	rng_seed(key_of(who, VER_RNG));
	run_ops(1, half);
	if (has_grandchild(i))
		gc = spawn_grandchild(i);
	area_fill(priv, PRIV_PAGES, key_of(who, VER_AFTER));
	run_ops(half + 1, ops_per_worker);
	DESCRIBE("final check");
	verify_all();
	if (gc)
		reap_grandchild(gc);
	DESCRIBE("private area at the end");
	area_check("private", priv, PRIV_PAGES, key_of(who, VER_AFTER));
	finish(who);
}

static __attribute__((noreturn)) void report(const char *msg)
{
	say("%.*s", FAIL_LINE_MAX - 1, msg);
	exit(1);
}

static void check_slot(unsigned who)
{
	const struct slot *s = &ctl->slot[who - 1];

	if (s->state != SLOT_DONE || s->tag != key_of(who, VER_SLOT))
		fail("slot %u: state %u tag 0x%lx, expected %u and 0x%lx",
		     who - 1, s->state, (unsigned long)s->tag, SLOT_DONE,
		     (unsigned long)key_of(who, VER_SLOT));
}

/* Ends the run at the first failure of worker @i or of its grandchild. */
static void judge(unsigned i, int st)
{
	const struct slot *g = &ctl->slot[MAX_PROCS + i];
	bool grand = has_grandchild(i);
	char buf[40];

	if (grand && g->msg[0])
		report(g->msg);
	if (ctl->slot[i].msg[0])
		report(ctl->slot[i].msg);
	if (st) {
		say("mpstress: round %u worker %u: %s\n", round_no, i,
		    status_text(buf, sizeof(buf), st));
		exit(1);
	}
	DESCRIBE("slots of worker %u", i);
	check_slot(1 + i);
	if (grand)
		check_slot(1 + MAX_PROCS + i);
}

static void run_round(void)
{
	pid_t pid[MAX_PROCS];
	int st[MAX_PROCS];
	unsigned i, want = procs;

	snprintf(who_text, sizeof(who_text), "mpstress: round %u parent",
		 round_no);
	memset(ctl, 0, sizeof(*ctl));
	area_fill(priv, PRIV_PAGES, key_of(0, VER_FORK));
	area_fill(shdata, SHDATA_PAGES, key_of(0, VER_SHARED));
	for (i = 0; i < procs; i++) {
		DESCRIBE("fork of worker %u", i);
		pid[i] = fork();
		if (pid[i] < 0)
			fail("fork: errno %d", errno);
		if (pid[i] == 0)
			worker(i);
	}
	DESCRIBE("private area after the forks");
	check_inherited(0);
	area_fill(priv, PRIV_PAGES, key_of(0, VER_AFTER));
	for (i = 0; i < procs; i++) {
		DESCRIBE("wait for worker %u", i);
		if (waitpid(pid[i], &st[i], 0) != pid[i])
			fail("waitpid: errno %d", errno);
	}
	for (i = 0; i < procs; i++) {
		judge(i, st[i]);
		want += has_grandchild(i);
	}
	DESCRIBE("end of the round");
	if (ctl->arrived != want)
		fail("%u processes checked in, expected %u", ctl->arrived, want);
	area_check("private", priv, PRIV_PAGES, key_of(0, VER_AFTER));
}

static uintptr_t map_area(unsigned long size, int flags)
{
	void *p = mmap(NULL, size, RW, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		say("mpstress: mmap of %lu bytes: errno %d\n", size, errno);
		exit(1);
	}
	return (uintptr_t)p;
}

int main(int argc, char **argv)
{
	unsigned rounds;

	if (argc != 5) {
		say("usage: mpstress SEED PROCS ROUNDS OPS\n");
		return 2;
	}
	seed = strtoul(argv[1], NULL, 0);
	procs = strtoul(argv[2], NULL, 0);
	rounds = strtoul(argv[3], NULL, 0);
	ops_per_worker = strtoul(argv[4], NULL, 0);
	if (procs < 1 || procs > MAX_PROCS || rounds < 1) {
		say("mpstress: PROCS must be 1 to %u, ROUNDS at least 1\n",
		    MAX_PROCS);
		return 2;
	}
	self = argv[0];
	fail_who = who_text;
	priv = map_area(PRIV_PAGES * PG, MAP_PRIVATE);
	shdata = map_area(SHDATA_PAGES * PG, MAP_SHARED);
	ctl = (struct control *)map_area(CTL_PAGES * PG, MAP_SHARED);
	for (round_no = 1; round_no <= rounds; round_no++)
		run_round();
	say("mpstress: seed %lu, %u procs, %u rounds, ok\n",
	    (unsigned long)seed, procs, rounds);
	return 0;
}
