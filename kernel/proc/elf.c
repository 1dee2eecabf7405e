/*
 * elf: validation of static ELF64 RISC-V executables (see elf.h for the
 * contract and the list of refusals).
 *
 * The image is untrusted: it comes from the initramfs and may be any bytes.
 * Every field is read with byte loads (the file may sit at any alignment),
 * and every sum of two file-controlled numbers is checked for wrap-around
 * before it is compared, so no input makes this code read outside
 * [img, img + size) or compute a wrong bound. Nothing here allocates or
 * logs; the same source is built for the kernel and for host tests.
 */
#include <string.h>

#include <pagoda/elf.h>
#include <pagoda/errno.h>

/* ELF64 layout (System V gABI): the few constants this file reads. */
#define EHDR_SIZE       64
#define PHDR_SIZE       56
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1

#define PT_LOAD         1
#define PT_INTERP       3
#define PT_PHDR         6

#define PF_X            1
#define PF_W            2
#define PF_R            4

#define PAGE_MASK_      (ELF_PAGE_SIZE - 1)

_Static_assert(ELF_MAX_PHNUM * PHDR_SIZE < 65536, "phdr table size fits in 16 bits");

/* A program header, decoded. */
struct phdr {
	u32 type, flags;
	u64 offset, vaddr, filesz, memsz, align;
};

