/*
 * test_elf: host tests of kernel/proc/elf.c (elf_parse) under ASan + UBSan.
 *
 *   usage: test_elf
 *
 * Real executables come from tests/unit/data/hello.c, built by
 * tests/unit/unit.mk into $UNIT_DATA_DIR (default UNIT_DATA, build/host/data)
 * /elf/NAME, each with NAME.readelf, binutils' `readelf -hlW` listing: the
 * expected entry, segments and program-header address are read from it,
 * not computed by the code under test. Every refusal reason is then
 * triggered by editing one of them or by a synthetic image, and random
 * mutations (header bytes, header fields, truncations) check that any
 * input either parses into a consistent description or is refused.
 * $ELF_FUZZ_ITERS (default 24000) and $ELF_FUZZ_SEED tune the mutations.
 *
 * Every image is passed in a malloc'd buffer of exactly its size, so ASan
 * reports any read past its end. Output: one line per case, in the format
 * of tests/unit/harness.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <pagoda/elf.h>
#include <pagoda/errno.h>

#ifndef UNIT_DATA
#define UNIT_DATA "build/host/data"
#endif

#define USER_TOP  0x4000000000ull       /* 256 GiB, the kernel's user space */
#define PAGE      4096ull
#define PHDR      56

typedef unsigned long long ull;

static const char *data_dir;

/* ---- images --------------------------------------------------------------------- */

struct image {
	unsigned char *b;
	size_t size;
};

/* A whole file in a malloc'd buffer of exactly its size; false if unreadable. */
static bool load_file(const char *name, struct image *im)
{
	char path[1024];
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/elf/%s", data_dir, name);
	im->b = NULL;
	f = fopen(path, "rb");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	im->size = len > 0 ? (size_t)len : 0;
	im->b = malloc(im->size ? im->size : 1);
	if (im->b && fread(im->b, 1, im->size, f) != im->size) {
		free(im->b);
		im->b = NULL;
	}
	fclose(f);
	return im->b != NULL;
}

/* The first @len bytes of @im in a buffer of exactly @len bytes. */
static struct image image_prefix(const struct image *im, size_t len)
{
	struct image t = { malloc(len ? len : 1), len };

	memcpy(t.b, im->b, len);
	return t;
}

static struct image image_copy(const struct image *im)
{
	return image_prefix(im, im->size);
}

