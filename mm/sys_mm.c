/*
 * The mmap family's system calls: argument decoding, file descriptors,
 * and user buffers (mincore's vector) around the as_* calls.
 */
#include <pagoda/as.h>
#include <pagoda/initramfs.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <pagoda/uaccess.h>

static struct addr_space *cur_as(void)
{
	return current_proc()->as;
}

/* The console has no pages: mmap says ENODEV after its other checks. */
static const struct map_file console_no_mmap;

SYSCALL(mmap)
{
	vaddr_t addr = a0;
	u64 len = a1, off = a5;
	u32 prot = a2, flags = a3;
	int fd = (int)a4;
	const struct map_file *mf = NULL;
	struct file *f;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		f = proc_file_io(current_proc(), fd);  /* O_PATH: -EBADF, like fget() */
		if (!f)
			return -EBADF;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EACCES;
		mf = f->rf ? &f->rf->mf : &console_no_mmap;
	}
	return as_mmap(cur_as(), addr, len, prot, flags, mf, false, off);
}

SYSCALL(munmap)
{
	return as_munmap(cur_as(), a0, a1);
}

SYSCALL(mprotect)
{
	return as_mprotect(cur_as(), a0, a1, a2);
}

SYSCALL(mremap)
{
	return as_mremap(cur_as(), a0, a1, a2, a3, a4);
}

SYSCALL(brk)
{
	return as_brk(cur_as(), a0);
}

SYSCALL(madvise)
{
	return as_madvise(cur_as(), a0, a1, (int)a2);
}

SYSCALL(msync)
{
	return as_msync(cur_as(), a0, a1, (int)a2);
}

/* The vector goes out 256 pages at a time through a kernel buffer. */
SYSCALL(mincore)
{
	vaddr_t start = a0;
	u64 len = a1, pages;
	u8 *uvec = (u8 *)a2, buf[256];
	long err;

	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + !!(len & (PAGE_SIZE - 1));
	if (!user_range_ok((vaddr_t)uvec, pages))
		return -EFAULT;
	while (pages) {
		u64 n = MIN(pages, (u64)sizeof(buf));

		err = as_mincore(cur_as(), start, n << PAGE_SHIFT, buf);
		if (err)
			return err;
		if (copy_to_user(uvec, buf, n))
			return -EFAULT;
		start += n << PAGE_SHIFT;
		uvec += n;
		pages -= n;
	}
	return 0;
}
