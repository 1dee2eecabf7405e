/*
 * Pagoda libc: the mmap family, passed to the kernel unchanged.
 */
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "internal.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)__syscall_ret(__syscall6(SYS_mmap, (long)addr, (long)len,
						prot, flags, fd, off));
}

int munmap(void *addr, size_t len)
{
	return __syscall_ret(__syscall2(SYS_munmap, (long)addr, (long)len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return __syscall_ret(__syscall3(SYS_mprotect, (long)addr, (long)len, prot));
}

void *mremap(void *old_addr, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	va_list ap;

	/* The kernel reads the fifth argument for both: a target with
	 * MREMAP_FIXED, a hint with MREMAP_DONTUNMAP. */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(__syscall5(SYS_mremap, (long)old_addr,
						(long)old_len, (long)new_len,
						flags, (long)new_addr));
}

int madvise(void *addr, size_t len, int advice)
{
	return __syscall_ret(__syscall3(SYS_madvise, (long)addr, (long)len, advice));
}

int mincore(void *addr, size_t len, unsigned char *vec)
{
	return __syscall_ret(__syscall3(SYS_mincore, (long)addr, (long)len, (long)vec));
}

int msync(void *addr, size_t len, int flags)
{
	return __syscall_ret(__syscall3(SYS_msync, (long)addr, (long)len, flags));
}

int mlock(const void *addr, size_t len)
{
	return __syscall_ret(__syscall2(SYS_mlock, (long)addr, (long)len));
}

int munlock(const void *addr, size_t len)
{
	return __syscall_ret(__syscall2(SYS_munlock, (long)addr, (long)len));
}