static ull rd(const unsigned char *p, int n)
{
	ull v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void wr(unsigned char *p, int n, ull v)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* ELF header fields: offset and width. */
#define E_TYPE      16, 2
#define E_MACHINE   18, 2
#define E_VERSION   20, 4
#define E_ENTRY     24, 8
#define E_PHOFF     32, 8
#define E_FLAGS     48, 4
#define E_PHENTSIZE 54, 2
#define E_PHNUM     56, 2
/* Program header fields. */
#define P_TYPE      0, 4
#define P_FLAGS     4, 4
#define P_OFFSET    8, 8
#define P_VADDR     16, 8
#define P_FILESZ    32, 8
#define P_MEMSZ     40, 8
#define P_ALIGN     48, 8

#define EGET(im, f)        eget((im), f)
#define ESET(im, f, v)     eset((im), f, (v))
#define PGET(im, i, f)     pget((im), (i), f)
#define PSET(im, i, f, v)  pset((im), (i), f, (v))

static ull eget(const struct image *im, int off, int n) { return rd(im->b + off, n); }
static void eset(struct image *im, int off, int n, ull v) { wr(im->b + off, n, v); }

static unsigned char *phdr_at(const struct image *im, int i)
{
	return im->b + eget(im, E_PHOFF) + (ull)i * PHDR;
}

static ull pget(const struct image *im, int i, int off, int n)
{
	return rd(phdr_at(im, i) + off, n);
}
static void pset(struct image *im, int i, int off, int n, ull v) { wr(phdr_at(im, i) + off, n, v); }

/* Index of the @k-th program header of type @type, or -1. */
static int find_phdr(const struct image *im, unsigned int type, int k)
{
	int n = (int)eget(im, E_PHNUM);

	for (int i = 0; i < n; i++)
		if (pget(im, i, P_TYPE) == type && k-- == 0)
			return i;
	return -1;
}

/*
 * A synthetic image: the ELF header, @nph program headers at 64, then zeros
 * up to @size. Fields not given are those of a valid static ET_EXEC.
 */
struct synth_ph {
	unsigned int type, flags;
	ull offset, vaddr, filesz, memsz, align;
};

static struct image synth(unsigned int etype, ull entry, const struct synth_ph *ph, int nph,
			  size_t size)
{
	struct image im = { calloc(1, size), size };

	memcpy(im.b, "\177ELF\2\1\1", 7);
	ESET(&im, E_TYPE, etype);
	ESET(&im, E_MACHINE, EM_RISCV);
	ESET(&im, E_VERSION, 1);
	ESET(&im, E_ENTRY, entry);
	ESET(&im, E_PHOFF, 64);
	wr(im.b + 52, 2, 64);
	ESET(&im, E_PHENTSIZE, PHDR);
	ESET(&im, E_PHNUM, nph);
	for (int i = 0; i < nph; i++) {
		PSET(&im, i, P_TYPE, ph[i].type);
		PSET(&im, i, P_FLAGS, ph[i].flags);
		PSET(&im, i, P_OFFSET, ph[i].offset);
		PSET(&im, i, P_VADDR, ph[i].vaddr);
		PSET(&im, i, P_FILESZ, ph[i].filesz);
		PSET(&im, i, P_MEMSZ, ph[i].memsz);
		PSET(&im, i, P_ALIGN, ph[i].align);
	}
	return im;
}

/* ---- the oracle: readelf -hlW ------------------------------------------------- */

struct exp_seg {
	ull offset, vaddr, filesz, memsz, align;
	unsigned int prot;
};

struct oracle {
	unsigned int type;
	ull entry, phoff, flags;
	unsigned int phnum, nloads;
	struct exp_seg loads[32];
	bool has_phdr, has_interp;
	ull phdr_vaddr;
};

/* Parse NAME.readelf; NULL or why not. */
static const char *read_oracle(const char *name, struct oracle *o)
{
	char path[1024], line[512], type[32], rest[128];
	FILE *f;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/elf/%s.readelf", data_dir, name);
	f = fopen(path, "r");
	CHECK(f, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		ull a, b, c, d, e;
		int n = 0;

		if (sscanf(line, " Type: %31s", type) == 1)
			o->type = !strcmp(type, "EXEC") ? ET_EXEC : !strcmp(type, "DYN") ? ET_DYN : 0;
		sscanf(line, " Entry point address: %llx", &o->entry);
		sscanf(line, " Start of program headers: %llu", &o->phoff);
		sscanf(line, " Number of program headers: %u", &o->phnum);
		sscanf(line, " Flags: %llx", &o->flags);
		if (sscanf(line, " %31s %llx %llx %*s %llx %llx %n", type, &a, &b, &c, &d, &n) != 5 ||
		    n == 0)
			continue;
		if (!strcmp(type, "PHDR")) {
			o->has_phdr = true;
			o->phdr_vaddr = b;
		} else if (!strcmp(type, "INTERP")) {
			o->has_interp = true;
		} else if (!strcmp(type, "LOAD") && o->nloads < 32) {
			struct exp_seg *s = &o->loads[o->nloads++];
			char *sp;

			snprintf(rest, sizeof(rest), "%s", line + n);
			sp = strrchr(rest, 'x');        /* the align, last: 0x... */
			e = sp ? strtoull(sp - 1, NULL, 16) : 0;
			if (sp)
				sp[-1] = '\0';
			*s = (struct exp_seg){ a, b, c, d, e,
				(strchr(rest, 'R') ? ELF_PROT_R : 0) |
				(strchr(rest, 'W') ? ELF_PROT_W : 0) |
				(strchr(rest, 'E') ? ELF_PROT_X : 0) };
		}
	}
	fclose(f);
	CHECK(o->type && o->phnum && (o->nloads || o->has_interp),
	      "%s: no type, program headers or LOAD lines", path);
	return NULL;
}

/* ---- consistency of a successful parse -------------------------------------- */

static bool is_pow2(ull v)
{
	return v && !(v & (v - 1));
}

/*
 * What elf.h promises about a successful parse of [img, img + size), checked
 * from the outside: segments inside the file, filesz <= memsz, congruent,
 * ascending on distinct pages, the span under @top, the entry in an X
 * segment, the program headers in memory. NULL when all hold.
 */
static const char *check_consistent(const unsigned char *img, ull size, ull top,
				    const struct elf_info *in)
{
	ull phoff = rd(img + 32, 8), tlen = (ull)in->phnum * PHDR, prev_end = 0;
	bool entry_ok = false, phdr_ok = false;

	CHECK(in->type == ET_EXEC || in->type == ET_DYN, "type %u", in->type);
	CHECK(in->nsegs >= 1 && in->nsegs <= ELF_MAX_SEGS, "nsegs %u", in->nsegs);
	CHECK(in->phnum >= 1 && in->phnum <= ELF_MAX_PHNUM && in->phentsize == PHDR,
	      "phnum %u phentsize %u", in->phnum, in->phentsize);
	CHECK(phoff <= size && tlen <= size - phoff, "phdrs %#llx+%#llx outside %#llx",
	      phoff, tlen, size);
	CHECK(is_pow2(in->align) && in->align >= PAGE && in->align <= ELF_MAX_ALIGN,
	      "align %#llx", (ull)in->align);
	for (unsigned int i = 0; i < in->nsegs; i++) {
		const struct elf_seg *s = &in->segs[i];
		ull end = s->vaddr + s->memsz;

		CHECK(s->offset <= size && s->filesz <= size - s->offset,
		      "seg %u file %#llx+%#llx outside %#llx", i, (ull)s->offset,
		      (ull)s->filesz, size);
		CHECK(s->filesz <= s->memsz && s->memsz > 0, "seg %u filesz %#llx memsz %#llx", i,
		      (ull)s->filesz, (ull)s->memsz);
		CHECK(((s->vaddr ^ s->offset) & (PAGE - 1)) == 0, "seg %u not congruent", i);
		CHECK(end > s->vaddr && end <= ~(PAGE - 1), "seg %u wraps", i);
		CHECK(s->prot <= 7, "seg %u prot %u", i, s->prot);
		CHECK(i == 0 || (s->vaddr & ~(PAGE - 1)) >= prev_end,
		      "seg %u at %#llx below the previous end %#llx", i, (ull)s->vaddr, prev_end);
		prev_end = (end + PAGE - 1) & ~(PAGE - 1);
		if ((s->prot & ELF_PROT_X) && in->entry >= s->vaddr && in->entry < end)
			entry_ok = true;
		if (in->phdr_vaddr >= s->vaddr && in->phdr_vaddr + tlen <= end &&
		    in->phdr_vaddr + tlen >= in->phdr_vaddr)
			phdr_ok = true;
	}
	CHECK(entry_ok, "entry %#llx in no X segment", (ull)in->entry);
	CHECK(phdr_ok, "phdr_vaddr %#llx not inside a segment", (ull)in->phdr_vaddr);
	CHECK(in->lo == (in->segs[0].vaddr & ~(PAGE - 1)) && in->hi == prev_end,
	      "lo %#llx hi %#llx", (ull)in->lo, (ull)in->hi);
	CHECK(in->hi - in->lo <= top && (in->type != ET_EXEC || in->hi <= top),
	      "span %#llx-%#llx over top %#llx", (ull)in->lo, (ull)in->hi, top);
	return NULL;
}

/* Parse @im; check the result is either consistent or a clean refusal. */
static const char *parse_checked(const struct image *im, ull top, int *err_out,
				 const char **reason_out)
{
	static struct elf_info info;
	const char *reason = NULL;
	int err = elf_parse(im->b, im->size, top, &info, &reason);

	if (err_out)
		*err_out = err;
	if (reason_out)
		*reason_out = reason;
	if (err == 0)
		return check_consistent(im->b, im->size, top, &info);
	CHECK(err == -ENOEXEC, "elf_parse = %d", err);
	CHECK(info.bad_phdr >= -1 && info.bad_phdr < (int)(im->size >= 58 ? rd(im->b + 56, 2) : 0),
	      "bad_phdr %d for '%s'", info.bad_phdr, reason);
	CHECK(reason && !strncmp(reason, "ELF: ", 5) && strlen(reason) < 80 &&
	      !strchr(reason, '\n'), "bad reason '%s'", reason ? reason : "(null)");
	return NULL;
}

/* ---- real executables ------------------------------------------------------------ */

static struct elf_info info;

/* Parse data file @name and compare with its readelf listing. */
static const char *check_real(const char *name, ull want_align)
{
	struct oracle o;
	struct image im;
	const char *reason = "(none)";
	unsigned int want_segs = 0;
	ull max_align = PAGE, phdr;
	int err;

	TRY(read_oracle(name, &o));
	CHECK(load_file(name, &im), "cannot read %s/elf/%s", data_dir, name);
	err = elf_parse(im.b, im.size, USER_TOP, &info, &reason);
	if (err) {
		free(im.b);
		return test_failf("elf_parse = %d (%s)", err, reason);
	}
	TRY(check_consistent(im.b, im.size, USER_TOP, &info));
	free(im.b);
	CHECK(info.type == o.type && info.entry == o.entry && info.phnum == o.phnum &&
	      info.flags == o.flags, "type %u entry %#llx phnum %u flags %#x; readelf: %u %#llx %u %#llx",
	      info.type, (ull)info.entry, info.phnum, info.flags, o.type, o.entry, o.phnum, o.flags);
	for (unsigned int i = 0; i < o.nloads; i++) {
		const struct exp_seg *e = &o.loads[i];
		const struct elf_seg *s = &info.segs[want_segs];

		if (e->memsz == 0)
			continue;
		CHECK(want_segs < info.nsegs, "only %u segments", info.nsegs);
		CHECK(s->vaddr == e->vaddr && s->memsz == e->memsz && s->offset == e->offset &&
		      s->filesz == e->filesz && s->prot == e->prot,
		      "seg %u: %#llx+%#llx file %#llx+%#llx prot %u; "
		      "readelf %#llx+%#llx file %#llx+%#llx prot %u",
		      want_segs, (ull)s->vaddr, (ull)s->memsz, (ull)s->offset, (ull)s->filesz, s->prot,
		      e->vaddr, e->memsz, e->offset, e->filesz, e->prot);
		if (e->align > max_align)
			max_align = e->align;
		want_segs++;
	}
	CHECK(info.nsegs == want_segs, "%u segments, readelf has %u", info.nsegs, want_segs);
	phdr = o.phdr_vaddr;
	if (!o.has_phdr)
		for (unsigned int i = 0; i < o.nloads; i++)
			if (o.phoff >= o.loads[i].offset &&
			    o.phoff + o.phnum * PHDR <= o.loads[i].offset + o.loads[i].filesz)
				phdr = o.loads[i].vaddr + o.phoff - o.loads[i].offset;
	CHECK(info.phdr_vaddr == phdr, "phdr_vaddr %#llx, want %#llx", (ull)info.phdr_vaddr, phdr);
	CHECK(info.align == max_align && info.align == want_align, "align %#llx, want %#llx",
	      (ull)info.align, want_align);
	CHECK(info.lo == (o.loads[0].vaddr & ~(PAGE - 1)), "lo %#llx", (ull)info.lo);
	return NULL;
}

static const char *case_exec_nostdlib(void) { return check_real("exec-nostdlib", 0x1000); }
static const char *case_exec_64k(void) { return check_real("exec-64k", 0x10000); }
static const char *case_exec_glibc(void) { return check_real("exec-glibc", 0x1000); }
static const char *case_exec_sepcode(void) { return check_real("exec-sepcode", 0x1000); }

static const char *case_pie(void)
{
	TRY(check_real("pie-nostdlib", 0x1000));
	CHECK(info.type == ET_DYN && info.lo == 0 && info.nsegs == 2, "type %u lo %#llx nsegs %u",
	      info.type, (ull)info.lo, info.nsegs);
	return NULL;
}

/* glibc's exec has PT_TLS, PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO: all ignored. */
static const char *case_glibc_shape(void)
{
	struct oracle o;

	TRY(read_oracle("exec-glibc", &o));
	TRY(check_real("exec-glibc", 0x1000));
	CHECK(o.phnum >= 6 && info.nsegs == 2 && info.segs[0].prot == (ELF_PROT_R | ELF_PROT_X) &&
	      info.segs[1].prot == (ELF_PROT_R | ELF_PROT_W) &&
	      info.segs[1].memsz > info.segs[1].filesz, "phnum %u nsegs %u prot %u %u",
	      o.phnum, info.nsegs, info.segs[0].prot, info.segs[1].prot);
	TRY(check_real("exec-sepcode", 0x1000));
	CHECK(info.nsegs == 4 && info.segs[0].prot == ELF_PROT_R &&
	      info.segs[1].prot == (ELF_PROT_R | ELF_PROT_X), "separate-code: nsegs %u prot %u %u",
	      info.nsegs, info.segs[0].prot, info.segs[1].prot);
	return NULL;
}

static const char *case_dynamic(void)
{
	struct oracle o;
	struct image im;
	const char *reason = NULL;
	int err;

	TRY(read_oracle("dyn-glibc", &o));
	CHECK(o.has_interp && o.has_phdr, "dyn-glibc has no INTERP or PHDR");
	CHECK(load_file("dyn-glibc", &im), "cannot read dyn-glibc");
	err = elf_parse(im.b, im.size, USER_TOP, &info, &reason);
	free(im.b);
	CHECK(err == -ENOEXEC && reason && !strcmp(reason, "ELF: dynamically linked (PT_INTERP)"),
	      "elf_parse = %d (%s)", err, reason ? reason : "");
	return NULL;
}

/* The image may sit at any alignment: same answer at every offset mod 8. */
static const char *case_unaligned(void)
{
	struct image im;
	struct elf_info ref;
	const char *reason = NULL;

	CHECK(load_file("exec-glibc", &im), "cannot read exec-glibc");
	CHECK(elf_parse(im.b, im.size, USER_TOP, &ref, &reason) == 0, "aligned: %s", reason);
	for (int k = 1; k < 8; k++) {
		unsigned char *buf = malloc(im.size + k);
		int err;

		memcpy(buf + k, im.b, im.size);
		err = elf_parse(buf + k, im.size, USER_TOP, &info, &reason);
		free(buf);
		CHECK(err == 0 && info.entry == ref.entry && info.nsegs == ref.nsegs &&
		      !memcmp(info.segs, ref.segs, sizeof(ref.segs)) &&
		      info.phdr_vaddr == ref.phdr_vaddr, "offset %d: err %d", k, err);
	}
	free(im.b);
	return NULL;
}

/* ---- every refusal ----------------------------------------------------------------- */

/* Parse @im (freed here); want -ENOEXEC with exactly @want. */
static const char *want_refusal(struct image im, ull top, const char *want, const char *what)
{
	const char *reason = NULL;
	int err = elf_parse(im.b, im.size, top, &info, &reason);

	free(im.b);
	CHECK(err == -ENOEXEC && reason && !strcmp(reason, want),
	      "%s: elf_parse = %d (%s), want '%s'", what, err, reason ? reason : "(none)", want);
	return NULL;
}

/* As want_refusal, and program header @phdr named as the one at fault. */
static const char *want_seg_refusal(struct image im, ull top, const char *want, int phdr,
				    const char *what)
{
	TRY(want_refusal(im, top, want, what));
	CHECK(info.bad_phdr == phdr, "%s: bad_phdr %d, want %d", what, info.bad_phdr, phdr);
	return NULL;
}

/* Parse @im (freed here); want success. */
static const char *want_ok(struct image im, ull top, const char *what)
{
	const char *reason = "(none)";
	int err = elf_parse(im.b, im.size, top, &info, &reason);
	const char *bad = err ? NULL : check_consistent(im.b, im.size, top, &info);

	free(im.b);
	CHECK(err == 0, "%s: elf_parse = %d (%s)", what, err, reason);
	CHECK(!bad, "%s: %s", what, bad);
	return NULL;
}

static struct image base;       /* exec-nostdlib: ATTRIBUTES, LOAD R+X, LOAD RW */
static struct image glibc;      /* exec-glibc: seven program headers */

static const char *case_reject_ident(void)
{
	struct image im;

	TRY(want_refusal(image_prefix(&base, 63), USER_TOP,
			 "ELF: file shorter than an ELF header", "63 bytes"));
	TRY(want_refusal(image_prefix(&base, 0), USER_TOP,
			 "ELF: file shorter than an ELF header", "0 bytes"));
	im = image_copy(&base), im.b[1] = 'F';
	TRY(want_refusal(im, USER_TOP, "ELF: not an ELF file (bad magic)", "magic"));
	im = image_copy(&base), im.b[4] = 1;
	TRY(want_refusal(im, USER_TOP, "ELF: not a 64-bit ELF file", "ELFCLASS32"));
	im = image_copy(&base), im.b[5] = 2;
	TRY(want_refusal(im, USER_TOP, "ELF: not little-endian", "ELFDATA2MSB"));
	im = image_copy(&base), im.b[6] = 0;
	TRY(want_refusal(im, USER_TOP, "ELF: unsupported ELF version", "EI_VERSION 0"));
	im = image_copy(&base), ESET(&im, E_VERSION, 2);
	TRY(want_refusal(im, USER_TOP, "ELF: unsupported ELF version", "e_version 2"));
	im = image_copy(&base), ESET(&im, E_MACHINE, 62);
	TRY(want_refusal(im, USER_TOP, "ELF: not a RISC-V executable", "x86-64"));
	for (unsigned int t = 0; t < 6; t++) {
		if (t == ET_EXEC || t == ET_DYN)
			continue;
		im = image_copy(&base), ESET(&im, E_TYPE, t);
		TRY(want_refusal(im, USER_TOP, "ELF: not an executable (type is not EXEC or DYN)",
				 "e_type"));
	}
	return NULL;
}

static const char *case_reject_phdr_table(void)
{
	struct image im;

	im = image_copy(&base), ESET(&im, E_PHENTSIZE, 64);
	TRY(want_refusal(im, USER_TOP, "ELF: program header size is not 56", "phentsize 64"));
	im = image_copy(&base), ESET(&im, E_PHENTSIZE, 0);
	TRY(want_refusal(im, USER_TOP, "ELF: program header size is not 56", "phentsize 0"));
	im = image_copy(&base), ESET(&im, E_PHNUM, 0);
	TRY(want_refusal(im, USER_TOP, "ELF: no program headers", "phnum 0"));
	im = image_copy(&base), ESET(&im, E_PHNUM, 65);
	TRY(want_refusal(im, USER_TOP, "ELF: more than 64 program headers", "phnum 65"));
	im = image_copy(&base), ESET(&im, E_PHNUM, 0xffff);
	TRY(want_refusal(im, USER_TOP, "ELF: more than 64 program headers", "phnum PN_XNUM"));
	im = image_copy(&base), ESET(&im, E_PHOFF, base.size - 3 * PHDR + 1);
	TRY(want_refusal(im, USER_TOP, "ELF: program headers lie outside the file", "phoff at end"));
	im = image_copy(&base), ESET(&im, E_PHOFF, ~0ull - 8);
	TRY(want_refusal(im, USER_TOP, "ELF: program headers lie outside the file", "phoff wraps"));
	/* Cut one byte short of the table. */
	TRY(want_refusal(image_prefix(&base, 64 + 3 * PHDR - 1), USER_TOP,
			 "ELF: program headers lie outside the file", "truncated table"));
	return NULL;
}

static const char *case_reject_kinds(void)
{
	struct image im;
	int attr = find_phdr(&base, 0x70000003, 0);

	CHECK(attr >= 0, "exec-nostdlib has no RISCV_ATTRIBUTES header");
	im = image_copy(&base), PSET(&im, attr, P_TYPE, 3);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: dynamically linked (PT_INTERP)", attr,
			     "PT_INTERP"));
	im = image_copy(&glibc);
	PSET(&im, find_phdr(&glibc, 4, 0), P_TYPE, 6);                  /* NOTE -> PHDR */
	PSET(&im, find_phdr(&glibc, 0x6474e551, 0), P_TYPE, 6);         /* GNU_STACK -> PHDR */
	TRY(want_seg_refusal(im, USER_TOP, "ELF: more than one PT_PHDR",
			     find_phdr(&glibc, 0x6474e551, 0), "two PT_PHDR"));
	im = image_copy(&base);
	PSET(&im, find_phdr(&base, 1, 0), P_TYPE, 4);
	PSET(&im, find_phdr(&base, 1, 1), P_TYPE, 4);
	TRY(want_refusal(im, USER_TOP, "ELF: no PT_LOAD segment", "no LOAD"));
	im = image_copy(&base);
	for (int k = 0; k < 2; k++) {
		int i = find_phdr(&base, 1, k);

		PSET(&im, i, P_FILESZ, 0);
		PSET(&im, i, P_MEMSZ, 0);
	}
	TRY(want_refusal(im, USER_TOP, "ELF: no PT_LOAD segment", "only empty LOADs"));
	return NULL;
}

