/*
 * exec: the ELF loader. elf_parse() (kernel/proc/elf.c) has checked the file;
 * here each PT_LOAD becomes a private file-backed VMA (pages copied from
 * the initramfs on first touch, zero past filesz) followed by an anonymous
 * VMA for the rest of its bss; the vDSO goes below the stack (kernel/vdso.c);
 * then the stack gets the SysV initial layout: argc, argv, envp, auxv
 * (AT_SYSINFO_EHDR first), with the strings and AT_RANDOM's 16 bytes
 * above them.
 *
 * execve builds the new image in a new address space while the old one
 * stays: a failure (a bad ELF file, no memory, an argument list too long)
 * returns its errno to the caller, whose process is untouched. Only then
 * do the close-on-exec files, the signal handlers and the old space go.
 */
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/elf.h>
#include <pagoda/exec.h>
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/mm.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/syscall.h>
#include <pagoda/uaccess.h>
#include <pagoda/vdso.h>
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
#define AT_SYSINFO_EHDR 33
#define NR_AUXV    19

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
	u8 *buf;                        /* the top bytes of the new stack */
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

/* The smallest order of pages that holds @bytes. */
static unsigned int pages_order(u64 bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* What the top of the new stack holds: AT_RANDOM's bytes, the strings,
 * the pointer block with the auxv, and alignment. */
static u64 stack_bytes(const char *path, char *const argv[], char *const envp[])
{
	u64 n = 16 + strlen(path) + 1 + (3 + count(argv) + count(envp) + NR_AUXV * 2) * 8 + 64;
	u64 i;

	for (i = 0; argv && argv[i]; i++)
		n += strlen(argv[i]) + 1;
	for (i = 0; envp && envp[i]; i++)
		n += strlen(envp[i]) + 1;
	return n;
}

static int build_stack(struct addr_space *as, const struct elf_info *info, u64 bias,
		       const char *path, char *const argv[], char *const envp[], u64 *sp)
{
	unsigned int order = pages_order(stack_bytes(path, argv, envp));
	u64 cap = PAGE_SIZE << order;
	struct stack_img img = { NULL, STACK_TOP - cap, cap };
	u64 auxv[NR_AUXV * 2], n = 0, rnd[2] = { random_u64(), random_u64() };
	vaddr_t rnd_at, fn_at;
	struct page *pg;
	int err;

	pg = page_alloc(order, GFP_KERNEL);     /* not cleared: only what is written is copied */
	if (!pg)
		return -ENOMEM;
	img.buf = page_va(pg);
	img.top -= 16;
	memcpy(img.buf + img.top, rnd, 16);
	rnd_at = img.base + img.top;
	fn_at = push_string(&img, path);
#define AUX(k, v) do { auxv[n++] = (k); auxv[n++] = (v); } while (0)
	AUX(AT_SYSINFO_EHDR, as->vdso_base);    /* first, as Linux's ARCH_DLINFO */
	AUX(AT_PHDR, info->phdr_vaddr + bias);
	AUX(AT_PHENT, info->phentsize);
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry + bias);
	AUX(AT_UID, current_proc()->uid);
	AUX(AT_EUID, current_proc()->euid);
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
				   cap - img.top);
	page_free(pg, order);
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
	err = vdso_map(as);
	if (err) {
		*reason = err == -ENOMEM ? "out of memory mapping the vDSO" :
			  "ELF: segments overlap the vDSO";
		return err == -ENOMEM ? err : -ENOEXEC;
	}
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

/* ---- execve ------------------------------------------------------------- */

/* execve's arguments, copied in from the caller's space. */
struct exec_args {
	char *buf;                      /* the strings, one after another */
	unsigned int order;             /* buf's size: PAGE_SIZE << order */
	u64 used;
	u64 limit;                      /* strings and pointers, at most */
	u64 *offs;                      /* each string's offset in buf, argv's then envp's */
	char **vec;                     /* argv, NULL, envp, NULL: pointers into buf */
	u64 argc, envc;
};

#define RLIMIT_STACK    3
#define STK_LIM         (8 * MiB)       /* Linux's _STK_LIM */
#define ARG_MAX         (32 * PAGE_SIZE)

/* Linux's limit on argv + envp: a quarter of RLIMIT_STACK, at most three
 * quarters of _STK_LIM, at least ARG_MAX (fs/exec.c). */
static u64 args_limit(const struct proc *p)
{
	return MAX(MIN(STK_LIM / 4 * 3, p->rlimits[RLIMIT_STACK].cur / 4), ARG_MAX);
}

/* The number of pointers in the user vector @uv (NULL: none), at most
 * @max: the count, or -EFAULT / -E2BIG. */
static long user_vec_count(const u64 *uv, u64 max)
{
	u64 n = 0, ptr;

	if (!uv)
		return 0;
	for (;;) {
		if (get_user_u64(&ptr, uv + n))
			return -EFAULT;
		if (!ptr)
			return (long)n;
		if (++n > max)
			return -E2BIG;
	}
}

/* Twice the room for strings: 0 or -ENOMEM. */
static int args_grow(struct exec_args *a)
{
	struct page *pg = page_alloc(a->order + 1, GFP_KERNEL);

	if (!pg)
		return -ENOMEM;
	memcpy(page_va(pg), a->buf, a->used);
	page_free(va_to_page(a->buf), a->order);
	a->buf = page_va(pg);
	a->order++;
	return 0;
}

/* Copy the @n strings of @uv into @a, their offsets into @a->offs from
 * @slot: 0, -EFAULT, -ENOMEM or -E2BIG (a string of MAX_ARG_STRLEN or
 * more, or strings and pointers past the limit). */
