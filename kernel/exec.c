/*
 * exec: the ELF loader. elf_parse() (kernel/elf.c) has checked the file;
 * here each PT_LOAD becomes a private file-backed VMA (pages copied from
 * the initramfs on first touch, zero past filesz) followed by an anonymous
 * VMA for the rest of its bss, then the stack gets the SysV initial
 * layout: argc, argv, envp, auxv, with the strings and AT_RANDOM's 16
 * bytes above them.
 */
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/elf.h>
#include <pagoda/exec.h>
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/slab.h>
#include <pagoda/uaccess.h>
#include <asm/cpu.h>
#include <asm/pte.h>
#include <string.h>

#define AT_NULL    0
#define AT_PHDR    3
#define AT_PHENT   4
#define AT_PHNUM   5
#define AT_PAGESZ  6
#define AT_BASE    7
#define AT_FLAGS   8
#define AT_ENTRY   9
#define AT_UID     11
#define AT_EUID    12
#define AT_GID     13
#define AT_EGID    14
#define AT_HWCAP   16
#define AT_CLKTCK  17
#define AT_SECURE  23
#define AT_RANDOM  25
#define AT_EXECFN  31
#define NR_AUXV    18

/* rv64gc: one bit per single-letter extension, as Linux reports it. */
#define HWCAP_RV64GC ((1ul << ('i' - 'a')) | (1ul << ('m' - 'a')) | (1ul << ('a' - 'a')) | \
		      (1ul << ('f' - 'a')) | (1ul << ('d' - 'a')) | (1ul << ('c' - 'a')))

static u32 seg_prot(u32 elf_prot)
{
	return (elf_prot & ELF_PROT_R ? PROT_READ : 0) |
	       (elf_prot & ELF_PROT_W ? PROT_WRITE : 0) |
	       (elf_prot & ELF_PROT_X ? PROT_EXEC : 0);
}

/* One PT_LOAD at @bias: the file part, then the anonymous rest. */
static int map_segment(struct addr_space *as, const struct ramfs_file *rf,
		       const struct elf_seg *s, u64 bias, vaddr_t *prev_end)
{
	vaddr_t v = s->vaddr + bias, start = ALIGN_DOWN(v, PAGE_SIZE);
	vaddr_t fend = ALIGN_UP(v + s->filesz, PAGE_SIZE);
	vaddr_t mend = ALIGN_UP(v + s->memsz, PAGE_SIZE);
	u32 prot = seg_prot(s->prot);
	int err = 0;

	if (start < *prev_end)
		return -EEXIST;         /* shares a page with the segment before */
	if (s->filesz)
		err = as_map_file(as, start, fend - start, prot, &rf->mf,
				  s->offset - (v - start), s->offset + s->filesz);
	else
		fend = start;
	if (!err && mend > fend)
		err = as_map_anon(as, fend, mend - fend, prot, false);
	*prev_end = MAX(mend, *prev_end);
	return err;
}

struct stack_img {
	u8 *buf;                        /* the top EXEC_ARGS_MAX bytes of the stack */
	vaddr_t base;                   /* user address of buf[0] */
	u64 top;                        /* strings grow down from here */
};

/* Copy @s below img->top; its user address, or 0 when it does not fit. */
static vaddr_t push_string(struct stack_img *img, const char *s)
{
	u64 n = strlen(s) + 1;

	if (n > img->top)
		return 0;
	img->top -= n;
	memcpy(img->buf + img->top, s, n);
	return img->base + img->top;
}

static u64 count(char *const v[])
{
	u64 n = 0;

	while (v && v[n])
		n++;
	return n;
}