static const char *case_reject_segment(void)
{
	int t = find_phdr(&base, 1, 0), d = find_phdr(&base, 1, 1);
	struct image im;

	CHECK(t >= 0 && d == t + 1, "exec-nostdlib LOADs at %d %d", t, d);
	im = image_copy(&base), PSET(&im, d, P_FILESZ, PGET(&base, d, P_MEMSZ) + 1);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment has a file size above its memory size", d, "filesz"));
	im = image_copy(&base), PSET(&im, d, P_OFFSET, base.size - 2), PSET(&im, d, P_FILESZ, 4);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment lies outside the file", d, "data past end"));
	im = image_copy(&base), PSET(&im, d, P_OFFSET, ~0ull - 1);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment lies outside the file", d, "offset wraps"));
	im = image_copy(&base), PSET(&im, t, P_FILESZ, 1ull << 63), PSET(&im, t, P_MEMSZ, 1ull << 63);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment lies outside the file", t, "filesz 2^63"));
	im = image_copy(&base), PSET(&im, d, P_ALIGN, 0x3000);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment's p_align is not a power of two", d,
			 "align 0x3000"));
	im = image_copy(&base), PSET(&im, d, P_VADDR, PGET(&base, d, P_VADDR) + 8);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment's vaddr and offset differ modulo 4 KiB", d,
			 "incongruent"));
	im = image_copy(&base);
	PSET(&im, d, P_VADDR, 0xfffffffffffff000ull | (PGET(&base, d, P_OFFSET) & 0xfff));
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment wraps around the address space", d, "wrap"));
	im = image_copy(&base);
	PSET(&im, d, P_VADDR, 0xffffffffffffe000ull | (PGET(&base, d, P_OFFSET) & 0xfff));
	PSET(&im, d, P_MEMSZ, 0x1000);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment wraps around the address space", d,
			 "end in the last page"));
	im = image_copy(&base), PSET(&im, d, P_VADDR, PGET(&base, d, P_VADDR) - 0x10000);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment is below or shares a page with the one before", d,
			 "unordered"));
	im = image_copy(&base), PSET(&im, d, P_VADDR, PGET(&base, d, P_VADDR) - 0x1000);
	TRY(want_seg_refusal(im, USER_TOP, "ELF: a segment is below or shares a page with the one before", d,
			 "shared page"));
	/* Exactly on the next page: accepted. */
	im = image_copy(&base);
	PSET(&im, d, P_VADDR, ((PGET(&base, t, P_VADDR) + PGET(&base, t, P_MEMSZ) + PAGE - 1) &
			       ~(PAGE - 1)) | (PGET(&base, d, P_OFFSET) & 0xfff));
	TRY(want_ok(im, USER_TOP, "next page"));
	return NULL;
}

