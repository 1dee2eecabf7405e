/*
 * elf: validation of static ELF64 RISC-V executables (ET_EXEC, and ET_DYN
 * without PT_INTERP: static-PIE). Pure: it reads only the bytes it is
 * given, so host tests feed it arbitrary files. The loader (kernel/proc/exec.c)
 * maps what elf_parse() describes.
 */
#ifndef PAGODA_ELF_H
#define PAGODA_ELF_H
#include <pagoda/types.h>

#define ET_EXEC 2
#define ET_DYN  3
#define EM_RISCV 243
#define ELF_MAX_SEGS 16                 /* PT_LOADs */
#define ELF_MAX_PHNUM 64                /* program headers */
#define ELF_PAGE_SIZE 4096ull           /* the congruence and span unit */
#define ELF_MAX_ALIGN (1ull << 30)      /* info.align is capped here */

/* elf_seg.prot */
#define ELF_PROT_R 1
#define ELF_PROT_W 2
#define ELF_PROT_X 4

struct elf_seg {
	u64 vaddr, memsz;               /* before any load bias */
	u64 offset, filesz;             /* file bytes; the rest of memsz is zero */
	u32 prot;                       /* ELF_PROT_* */
};

struct elf_info {
	u16 type;                       /* ET_EXEC or ET_DYN */
	u64 entry;                      /* before any load bias */
	u64 phdr_vaddr;                 /* where the program headers are mapped */
	u16 phnum, phentsize;
	u32 flags;                      /* e_flags: EF_RISCV_* (float ABI, RVC, RVE) */
	u64 lo, hi;                     /* page-aligned span of the PT_LOADs */
	u64 align;                      /* largest p_align of a PT_LOAD, >= 4 KiB */
	unsigned int nsegs;
	struct elf_seg segs[ELF_MAX_SEGS];      /* PT_LOADs in ascending vaddr */
	int bad_phdr;                   /* on refusal: the program header at fault, or -1 */
};

/*
 * Check the image [@img, @img + @size) and describe its loadable segments.
 * @img may have any alignment. 0, or -ENOEXEC with a one-line *@reason
 * (a constant string, so it outlives *@info) and, when one program header
 * is at fault, its index in info->bad_phdr: not ELF64 little-endian
 * RISC-V, wrong type or version, e_phentsize not 56, no program headers or
 * more than ELF_MAX_PHNUM, headers outside the file, no or more than
 * ELF_MAX_SEGS PT_LOADs, a segment whose file part lies outside the file,
 * filesz > memsz, a p_align that is not 0, 1 or a power of two, vaddr and
 * offset disagreeing modulo the page size, a segment wrapping around the
 * address space, overlapping or unordered segments (PT_LOADs must be in
 * ascending vaddr and no two may share a page: each page gets one
 * protection), a span (hi - lo) beyond @user_top (for ET_EXEC: an end hi
 * beyond @user_top), an entry point outside every executable segment, a
 * PT_INTERP (dynamic executables are not supported), more than one
 * PT_PHDR, or program headers that will not be in memory (below).
 *
 * PT_LOADs with p_memsz 0 are skipped; other segment types than PT_LOAD,
 * PT_INTERP and PT_PHDR (PT_GNU_STACK, PT_TLS, PT_NOTE, PT_DYNAMIC, ...)
 * are ignored. prot comes from p_flags (PF_R 4, PF_W 2, PF_X 1: the bit
 * order differs from ELF_PROT_*); W+X segments are passed through.
 * align is max(4 KiB, the largest p_align of a PT_LOAD), capped at
 * ELF_MAX_ALIGN.
 *
 * phdr_vaddr (AT_PHDR): a PT_PHDR's p_vaddr when there is one, and then
 * the whole table must lie inside one PT_LOAD's memory range; otherwise
 * the table [e_phoff, e_phoff + phnum * 56) must lie inside one PT_LOAD's
 * file range, and phdr_vaddr = p_vaddr + (e_phoff - p_offset). When
 * neither holds the file is refused.
 */
int elf_parse(const u8 *img, u64 size, u64 user_top, struct elf_info *info,
	      const char **reason);
#endif
