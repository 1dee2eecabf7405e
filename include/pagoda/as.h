/*
 * AddressSpace: a process's user half. An Sv39 root whose kernel half
 * (root entries 256..511) is a copy of the kernel's (those level-1 tables
 * are pinned, so the copy stays valid), an ASID, the harts that have run
 * it, and its VMAs in an AVL tree (mm/vma.c).
 *
 * Each VMA has a backend, an ops table (struct vma_ops) with one file
 * each under mm/; the generic code calls through the table and never asks
 * which backend it has (docs/addrspace.md, "Backends"):
 *   anon     mm/anon.c    private zero-filled memory, allocated on first touch
 *   shm      mm/shm.c     shared anonymous memory: pages live in a struct shm
 *                         object, which every view references
 *   file     mm/filemap.c a file (struct map_file), copied page by page into
 *                         private frames on first touch (zero past its data)
 *   linear   mm/linear.c  a fixed physical range (device or pre-placed
 *                         memory); no frame is ever allocated or freed for it
 *   special  mm/special.c kernel pages lent read-only to every process (the
 *                         vDSO): like linear, but never writable or grown
 * Private frames (anon, file) belong to the page table entries that map
 * them: one entry, or after as_fork several, in several address spaces,
 * counted in struct page.refcount and mapped read-only (copy on write,
 * mm/cow.c); a private page never written is the shared zero page. Shared
 * pages belong to their shm object. A frame that was mapped, and a VMA's
 * backing, are released only after the TLB flush that makes them
 * unreachable (struct as_batch).
 *
 * Semantics follow Linux (mm/mmap.c, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c); docs/addrspace.md lists the choices.
 *
 * Locking (docs/locking.md): (m) as->lock, taken by every as_* entry
 * point below except as_create, as_destroy (the last user), as_activate
 * and as_deactivate (the hart mask is atomic); functions that need it
 * assert it. (c) set at creation, constant after.
 */
#ifndef PAGODA_AS_H
#define PAGODA_AS_H
#include <pagoda/types.h>
#include <pagoda/pagemapper.h>
#include <pagoda/vma.h>
#include <pagoda/asid.h>
#include <pagoda/hartmask.h>
#include <pagoda/spinlock.h>

struct map_file;
struct as_vma;
struct addr_space;

/* Linux's mmap/mprotect values (asm-generic/mman-common.h) */
#define PROT_NONE       0x0
#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4
#define PROT_GROWSDOWN  0x01000000
#define PROT_GROWSUP    0x02000000
#define MAP_SHARED      0x01
#define MAP_PRIVATE     0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE        0x0f
#define MAP_FIXED       0x10
#define MAP_ANONYMOUS   0x20
#define MAP_GROWSDOWN   0x0100
#define MAP_DENYWRITE   0x0800
#define MAP_EXECUTABLE  0x1000
#define MAP_LOCKED      0x2000
#define MAP_NORESERVE   0x4000
#define MAP_POPULATE    0x8000
#define MAP_NONBLOCK    0x10000
#define MAP_STACK       0x20000
#define MAP_HUGETLB     0x40000
#define MAP_SYNC        0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE  1
#define MREMAP_FIXED    2
#define MREMAP_DONTUNMAP 4
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8
#define MADV_DONTFORK   10
#define MADV_DOFORK     11
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MS_ASYNC        1
#define MS_INVALIDATE   2
#define MS_SYNC         4

/*
 * A VMA backend. Hooks left NULL mean "nothing to do" (or "allowed").
 * Generic code (mm/as.c, mm/as_ops.c) calls them under as->lock.
 */
struct vma_ops {
	const char *name;
	/* The frames of mapped pages belong to their entries: a zap drops
	 * each entry's reference after the TLB flush, the last one freeing
	 * the frame; as_fork shares them copy-on-write. */
	bool owns_frames;
	/* Map the page at @va of @v, not mapped yet, with @v's protection,
	 * for an access of kind @access (FAULT_*), into the entry @s (its
	 * pte NULL when its table is still missing; mm/as_internal.h
	 * as_fill): 0, -ENOMEM, or -ENXIO when the backing has no page there
	 * (the process gets SIGBUS). The entry was invalid, so nothing stale
	 * can be cached: the caller makes it visible (as_fault flushes the
	 * page on its hart; another hart faults once and finds it mapped). */
	int (*fault)(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s,
		     int access);
	/* A write to @va of @v (which allows writes), whose present entry @s
	 * is marked copy-on-write (the zero page, or a frame as_fork shared):
	 * make it writable, by a copy if need be (mm/cow.c, cow_fault): 0 or
	 * -ENOMEM. NULL: the backend never marks an entry. */
	int (*cow)(struct addr_space *as, struct as_vma *v, vaddr_t va, struct pm_slot *s);
	/* @b starts where @a ends, with the same protection, flags (fork
	 * flags too), backend and continuous pgoff: may they be one VMA?
	 * NULL: yes. */
	bool (*can_merge)(const struct as_vma *a, const struct as_vma *b);
	/* @keep grew over @gone, which is about to be released. */
	void (*merged)(struct as_vma *keep, const struct as_vma *gone);
	/* @n is a copy of a VMA (a split, a move): take its own reference. */
	void (*copy)(struct as_vma *n);
	/* @v is out of the tree and no hart can reach its pages: drop its
	 * backing. */
	void (*release)(struct as_vma *v);
	/* mincore of the unmapped page at @va: is it in memory anyway? */
	bool (*resident)(const struct as_vma *v, vaddr_t va);
	/* What a shared mapping @v maps, the same in every space that maps
	 * it (with pgoff, the futex key of a word there). NULL: nothing
	 * outside this space sees its pages. */
	const void *(*object)(const struct as_vma *v);
	/* May @advice (MADV_*) act on @v: 0 or -EINVAL. */
	int (*advise)(const struct as_vma *v, int advice);
	/* May @v get protection @prot: 0 or -EACCES. */
	int (*protect)(const struct as_vma *v, u32 prot);
};