static const char *case_reject_layout(void)
{
	int d = find_phdr(&base, 1, 1), attr = find_phdr(&base, 0x70000003, 0);
	struct image im, pie;
	ull hi;

	CHECK(load_file("pie-nostdlib", &pie), "cannot read pie-nostdlib");
	TRY(want_ok(image_copy(&base), USER_TOP, "base"));
	hi = info.hi;
	TRY(want_ok(image_copy(&base), hi, "top at hi"));
	TRY(want_refusal(image_copy(&base), hi - 1, "ELF: segments end above the user address space",
			 "top below hi"));
	TRY(want_ok(image_copy(&pie), USER_TOP, "pie"));
	TRY(want_ok(image_copy(&pie), info.hi - info.lo, "pie span = top"));
	TRY(want_refusal(image_copy(&pie), info.hi - info.lo - 1,
			 "ELF: segments span more than the user address space", "pie span"));
	/* ET_DYN far up: only its span counts. */
	im = image_copy(&pie);
	for (int k = 0; k < 2; k++) {
		int i = find_phdr(&pie, 1, k);

		PSET(&im, i, P_VADDR, PGET(&pie, i, P_VADDR) + 0x7000000000000000ull);
	}
	ESET(&im, E_ENTRY, EGET(&pie, E_ENTRY) + 0x7000000000000000ull);
	TRY(want_ok(im, USER_TOP, "pie at 2^62"));
	free(pie.b);
	im = image_copy(&base), ESET(&im, E_ENTRY, PGET(&base, d, P_VADDR));
	TRY(want_refusal(im, USER_TOP, "ELF: entry point outside every executable segment",
			 "entry in data"));
	im = image_copy(&base), ESET(&im, E_ENTRY, 0);
	TRY(want_refusal(im, USER_TOP, "ELF: entry point outside every executable segment",
			 "entry 0"));
	im = image_copy(&base), PSET(&im, attr, P_TYPE, 6), PSET(&im, attr, P_VADDR, 0x5000000);
	TRY(want_refusal(im, USER_TOP, "ELF: PT_PHDR lies outside every PT_LOAD", "PT_PHDR away"));
	{
		/* One LOAD that does not cover the table at file offset 64. */
		struct synth_ph ph[] = { { 1, 5, 0x1000, 0x11000, 0x100, 0x100, 0x1000 } };

		TRY(want_refusal(synth(ET_EXEC, 0x11000, ph, 1, 0x2000), USER_TOP,
				 "ELF: program headers are not in a loaded segment", "table unmapped"));
		ph[0].offset = 0, ph[0].vaddr = 0x10000, ph[0].filesz = 64 + PHDR - 1;
		TRY(want_refusal(synth(ET_EXEC, 0x10000, ph, 1, 0x2000), USER_TOP,
				 "ELF: program headers are not in a loaded segment",
				 "table one byte past the file part"));
		ph[0].filesz = 64 + PHDR;
		TRY(want_ok(synth(ET_EXEC, 0x10000, ph, 1, 0x2000), USER_TOP, "table at the end"));
		CHECK(info.phdr_vaddr == 0x10040, "phdr_vaddr %#llx", (ull)info.phdr_vaddr);
	}
	return NULL;
}

