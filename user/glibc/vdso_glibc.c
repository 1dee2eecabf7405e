/*
 * vdso-glibc: the vDSO seen by a static glibc program, checked case by
 * case against the raw system calls; the same binary gives the same
 * output on Linux (rvlinux) and on Pagoda.
 *
 * It finds the vDSO (AT_SYSINFO_EHDR, and dl_iterate_phdr, which lists
 * it under its soname), looks its entry points up itself through the
 * dynamic symbol table and the versions, as glibc does (no dlvsym in a
 * static program), checks that glibc took the same address for
 * clock_gettime (glibc 2.36's internal pointer, when the C library has
 * one), then compares what glibc's clock_gettime, gettimeofday,
 * clock_getres and sched_getcpu answer with the system calls: each vDSO
 * reading lies between two system-call readings of the same clock.
 *
 * Output: "ok N name" or "not ok N name: reason" per case, then
 * "vdso-glibc: P passed, F failed"; exit status 0 iff all passed.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLOCKS 16
#define NSEC       1000000000L
#define BAD_PTR    ((void *)8)  /* never mapped: the first page is below mmap_min_addr */

/* glibc's own pointer to the vDSO's clock_gettime (static glibc 2.36). */
extern int (*_dl_vdso_clock_gettime64)(clockid_t, struct timespec *) __attribute__((weak));

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*getcpu_fn)(unsigned *, unsigned *, void *);

static const ElfW(Ehdr) *ehdr;          /* the vDSO's ELF header */
static char reason[200];

static const char *failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return reason;
}

/* ---- finding entry points, as glibc's dl_vdso_vsym does -------------------- */

struct dyn_tables {
	const ElfW(Sym) *sym;
	const char *str;
	const ElfW(Half) *versym;
	const ElfW(Verdef) *verdef;
	uint32_t nsyms;
	uintptr_t base;                 /* load bias: the image is linked at 0 */
};

static uintptr_t dyn_ptr(const ElfW(Dyn) *d, ElfW(Sxword) tag, uintptr_t base)
{
	for (; d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag)
			return base + d->d_un.d_ptr;
	return 0;
}

static int dyn_tables(struct dyn_tables *t)
{
	const ElfW(Phdr) *ph = (const void *)((const char *)ehdr + ehdr->e_phoff);
	const ElfW(Dyn) *dyn = NULL;
	const uint32_t *hash;
	int i;

	t->base = (uintptr_t)ehdr;
	for (i = 0; i < ehdr->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(t->base + ph[i].p_vaddr);
	if (!dyn)
		return -1;
	t->sym = (const void *)dyn_ptr(dyn, DT_SYMTAB, t->base);
	t->str = (const void *)dyn_ptr(dyn, DT_STRTAB, t->base);
	t->versym = (const void *)dyn_ptr(dyn, DT_VERSYM, t->base);
	t->verdef = (const void *)dyn_ptr(dyn, DT_VERDEF, t->base);
	hash = (const void *)dyn_ptr(dyn, DT_HASH, t->base);
	if (!t->sym || !t->str || !t->versym || !t->verdef || !hash)
		return -1;
	t->nsyms = hash[1];             /* nchain: one per symbol */
	return 0;
}

/* The name of version index @ndx. */
static const char *version_name(const struct dyn_tables *t, unsigned int ndx)
{
	const ElfW(Verdef) *vd = t->verdef;

	for (;;) {
		if ((vd->vd_ndx & 0x7fff) == ndx) {
			const ElfW(Verdaux) *aux = (const void *)((const char *)vd + vd->vd_aux);

			return t->str + aux->vda_name;
		}
		if (!vd->vd_next)
			return NULL;
		vd = (const void *)((const char *)vd + vd->vd_next);
	}
}

/* @name@@LINUX_4.15's address, or NULL. */
static void *vdso_sym(const char *name)
{
	struct dyn_tables t;
	const char *ver;
	uint32_t i;

	if (!ehdr || dyn_tables(&t))
		return NULL;
	for (i = 1; i < t.nsyms; i++) {
		const ElfW(Sym) *s = &t.sym[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    strcmp(t.str + s->st_name, name))
			continue;
		ver = version_name(&t, t.versym[i] & 0x7fff);
		if (ver && !strcmp(ver, "LINUX_4.15"))
			return (void *)(t.base + s->st_value);
	}
	return NULL;
}

/* ---- clocks ---------------------------------------------------------------- */

static long long ns(const struct timespec *ts)
{
	return ts->tv_sec * (long long)NSEC + ts->tv_nsec;
}

static int sys_gettime(clockid_t id, struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, id, ts);
}