struct shm;

struct as_vma {
	struct vma node;                /* (m) start, end */
	const struct vma_ops *ops;      /* (m) the backend */
	u32 prot;                       /* (m) PROT_* */
	bool stack;                     /* (m) MAP_STACK */
	bool growsdown;                 /* (m) MAP_GROWSDOWN / the process stack
					 * (Linux's VM_GROWSDOWN): brk stays
					 * STACK_GUARD_GAP below it; it never grows */
	bool shared;                    /* (m) MAP_SHARED */
	u8 fork;                        /* (m) VMA_DONTFORK, VMA_WIPEONFORK (madvise) */
	/* (m) page index in the backing of node.start: the file page, the shm
	 * index, the physical frame; anon: its address >> 12 when created.
	 * Continuous pgoff is what lets neighbours merge. */
	u64 pgoff;
	union {                         /* (m) the backend's own */
		u64 anon_id;            /* anon: 0 until its first page */
		struct shm *shm;        /* shm: the object */
		struct {
			const struct map_file *file;
			u64 end;        /* file offset where the mapped data ends */
		} file;
		u64 special_end;        /* special: the frame past the last it may map */
	};
	struct as_vma *next_dead;       /* (m) on an as_batch, waiting for release */
};

/* What as_fork does with a VMA (Linux's VM_DONTCOPY, VM_WIPEONFORK). */
#define VMA_DONTFORK    1               /* the child has no such VMA */
#define VMA_WIPEONFORK  2               /* the child's is empty (private anonymous only) */

struct addr_space {
	struct spinlock lock;
	u32 users;                      /* (a) processes that hold it: its own,
					 * and a vfork child borrowing it */
	struct pagemapper pm;           /* (m) */
	struct asid_ctx asid;           /* (m) */
	struct hartmask harts;          /* (a) harts that may hold its TLB entries */
	struct vma_tree vmas;           /* (m) */
	struct as_vma *fault_hint;      /* (m) the VMA the last fault found, or NULL */
	vaddr_t mmap_base;              /* (c) top-down searches start below it */
	vaddr_t brk_start, brk;         /* (m) the program break */
	u64 rss;                        /* (m) pages mapped, the zero page not
					 * counted (as Linux's RSS) */
	u64 spare;                      /* (m) VMAs allocated, not yet inserted:
					 * splits a call is about to make */
	u64 none_vmas;                  /* (m) VMAs with PROT_NONE */
	vaddr_t vdso_base;              /* (c) the vDSO image's user address, set at
					 * exec (0: none); a copy of the address
					 * space (fork) copies it with the VMAs */
};

/* A futex's identity: its space and address, or for a word in a shared
 * mapping, the backing object and the byte offset in it. */
struct futex_key {
	u64 object, offset;
};
/* The key of the futex word at @uaddr: (@as, @uaddr) when @private or in
 * a private mapping; (object, offset) in a shared one. 0, or -EFAULT for
 * an address past user space, or (unless @private and not @read) when no
 * VMA holds @uaddr or, with @read, when its VMA cannot be read
 * (PROT_NONE). Takes @as->lock unless @private and not @read. */
int as_futex_key(struct addr_space *as, vaddr_t uaddr, bool private, bool read,
		 struct futex_key *k);

/* Access kinds for as_fault. */
#define FAULT_READ  1
#define FAULT_WRITE 2
#define FAULT_EXEC  4

/* Lowest address mmap hands out (Linux's mmap_min_addr default). */
#define MMAP_MIN_ADDR   0x10000ul
#define STACK_TOP       USER_TOP
#define STACK_SIZE      (8ul << 20)             /* like RLIMIT_STACK's default */
#define STACK_GUARD_GAP (256ul << 12)           /* Linux's stack_guard_gap */
#define MMAP_GAP        (128ul << 20)           /* mmap_base below the stack top */
#define DEFAULT_MAX_MAP_COUNT 65530             /* Linux's vm.max_map_count */