/* ---- accepted shapes ---------------------------------------------------------------- */

static const char *case_pt_phdr(void)
{
	int attr = find_phdr(&base, 0x70000003, 0), t = find_phdr(&base, 1, 0);
	struct image im = image_copy(&base);
	ull v = PGET(&base, t, P_VADDR) + 0x50;

	PSET(&im, attr, P_TYPE, 6);
	PSET(&im, attr, P_VADDR, v);
	TRY(want_ok(im, USER_TOP, "PT_PHDR"));
	CHECK(info.phdr_vaddr == v, "phdr_vaddr %#llx, want PT_PHDR's %#llx", (ull)info.phdr_vaddr, v);
	/* Without PT_PHDR: computed from e_phoff inside the first LOAD. */
	TRY(want_ok(image_copy(&base), USER_TOP, "no PT_PHDR"));
	CHECK(info.phdr_vaddr == PGET(&base, t, P_VADDR) + EGET(&base, E_PHOFF),
	      "phdr_vaddr %#llx", (ull)info.phdr_vaddr);
	{
		/* The table in the second LOAD, which starts at file offset 0x1000. */
		struct synth_ph ph[] = {
			{ 1, 5, 0, 0x10000, 0x100, 0x100, 0x1000 },
			{ 1, 6, 0x1000, 0x21000, 0x200, 0x800, 0x1000 },
		};

		im = synth(ET_EXEC, 0x10000, ph, 2, 0x2000);
		memcpy(im.b + 0x1080, im.b + 64, 2 * PHDR);
		ESET(&im, E_PHOFF, 0x1080);
		TRY(want_ok(im, USER_TOP, "table in the second LOAD"));
		CHECK(info.phdr_vaddr == 0x21080, "phdr_vaddr %#llx, want 0x21080",
		      (ull)info.phdr_vaddr);
	}
	return NULL;
}