/* The @n-byte little-endian number at @p. */
static u64 rd(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Whether [off, off + len) lies inside [0, size), without wrapping. */
static bool in_file(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static int elf_fail(const char **reason, const char *why)
{
	*reason = why;
	return -ENOEXEC;
}

/* A refusal caused by program header @i: its index kept in info->bad_phdr. */
static int elf_fail_seg(struct elf_info *info, const char **reason, unsigned int i,
			const char *why)
{
	info->bad_phdr = (int)i;
	return elf_fail(reason, why);
}

/* The ELF header: identity, machine, type, and where the phdrs are. */
static int elf_check_ehdr(const u8 *img, u64 size, struct elf_info *info, u64 *phoff,
			  const char **reason)
{
	u16 type;

	if (size < EHDR_SIZE)
		return elf_fail(reason, "ELF: file shorter than an ELF header");
	if (memcmp(img, "\177ELF", 4))
		return elf_fail(reason, "ELF: not an ELF file (bad magic)");
	if (img[EI_CLASS] != ELFCLASS64)
		return elf_fail(reason, "ELF: not a 64-bit ELF file");
	if (img[EI_DATA] != ELFDATA2LSB)
		return elf_fail(reason, "ELF: not little-endian");
	if (img[EI_VERSION] != EV_CURRENT || rd(img + 20, 4) != EV_CURRENT)
		return elf_fail(reason, "ELF: unsupported ELF version");
	if (rd(img + 18, 2) != EM_RISCV)
		return elf_fail(reason, "ELF: not a RISC-V executable");
	type = (u16)rd(img + 16, 2);
	if (type != ET_EXEC && type != ET_DYN)
		return elf_fail(reason, "ELF: not an executable (type is not EXEC or DYN)");
	info->type = type;
	info->entry = rd(img + 24, 8);
	info->flags = (u32)rd(img + 48, 4);
	info->phentsize = (u16)rd(img + 54, 2);
	info->phnum = (u16)rd(img + 56, 2);
	*phoff = rd(img + 32, 8);
	if (info->phentsize != PHDR_SIZE)
		return elf_fail(reason, "ELF: program header size is not 56");
	if (info->phnum == 0)
		return elf_fail(reason, "ELF: no program headers");
	if (info->phnum > ELF_MAX_PHNUM)
		return elf_fail(reason, "ELF: more than 64 program headers");
	if (!in_file(*phoff, (u64)info->phnum * PHDR_SIZE, size))
		return elf_fail(reason, "ELF: program headers lie outside the file");
	return 0;
}

static void elf_read_phdr(const u8 *p, struct phdr *ph)
{
	ph->type = (u32)rd(p, 4);
	ph->flags = (u32)rd(p + 4, 4);
	ph->offset = rd(p + 8, 8);
	ph->vaddr = rd(p + 16, 8);
	ph->filesz = rd(p + 32, 8);
	ph->memsz = rd(p + 40, 8);
	ph->align = rd(p + 48, 8);
}

static u32 elf_prot(u32 pflags)
{
	return (pflags & PF_R ? ELF_PROT_R : 0) | (pflags & PF_W ? ELF_PROT_W : 0) |
	       (pflags & PF_X ? ELF_PROT_X : 0);
}

/*
 * Check PT_LOAD number @i and append it to info->segs. Its end (vaddr +
 * memsz) is kept at most 2^64 - 4 KiB so that rounding it up to a page
 * cannot wrap; it must start on a page above the previous segment's last.
 */
static int elf_add_load(struct elf_info *info, unsigned int i, const struct phdr *ph,
			u64 size, const char **reason)
{
	struct elf_seg *s;
	u64 end = ph->vaddr + ph->memsz;

	if (ph->filesz > ph->memsz)
		return elf_fail_seg(info, reason, i,
				    "ELF: a segment has a file size above its memory size");
	if (!in_file(ph->offset, ph->filesz, size))
		return elf_fail_seg(info, reason, i, "ELF: a segment lies outside the file");
	if (ph->align > 1 && (ph->align & (ph->align - 1)))
		return elf_fail_seg(info, reason, i,
				    "ELF: a segment's p_align is not a power of two");
	if (ph->memsz == 0)
		return 0;
	if ((ph->vaddr ^ ph->offset) & PAGE_MASK_)
		return elf_fail_seg(info, reason, i,
				    "ELF: a segment's vaddr and offset differ modulo 4 KiB");
	if (end < ph->vaddr || end > ~PAGE_MASK_)
		return elf_fail_seg(info, reason, i,
				    "ELF: a segment wraps around the address space");
	if (info->nsegs == ELF_MAX_SEGS)
		return elf_fail_seg(info, reason, i, "ELF: more than 16 PT_LOAD segments");
	if (info->nsegs) {
		s = &info->segs[info->nsegs - 1];
		if ((ph->vaddr & ~PAGE_MASK_) < ALIGN_UP(s->vaddr + s->memsz, ELF_PAGE_SIZE))
			return elf_fail_seg(info, reason, i, "ELF: a segment is below or "
					    "shares a page with the one before");
	}
	s = &info->segs[info->nsegs++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = elf_prot(ph->flags);
	if (ph->align > info->align)
		info->align = ph->align < ELF_MAX_ALIGN ? ph->align : ELF_MAX_ALIGN;
	return 0;
}

/* Walk the program headers: PT_LOADs into info->segs, PT_PHDR noted. */
static int elf_read_segments(const u8 *img, u64 size, u64 phoff, struct elf_info *info,
			     bool *have_phdr, u64 *phdr_at, const char **reason)
{
	struct phdr ph;
	int err;

	for (unsigned int i = 0; i < info->phnum; i++) {
		elf_read_phdr(img + phoff + (u64)i * PHDR_SIZE, &ph);
		if (ph.type == PT_INTERP)
			return elf_fail_seg(info, reason, i, "ELF: dynamically linked (PT_INTERP)");
		if (ph.type == PT_PHDR) {
			if (*have_phdr)
				return elf_fail_seg(info, reason, i, "ELF: more than one PT_PHDR");
			*have_phdr = true;
			*phdr_at = ph.vaddr;
		}
		if (ph.type != PT_LOAD)
			continue;
		err = elf_add_load(info, i, &ph, size, reason);
		if (err)
			return err;
	}
	if (info->nsegs == 0)
		return elf_fail(reason, "ELF: no PT_LOAD segment");
	return 0;
}

/* See elf.h: where AT_PHDR points, or a refusal. */
static int elf_find_phdr(struct elf_info *info, u64 phoff, bool have_phdr, u64 phdr_at,
			 const char **reason)
{
	u64 len = (u64)info->phnum * PHDR_SIZE;

	for (unsigned int i = 0; i < info->nsegs; i++) {
		const struct elf_seg *s = &info->segs[i];

		if (have_phdr && phdr_at >= s->vaddr && len <= s->memsz &&
		    phdr_at - s->vaddr <= s->memsz - len) {
			info->phdr_vaddr = phdr_at;
			return 0;
		}
		if (!have_phdr && phoff >= s->offset && len <= s->filesz &&
		    phoff - s->offset <= s->filesz - len) {
			info->phdr_vaddr = s->vaddr + (phoff - s->offset);
			return 0;
		}
	}
	if (have_phdr)
		return elf_fail(reason, "ELF: PT_PHDR lies outside every PT_LOAD");
	return elf_fail(reason, "ELF: program headers are not in a loaded segment");
}

/* The span against @user_top, and the entry point against the X segments. */
static int elf_check_layout(struct elf_info *info, u64 user_top, const char **reason)
{
	const struct elf_seg *last = &info->segs[info->nsegs - 1];

	info->lo = info->segs[0].vaddr & ~PAGE_MASK_;
	info->hi = ALIGN_UP(last->vaddr + last->memsz, ELF_PAGE_SIZE);
	if (info->type == ET_EXEC && info->hi > user_top)
		return elf_fail(reason, "ELF: segments end above the user address space");
	if (info->hi - info->lo > user_top)
		return elf_fail(reason, "ELF: segments span more than the user address space");
	for (unsigned int i = 0; i < info->nsegs; i++) {
		const struct elf_seg *s = &info->segs[i];

		if ((s->prot & ELF_PROT_X) && info->entry >= s->vaddr &&
		    info->entry - s->vaddr < s->memsz)
			return 0;
	}
	return elf_fail(reason, "ELF: entry point outside every executable segment");
}

/* See elf.h. */
int elf_parse(const u8 *img, u64 size, u64 user_top, struct elf_info *info,
	      const char **reason)
{
	bool have_phdr = false;
	u64 phoff, phdr_at = 0;
	int err;

	memset(info, 0, sizeof(*info));
	info->align = ELF_PAGE_SIZE;
	info->bad_phdr = -1;
	err = elf_check_ehdr(img, size, info, &phoff, reason);
	if (!err)
		err = elf_read_segments(img, size, phoff, info, &have_phdr, &phdr_at, reason);
	if (!err)
		err = elf_find_phdr(info, phoff, have_phdr, phdr_at, reason);
	if (!err)
		err = elf_check_layout(info, user_top, reason);
	return err;
}