/*
 * The most VMAs a process may have, checked where Linux checks
 * sysctl_max_map_count: mmap and brk need no more than this many before
 * they add one, a split fewer (mm/as_ops.c). A future
 * /proc/sys/vm/max_map_count sets it.
 */
extern u64 vm_max_map_count;

/*
 * The shared zero page (mm/cow.c), in the kernel image: what a read of
 * private anonymous memory never written maps, read-only and marked
 * copy-on-write. Never freed, its refcount never counted; rss leaves it out.
 */
extern const u8 as_zero_page[PAGE_SIZE];

struct addr_space *as_create(void);     /* NULL: -ENOMEM; one user */
void as_destroy(struct addr_space *as);
/* One more user of @as (a vfork child borrowing its parent's space). */
void as_get(struct addr_space *as);
/* A user lets go of @as: true for the last one, which then destroys it
 * (as_destroy: active on no hart by then). */
bool as_put(struct addr_space *as);
/*
 * A child of @parent (fork): the same VMAs (each backend's copy hook takes
 * the child's reference to its backing; VMA_DONTFORK ones left out,
 * VMA_WIPEONFORK ones empty), the same break and mmap_base. Private
 * frames are then shared: each entry, in both spaces, becomes read-only
 * and marked copy-on-write, and each frame counts one reference more.
 * Shared pages (shm, linear) are not copied: the child faults them in
 * from the same backing. The parent's TLB is flushed on every hart of its
 * mask before this returns. Takes parent->lock; the child is not visible
 * to anyone yet. NULL when out of memory, with nothing left behind (the
 * parent's entries stay write-protected, their frames its own again).
 */
struct addr_space *as_fork(struct addr_space *parent);
/* Run @as on this hart: satp, ASID (flushing as owed), hart mask. */
void as_activate(struct addr_space *as);
/* Back to the kernel's root; this hart's entries for @as are flushed. */
void as_deactivate(struct addr_space *as);

/*
 * A fault at @addr of kind @access: 0 when the page is now mapped, -EFAULT
 * when no VMA contains @addr, -EACCES when the VMA there does not allow
 * the access, -ENOMEM when no frame was free, -ENXIO
 * when the page lies past the end of the object the VMA maps (Linux
 * raises SIGBUS there).
 */
int as_fault(struct addr_space *as, vaddr_t addr, int access);

/* uaccess: false when [addr, addr + size) touches a PROT_NONE VMA (whose
 * frames the kernel could otherwise read). */
bool as_user_readable_slow(struct addr_space *as, vaddr_t addr, u64 size);
/* Inline: with no PROT_NONE VMA (the common case) every range is. */
static inline bool as_user_readable(struct addr_space *as, vaddr_t addr, u64 size)
{
	if (!as || !__atomic_load_n(&as->none_vmas, __ATOMIC_RELAXED) || !size)
		return true;
	return as_user_readable_slow(as, addr, size);
}

/* Kernel-side mappings for the loader and tests (fixed address, no
 * replacement): 0, -EEXIST, -EINVAL, -ENOMEM. */
int as_map_anon(struct addr_space *as, vaddr_t start, u64 len, u32 prot, bool populate);
int as_map_stack(struct addr_space *as, vaddr_t start, u64 len);       /* read-write */
int as_map_file(struct addr_space *as, vaddr_t start, u64 len, u32 prot,
		const struct map_file *f, u64 foff, u64 fend);
int as_map_linear(struct addr_space *as, vaddr_t start, u64 len, u32 prot, paddr_t pa);
/* Kernel pages at @pa, for an address space no thread runs yet (exec);
 * @prot without PROT_WRITE (-EINVAL). */
int as_map_special(struct addr_space *as, vaddr_t start, u64 len, u32 prot, paddr_t pa);

/* The calls behind the syscalls, with Linux's arguments and results
 * (an address, 0, or -errno). */
long as_mmap(struct addr_space *as, vaddr_t addr, u64 len, u32 prot, u32 flags,
	     const struct map_file *f, bool fd_writable, u64 off);
long as_munmap(struct addr_space *as, vaddr_t addr, u64 len);
long as_mprotect(struct addr_space *as, vaddr_t addr, u64 len, u32 prot);
long as_mremap(struct addr_space *as, vaddr_t old, u64 old_len, u64 new_len,
	       u32 flags, vaddr_t new_addr);
long as_brk(struct addr_space *as, vaddr_t brk);
long as_madvise(struct addr_space *as, vaddr_t addr, u64 len, int advice);
/* mincore into a kernel buffer of len/4096 bytes: 0, -ENOMEM, -EINVAL. */
long as_mincore(struct addr_space *as, vaddr_t addr, u64 len, u8 *vec);
long as_msync(struct addr_space *as, vaddr_t addr, u64 len, int flags);
#endif