static const char *case_align(void)
{
	int t = find_phdr(&base, 1, 0), d = find_phdr(&base, 1, 1);
	struct image im;

	im = image_copy(&base), PSET(&im, t, P_ALIGN, 0), PSET(&im, d, P_ALIGN, 1);
	TRY(want_ok(im, USER_TOP, "align 0 and 1"));
	CHECK(info.align == PAGE, "align %#llx, want 4 KiB", (ull)info.align);
	im = image_copy(&base), PSET(&im, d, P_ALIGN, 1ull << 21);
	TRY(want_ok(im, USER_TOP, "align 2 MiB"));
	CHECK(info.align == 1ull << 21, "align %#llx, want 2 MiB", (ull)info.align);
	im = image_copy(&base), PSET(&im, t, P_ALIGN, 1ull << 63);
	TRY(want_ok(im, USER_TOP, "align 2^63"));
	CHECK(info.align == ELF_MAX_ALIGN, "align %#llx, want the 1 GiB cap", (ull)info.align);
	/* A non-LOAD's p_align is not looked at. */
	im = image_copy(&base), PSET(&im, find_phdr(&base, 0x70000003, 0), P_ALIGN, 3);
	TRY(want_ok(im, USER_TOP, "ATTRIBUTES align 3"));
	return NULL;
}