static bool served(clockid_t id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_MONOTONIC_RAW ||
	       id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ||
	       id == CLOCK_BOOTTIME || id == CLOCK_TAI;
}

/* @get(id) between two system-call readings of clock @id. */
static const char *between(gettime_fn get, clockid_t id)
{
	struct timespec a, b, c;

	if (sys_gettime(id, &a) || get(id, &b) || sys_gettime(id, &c))
		return failf("clock %d: a call failed", id);
	if (b.tv_nsec < 0 || b.tv_nsec >= NSEC)
		return failf("clock %d: tv_nsec %ld", id, b.tv_nsec);
	if (ns(&a) > ns(&b) || ns(&b) > ns(&c))
		return failf("clock %d: %lld, then %lld, then %lld", id, ns(&a), ns(&b), ns(&c));
	if (ns(&c) - ns(&a) > NSEC)
		return failf("clock %d: readings %lld ns apart", id, ns(&c) - ns(&a));
	return NULL;
}

/* ---- the cases ------------------------------------------------------------- */

static const char *auxv_ehdr(void)
{
	ehdr = (const void *)getauxval(AT_SYSINFO_EHDR);
	if (!ehdr)
		return "no AT_SYSINFO_EHDR";
	if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG) || ehdr->e_type != ET_DYN ||
	    ehdr->e_machine != EM_RISCV)
		return failf("not a RISC-V ELF shared object at %p", (void *)ehdr);
	return NULL;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	int *found = arg;

	(void)size;
	if (info->dlpi_addr == (uintptr_t)ehdr && !strcmp(info->dlpi_name, "linux-vdso.so.1"))
		*found = 1;
	return 0;
}

static const char *iterate_phdr(void)
{
	int found = 0;

	dl_iterate_phdr(phdr_cb, &found);
	return found ? NULL : "dl_iterate_phdr does not list linux-vdso.so.1 at AT_SYSINFO_EHDR";
}

static const char *symbols(void)
{
	static const char *const names[] = { "__vdso_rt_sigreturn", "__vdso_clock_gettime",
		"__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_getcpu" };
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!vdso_sym(names[i]))
			return failf("%s@LINUX_4.15 not found", names[i]);
	return NULL;
}

/* The signal return is `li a7, 139; ecall`, the words unwinders look for. */
static const char *sigreturn_code(void)
{
	const uint32_t *code = vdso_sym("__vdso_rt_sigreturn");

	if (!code || code[0] != 0x08b00893 || code[1] != 0x00000073)
		return "__vdso_rt_sigreturn is not li a7, 139; ecall";
	return NULL;
}

static const char *glibc_uses_vdso(void)
{
	void *mine = vdso_sym("__vdso_clock_gettime");

	if (!&_dl_vdso_clock_gettime64)
		return NULL;            /* another C library: nothing to compare */
	if ((void *)_dl_vdso_clock_gettime64 != mine)
		return failf("glibc calls %p, the vDSO's clock_gettime is at %p",
			     (void *)_dl_vdso_clock_gettime64, mine);
	return NULL;
}

/* @get for every clock the data page serves. */
static const char *every_served(gettime_fn get)
{
	const char *r;
	clockid_t id;

	for (id = 0; id < MAX_CLOCKS; id++)
		if (served(id) && (r = between(get, id)))
			return r;
	return NULL;
}

static const char *glibc_clocks(void)
{
	return every_served(clock_gettime);
}

static const char *direct_clocks(void)
{
	gettime_fn get = (gettime_fn)vdso_sym("__vdso_clock_gettime");

	return get ? every_served(get) : "no __vdso_clock_gettime";
}

/* A clock the data page does not serve goes to the system call: its
 * answers and its errors (returned as -errno: no errno in the vDSO). */
