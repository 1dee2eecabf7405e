/*
 * vdso: the virtual dynamic shared object every process gets at exec
 * (docs/vdso.md). Two parts, both kernel memory lent read-only to every
 * address space through the special backend (mm/special.c):
 *
 *   base - 4 KiB          the data page (Linux's vvar): struct vdso_data
 *   base                  the image (arch/riscv/vdso): a shared object
 *                         linked at 0, soname linux-vdso.so.1, whose entry
 *                         points glibc finds by their version LINUX_4.15
 *                         (AT_SYSINFO_EHDR points at it)
 *
 * base lies just below the stack's guard gap, far above mmap_base, where
 * mmap without a hint never looks and the topmost mapping does not need
 * to grow (Linux puts it just below mmap_base).
 *
 * Its entry points are Linux riscv's: __vdso_rt_sigreturn (a signal
 * handler returns through it: riscv has no SA_RESTORER),
 * __vdso_clock_gettime, __vdso_gettimeofday and __vdso_clock_getres
 * (answered in user mode from the time CSR and the data page, or by the
 * system call for a clock the page does not serve) and __vdso_getcpu
 * (the system call, as on Linux riscv).
 *
 * The image is built from this header too: it shares the data page's
 * layout and the arithmetic below with the kernel; the kernel's calls
 * come last.
 */
#ifndef PAGODA_VDSO_H
#define PAGODA_VDSO_H

#define VDSO_DATA_SIZE  4096    /* the data page, just below the image */

#ifndef __ASSEMBLY__
#include <pagoda/time.h>

/*
 * The data page. vdso_init() writes it at boot, before any process
 * runs; every field is (c) after. Clock id at time CSR count t reads
 * u = t + offset[id] ticks: u / hz seconds and (u % hz) * 10^9 / hz
 * nanoseconds, the division the clock_gettime system call makes, so
 * both give the same answer for the same tick. The layout saves
 * instructions per call (docs/vdso.md): offset[] at 0 is indexed without
 * an add, and 10^9 is loaded rather than built.
 */
struct vdso_data {
	s64 offset[MAX_CLOCKS];                 /* (c) ticks added for clock id; < 0: the
						 * image does not read it (system call) */
	u64 hz;                                 /* (c) the time CSR's rate */
	u64 nsec_per_sec;                       /* (c) 10^9 */
	u32 res_ns[MAX_CLOCKS];                 /* (c) clock_getres; 0: no such clock */
	struct kernel_timezone tz;              /* (c) gettimeofday's time zone */
};
_Static_assert(sizeof(struct vdso_data) <= VDSO_DATA_SIZE, "vdso_data fits its page");

static inline bool vdso_clock_served(const struct vdso_data *d, s32 id)
{
	return (u32)id < MAX_CLOCKS && d->offset[id] >= 0;
}

/* Clock @id (served) at time CSR count @t. */
static inline struct kernel_timespec vdso_clock_read(const struct vdso_data *d, s32 id, u64 t)
{
	u64 u = t + (u64)d->offset[id];

	return (struct kernel_timespec){
		.tv_sec = (s64)(u / d->hz),
		.tv_nsec = (s64)((u % d->hz) * d->nsec_per_sec / d->hz),
	};
}

/* gettimeofday's answer at count @t: CLOCK_REALTIME in microseconds. */
static inline struct kernel_timeval vdso_timeofday(const struct vdso_data *d, u64 t)
{
	struct kernel_timespec ts = vdso_clock_read(d, CLOCK_REALTIME, t);

	return (struct kernel_timeval){ ts.tv_sec, ts.tv_nsec / (s64)NSEC_PER_USEC };
}

/* The kernel's calls (the image only shares what is above). */
struct addr_space;

/* Fill the data page from the timer's rate: once, at boot, before the
 * first exec. Panics if the embedded image is not a page-aligned ELF. */
void vdso_init(void);

/* The data page, for the system calls that answer from it. */
const struct vdso_data *vdso_clock_data(void);

/*
 * Map the data page and the image into @as at its mmap_base and set
 * as->vdso_base, for exec (no thread runs @as yet). 0, -ENOMEM, or
 * -EEXIST when something is mapped there already.
 */
int vdso_map(struct addr_space *as);

/* The user address of __vdso_rt_sigreturn in @as, where a signal
 * handler returns to (its ra); 0 when @as has no vDSO. */
vaddr_t vdso_sym_sigreturn(const struct addr_space *as);
#endif /* __ASSEMBLY__ */
#endif
