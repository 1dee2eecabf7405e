/*
 * time: the system calls behind the vDSO's entry points that the rest of
 * the kernel does not serve: gettimeofday and clock_getres, which answer
 * from the vDSO's data page with the same arithmetic as the image, and
 * getcpu. (clock_gettime is kernel/sys.c's.) Linux riscv64 ABI, errors in
 * Linux's order.
 *
 * Locking: none. The data page is constant after boot; getcpu reads the
 * hart's own constant index.
 */
#include <pagoda/syscall.h>
#include <pagoda/vdso.h>
#include <pagoda/hart.h>
#include <pagoda/uaccess.h>
#include <pagoda/errno.h>
#include <asm/cpu.h>

/* gettimeofday(tv, tz): each written only when not NULL, tz as Linux's
 * sys_tz (zeroed: nothing sets it). */
SYSCALL(gettimeofday)
{
	const struct vdso_data *d = vdso_clock_data();
	struct kernel_timeval tv;

	if (a0) {
		tv = vdso_timeofday(d, arch_read_time());
		if (copy_to_user((void *)a0, &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a1 && copy_to_user((void *)a1, &d->tz, sizeof(d->tz)))
		return -EFAULT;
	return 0;
}

/* clock_getres(clockid, res): the clocks clock_gettime accepts; res may
 * be NULL. */
SYSCALL(clock_getres)
{
	const struct vdso_data *d = vdso_clock_data();
	s32 id = (s32)a0;
	struct kernel_timespec res;

	if ((u32)id >= MAX_CLOCKS || !d->res_ns[id])
		return -EINVAL;
	res = (struct kernel_timespec){ 0, d->res_ns[id] };
	if (a1 && copy_to_user((void *)a1, &res, sizeof(res)))
		return -EFAULT;
	return 0;
}

/*
 * getcpu(cpu, node, unused): the hart the caller runs on (its dense
 * index, Linux's cpu number) and node 0, each where asked for. Both are
 * tried before -EFAULT is returned, as in Linux. The hart may change as
 * soon as the call returns: the answer is a hint.
 */
SYSCALL(getcpu)
{
	u32 cpu = this_hart()->cpu, node = 0;
	int err = 0;

	if (a0)
		err |= copy_to_user((void *)a0, &cpu, sizeof(cpu));
	if (a1)
		err |= copy_to_user((void *)a1, &node, sizeof(node));
	return err ? -EFAULT : 0;
}