static int copy_strings(struct exec_args *a, const u64 *uv, u64 n, u64 slot, u64 ptr_bytes)
{
	u64 i, ptr, room;
	long len;
	int err;

	for (i = 0; i < n; i++) {
		if (get_user_u64(&ptr, uv + i))
			return -EFAULT;
		for (;;) {       /* -ENAMETOOLONG: no NUL within room */
			room = MIN((PAGE_SIZE << a->order) - a->used, MAX_ARG_STRLEN);
			len = strncpy_from_user(a->buf + a->used, (const char *)ptr, room);
			if (len != -ENAMETOOLONG)
				break;
			if (room == MAX_ARG_STRLEN)
				return -E2BIG;
			err = args_grow(a);
			if (err)
				return err;
		}
		if (len < 0)
			return (int)len;
		a->offs[slot + i] = a->used;
		a->used += (u64)len + 1;
		if (a->used + ptr_bytes > a->limit)
			return -E2BIG;
	}
	return 0;
}

static void exec_args_free(struct exec_args *a)
{
	if (a->buf)
		page_free(va_to_page(a->buf), a->order);
	kfree(a->offs);
	kfree(a->vec);
}

/* Copy argv and envp in. An empty argv becomes { "" } (Linux 5.18+). */
static int exec_args_copy(struct exec_args *a, const u64 *uargv, const u64 *uenvp)
{
	static char empty[] = "";
	long argc, envc;
	struct page *pg;
	u64 ptrs, i;
	int err;

	a->limit = args_limit(current_proc());
	argc = user_vec_count(uargv, a->limit / 8);
	envc = argc < 0 ? 0 : user_vec_count(uenvp, a->limit / 8);
	if (argc < 0 || envc < 0)
		return argc < 0 ? (int)argc : (int)envc;
	ptrs = ((u64)MAX(argc, 1) + (u64)envc) * sizeof(void *);
	if (ptrs > a->limit)
		return -E2BIG;
	a->offs = kmalloc(((u64)argc + (u64)envc + 1) * sizeof(u64), GFP_KERNEL);
	a->vec = kmalloc(((u64)argc + (u64)envc + 3) * sizeof(char *), GFP_KERNEL);
	pg = page_alloc(0, GFP_KERNEL);
	a->buf = pg ? page_va(pg) : NULL;
	if (!a->offs || !a->vec || !a->buf)
		return -ENOMEM;
	err = copy_strings(a, uargv, (u64)argc, 0, ptrs);
	if (!err)
		err = copy_strings(a, uenvp, (u64)envc, (u64)argc, ptrs);
	if (err)
		return err;
	a->argc = (u64)argc;
	a->envc = (u64)envc;
	for (i = 0; i < a->argc; i++)
		a->vec[i] = a->buf + a->offs[i];
	if (!argc)
		a->vec[a->argc++] = empty;
	a->vec[a->argc] = NULL;
	for (i = 0; i < a->envc; i++)
		a->vec[a->argc + 1 + i] = a->buf + a->offs[(u64)argc + i];
	a->vec[a->argc + 1 + a->envc] = NULL;
	return 0;
}

/* The new image in a new space; the old space stays until it works. */
static int exec_replace(struct proc *p, const struct ramfs_file *rf, const char *path,
			struct exec_args *a)
{
	struct addr_space *old = p->as, *as = as_create();
	struct trapframe tf;
	const char *reason = "";
	unsigned long irq;
	int err;

	if (!as)
		return -ENOMEM;
	irq = arch_irq_save();
	as_deactivate(old);
	as_activate(as);
	err = exec_load(as, rf, path, a->vec, a->vec + a->argc + 1, &tf, &reason);
	if (err) {
		as_deactivate(as);
		as_activate(old);
		arch_irq_restore(irq);
		as_destroy(as);
		return err;
	}
	spin_lock(&tasklist_lock);
	p->as = as;                     /* (t): the OOM killer reads it */
	if (p->as_borrowed) {
		p->as_borrowed = false;
		proc_vfork_done(p);
	}
	spin_unlock(&tasklist_lock);
	arch_irq_restore(irq);
	oom_space_put(old);             /* a vfork parent's stays: it holds it too */
	*arch_user_frame() = tf;
	arch_fpu_clear();
	memset(&p->fp, 0, sizeof(p->fp));
	p->fp_cpu = -1;                 /* no hart holds the new image's registers */
	return 0;
}

/* The rest of the process becomes the new program's. */
static void exec_commit(struct proc *p, const char *path)
{
	const char *base = strrchr(path, '/');

	proc_files_exec(p);
	signal_exec(p);
	strlcpy(p->name, base ? base + 1 : path, sizeof(p->name));
}

static long do_execve(int dirfd, const char *upath, const u64 *uargv, const u64 *uenvp,
		      int flags)
{
	struct proc *p = current_proc();
	struct exec_args a = { 0 };
	const struct ramfs_file *rf;
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	int err;

	if (!path)
		return -ENOMEM;
	err = fs_lookup_exec(dirfd, upath, flags, &rf, path);
	if (!err)
		err = exec_args_copy(&a, uargv, uenvp);
	if (!err)
		err = exec_replace(p, rf, path, &a);
	if (!err)
		exec_commit(p, path);
	exec_args_free(&a);
	kfree(path);
	return err;
}

/* execve(path, argv, envp): 0 is what the new image finds in a0. */
SYSCALL(execve)
{
	return do_execve(AT_FDCWD, (const char *)a0, (const u64 *)a1, (const u64 *)a2, 0);
}

/* execveat(dirfd, path, argv, envp, flags) */
SYSCALL(execveat)
{
	return do_execve((int)a0, (const char *)a1, (const u64 *)a2, (const u64 *)a3, (int)a4);
}