static const char *direct_fallback(void)
{
	gettime_fn get = (gettime_fn)vdso_sym("__vdso_clock_gettime");
	struct timespec ts = { -1, -1 };
	int r;

	if (!get)
		return "no __vdso_clock_gettime";
	r = get(CLOCK_PROCESS_CPUTIME_ID, &ts);
	if (r || ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC)
		return failf("CLOCK_PROCESS_CPUTIME_ID: %d, %lld", r, ns(&ts));
	r = get(99, &ts);
	if (r != -EINVAL)
		return failf("clock 99: %d, expected -EINVAL", r);
	return NULL;
}

/* 10,000 readings in a row never go back. */
static const char *monotonic(void)
{
	struct timespec prev, ts;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &prev);
	for (i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (ns(&ts) < ns(&prev))
			return failf("reading %d went back %lld ns", i, ns(&prev) - ns(&ts));
		prev = ts;
	}
	return NULL;
}

static const char *timeofday(void)
{
	struct timeval a, b, c;
	struct timezone tz = { 77, 88 };

	if (syscall(SYS_gettimeofday, &a, NULL) || gettimeofday(&b, &tz) ||
	    syscall(SYS_gettimeofday, &c, NULL))
		return "a call failed";
	if (b.tv_usec < 0 || b.tv_usec >= 1000000)
		return failf("tv_usec %ld", (long)b.tv_usec);
	if (timercmp(&a, &b, >) || timercmp(&b, &c, >))
		return "not between two system calls";
	if (tz.tz_minuteswest || tz.tz_dsttime)
		return failf("timezone %d %d, expected 0 0", tz.tz_minuteswest, tz.tz_dsttime);
	return NULL;
}

/* gettimeofday's microseconds are CLOCK_REALTIME's, truncated. */
static const char *timeofday_realtime(void)
{
	struct timespec a, c;
	struct timeval b;

	clock_gettime(CLOCK_REALTIME, &a);
	gettimeofday(&b, NULL);
	clock_gettime(CLOCK_REALTIME, &c);
	if (b.tv_sec * 1000000LL + b.tv_usec < ns(&a) / 1000 ||
	    b.tv_sec * 1000000LL + b.tv_usec > ns(&c) / 1000)
		return "gettimeofday is not between two CLOCK_REALTIME readings";
	return NULL;
}

static const char *timeofday_syscall(void)
{
	struct timeval tv;
	struct timezone tz = { 77, 88 };

	if (syscall(SYS_gettimeofday, &tv, &tz) || tz.tz_minuteswest || tz.tz_dsttime)
		return failf("timezone %d %d, expected 0 0", tz.tz_minuteswest, tz.tz_dsttime);
	if (syscall(SYS_gettimeofday, NULL, NULL))
		return "NULL, NULL failed";
	if (syscall(SYS_gettimeofday, BAD_PTR, NULL) != -1 || errno != EFAULT)
		return "a bad tv is not EFAULT";
	if (syscall(SYS_gettimeofday, &tv, BAD_PTR) != -1 || errno != EFAULT)
		return "a bad tz is not EFAULT";
	return NULL;
}

/*
 * clock_getres through glibc and by the system call agree for every id;
 * the clocks Linux knows without an RTC succeed, with 1 ns (coarse ones
 * up to a tick of 10 ms), the others are EINVAL.
 */
static const char *getres(void)
{
	struct timespec g, s;
	int id, rg, rs, eg, es;

	for (id = -1; id < MAX_CLOCKS; id++) {
		bool known = served(id) || id == CLOCK_PROCESS_CPUTIME_ID ||
			     id == CLOCK_THREAD_CPUTIME_ID;
		bool coarse = id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE;

		errno = 0;
		rg = clock_getres(id, &g);
		eg = errno;
		rs = (int)syscall(SYS_clock_getres, id, &s);
		es = errno;
		if (rg != rs || eg != es)
			return failf("clock %d: glibc %d errno %d, syscall %d errno %d", id, rg, eg, rs, es);
		if (!known && (rs != -1 || es != EINVAL))
			return failf("clock %d: %d errno %d, expected EINVAL", id, rs, es);
		if (known && (rs || g.tv_sec || s.tv_sec || g.tv_nsec != s.tv_nsec || g.tv_nsec < 1 ||
			      g.tv_nsec > (coarse ? 10000000 : 1)))
			return failf("clock %d: %d, res %lld", id, rs, ns(&g));
	}
	return NULL;
}

