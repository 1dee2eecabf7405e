/*
 * uaccess: range checks in front of the arch copy routines (arch/riscv/
 * uaccess.S). A range that does not lie wholly below USER_TOP, a kernel
 * address included, is refused before any access.
 */
#include <pagoda/uaccess.h>
#include <pagoda/errno.h>
#include <pagoda/as.h>
#include <pagoda/hart.h>

u64 arch_copy_user(void *dst, const void *src, u64 n);
u64 arch_clear_user(void *dst, u64 n);
long arch_strncpy_user(char *dst, const char *src, u64 n);

/* PROT_NONE pages keep their frames in kernel-readable leaves (mm/as.c). */
static bool readable(const void *usrc, u64 size)
{
	return as_user_readable(this_hart()->as, (vaddr_t)usrc, size);
}

int copy_from_user(void *dst, const void *usrc, u64 size)
{
	if (!user_range_ok((vaddr_t)usrc, size) || !readable(usrc, size))
		return -EFAULT;
	return arch_copy_user(dst, usrc, size) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *src, u64 size)
{
	if (!user_range_ok((vaddr_t)udst, size))
		return -EFAULT;
	return arch_copy_user(udst, src, size) ? -EFAULT : 0;
}

int clear_user(void *udst, u64 size)
{
	if (!user_range_ok((vaddr_t)udst, size))
		return -EFAULT;
	return arch_clear_user(udst, size) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *usrc, u64 size)
{
	vaddr_t a = (vaddr_t)usrc;
	u64 n = size;
	long len;

	if (!size)
		return -ENAMETOOLONG;
	if (a >= USER_TOP)
		return -EFAULT;
	if (n > USER_TOP - a)
		n = USER_TOP - a;       /* the string must end in user space */
	len = arch_strncpy_user(dst, usrc, n);
	if (len < 0 || !readable(usrc, MIN((u64)len + 1, n)))
		return -EFAULT;
	if ((u64)len == n)
		return n == size ? -ENAMETOOLONG : -EFAULT;
	return len;
}