static u64 random_u64(void)
{
	static u64 x = 0x9e3779b97f4a7c15ull;

	x ^= arch_read_time();
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* The pointer block: argc, argv, NULL, envp, NULL, auxv pairs. */
static int push_vectors(struct stack_img *img, char *const argv[], char *const envp[],
			const u64 *auxv, u64 nauxv, u64 *sp)
{
	u64 argc = count(argv), envc = count(envp), i, *w;
	u64 words = 1 + argc + 1 + envc + 1 + nauxv * 2;
	vaddr_t *ustr = kmalloc((argc + envc + 1) * sizeof(*ustr), 0);
	u64 at;

	if (!ustr)
		return -ENOMEM;
	for (i = 0; i < argc + envc; i++) {
		ustr[i] = push_string(img, i < argc ? argv[i] : envp[i - argc]);
		if (!ustr[i]) {
			kfree(ustr);
			return -E2BIG;
		}
	}
	at = ALIGN_DOWN(img->top, 16);
	if (words * 8 + 16 > at) {
		kfree(ustr);
		return -E2BIG;
	}
	at = ALIGN_DOWN(at - words * 8, 16);
	w = (u64 *)(img->buf + at);
	*w++ = argc;
	for (i = 0; i < argc; i++)
		*w++ = ustr[i];
	*w++ = 0;
	for (i = 0; i < envc; i++)
		*w++ = ustr[argc + i];
	*w++ = 0;
	memcpy(w, auxv, nauxv * 16);
	kfree(ustr);
	*sp = img->base + at;
	img->top = at;
	return 0;
}

static int build_stack(struct addr_space *as, const struct elf_info *info, u64 bias,
		       const char *path, char *const argv[], char *const envp[], u64 *sp)
{
	struct stack_img img = { NULL, STACK_TOP - EXEC_ARGS_MAX, EXEC_ARGS_MAX };
	u64 auxv[NR_AUXV * 2], n = 0, rnd[2] = { random_u64(), random_u64() };
	vaddr_t rnd_at, fn_at;
	int err;

	img.buf = kzalloc(EXEC_ARGS_MAX, 0);
	if (!img.buf)
		return -ENOMEM;
	img.top -= 16;
	memcpy(img.buf + img.top, rnd, 16);
	rnd_at = img.base + img.top;
	fn_at = push_string(&img, path);
#define AUX(k, v) do { auxv[n++] = (k); auxv[n++] = (v); } while (0)
	AUX(AT_PHDR, info->phdr_vaddr + bias);
	AUX(AT_PHENT, info->phentsize);
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry + bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_HWCAP, HWCAP_RV64GC);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, rnd_at);
	AUX(AT_EXECFN, fn_at);
	AUX(AT_NULL, 0);
#undef AUX
	err = fn_at ? push_vectors(&img, argv, envp, auxv, n / 2, sp) : -E2BIG;
	if (!err)
		err = copy_to_user((void *)(img.base + img.top), img.buf + img.top,
				   EXEC_ARGS_MAX - img.top);
	kfree(img.buf);
	return err;
}

static int map_image(struct addr_space *as, const struct ramfs_file *rf,
		     const struct elf_info *info, u64 bias, const char **reason)
{
	vaddr_t end = 0;
	unsigned int i;
	int err;

	for (i = 0; i < info->nsegs; i++) {
		err = map_segment(as, rf, &info->segs[i], bias, &end);
		if (err) {
			*reason = err == -ENOMEM ? "out of memory mapping a segment" :
				  "ELF: segments share a page or overlap the stack";
			return err == -ENOMEM ? err : -ENOEXEC;
		}
	}
	as->brk_start = as->brk = end;
	return 0;
}

int exec_load(struct addr_space *as, const struct ramfs_file *rf, const char *path,
	      char *const argv[], char *const envp[], struct trapframe *tf,
	      const char **reason)
{
	struct elf_info info;
	u64 bias = 0, sp;
	int err;

	err = elf_parse(rf->data, rf->size, STACK_TOP - STACK_SIZE - STACK_GUARD_GAP,
			&info, reason);
	if (err)
		return err;
	if (info.type == ET_EXEC && info.lo < MMAP_MIN_ADDR) {
		*reason = "ELF: segments start below the lowest user address (0x10000)";
		return -ENOEXEC;
	}
	if (info.type == ET_DYN) {
		bias = ALIGN_UP(PIE_BASE, info.align) - ALIGN_DOWN(info.lo, info.align);
		if (info.hi + bias > STACK_TOP - STACK_SIZE - STACK_GUARD_GAP) {
			*reason = "ELF: too large to load at the static-PIE base";
			return -ENOEXEC;
		}
	}
	err = map_image(as, rf, &info, bias, reason);
	if (err)
		return err;
	err = as_map_stack(as, STACK_TOP - STACK_SIZE, STACK_SIZE);
	if (!err)
		err = build_stack(as, &info, bias, path, argv, envp, &sp);
	if (err) {
		*reason = err == -E2BIG ? "argument list too long" : "out of memory building the stack";
		return err;
	}
	memset(tf, 0, sizeof(*tf));
	tf->sepc = info.entry + bias;
	tf->sp = sp;
	tf->sstatus = arch_user_sstatus();
	return 0;
}
