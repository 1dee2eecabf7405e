/*
 * filemap: the backend of file mappings. A page is a private frame that
 * gets the file's bytes on first touch (zero past the mapping's data end,
 * file.end, which the ELF loader sets to a segment's file size). The file
 * is read through struct map_file, never through its file system.
 *
 * MAP_SHARED mappings of a file work the same way: the files Pagoda maps
 * are read-only, so no write can ever need sharing (mprotect and mmap
 * refuse PROT_WRITE on them), and a private copy of a page reads the same
 * as a shared one.
 */
#include <pagoda/as.h>
#include <pagoda/errno.h>
#include <pagoda/map_file.h>
#include <pagoda/mm.h>
#include <string.h>
#include "as_internal.h"

static u64 file_off(const struct as_vma *v, vaddr_t va)
{
	return (v->pgoff << PAGE_SHIFT) + (va - v->node.start);
}

static int file_fault(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
		      int access)
{
	const struct map_file *f = v->file.file;
	u64 off = file_off(v, va), n;
	struct page *p;
	u8 *dst;

	if (off >= ALIGN_UP(f->ops->size(f), PAGE_SIZE))
		return -ENXIO;          /* wholly past the end of the file */
	p = buddy_alloc(0, GFP_KERNEL, OWNER_USER);
	if (!p)
		return -ENOMEM;
	dst = page_va(p);
	n = off < v->file.end ? MIN(PAGE_SIZE, v->file.end - off) : 0;
	if (n)
		f->ops->read(f, off, dst, n);
	memset(dst + n, 0, PAGE_SIZE - n);
	return as_fill_frame(as, v, va, s, p);
}

static bool file_can_merge(const struct as_vma *a, const struct as_vma *b)
{
	return a->file.file == b->file.file && a->file.end == b->file.end;
}

/* The file's pages are always in memory (an initramfs lives in RAM). */
static bool file_resident(const struct as_vma *v, vaddr_t va)
{
	const struct map_file *f = v->file.file;

	return file_off(v, va) < ALIGN_UP(f->ops->size(f), PAGE_SIZE);
}

/* MADV_FREE and MADV_WIPEONFORK are for anonymous memory only (Linux:
 * EINVAL). */
static int file_advise(const struct as_vma *v, int advice)
{
	return advice == MADV_FREE || advice == MADV_WIPEONFORK ? -EINVAL : 0;
}

/* A shared mapping cannot become writable: the file is read-only. */
static int file_protect(const struct as_vma *v, u32 prot)
{
	return v->shared && (prot & PROT_WRITE) ? -EACCES : 0;
}

static const void *file_object(const struct as_vma *v)
{
	return v->file.file;
}

const struct vma_ops file_vma_ops = {
	.name = "file",
	.object = file_object,
	.owns_frames = true,
	.fault = file_fault,
	.cow = cow_fault,
	.can_merge = file_can_merge,
	.resident = file_resident,
	.advise = file_advise,
	.protect = file_protect,
};

void file_setup(struct as_vma *v, const struct map_file *f, u64 off, u64 end)
{
	v->ops = &file_vma_ops;
	v->pgoff = off >> PAGE_SHIFT;
	v->file.file = f;
	v->file.end = MIN(end, f->ops->size(f));
}