/* p_flags bits map to ELF_PROT_* (PF_R 4 -> 1, PF_W 2 -> 2, PF_X 1 -> 4). */
static const char *case_prot(void)
{
	static const unsigned int want[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

	for (unsigned int f = 0; f < 8; f++) {
		struct synth_ph ph[] = {
			{ 1, 5, 0, 0x10000, 0x200, 0x200, 0x1000 },
			{ 1, f, 0x200, 0x11200, 0x10, 0x30, 0x1000 },
		};

		TRY(want_ok(synth(ET_EXEC, 0x10100, ph, 2, 0x400), USER_TOP, "prot"));
		CHECK(info.segs[0].prot == (ELF_PROT_R | ELF_PROT_X) && info.segs[1].prot == want[f],
		      "p_flags %u: prot %u, want %u", f, info.segs[1].prot, want[f]);
	}
	return NULL;
}

/* Limits: 64 program headers and 16 PT_LOADs pass, one more does not. */
static const char *case_limits(void)
{
	static struct synth_ph ph[ELF_MAX_PHNUM];

	for (int i = 0; i < ELF_MAX_PHNUM; i++)
		ph[i] = (struct synth_ph){ 0x6474e551, 6, 0, 0, 0, 0, 16 };   /* GNU_STACK */
	for (int i = 0; i < 17; i++)
		ph[i] = (struct synth_ph){ 1, 5, 0, 0x10000 + 0x1000 * (ull)i, 0x100 * (i == 0) +
					   64 * 56 * (i == 0), 0x1000, 0x1000 };
	ph[17] = (struct synth_ph){ 1, 0, 0, 0x40000, 0, 0, 0x1000 };      /* memsz 0: skipped */
	TRY(want_seg_refusal(synth(ET_EXEC, 0x10000, ph, 64, 0x2000), USER_TOP,
			     "ELF: more than 16 PT_LOAD segments", 16, "17 LOADs"));
	ph[16].type = 4;
	TRY(want_ok(synth(ET_EXEC, 0x10000, ph, 64, 0x2000), USER_TOP, "16 LOADs, 64 headers"));
	CHECK(info.nsegs == 16 && info.phnum == 64 && info.segs[15].vaddr == 0x1f000 &&
	      info.hi == 0x20000, "nsegs %u phnum %u hi %#llx", info.nsegs, info.phnum,
	      (ull)info.hi);
	return NULL;
}

/* PT_LOADs with memsz 0 are skipped, wherever they are. */
static const char *case_empty_load(void)
{
	struct synth_ph ph[] = {
		{ 1, 5, 0, 0x10000, 0x200, 0x200, 0x1000 },
		{ 1, 6, 0x100, 0x5100, 0, 0, 0x1000 },          /* below, but empty */
		{ 1, 6, 0x200, 0x11200, 0x10, 0x30, 0x1000 },
	};

	TRY(want_ok(synth(ET_EXEC, 0x10000, ph, 3, 0x400), USER_TOP, "empty LOAD"));
	CHECK(info.nsegs == 2 && info.segs[1].vaddr == 0x11200, "nsegs %u", info.nsegs);
	return NULL;
}

/* ---- mutations ---------------------------------------------------------------------- */

struct tally {
	unsigned int ok, refused;
	const char *reasons[64];
	unsigned int counts[64];
	unsigned int nreasons;
};

static void tally_add(struct tally *t, int err, const char *reason)
{
	char key[80];

	if (err == 0) {
		t->ok++;
		return;
	}
	t->refused++;
	snprintf(key, sizeof(key), "%s", reason);
	for (unsigned int i = 0; i < t->nreasons; i++) {
		if (!strcmp(t->reasons[i], key)) {
			t->counts[i]++;
			return;
		}
	}
	if (t->nreasons < 64) {
		t->reasons[t->nreasons] = strdup(key);
		t->counts[t->nreasons++] = 1;
	}
}

static void tally_print(const char *name, struct tally *t)
{
	printf("# %s: %u parsed, %u refused\n", name, t->ok, t->refused);
	for (unsigned int i = 0; i < t->nreasons; i++) {
		printf("#   %6u  %s\n", t->counts[i], t->reasons[i]);
		free((void *)t->reasons[i]);
	}
	t->nreasons = 0;
}

static unsigned long fuzz_iters(void)
{
	const char *s = getenv("ELF_FUZZ_ITERS");

	return s ? strtoul(s, NULL, 0) : 24000;
}

static struct image pie_img;

/*
 * Scratch images for the mutation cases: a full-length copy of each source
 * kept between iterations (its first @dirty bytes restored each time, as
 * mutations stay there), or a fresh exact-size prefix for a truncation.
 */
static struct image scratch[3];

static struct image fuzz_get(int k, const struct image *src, size_t len, size_t dirty)
{
	if (len < src->size)
		return image_prefix(src, len);
	if (!scratch[k].b)
		scratch[k] = image_copy(src);
	memcpy(scratch[k].b, src->b, dirty < src->size ? dirty : src->size);
	return scratch[k];
}

static void fuzz_put(struct image *im)
{
	for (int k = 0; k < 3; k++)
		if (im->b == scratch[k].b)
			return;
	free(im->b);
}

static void fuzz_release(void)
{
	for (int k = 0; k < 3; k++) {
		free(scratch[k].b);
		scratch[k].b = NULL;
	}
}

/*
 * Random bytes in the header region (ELF header and program headers, and
 * a little past them), sometimes with a truncation.
 */
static const char *case_fuzz_bytes(void)
{
	const struct image *ims[] = { &base, &glibc, &pie_img };
	unsigned long iters = fuzz_iters();
	struct tally t = { 0 };

	for (unsigned long it = 0; it < iters; it++) {
		int which = (int)test_rand_below(3);
		const struct image *src = ims[which];
		ull region = EGET(src, E_PHOFF) + EGET(src, E_PHNUM) * PHDR + 64;
		size_t len = src->size;
		struct image im;
		const char *reason, *why;
		int err, nflip = 1 + (int)test_rand_below(8);

		if (test_rand_below(4) == 0)
			len = (size_t)test_rand_below(src->size + 1);
		im = fuzz_get(which, src, len, region);
		for (int k = 0; k < nflip && len; k++) {
			ull at = test_rand_below(region < len ? region : len);

			im.b[at] = test_rand_below(3) ? (unsigned char)test_rand() : im.b[at] ^ (1u << test_rand_below(8));
		}
		why = parse_checked(&im, test_rand_below(8) ? USER_TOP : test_rand(), &err, &reason);
		tally_add(&t, err, reason);
		fuzz_put(&im);
		CHECK(!why, "iteration %lu: %s", it, why);
	}
	fuzz_release();
	tally_print("fuzz_bytes", &t);
	CHECK(t.ok > iters / 100 && t.refused > iters / 2, "%u parsed, %u refused", t.ok, t.refused);
	return NULL;
}

/* A value likely to sit on a boundary of @im's checks. */
static ull interesting(const struct image *im)
{
	static const ull fixed[] = {
		0, 1, 2, 3, 55, 56, 57, 63, 64, 65, 0xfff, 0x1000, 0x1001, 0x10000, 0x11000,
		1ull << 30, 1ull << 31, 1ull << 32, 1ull << 62, 1ull << 63, ~0ull, ~0ull - 1,
		~0xfffull, ~0x1fffull, USER_TOP, USER_TOP - 0x1000, USER_TOP + 0x1000,
	};
	ull s = im->size;

	switch (test_rand_below(4)) {
	case 0:
		return fixed[test_rand_below(sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return s - 8 + test_rand_below(16);
	case 2:
		return test_rand();
	default:
		return test_rand_below(0x100000);
	}
}

/* Header and program-header fields set to boundary values. */
static const char *case_fuzz_fields(void)
{
	static const int efield[][2] = { { E_TYPE }, { E_ENTRY }, { E_PHOFF }, { E_PHNUM },
					 { E_PHENTSIZE }, { E_MACHINE }, { E_FLAGS } };
	static const int pfield[][2] = { { P_TYPE }, { P_FLAGS }, { P_OFFSET }, { P_VADDR },
					 { P_FILESZ }, { P_MEMSZ }, { P_ALIGN } };
	const struct image *ims[] = { &base, &glibc, &pie_img };
	unsigned long iters = fuzz_iters();
	struct tally t = { 0 };

	for (unsigned long it = 0; it < iters; it++) {
		int which = (int)test_rand_below(3);
		const struct image *src = ims[which];
		struct image im = fuzz_get(which, src, src->size,
					   EGET(src, E_PHOFF) + EGET(src, E_PHNUM) * PHDR);
		int nmut = 1 + (int)test_rand_below(3), err;
		const char *why, *reason;

		for (int k = 0; k < nmut; k++) {
			ull v = interesting(&im);
			int phnum = (int)EGET(src, E_PHNUM);

			if (test_rand_below(5) == 0) {
				const int *f = efield[test_rand_below(7)];

				if (f[0] == 32 || f[0] == 56)   /* keep the table findable, mostly */
					v = test_rand_below(4) ? eget(&im, f[0], f[1]) + test_rand_below(3) - 1 : v;
				eset(&im, f[0], f[1], v);
			} else {
				const int *f = pfield[test_rand_below(7)];
				int i = (int)test_rand_below((ull)phnum);

				if (f[0] == 0)
					v = test_rand_below(2) ? (ull)(int)test_rand_below(8) : v;
				wr(im.b + EGET(src, E_PHOFF) + (ull)i * PHDR + f[0], f[1], v);
			}
		}
		why = parse_checked(&im, USER_TOP, &err, &reason);
		tally_add(&t, err, reason);
		fuzz_put(&im);
		CHECK(!why, "iteration %lu: %s", it, why);
	}
	fuzz_release();
	tally_print("fuzz_fields", &t);
	CHECK(t.ok > iters / 100 && t.refused > iters / 4, "%u parsed, %u refused", t.ok, t.refused);
	return NULL;
}

/*
 * Every truncation of exec-nostdlib and pie-nostdlib: accepted exactly when
 * the cut keeps the program headers and every segment's file part.
 */
static const char *case_truncations(void)
{
	const struct image *ims[] = { &base, &pie_img };

	for (int k = 0; k < 2; k++) {
		const struct image *src = ims[k];
		ull need = EGET(src, E_PHOFF) + EGET(src, E_PHNUM) * PHDR;

		for (int i = 0; i < (int)EGET(src, E_PHNUM); i++)
			if (PGET(src, i, P_TYPE) == 1 &&
			    PGET(src, i, P_OFFSET) + PGET(src, i, P_FILESZ) > need)
				need = PGET(src, i, P_OFFSET) + PGET(src, i, P_FILESZ);
		for (size_t len = 0; len <= src->size; len++) {
			struct image im = image_prefix(src, len);
			int err;
			const char *why = parse_checked(&im, USER_TOP, &err, NULL);

			free(im.b);
			CHECK(!why, "image %d cut at %zu: %s", k, len, why);
			CHECK((err == 0) == (len >= need), "image %d cut at %zu: err %d, need %llu",
			      k, len, err, need);
		}
	}
	return NULL;
}

/* ---- main ------------------------------------------------------------------------------ */

int main(void)
{
	static const struct {
		const char *name;
		const char *(*fn)(void);
	} cases[] = {
		{ "elf_exec_nostdlib", case_exec_nostdlib },
		{ "elf_exec_64k_pages", case_exec_64k },
		{ "elf_exec_glibc", case_exec_glibc },
		{ "elf_exec_separate_code", case_exec_sepcode },
		{ "elf_static_pie", case_pie },
		{ "elf_glibc_segment_shapes", case_glibc_shape },
		{ "elf_dynamic_refused", case_dynamic },
		{ "elf_unaligned_image", case_unaligned },
		{ "elf_reject_ident", case_reject_ident },
		{ "elf_reject_phdr_table", case_reject_phdr_table },
		{ "elf_reject_segment_kinds", case_reject_kinds },
		{ "elf_reject_segment_fields", case_reject_segment },
		{ "elf_reject_layout", case_reject_layout },
		{ "elf_pt_phdr", case_pt_phdr },
		{ "elf_align", case_align },
		{ "elf_prot_bits", case_prot },
		{ "elf_limits", case_limits },
		{ "elf_empty_load_skipped", case_empty_load },
		{ "elf_truncations", case_truncations },
		{ "elf_fuzz_bytes", case_fuzz_bytes },
		{ "elf_fuzz_fields", case_fuzz_fields },
	};

	data_dir = getenv("UNIT_DATA_DIR") ? getenv("UNIT_DATA_DIR") : UNIT_DATA;
	test_srand(test_env_u64("ELF_FUZZ_SEED", 1));
	bool have_data = load_file("exec-nostdlib", &base) && load_file("exec-glibc", &glibc) &&
			 load_file("pie-nostdlib", &pie_img);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (have_data)
			test_run(cases[i].name, cases[i].fn);
		else    /* every case needs the data: each one fails, none vanishes */
			test_report(cases[i].name,
				    test_failf("cannot read %s/elf/{exec-nostdlib,exec-glibc,"
					       "pie-nostdlib} (run `make unit` from the top of "
					       "the tree)", data_dir));
	}
	free(base.b);
	free(glibc.b);
	free(pie_img.b);
	return test_exit_status();
}