static const char *getres_syscall(void)
{
	if (syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL))
		return "a NULL res failed";
	if (syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD_PTR) != -1 || errno != EFAULT)
		return "a bad res is not EFAULT";
	if (syscall(SYS_clock_getres, 99, BAD_PTR) != -1 || errno != EINVAL)
		return "a bad clock with a bad res is not EINVAL";
	return NULL;
}

/* The hart may change between calls: each answer only has to be a cpu. */
static const char *cpu_number(void)
{
	getcpu_fn direct = (getcpu_fn)vdso_sym("__vdso_getcpu");
	unsigned int cpu = 99, node = 99, gcpu = 99, gnode = 99, dcpu = 99, dnode = 99;
	int s = sched_getcpu();

	if (!direct)
		return "no __vdso_getcpu";
	if (syscall(SYS_getcpu, &cpu, &node, NULL) || getcpu(&gcpu, &gnode) ||
	    direct(&dcpu, &dnode, NULL))
		return "getcpu failed";
	if (s < 0 || s >= 32 || cpu >= 32 || node || gcpu >= 32 || gnode || dcpu >= 32 || dnode)
		return failf("sched_getcpu %d, getcpu %u %u, glibc's %u %u, the vDSO's %u %u",
			     s, cpu, node, gcpu, gnode, dcpu, dnode);
	if (syscall(SYS_getcpu, NULL, NULL, NULL))
		return "NULL, NULL failed";
	if (syscall(SYS_getcpu, BAD_PTR, &node, NULL) != -1 || errno != EFAULT)
		return "a bad cpu pointer is not EFAULT";
	return NULL;
}

/* The data page below the image is read-only for good (Linux: EACCES). */
static const char *data_page_readonly(void)
{
	char *page = (char *)ehdr - 4096;

	if (mprotect(page, 4096, PROT_READ | PROT_WRITE) != -1 || errno != EACCES)
		return failf("mprotect RW of the data page: errno %d, expected EACCES", errno);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} cases[] = {
	{ "AT_SYSINFO_EHDR points at an ELF shared object", auxv_ehdr },
	{ "dl_iterate_phdr lists linux-vdso.so.1 there", iterate_phdr },
	{ "every entry point found at version LINUX_4.15", symbols },
	{ "__vdso_rt_sigreturn is li a7, 139; ecall", sigreturn_code },
	{ "glibc's clock_gettime is the vDSO's", glibc_uses_vdso },
	{ "glibc clock_gettime between two syscalls, every served clock", glibc_clocks },
	{ "__vdso_clock_gettime between two syscalls, every served clock", direct_clocks },
	{ "__vdso_clock_gettime: other clocks through the syscall", direct_fallback },
	{ "CLOCK_MONOTONIC never goes back in 10000 readings", monotonic },
	{ "gettimeofday between two syscalls, timezone zeroed", timeofday },
	{ "gettimeofday agrees with CLOCK_REALTIME", timeofday_realtime },
	{ "gettimeofday syscall: timezone, NULLs, EFAULT", timeofday_syscall },
	{ "clock_getres: glibc and syscall agree, every id", getres },
	{ "clock_getres syscall: NULL, EFAULT, EINVAL first", getres_syscall },
	{ "sched_getcpu, getcpu, the syscall and __vdso_getcpu", cpu_number },
	{ "the data page cannot be made writable", data_page_readonly },
};

int main(void)
{
	unsigned int i, passed = 0, failed = 0;
	const char *r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = ehdr || i == 0 ? cases[i].fn() : "no vDSO";
		if (r) {
			printf("not ok %u %s: %s\n", i + 1, cases[i].name, r);
			failed++;
		} else {
			printf("ok %u %s\n", i + 1, cases[i].name);
			passed++;
		}
	}
	printf("vdso-glibc: %u passed, %u failed\n", passed, failed);
	return failed != 0;
}
