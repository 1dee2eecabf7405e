/*
 * The vDSO's clocks: clock_gettime, gettimeofday and clock_getres,
 * answered in user mode from the time CSR and the data page the kernel
 * filled at boot (struct vdso_data, include/pagoda/vdso.h), with the
 * arithmetic the system calls use, so both answer alike. A clock the page
 * does not serve goes to the system call, which also gives its errors.
 *
 * The image has no data of its own and no relocations: the data page is
 * reached PC-relative (_vdso_data, placed by vdso.lds.S a page below the
 * image). A bad pointer faults here in user mode (SIGSEGV), as with
 * Linux's vDSO, where the system call would return EFAULT.
 */
#include <pagoda/vdso.h>
#include <pagoda/syscall.h>
#include <asm/csr.h>

extern const struct vdso_data _vdso_data __attribute__((visibility("hidden")));

int __vdso_clock_gettime(s32 id, struct kernel_timespec *ts);
int __vdso_gettimeofday(struct kernel_timeval *tv, struct kernel_timezone *tz);
int __vdso_clock_getres(s32 id, struct kernel_timespec *res);

static long syscall2(long nr, long a0, long a1)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r7 __asm__("a7") = nr;

	__asm__ __volatile__("ecall" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return r0;
}

int __vdso_clock_gettime(s32 id, struct kernel_timespec *ts)
{
	const struct vdso_data *d = &_vdso_data;

	if (!vdso_clock_served(d, id))
		return syscall2(NR_clock_gettime, id, (long)ts);
	*ts = vdso_clock_read(d, id, read_time());
	return 0;
}

/* Linux's: the time, then the zone, each only when asked for. */
int __vdso_gettimeofday(struct kernel_timeval *tv, struct kernel_timezone *tz)
{
	const struct vdso_data *d = &_vdso_data;

	if (tv)
		*tv = vdso_timeofday(d, read_time());
	if (tz)
		*tz = d->tz;
	return 0;
}

int __vdso_clock_getres(s32 id, struct kernel_timespec *res)
{
	const struct vdso_data *d = &_vdso_data;

	if (!vdso_clock_served(d, id))
		return syscall2(NR_clock_getres, id, (long)res);
	if (res)
		*res = (struct kernel_timespec){ 0, d->res_ns[id] };
	return 0;
}
