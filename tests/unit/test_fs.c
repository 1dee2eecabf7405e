/*
 * test_fs: host tests of the file syscalls (kernel/fs/fs.c) and the process,
 * signal, limit, random, uname, clock and reboot syscalls
 * (kernel/sys.c) under ASan + UBSan.
 *
 *   usage: test_fs
 *
 * Both files are built unchanged over tests/unit/host/sys_host.c, which
 * simulates user memory (pages that fault on demand), the console (the
 * exact bytes console_write() gets), kmalloc (counted, failing on
 * request), the timer and the exits. The initramfs is an archive built
 * here byte by byte (files, directories, symlinks, device nodes), loaded
 * with kernel/fs/initramfs.c and kernel/fs/cpio.c.
 *
 * Every case runs as a fresh process (a new pid, fds 0..2 on the console,
 * user memory zeroed); afterwards its files are released and kmalloc must
 * be back where it was, or the case fails. Output: one line per case, in
 * the format of tests/unit/harness.h.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/proc.h>
#include <pagoda/syscall.h>
#include <asm/layout.h>

#include "harness.h"
#include "host/sys_host.h"

typedef long long ll;
typedef unsigned long long ull;

/* ---- Linux's user ABI (asm-generic, riscv64) ----------------------------- */

#define O_CREAT         00000100
#define O_EXCL          00000200
#define O_NOCTTY        00000400
#define O_TRUNC         00001000
#define O_APPEND        00002000
#define O_NONBLOCK      00004000
#define O_DSYNC         00010000
#define FASYNC          00020000
#define O_DIRECT        00040000
#define O_LARGEFILE     00100000
#define O_DIRECTORY     00200000
#define O_NOFOLLOW      00400000
#define O_NOATIME       01000000
#define O_CLOEXEC       02000000
#define O_SYNC          04010000
#define O_PATH          010000000
#define __O_TMPFILE     020000000

#define AT_FDCWD                (-100)
#define AT_SYMLINK_NOFOLLOW     0x100
#define AT_SYMLINK_FOLLOW       0x400
#define AT_NO_AUTOMOUNT         0x800
#define AT_EMPTY_PATH           0x1000
#define AT_STATX_FORCE_SYNC     0x2000
#define AT_STATX_DONT_SYNC      0x4000

#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2
#define SEEK_DATA       3
#define SEEK_HOLE       4

#define TCGETS          0x5401
#define TIOCGWINSZ      0x5413
#define FIONREAD        0x541b
#define FIONBIO         0x5421
#define FIONCLEX        0x5450
#define FIOCLEX         0x5451

#define S_IFIFO         0010000
#define S_IFBLK         0060000
#define S_IFSOCK        0140000

#define S64_MAX         0x7fffffffffffffffll
#define MAX_RW_COUNT    0x7ffff000ull
#define KADDR           0xffffffff80000000ull   /* a kernel address */

struct kstat {
	u64 st_dev, st_ino;
	u32 st_mode, st_nlink, st_uid, st_gid;
	u64 st_rdev, pad1;
	s64 st_size;
	s32 st_blksize, pad2;
	s64 st_blocks;
	s64 st_atime;
	u64 st_atime_nsec;
	s64 st_mtime;
	u64 st_mtime_nsec;
	s64 st_ctime;
	u64 st_ctime_nsec;
	u32 unused4, unused5;
};
_Static_assert(sizeof(struct kstat) == 128, "asm-generic struct stat");

struct kiovec {
	u64 base, len;
};

struct krlimit {
	u64 cur, max;
};

struct kutsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct ktimespec {
	s64 sec, nsec;
};

/* Call sys_NAME with four arguments (the rest 0), each cast to a register. */
#define SC(name, a0, a1, a2, a3) \
	sys_##name((u64)(a0), (u64)(a1), (u64)(a2), (u64)(a3), 0, 0)

/* ---- harness ------------------------------------------------------------- */

static long kmalloc_baseline;
static int next_pid = 1;

/* @expr (evaluated once) must equal @want. */
#define EQ(expr, want)                                                          \
	do {                                                                    \
		ll v_ = (ll)(expr), w_ = (ll)(want);                            \
		if (v_ != w_)                                                   \
			return test_failf("line %d: %s = %lld, want %lld",      \
					  __LINE__, #expr, v_, w_);             \
	} while (0)

/* @n bytes at @got must be @want's. */
#define MEMEQ(got, want, n)                                                     \
	do {                                                                    \
		if (memcmp((got), (want), (n)))                                 \
			return test_failf("line %d: %s differs from %s (%zu bytes)", \
					  __LINE__, #got, #want, (size_t)(n)); \
	} while (0)

/*
 * Run one case (when $TEST_FILTER selects it) as a fresh process: new pid,
 * console on fds 0..2, user memory zeroed, no kmalloc failures armed. A
 * panic fails the case; so do kmalloc blocks left behind once the
 * process's files are released.
 */
static void run_case(const char *name, test_case_fn fn)
{
	const char *err;
	jmp_buf jb;

	if (!test_selected(name))
		return;
	umem_reset();
	host_con_reset();
	host_kmalloc_fail_after(-1);
	memset(&host_proc, 0, sizeof(host_proc));
	host_proc.pid = next_pid++;
	rlimits_init(host_proc.rlimits);
	if (proc_files_init(&host_proc)) {
		err = "proc_files_init failed";
	} else if (setjmp(jb)) {
		err = test_failf("panic: %s", host_panic_msg);
	} else {
		host_panic_jmp = &jb;
		err = fn();
	}
	host_panic_jmp = NULL;
	host_kmalloc_fail_after(-1);
	proc_files_release(&host_proc);
	if (!err && host_kmalloc_live != kmalloc_baseline)
		err = test_failf("%ld kmalloc blocks not freed", host_kmalloc_live - kmalloc_baseline);
	test_report(name, err);
}

/* ---- the archive --------------------------------------------------------- */

#define DEMO_SIZE       10000
#define INIT_DATA       "INITDATA0123456789"
#define INIT_SIZE       18
#define NCHAIN          41              /* ch00 -> ch01 -> ... -> ch40 -> init */

struct ent {
	char name[300];
	u32 mode;
	const void *data;
	size_t size;
};

static struct ent ents[128];
static unsigned int nents;
static u8 demo[DEMO_SIZE], page_file[4096];
static char name255[256];
static char long_target[4097];          /* 4096 bytes and a NUL */

static u8 demo_byte(size_t i)
{
	return (u8)(i * 131 + (i >> 8) + 7);
}

static void add(const char *name, u32 mode, const void *data, size_t size)
{
	struct ent *e = &ents[nents++];

	snprintf(e->name, sizeof(e->name), "%s", name);
	e->mode = mode;
	e->data = data;
	e->size = size;
}

static void add_link(const char *name, const char *target)
{
	add(name, S_IFLNK | 0777, target, strlen(target));
}

/* Inode numbers count from 1 in archive order; mtime is 1000 + inode. */
static u32 ino_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < nents; i++)
		if (!strcmp(ents[i].name, name))
			return i + 1;
	fprintf(stderr, "test_fs: no entry %s\n", name);
	abort();
}

static void put(u8 **p, const void *src, size_t n)
{
	if (n)
		memcpy(*p, src, n);
	*p += n;
}

static size_t pad4(size_t n)
{
	return (4 - n % 4) % 4;
}

/* One newc entry at *@p (NULL: only measure); its size. */
static size_t newc_entry(u8 **p, const char *name, u32 mode, u32 ino, const void *data,
			 size_t size)
{
	size_t namesz = strlen(name) + 1, head = 110 + namesz;
	size_t total = head + pad4(head) + size + pad4(size);
	char hdr[128];

	if (!p)
		return total;
	snprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 ino, mode, 0, 0, 1, 1000 + ino, (u32)size, 0, 0, 0, 0, (u32)namesz, 0);
	put(p, hdr, 110);
	put(p, name, namesz);
	memset(*p, 0, pad4(head));
	*p += pad4(head);
	put(p, data, size);
	memset(*p, 0, pad4(size));
	*p += pad4(size);
	return total;
}

static void make_entries(void)
{
	static char chain[NCHAIN][8], targets[NCHAIN][8];
	size_t i;

	for (i = 0; i < DEMO_SIZE; i++)
		demo[i] = demo_byte(i);
	memset(page_file, 'p', sizeof(page_file));
	memset(name255, 'n', 255);
	add(".", S_IFDIR | 0755, NULL, 0);
	add("init", S_IFREG | 0755, INIT_DATA, INIT_SIZE);
	add("bin", S_IFDIR | 0755, NULL, 0);
	add("bin/sub", S_IFDIR | 0700, NULL, 0);
	add("bin/demo", S_IFREG | 0644, demo, DEMO_SIZE);
	add("bin/empty", S_IFREG | 0644, NULL, 0);
	add("bin/page", S_IFREG | 0600, page_file, sizeof(page_file));
	add_link("bin/uplnk", "../init");
	add_link("bin/sub/up2", "../../init");
	add_link("bin/sub/abs", "/bin/demo");
	add_link("lnk", "bin/demo");
	add_link("alnk", "/bin");
	add_link("dlnk", "nowhere");
	add_link("elnk", "");
	for (i = 0; i < sizeof(long_target) - 5; i += 2)
		memcpy(long_target + i, "./", 2);
	memcpy(long_target + i, "init", 5);     /* "././…/init", PATH_MAX bytes */
	add_link("biglnk", long_target);        /* valid parts, but too long */
	add_link("loop1", "loop2");
	add_link("loop2", "loop1");
	add("dev", S_IFDIR | 0755, NULL, 0);
	add("dev/console", S_IFCHR | 0600, NULL, 0);
	add("dev/fifo", S_IFIFO | 0644, NULL, 0);
	add("dev/sock", S_IFSOCK | 0755, NULL, 0);
	add("dev/blk", S_IFBLK | 0660, NULL, 0);
	add("orphan/file", S_IFREG | 0644, "o", 1);
	add(name255, S_IFREG | 0644, "long", 4);
	for (i = 0; i < NCHAIN; i++) {
		snprintf(chain[i], sizeof(chain[i]), "ch%02zu", i);
		if (i + 1 < NCHAIN)
			snprintf(targets[i], sizeof(targets[i]), "ch%02zu", i + 1);
		else
			snprintf(targets[i], sizeof(targets[i]), "init");
		add_link(chain[i], targets[i]);
	}
}

/* The archive in a malloc'd buffer of exactly its size (kept for good:
 * the file table points into it). */
static void load_archive(void)
{
	size_t size = 0, i;
	const char *why = NULL;
	u8 *buf, *p;

	make_entries();
	for (i = 0; i < nents; i++)
		size += newc_entry(NULL, ents[i].name, 0, 0, NULL, ents[i].size);
	size += newc_entry(NULL, "TRAILER!!!", 0, 0, NULL, 0);
	buf = p = malloc(size);
	for (i = 0; i < nents; i++)
		newc_entry(&p, ents[i].name, ents[i].mode, (u32)i + 1, ents[i].data,
			   ents[i].size);
	newc_entry(&p, "TRAILER!!!", 0, 0, NULL, 0);
	if (initramfs_load(buf, size, &why)) {
		fprintf(stderr, "test_fs: initramfs_load: %s\n", why ? why : "?");
		exit(2);
	}
}

/* ---- helpers ------------------------------------------------------------- */

static long op(const char *path, u64 flags)
{
	return SC(openat, AT_FDCWD, ustr(path), flags, 0);
}

static long opat(int dirfd, const char *path, u64 flags)
{
	return SC(openat, dirfd, ustr(path), flags, 0);
}

static struct kstat *ust(void)
{
	return ualloc(sizeof(struct kstat));
}

/* The inode open on @fd (0 when fstat fails). */
static u64 fd_ino(int fd)
{
	struct kstat *st = ust();

	return SC(fstat, fd, st, 0, 0) ? 0 : st->st_ino;
}

/* Open @path with @flags, check it is inode @ino, close it. */
static const char *open_is(int dirfd, const char *path, u64 flags, u32 ino)
{
	long fd = opat(dirfd, path, flags);

	CHECK(fd >= 0, "open %s (flags 0%llo) = %ld, want an fd", path, (ull)flags, fd);
	CHECK(fd_ino((int)fd) == ino, "open %s: inode %llu, want %u", path,
	      (ull)fd_ino((int)fd), ino);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

/* The console's bytes since the last reset are exactly @n bytes of @want. */
static const char *con_is(const void *want, size_t n)
{
	CHECK(host_con_len == n && !memcmp(host_con, want, n),
	      "console got %zu bytes, want %zu", host_con_len, n);
	return NULL;
}

/* ---- the file table and the console -------------------------------------- */

static const char *case_file_table(void)
{
	struct file *con = host_proc.files[0];
	struct proc q;
	int fd;

	CHECK(con && host_proc.files[1] == con && host_proc.files[2] == con,
	      "fds 0, 1, 2 are not one file");
	EQ(con->refs, 3);
	EQ(con->flags, O_RDWR);
	CHECK(!con->rf, "the console has an archive entry");
	for (fd = 3; fd < NR_OPEN; fd++)
		CHECK(!host_proc.files[fd], "fd %d open in a new process", fd);
	CHECK(proc_file(&host_proc, 1) == con, "proc_file(1)");
	CHECK(!proc_file(&host_proc, -1) && !proc_file(&host_proc, NR_OPEN) &&
	      !proc_file(&host_proc, 3), "proc_file of a closed fd");

	memset(&q, 0x5a, sizeof(q));
	host_kmalloc_fail_after(0);
	EQ(proc_files_init(&q), -ENOMEM);
	host_kmalloc_fail_after(-1);
	for (fd = 0; fd < NR_OPEN; fd++)
		CHECK(!q.files[fd], "fd %d set after a failed proc_files_init", fd);
	EQ(proc_files_init(&q), 0);
	CHECK(q.files[0] && q.files[0] != con, "a second process shares the console file");
	proc_files_release(&q);
	for (fd = 0; fd < NR_OPEN; fd++)
		CHECK(!q.files[fd], "fd %d left after proc_files_release", fd);
	proc_files_release(&q);
	return NULL;
}

static const char *case_console_write_bytes(void)
{
	static const char nul[] = { 'a', 0, 'b', 0 };
	char *b = ualloc(4096);
	u8 all[256];
	int i;

	memcpy(b, "hello\n", 6);
	EQ(SC(write, 1, b, 6, 0), 6);
	TRY(con_is("hello\n", 6));
	host_con_reset();
	memcpy(b, nul, sizeof(nul));
	EQ(SC(write, 2, b, 3, 0), 3);
	TRY(con_is("a\0b", 3));
	host_con_reset();
	EQ(SC(write, 1, b, 4, 0), 4);
	TRY(con_is(nul, 4));
	host_con_reset();
	EQ(SC(write, 0, b, 1, 0), 1);           /* fd 0 is the console too, O_RDWR */
	TRY(con_is("a", 1));
	for (i = 0; i < 256; i++)
		all[i] = (u8)i;
	host_con_reset();
	memcpy(b, all, 256);
	EQ(SC(write, 1, b, 256, 0), 256);
	TRY(con_is(all, 256));
	host_con_reset();
	EQ(SC(write, 1, b, 0, 0), 0);
	EQ(SC(write, 1, NULL, 0, 0), 0);
	TRY(con_is("", 0));
	return NULL;
}

static const char *case_console_write_large(void)
{
	size_t n = 3 * 4096 + 123, i;
	u8 *b = ualloc(n + 100) + 77;   /* not page aligned: chunks cross pages */

	for (i = 0; i < n; i++)
		b[i] = demo_byte(i);
	EQ(SC(write, 1, b, n, 0), n);
	TRY(con_is(b, n));
	/* a count over MAX_RW_COUNT is cut, not refused: here a fault stops it */
	host_con_reset();
	b = umem_edge();
	memset(b, 'w', 4096);
	EQ(SC(write, 1, b, 1ull << 32, 0), 4096);
	EQ(host_con_len, 4096);
	return NULL;
}

static const char *case_console_write_faults(void)
{
	u8 *e = umem_edge();

	memcpy(e + 4086, "0123456789", 10);
	EQ(SC(write, 1, e + 4086, 20, 0), 10);
	TRY(con_is("0123456789", 10));
	host_con_reset();
	EQ(SC(write, 1, e + 4096, 20, 0), -EFAULT);
	EQ(SC(write, 1, NULL, 1, 0), -EFAULT);
	EQ(SC(write, 1, KADDR, 1, 0), -EFAULT);
	EQ(SC(write, 1, USER_TOP - 1, 2, 0), -EFAULT);
	EQ(SC(write, 1, e, 1ull << 63, 0), -EFAULT);
	TRY(con_is("", 0));
	return NULL;
}

static const char *case_console_other_calls(void)
{
	struct kstat *st = ust();
	u8 *b = ualloc(64);
	int *ip = ualloc(sizeof(int));

	memset(b, 'q', 64);
	EQ(SC(read, 0, b, 8, 0), 0);
	EQ(SC(read, 1, b, 8, 0), 0);
	EQ(b[0], 'q');
	EQ(SC(read, 0, KADDR, 8, 0), -EFAULT);
	EQ(SC(lseek, 1, 0, SEEK_CUR, 0), -ESPIPE);
	EQ(SC(lseek, 0, 0, SEEK_END, 0), -ESPIPE);
	EQ(SC(lseek, 1, 0, 5, 0), -EINVAL);
	EQ(SC(pread64, 1, b, 4, 0), -ESPIPE);
	EQ(SC(pread64, 1, b, 4, -1), -EINVAL);
	memset(st, 0xff, sizeof(*st));
	EQ(SC(fstat, 1, st, 0, 0), 0);
	EQ(st->st_mode, S_IFCHR | 0620);
	EQ(st->st_rdev, 136 << 8);
	EQ(st->st_dev, 2);
	EQ(st->st_ino, 3);
	EQ(st->st_nlink, 1);
	EQ(st->st_size, 0);
	EQ(st->st_blocks, 0);
	EQ(st->st_blksize, 4096);
	EQ(st->st_uid, 0);
	EQ(st->st_mtime, 0);
	EQ(SC(ioctl, 1, TCGETS, b, 0), -ENOTTY);
	EQ(SC(ioctl, 0, TIOCGWINSZ, b, 0), -ENOTTY);
	EQ(SC(ioctl, 1, FIONREAD, ip, 0), -ENOTTY);
	EQ(SC(ioctl, 1, FIOCLEX, 0, 0), 0);
	EQ(SC(ioctl, 1, FIONCLEX, 0, 0), 0);
	*ip = 1;
	EQ(SC(ioctl, 2, FIONBIO, ip, 0), 0);
	CHECK(host_proc.files[0]->flags & O_NONBLOCK, "FIONBIO on fd 2 did not set O_NONBLOCK");
	*ip = 0;
	EQ(SC(ioctl, 1, FIONBIO, ip, 0), 0);
	CHECK(!(host_proc.files[0]->flags & O_NONBLOCK), "FIONBIO 0 did not clear O_NONBLOCK");
	EQ(SC(ioctl, 1, FIONBIO, NULL, 0), -EFAULT);
	return NULL;
}

static const char *case_bad_fds(void)
{
	static const ll bad[] = { -1, 3, 63, 64, 1000, INT_MIN, INT_MAX, -100 };
	struct kiovec *iov = ualloc(sizeof(*iov));
	struct kstat *st = ust();
	u8 *b = ualloc(16);
	size_t i;

	iov->base = (u64)b;
	iov->len = 1;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ll fd = bad[i];

		EQ(SC(read, fd, b, 1, 0), -EBADF);
		EQ(SC(write, fd, b, 1, 0), -EBADF);
		EQ(SC(pread64, fd, b, 1, 0), -EBADF);
		EQ(SC(readv, fd, iov, 1, 0), -EBADF);
		EQ(SC(writev, fd, iov, 1, 0), -EBADF);
		EQ(SC(lseek, fd, 0, SEEK_SET, 0), -EBADF);
		EQ(SC(fstat, fd, st, 0, 0), -EBADF);
		EQ(SC(ioctl, fd, FIOCLEX, 0, 0), -EBADF);
		EQ(SC(close, fd, 0, 0, 0), -EBADF);
	}
	/* fds are ints: the upper half of the register is not looked at */
	EQ(SC(write, 0x100000001ull, b, 1, 0), 1);
	EQ(SC(fstat, 0xffffffff00000001ull, st, 0, 0), 0);
	return NULL;
}

/* ---- reading files ------------------------------------------------------- */

static const char *case_open_read(void)
{
	u8 *b = ualloc(64);
	long fd, fd2;

	fd = op("/init", O_RDONLY);
	EQ(fd, 3);
	EQ(SC(read, fd, b, 5, 0), 5);
	MEMEQ(b, "INITD", 5);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 5);
	EQ(SC(pread64, fd, b, 4, 2), 4);
	MEMEQ(b, "ITDA", 4);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 5);
	EQ(SC(pread64, fd, b, 10, 16), 2);
	MEMEQ(b, "89", 2);
	EQ(SC(pread64, fd, b, 10, 18), 0);
	EQ(SC(pread64, fd, b, 10, 1000), 0);
	EQ(SC(pread64, fd, b, 1, S64_MAX), -EINVAL);
	EQ(SC(pread64, fd, b, 0, S64_MAX), 0);
	EQ(SC(read, fd, b, 0, 0), 0);
	EQ(SC(read, fd, b, 64, 0), 13);
	MEMEQ(b, "ATA0123456789", 13);
	EQ(SC(read, fd, b, 64, 0), 0);
	fd2 = op("/init", O_RDONLY);
	EQ(fd2, 4);
	EQ(SC(read, fd2, b, 3, 0), 3);
	MEMEQ(b, "INI", 3);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 18);
	/* a count beyond MAX_RW_COUNT is cut, then the file's end stops it */
	EQ(SC(pread64, fd, b, 0x80000000ull, 0), 18);
	EQ(SC(close, fd, 0, 0, 0), 0);
	EQ(SC(close, fd2, 0, 0, 0), 0);
	return NULL;
}

static const char *case_read_whole_files(void)
{
	u8 *b = ualloc(DEMO_SIZE + 64);
	long fd;

	fd = op("/bin/demo", O_RDONLY);
	CHECK(fd >= 0, "open /bin/demo: %ld", fd);
	EQ(SC(read, fd, b, DEMO_SIZE + 64, 0), DEMO_SIZE);
	MEMEQ(b, demo, DEMO_SIZE);
	EQ(SC(read, fd, b, 1, 0), 0);
	EQ(SC(lseek, fd, 0, SEEK_SET, 0), 0);
	EQ(SC(read, fd, b, 3000, 0), 3000);
	EQ(SC(read, fd, b + 3000, 3000, 0), 3000);
	EQ(SC(read, fd, b + 6000, 3000, 0), 3000);
	EQ(SC(read, fd, b + 9000, 3000, 0), 1000);
	MEMEQ(b, demo, DEMO_SIZE);
	EQ(SC(close, fd, 0, 0, 0), 0);
	fd = op("/bin/empty", O_RDONLY);
	EQ(SC(read, fd, b, 10, 0), 0);
	EQ(SC(pread64, fd, b, 10, 0), 0);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_read_faults(void)
{
	u8 *e = umem_edge(), *big = ualloc(3000);
	long df = op("/bin/demo", O_RDONLY);

	EQ(SC(read, df, e + 4000, 500, 0), 96);         /* up to the faulting page */
	MEMEQ(e + 4000, demo, 96);
	EQ(SC(lseek, df, 0, SEEK_CUR, 0), 96);
	EQ(SC(read, df, e + 4096, 5, 0), -EFAULT);
	EQ(SC(read, df, KADDR, 5, 0), -EFAULT);
	EQ(SC(read, df, NULL, 5, 0), -EFAULT);
	EQ(SC(read, df, USER_TOP - 4, 5, 0), -EFAULT);
	EQ(SC(lseek, df, 0, SEEK_CUR, 0), 96);
	EQ(SC(pread64, df, e + 4090, 100, 1000), 6);
	MEMEQ(e + 4090, demo + 1000, 6);
	EQ(SC(lseek, df, 0, SEEK_CUR, 0), 96);
	EQ(SC(read, df, big, 3000, 0), 3000);
	MEMEQ(big, demo + 96, 3000);
	EQ(SC(close, df, 0, 0, 0), 0);
	return NULL;
}

static const char *case_read_position_limits(void)
{
	u8 *b = ualloc(64);
	long fd = op("/init", O_RDONLY);

	EQ(SC(lseek, fd, 100, SEEK_SET, 0), 100);
	EQ(SC(read, fd, b, 4, 0), 0);
	EQ(SC(lseek, fd, S64_MAX, SEEK_SET, 0), S64_MAX);
	EQ(SC(read, fd, b, 1, 0), -EINVAL);
	EQ(SC(read, fd, b, 0, 0), 0);
	EQ(SC(lseek, fd, S64_MAX - 10, SEEK_SET, 0), S64_MAX - 10);
	EQ(SC(read, fd, b, 10, 0), 0);
	EQ(SC(read, fd, b, 11, 0), -EINVAL);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

/* ---- stat ---------------------------------------------------------------- */

/* The stat of archive entry @name, as fstat of an open fd gives it. */
static const char *stat_is(const struct kstat *st, const char *name, u32 mode, s64 size,
			   s64 blocks, u32 nlink)
{
	u32 ino = ino_of(name);

	CHECK(st->st_ino == ino && st->st_mode == mode && st->st_size == size &&
	      st->st_blocks == blocks && st->st_nlink == nlink,
	      "%s: ino %llu mode 0%o size %lld blocks %lld nlink %u, want %u 0%o %lld %lld %u",
	      name, (ull)st->st_ino, st->st_mode, (ll)st->st_size, (ll)st->st_blocks,
	      st->st_nlink, ino, mode, (ll)size, (ll)blocks, nlink);
	CHECK(st->st_dev == 1 && st->st_uid == 0 && st->st_gid == 0 && st->st_rdev == 0 &&
	      st->st_blksize == 4096, "%s: dev %llu uid %u gid %u rdev %llu blksize %d",
	      name, (ull)st->st_dev, st->st_uid, st->st_gid, (ull)st->st_rdev, st->st_blksize);
	CHECK(st->st_mtime == 1000 + ino && st->st_atime == st->st_mtime &&
	      st->st_ctime == st->st_mtime, "%s: times %lld %lld %lld, want %u", name,
	      (ll)st->st_atime, (ll)st->st_mtime, (ll)st->st_ctime, 1000 + ino);
	CHECK(!st->st_atime_nsec && !st->st_mtime_nsec && !st->st_ctime_nsec && !st->pad1 &&
	      !st->pad2 && !st->unused4 && !st->unused5, "%s: nonzero padding or nsec", name);
	return NULL;
}

static const char *fstat_path_is(const char *path, const char *name, u32 mode, s64 size,
				 s64 blocks, u32 nlink)
{
	struct kstat *st = ust();
	long fd = op(path, O_RDONLY);

	CHECK(fd >= 0, "open %s: %ld", path, fd);
	memset(st, 0xa5, sizeof(*st));
	EQ(SC(fstat, fd, st, 0, 0), 0);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return stat_is(st, name, mode, size, blocks, nlink);
}

static const char *case_fstat_files(void)
{
	u8 *e = umem_edge();
	long fd;

	TRY(fstat_path_is("/init", "init", S_IFREG | 0755, INIT_SIZE, 8, 1));
	TRY(fstat_path_is("/bin/demo", "bin/demo", S_IFREG | 0644, DEMO_SIZE, 24, 1));
	TRY(fstat_path_is("/bin/empty", "bin/empty", S_IFREG | 0644, 0, 0, 1));
	TRY(fstat_path_is("/bin/page", "bin/page", S_IFREG | 0600, 4096, 8, 1));
	fd = op("/init", O_RDONLY);
	EQ(SC(fstat, fd, NULL, 0, 0), -EFAULT);
	EQ(SC(fstat, fd, KADDR, 0, 0), -EFAULT);
	EQ(SC(fstat, fd, e + 4096 - 64, 0, 0), -EFAULT);
	memset(e + 4096 - 256, 0x77, 256);
	EQ(SC(fstat, fd, e + 4096 - 128, 0, 0), 0);     /* ends exactly at the page */
	EQ(((struct kstat *)(e + 4096 - 128))->st_size, INIT_SIZE);
	EQ(e[4096 - 129], 0x77);                        /* nothing written before it */
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_stat_directories(void)
{
	struct kstat *st = ust();
	u8 *b = ualloc(16);
	int *ip = ualloc(sizeof(int));
	long fd;

	fd = op("/", O_RDONLY);
	CHECK(fd >= 0, "open /: %ld", fd);
	EQ(SC(fstat, fd, st, 0, 0), 0);
	EQ(st->st_ino, 1);
	EQ(st->st_mode, S_IFDIR | 0755);
	EQ(st->st_nlink, 4);                    /* ., .., bin, dev (orphan/ has no entry) */
	EQ(st->st_size, 0);
	EQ(st->st_blocks, 0);
	EQ(st->st_dev, 1);
	EQ(SC(read, fd, b, 4, 0), -EISDIR);
	EQ(SC(pread64, fd, b, 4, 0), -EISDIR);
	EQ(SC(ioctl, fd, FIONREAD, ip, 0), -ENOTTY);
	EQ(SC(close, fd, 0, 0, 0), 0);
	TRY(fstat_path_is("/bin", "bin", S_IFDIR | 0755, 0, 0, 3));
	TRY(fstat_path_is("/bin/sub", "bin/sub", S_IFDIR | 0700, 0, 0, 2));
	TRY(fstat_path_is("/dev", "dev", S_IFDIR | 0755, 0, 0, 2));
	return NULL;
}

/* ---- paths --------------------------------------------------------------- */

static const char *case_path_walk(void)
{
	static const struct { const char *path; const char *name; } ok[] = {
		{ "init", "init" }, { "./init", "init" }, { "/./init", "init" },
		{ "//init", "init" }, { "/bin/../init", "init" }, { "./bin/../init", "init" },
		{ "/../../init", "init" }, { "../init", "init" },
		{ "bin/sub/../../init", "init" },
		{ "bin/./sub/../demo", "bin/demo" }, { "//bin//./demo", "bin/demo" },
		{ "/bin/", "bin" }, { "/bin//", "bin" }, { "/bin/.", "bin" },
		{ "/bin/sub/..", "bin" }, { "bin/sub/", "bin/sub" }, { "bin/sub/.//", "bin/sub" },
	};
	char path[300];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		TRY(open_is(AT_FDCWD, ok[i].path, O_RDONLY, ino_of(ok[i].name)));
	TRY(open_is(AT_FDCWD, "/", O_RDONLY, 1));
	TRY(open_is(AT_FDCWD, ".", O_RDONLY, 1));
	TRY(open_is(AT_FDCWD, "..", O_RDONLY, 1));
	TRY(open_is(AT_FDCWD, "/..", O_RDONLY | O_DIRECTORY, 1));
	TRY(open_is(AT_FDCWD, "bin/..", O_RDONLY, 1));
	TRY(open_is(AT_FDCWD, "/bin/", O_RDONLY | O_DIRECTORY, ino_of("bin")));
	snprintf(path, sizeof(path), "/%s", name255);   /* a name of NAME_MAX bytes */
	TRY(open_is(AT_FDCWD, path, O_RDONLY, ino_of(name255)));
	return NULL;
}

static const char *case_path_errors(void)
{
	static const struct { const char *path; int err; } bad[] = {
		{ "/init/", -ENOTDIR }, { "/init/x", -ENOTDIR }, { "/init/..", -ENOTDIR },
		{ "/init/.", -ENOTDIR }, { "/bin/demo/", -ENOTDIR }, { "init//", -ENOTDIR },
		{ "/nope", -ENOENT }, { "/nope/x", -ENOENT }, { "/nope/..", -ENOENT },
		{ "/nope/", -ENOENT }, { "", -ENOENT }, { "/orphan/file", -ENOENT },
		{ "/orphan", -ENOENT }, { "/bin/nope", -ENOENT }, { "bin/sub/x", -ENOENT },
	};
	char path[300];
	char *lp;
	u8 *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		long r = op(bad[i].path, O_RDONLY);

		CHECK(r == bad[i].err, "open \"%s\" = %ld, want %d", bad[i].path, r, bad[i].err);
	}
	/* a component over NAME_MAX; one of NAME_MAX that is missing */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[257] = '\0';
	EQ(op(path, O_RDONLY), -ENAMETOOLONG);
	path[256] = '\0';
	EQ(op(path, O_RDONLY), -ENOENT);
	/* PATH_MAX counts the NUL: 4095 bytes resolve, 4096 are too long */
	lp = ualloc(4097);
	memset(lp, '/', 4096);
	lp[4096] = '\0';
	EQ(SC(openat, AT_FDCWD, lp, O_RDONLY, 0), -ENAMETOOLONG);
	memcpy(lp + 4091, "init", 5);
	TRY(open_is(AT_FDCWD, lp, O_RDONLY, ino_of("init")));
	/* the path itself faults */
	e = umem_edge();
	memset(e, '/', 4096);
	EQ(SC(openat, AT_FDCWD, e, O_RDONLY, 0), -ENAMETOOLONG);   /* 4096 bytes, no NUL */
	EQ(SC(openat, AT_FDCWD, e + 4094, O_RDONLY, 0), -EFAULT);
	EQ(SC(openat, AT_FDCWD, NULL, O_RDONLY, 0), -EFAULT);
	EQ(SC(openat, AT_FDCWD, KADDR, O_RDONLY, 0), -EFAULT);
	EQ(SC(openat, AT_FDCWD, USER_TOP - 1, O_RDONLY, 0), -EFAULT);
	return NULL;
}

static const char *case_open_access_modes(void)
{
	long fd;

	EQ(op("/init", O_WRONLY), -EROFS);
	EQ(op("/init", O_RDWR), -EROFS);
	EQ(op("/init", 3), -EROFS);
	EQ(op("/init", O_TRUNC), -EROFS);
	EQ(op("/init", O_RDWR | O_TRUNC), -EROFS);
	EQ(op("/", O_WRONLY), -EISDIR);
	EQ(op("/bin", O_RDWR), -EISDIR);
	EQ(op("/bin", 3), -EISDIR);
	EQ(op("/bin", O_TRUNC), -EISDIR);
	EQ(op("/nope", O_TRUNC), -ENOENT);
	EQ(op("/init", O_DIRECTORY), -ENOTDIR);
	EQ(op("/init", O_WRONLY | O_DIRECTORY), -ENOTDIR);
	/* flags the kernel does not know, or that mean nothing here, are ignored */
	fd = op("/init", 0x80000000ull | O_NOATIME | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		O_LARGEFILE | O_DIRECT | O_DSYNC | O_SYNC | FASYNC | O_APPEND);
	EQ(fd, 3);
	CHECK(host_proc.files[3]->flags & O_NONBLOCK, "O_NONBLOCK not kept");
	CHECK(!(host_proc.files[3]->flags & O_NOCTTY), "O_NOCTTY kept");
	EQ(SC(close, fd, 0, 0, 0), 0);
	fd = op("/bin", O_RDONLY | O_DIRECTORY | O_APPEND);
	EQ(fd, 3);
	EQ(SC(close, fd, 0, 0, 0), 0);
	/* the upper half of the flags register is ignored */
	fd = SC(openat, AT_FDCWD, ustr("/init"), 0x100000000ull | O_RDONLY, 0);
	EQ(fd, 3);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_open_create(void)
{
	long fd;

	EQ(op("/new", O_CREAT | O_WRONLY), -EROFS);
	EQ(op("/new", O_CREAT), -EROFS);
	EQ(op("bin/new", O_CREAT | O_EXCL | O_RDWR), -EROFS);
	EQ(op("/nope/new", O_CREAT), -ENOENT);
	EQ(op("/orphan/new", O_CREAT | O_EXCL), -ENOENT);
	EQ(op("/init/new", O_CREAT), -ENOTDIR);
	EQ(op("/init", O_CREAT | O_EXCL), -EEXIST);
	EQ(op("/bin", O_CREAT | O_EXCL), -EEXIST);
	EQ(op("/.", O_CREAT | O_EXCL), -EEXIST);
	EQ(op("/lnk", O_CREAT | O_EXCL), -EEXIST);      /* O_EXCL: not followed */
	EQ(op("/dlnk", O_CREAT | O_EXCL), -EEXIST);
	EQ(op("/dlnk", O_CREAT), -EROFS);               /* followed, to nothing */
	EQ(op("/bin", O_CREAT), -EISDIR);
	EQ(op("/bin/.", O_CREAT), -EISDIR);
	EQ(op("/new/", O_CREAT), -EISDIR);
	EQ(op("/init/", O_CREAT), -EISDIR);
	EQ(op("/bin/", O_CREAT | O_EXCL), -EISDIR);
	EQ(op("/dev/console", O_CREAT), -ENXIO);
	EQ(op("/init", O_CREAT | O_TRUNC), -EROFS);
	EQ(op("/bin", O_CREAT | O_DIRECTORY), -EINVAL);
	EQ(op("/new", O_CREAT | O_DIRECTORY), -EINVAL);
	EQ(SC(openat, AT_FDCWD, NULL, O_CREAT | O_DIRECTORY, 0), -EINVAL);  /* before the path */
	fd = op("/init", O_CREAT);                      /* exists: opened read-only */
	EQ(fd, 3);
	CHECK(!(host_proc.files[3]->flags & (O_CREAT | O_EXCL | O_TRUNC)),
	      "creation flags kept on the file");
	EQ(fd_ino(3), ino_of("init"));
	EQ(SC(close, fd, 0, 0, 0), 0);
	fd = op("/lnk", O_CREAT);                       /* followed */
	EQ(fd_ino((int)fd), ino_of("bin/demo"));
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_open_tmpfile(void)
{
	EQ(op("/", __O_TMPFILE | O_DIRECTORY | O_RDWR), -EROFS);
	EQ(op("/bin", __O_TMPFILE | O_DIRECTORY | O_WRONLY), -EROFS);
	EQ(op("/alnk", __O_TMPFILE | O_DIRECTORY | O_WRONLY), -EROFS);
	EQ(op("/", __O_TMPFILE | O_DIRECTORY), -EINVAL);        /* no write access */
	EQ(op("/", __O_TMPFILE | O_RDWR), -EINVAL);             /* no O_DIRECTORY */
	EQ(op("/init", __O_TMPFILE | O_DIRECTORY | O_RDWR), -ENOTDIR);
	EQ(op("/nope", __O_TMPFILE | O_DIRECTORY | O_RDWR), -ENOENT);
	EQ(op("/nope/x", __O_TMPFILE | O_DIRECTORY | O_RDWR), -ENOENT);
	EQ(SC(openat, AT_FDCWD, NULL, __O_TMPFILE | O_RDWR, 0), -EINVAL);
	return NULL;
}

static const char *case_open_special_files(void)
{
	static const char *const nodes[] = {
		"/dev/console", "/dev/fifo", "/dev/sock", "/dev/blk",
	};
	static const u32 modes[] = {
		S_IFCHR | 0600, S_IFIFO | 0644, S_IFSOCK | 0755, S_IFBLK | 0660,
	};
	struct kstat *st = ust();
	size_t i;
	long fd;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		EQ(op(nodes[i], O_RDONLY), -ENXIO);
		EQ(op(nodes[i], O_RDWR), -ENXIO);
		EQ(op(nodes[i], O_NOFOLLOW), -ENXIO);
		EQ(op(nodes[i], O_TRUNC), -ENXIO);
		EQ(op(nodes[i], O_DIRECTORY), -ENOTDIR);
		EQ(SC(newfstatat, AT_FDCWD, ustr(nodes[i]), st, 0), 0);
		EQ(st->st_mode, modes[i]);
		EQ(st->st_size, 0);
		fd = op(nodes[i], O_PATH);
		EQ(fd, 3);
		EQ(SC(close, fd, 0, 0, 0), 0);
	}
	return NULL;
}

/* ---- symlinks, O_PATH, dirfds -------------------------------------------- */

static const char *case_symlinks_followed(void)
{
	struct kstat *st = ust();

	TRY(open_is(AT_FDCWD, "/lnk", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is(AT_FDCWD, "/alnk/demo", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is(AT_FDCWD, "/alnk/sub/../demo", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is(AT_FDCWD, "/alnk", O_RDONLY | O_DIRECTORY, ino_of("bin")));
	TRY(open_is(AT_FDCWD, "/alnk/", O_RDONLY, ino_of("bin")));
	TRY(open_is(AT_FDCWD, "/alnk/../init", O_RDONLY, ino_of("init")));
	TRY(open_is(AT_FDCWD, "/bin/uplnk", O_RDONLY, ino_of("init")));
	TRY(open_is(AT_FDCWD, "/alnk/uplnk", O_RDONLY, ino_of("init")));
	TRY(open_is(AT_FDCWD, "bin/sub/up2", O_RDONLY, ino_of("init")));
	TRY(open_is(AT_FDCWD, "bin/sub/abs", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is(AT_FDCWD, "/ch01", O_RDONLY, ino_of("init")));  /* 40 links: the limit */
	EQ(op("/ch00", O_RDONLY), -ELOOP);                          /* 41 */
	EQ(op("/lnk/", O_RDONLY), -ENOTDIR);
	EQ(op("/lnk/x", O_RDONLY), -ENOTDIR);
	EQ(op("/dlnk", O_RDONLY), -ENOENT);
	EQ(op("/dlnk/", O_RDONLY), -ENOENT);
	EQ(op("/elnk", O_RDONLY), -ENOENT);
	EQ(op("/biglnk", O_RDONLY), -ENAMETOOLONG);
	EQ(op("/loop1", O_RDONLY), -ELOOP);
	EQ(op("/loop1/x", O_RDONLY), -ELOOP);
	EQ(op("/lnk", O_RDWR), -EROFS);
	EQ(op("/alnk", O_RDWR), -EISDIR);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/lnk"), st, 0), 0);
	EQ(st->st_ino, ino_of("bin/demo"));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/ch01"), st, 0), 0);
	EQ(st->st_ino, ino_of("init"));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/ch00"), st, 0), -ELOOP);
	return NULL;
}

static const char *case_symlinks_not_followed(void)
{
	struct kstat *st = ust();

	EQ(op("/lnk", O_NOFOLLOW), -ELOOP);
	EQ(op("/dlnk", O_NOFOLLOW), -ELOOP);
	EQ(op("/lnk", O_NOFOLLOW | O_DIRECTORY), -ENOTDIR);
	EQ(op("/alnk", O_NOFOLLOW | O_DIRECTORY), -ENOTDIR);
	/* only the last component is affected, and not with a trailing '/' */
	TRY(open_is(AT_FDCWD, "/alnk/demo", O_NOFOLLOW, ino_of("bin/demo")));
	TRY(open_is(AT_FDCWD, "/alnk/", O_NOFOLLOW, ino_of("bin")));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/lnk"), st, AT_SYMLINK_NOFOLLOW), 0);
	TRY(stat_is(st, "lnk", S_IFLNK | 0777, 8, 8, 1));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/ch00"), st, AT_SYMLINK_NOFOLLOW), 0);
	EQ(st->st_ino, ino_of("ch00"));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/alnk/"), st, AT_SYMLINK_NOFOLLOW), 0);
	EQ(st->st_ino, ino_of("bin"));
	return NULL;
}

static const char *case_o_path(void)
{
	struct kiovec *iov = ualloc(sizeof(*iov));
	struct kstat *st = ust();
	u8 *b = ualloc(64);
	long f, d;

	iov->base = (u64)b;
	iov->len = 4;
	f = op("/lnk", O_PATH | O_NOFOLLOW | O_WRONLY);        /* the access mode is dropped */
	EQ(f, 3);
	EQ(host_proc.files[3]->flags & O_ACCMODE, O_RDONLY);
	EQ(SC(read, f, b, 1, 0), -EBADF);
	EQ(SC(write, f, b, 1, 0), -EBADF);
	EQ(SC(pread64, f, b, 1, 0), -EBADF);
	EQ(SC(readv, f, iov, 1, 0), -EBADF);
	EQ(SC(writev, f, iov, 1, 0), -EBADF);
	EQ(SC(lseek, f, 0, SEEK_SET, 0), -EBADF);
	EQ(SC(ioctl, f, FIOCLEX, 0, 0), -EBADF);
	EQ(SC(ioctl, f, TCGETS, b, 0), -EBADF);
	EQ(SC(fstat, f, st, 0, 0), 0);
	TRY(stat_is(st, "lnk", S_IFLNK | 0777, 8, 8, 1));
	EQ(SC(newfstatat, f, ustr(""), st, AT_EMPTY_PATH), 0);
	EQ(st->st_ino, ino_of("lnk"));
	EQ(SC(readlinkat, f, ustr(""), b, 64), 8);
	MEMEQ(b, "bin/demo", 8);
	EQ(opat((int)f, "x", O_RDONLY), -ENOTDIR);
	EQ(SC(close, f, 0, 0, 0), 0);

	d = op("/bin", O_PATH);
	EQ(d, 3);
	TRY(open_is((int)d, "demo", O_RDONLY, ino_of("bin/demo")));
	f = op("/init", O_PATH | O_TRUNC | O_CREAT | O_RDWR);  /* all but O_PATH's own dropped */
	EQ(f, 4);
	EQ(fd_ino((int)f), ino_of("init"));
	EQ(SC(close, f, 0, 0, 0), 0);
	TRY(open_is(AT_FDCWD, "/lnk", O_PATH, ino_of("bin/demo")));
	EQ(op("/nope", O_PATH), -ENOENT);
	EQ(op("/nope", O_PATH | O_CREAT), -ENOENT);
	EQ(op("/init", O_PATH | O_DIRECTORY), -ENOTDIR);
	EQ(op("/init/", O_PATH), -ENOTDIR);
	EQ(op("/loop1", O_PATH), -ELOOP);
	TRY(open_is(AT_FDCWD, "/loop1", O_PATH | O_NOFOLLOW, ino_of("loop1")));
	EQ(SC(close, d, 0, 0, 0), 0);
	return NULL;
}

static const char *case_dirfd(void)
{
	struct kstat *st = ust();
	u8 *b = ualloc(64);
	long dfd, ffd, afd;

	dfd = op("/bin", O_RDONLY | O_DIRECTORY);
	ffd = op("/init", O_RDONLY);
	afd = op("/alnk", O_RDONLY);                    /* a directory through a symlink */
	CHECK(dfd == 3 && ffd == 4 && afd == 5, "fds %ld %ld %ld", dfd, ffd, afd);
	TRY(open_is((int)dfd, "demo", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is((int)dfd, "../init", O_RDONLY, ino_of("init")));
	TRY(open_is((int)dfd, "sub/..//demo", O_RDONLY, ino_of("bin/demo")));
	TRY(open_is((int)dfd, ".", O_RDONLY, ino_of("bin")));
	TRY(open_is((int)dfd, "..", O_RDONLY, 1));
	TRY(open_is((int)dfd, "uplnk", O_RDONLY, ino_of("init")));
	TRY(open_is((int)afd, "sub", O_RDONLY, ino_of("bin/sub")));
	TRY(open_is(99, "/init", O_RDONLY, ino_of("init")));   /* absolute: dirfd unused */
	TRY(open_is((int)ffd, "/bin", O_RDONLY, ino_of("bin")));
	EQ(opat((int)dfd, "nope", O_RDONLY), -ENOENT);
	EQ(opat((int)dfd, "init", O_RDONLY), -ENOENT);
	EQ(opat((int)ffd, "x", O_RDONLY), -ENOTDIR);
	EQ(opat((int)ffd, ".", O_RDONLY), -ENOTDIR);
	EQ(opat(1, "x", O_RDONLY), -ENOTDIR);
	EQ(opat(99, "x", O_RDONLY), -EBADF);
	EQ(opat(-5, "x", O_RDONLY), -EBADF);
	EQ(opat(64, "x", O_RDONLY), -EBADF);
	EQ(opat(99, "", O_RDONLY), -ENOENT);            /* the path is read first */
	EQ(SC(openat, 99, NULL, O_RDONLY, 0), -EFAULT);
	EQ(SC(openat, 0xffffffff00000000ull | (u32)AT_FDCWD, ustr("init"), O_RDONLY, 0), 6);
	EQ(SC(close, 6, 0, 0, 0), 0);
	EQ(SC(newfstatat, dfd, ustr("demo"), st, 0), 0);
	EQ(st->st_ino, ino_of("bin/demo"));
	EQ(SC(newfstatat, ffd, ustr("x"), st, 0), -ENOTDIR);
	EQ(SC(newfstatat, 99, ustr("x"), st, 0), -EBADF);
	EQ(SC(readlinkat, dfd, ustr("uplnk"), b, 64), 7);
	MEMEQ(b, "../init", 7);
	EQ(SC(readlinkat, 99, ustr("uplnk"), b, 64), -EBADF);
	EQ(SC(close, dfd, 0, 0, 0), 0);
	EQ(SC(close, ffd, 0, 0, 0), 0);
	EQ(SC(close, afd, 0, 0, 0), 0);
	return NULL;
}

/* ---- the fd table -------------------------------------------------------- */

static const char *case_fd_limits(void)
{
	int i, got = 0;
	long r = 0;

	for (i = 0; i < 70; i++) {
		r = op("/init", O_RDONLY);
		if (r < 0)
			break;
		CHECK(r == 3 + i, "open number %d gave fd %ld", i, r);
		got++;
	}
	EQ(got, NR_OPEN - 3);
	EQ(r, -EMFILE);
	EQ(op("/nope", O_RDONLY), -EMFILE);             /* before the path is looked up */
	EQ(SC(openat, AT_FDCWD, NULL, O_RDONLY, 0), -EFAULT);  /* after it is copied */
	EQ(op("/init", O_CREAT | O_DIRECTORY), -EINVAL);
	EQ(SC(close, 10, 0, 0, 0), 0);
	EQ(op("/init", O_RDONLY), 10);
	EQ(SC(close, 0, 0, 0, 0), 0);
	EQ(SC(close, 40, 0, 0, 0), 0);
	EQ(op("/bin", O_RDONLY), 0);                    /* the lowest free fd */
	EQ(op("/bin", O_RDONLY), 40);
	for (i = 3; i < NR_OPEN; i++)
		EQ(SC(close, i, 0, 0, 0), 0);
	EQ(SC(close, 3, 0, 0, 0), -EBADF);
	return NULL;
}

static const char *case_close(void)
{
	struct file *con = host_proc.files[0];
	u8 *b = ualloc(16);
	long live;

	EQ(SC(close, 44, 0, 0, 0), -EBADF);
	EQ(SC(close, -1, 0, 0, 0), -EBADF);
	EQ(SC(close, 1, 0, 0, 0), 0);
	EQ(SC(close, 1, 0, 0, 0), -EBADF);
	EQ(SC(write, 1, b, 1, 0), -EBADF);
	EQ(SC(write, 2, b, 1, 0), 1);
	EQ(con->refs, 2);
	EQ(op("/init", O_RDONLY), 1);
	EQ(SC(read, 1, b, 4, 0), 4);
	MEMEQ(b, "INIT", 4);
	live = host_kmalloc_live;
	EQ(SC(close, 0, 0, 0, 0), 0);
	EQ(SC(close, 2, 0, 0, 0), 0);                   /* the console's last reference */
	EQ(host_kmalloc_live, live - 1);
	EQ(SC(write, 2, b, 1, 0), -EBADF);
	return NULL;
}

/* ---- lseek --------------------------------------------------------------- */

static const char *case_lseek_files(void)
{
	u8 *b = ualloc(16);
	long fd = op("/init", O_RDONLY), ef = op("/bin/empty", O_RDONLY);

	EQ(SC(lseek, fd, 10, SEEK_SET, 0), 10);
	EQ(SC(read, fd, b, 8, 0), 8);
	MEMEQ(b, "23456789", 8);
	EQ(SC(lseek, fd, -1, SEEK_END, 0), 17);
	EQ(SC(lseek, fd, 0, SEEK_END, 0), 18);
	EQ(SC(lseek, fd, -18, SEEK_END, 0), 0);
	EQ(SC(lseek, fd, 5, SEEK_END, 0), 23);
	EQ(SC(lseek, fd, -19, SEEK_END, 0), -EINVAL);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 23);          /* unchanged by a failure */
	EQ(SC(lseek, fd, -3, SEEK_CUR, 0), 20);
	EQ(SC(lseek, fd, -100, SEEK_CUR, 0), -EINVAL);
	EQ(SC(lseek, fd, -1, SEEK_SET, 0), -EINVAL);
	EQ(SC(lseek, fd, 0, 5, 0), -EINVAL);
	EQ(SC(lseek, fd, 0, -1, 0), -EINVAL);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 20);
	EQ(SC(lseek, fd, 7, 0x100000000ull | SEEK_SET, 0), 7);   /* whence is 32 bits */
	EQ(SC(lseek, fd, 0, SEEK_DATA, 0), 0);
	EQ(SC(lseek, fd, 17, SEEK_DATA, 0), 17);
	EQ(SC(lseek, fd, 18, SEEK_DATA, 0), -ENXIO);
	EQ(SC(lseek, fd, -1, SEEK_DATA, 0), -ENXIO);
	EQ(SC(lseek, fd, 3, SEEK_HOLE, 0), 18);
	EQ(SC(lseek, fd, 18, SEEK_HOLE, 0), -ENXIO);
	EQ(SC(lseek, fd, -1, SEEK_HOLE, 0), -ENXIO);
	EQ(SC(lseek, fd, S64_MAX, SEEK_SET, 0), S64_MAX);
	EQ(SC(lseek, fd, 1, SEEK_CUR, 0), -EINVAL);
	EQ(SC(lseek, fd, S64_MAX, SEEK_END, 0), -EINVAL);
	EQ(SC(lseek, fd, S64_MAX - 18, SEEK_END, 0), S64_MAX);
	EQ(SC(lseek, ef, 0, SEEK_END, 0), 0);
	EQ(SC(lseek, ef, 0, SEEK_DATA, 0), -ENXIO);
	EQ(SC(lseek, ef, 0, SEEK_HOLE, 0), -ENXIO);
	EQ(SC(close, fd, 0, 0, 0), 0);
	EQ(SC(close, ef, 0, 0, 0), 0);
	return NULL;
}

static const char *case_lseek_directories(void)
{
	long d = op("/bin", O_RDONLY | O_DIRECTORY);

	EQ(SC(lseek, d, 7, SEEK_SET, 0), 7);
	EQ(SC(lseek, d, 3, SEEK_CUR, 0), 10);
	EQ(SC(lseek, d, -10, SEEK_CUR, 0), 0);
	EQ(SC(lseek, d, -1, SEEK_CUR, 0), -EINVAL);
	EQ(SC(lseek, d, -1, SEEK_SET, 0), -EINVAL);
	EQ(SC(lseek, d, 0, SEEK_END, 0), -EINVAL);
	EQ(SC(lseek, d, 0, SEEK_DATA, 0), -EINVAL);
	EQ(SC(lseek, d, 0, SEEK_HOLE, 0), -EINVAL);
	EQ(SC(lseek, d, 0, 5, 0), -EINVAL);
	EQ(SC(lseek, d, 0, SEEK_CUR, 0), 0);
	EQ(SC(close, d, 0, 0, 0), 0);
	return NULL;
}

/* ---- readv and writev ---------------------------------------------------- */

static struct kiovec *iovs(unsigned int n)
{
	return ualloc(n * sizeof(struct kiovec));
}

static void iov_set(struct kiovec *v, const void *base, u64 len)
{
	v->base = (u64)base;
	v->len = len;
}

static const char *case_readv(void)
{
	struct kiovec *iov = iovs(4);
	u8 *v1 = ualloc(8), *v2 = ualloc(100), *v3 = ualloc(8);
	long fd = op("/init", O_RDONLY), d = op("/bin", O_RDONLY);

	iov_set(&iov[0], v1, 4);
	iov_set(&iov[1], v2, 100);
	iov_set(&iov[2], v3, 4);
	memset(v3, 'Q', 8);
	EQ(SC(readv, fd, iov, 3, 0), 18);               /* stops after the short one */
	MEMEQ(v1, "INIT", 4);
	MEMEQ(v2, "DATA0123456789", 14);
	EQ(v3[0], 'Q');
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 18);
	EQ(SC(readv, fd, iov, 2, 0), 0);
	EQ(SC(lseek, fd, 2, SEEK_SET, 0), 2);
	iov_set(&iov[0], v1, 0);                        /* empty segments are skipped */
	iov_set(&iov[1], v2, 3);
	iov_set(&iov[2], v3, 2);
	EQ(SC(readv, fd, iov, 3, 0), 5);
	MEMEQ(v2, "ITD", 3);
	MEMEQ(v3, "AT", 2);
	EQ(SC(readv, fd, iov, 0, 0), 0);
	EQ(SC(readv, 0, iov, 3, 0), 0);                 /* the console: end of file */
	EQ(SC(readv, d, iov, 3, 0), -EISDIR);
	EQ(SC(writev, fd, iov, 3, 0), -EBADF);
	EQ(SC(lseek, fd, S64_MAX, SEEK_SET, 0), S64_MAX);
	EQ(SC(readv, fd, iov, 3, 0), -EINVAL);
	/* the total is cut to MAX_RW_COUNT before the position is checked */
	iov_set(&iov[0], v1, MAX_RW_COUNT);
	iov_set(&iov[1], v2, MAX_RW_COUNT);
	EQ(SC(lseek, fd, S64_MAX - MAX_RW_COUNT, SEEK_SET, 0), S64_MAX - MAX_RW_COUNT);
	EQ(SC(readv, fd, iov, 2, 0), 0);
	EQ(SC(lseek, fd, 1, SEEK_CUR, 0), S64_MAX - MAX_RW_COUNT + 1);
	EQ(SC(readv, fd, iov, 2, 0), -EINVAL);
	EQ(SC(close, fd, 0, 0, 0), 0);
	EQ(SC(close, d, 0, 0, 0), 0);
	return NULL;
}

static const char *case_readv_bad_vectors(void)
{
	struct kiovec *iov = iovs(4);
	u8 *v1 = ualloc(8), *v2 = ualloc(100), *e = umem_edge();
	long fd = op("/init", O_RDONLY);

	iov_set(&iov[0], v1, 4);
	iov_set(&iov[1], v2, 100);
	EQ(SC(readv, fd, iov, 1025, 0), -EINVAL);
	EQ(SC(readv, fd, NULL, 2, 0), -EFAULT);
	EQ(SC(readv, fd, KADDR, 2, 0), -EFAULT);
	iov_set(&iov[1], v2, (u64)-1);
	EQ(SC(readv, fd, iov, 2, 0), -EINVAL);
	iov_set(&iov[0], (void *)KADDR, 4);             /* EINVAL comes first */
	EQ(SC(readv, fd, iov, 2, 0), -EINVAL);
	iov_set(&iov[1], (void *)(KADDR + 0x1000000), 100);
	iov_set(&iov[0], v1, 4);
	EQ(SC(readv, fd, iov, 2, 0), -EFAULT);          /* checked before any transfer */
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 0);
	iov_set(&iov[1], (void *)(USER_TOP - 50), 100);
	EQ(SC(readv, fd, iov, 2, 0), -EFAULT);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 0);
	/* the array itself runs into a faulting page */
	iov = (struct kiovec *)(e + 4096 - sizeof(*iov));
	iov_set(iov, v1, 4);
	EQ(SC(readv, fd, iov, 1, 0), 4);
	EQ(SC(readv, fd, iov, 2, 0), -EFAULT);
	/* a segment runs into one: the bytes before it, then the position stops */
	iov = iovs(2);
	iov_set(&iov[0], v1, 4);
	iov_set(&iov[1], e + 4090, 100);
	EQ(SC(lseek, fd, 0, SEEK_SET, 0), 0);
	EQ(SC(readv, fd, iov, 2, 0), 10);
	MEMEQ(e + 4090, "DATA01", 6);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 10);
	iov_set(&iov[0], e + 4096, 4);
	EQ(SC(readv, fd, iov, 2, 0), -EFAULT);
	EQ(SC(lseek, fd, 0, SEEK_CUR, 0), 10);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_readv_many_segments(void)
{
	struct kiovec *iov = iovs(1024);
	u8 *b = ualloc(32);
	long fd = op("/init", O_RDONLY);
	int i;

	for (i = 0; i < 20; i++)
		iov_set(&iov[i], b + i, 1);
	EQ(SC(readv, fd, iov, 20, 0), 18);
	MEMEQ(b, INIT_DATA, 18);
	EQ(SC(lseek, fd, 0, SEEK_SET, 0), 0);
	host_kmalloc_fail_after(0);
	EQ(SC(readv, fd, iov, 8, 0), 8);                /* 8 fit on the stack */
	EQ(SC(readv, fd, iov, 9, 0), -ENOMEM);
	host_kmalloc_fail_after(-1);
	for (i = 0; i < 1024; i++)
		iov_set(&iov[i], b, 0);
	EQ(SC(readv, fd, iov, 1024, 0), 0);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_writev(void)
{
	struct kiovec *iov = iovs(1025);
	u8 *e = umem_edge();
	char *x = ustr("x");
	long f = op("/init", O_RDONLY);
	int i;

	iov_set(&iov[0], ustr("ab"), 2);
	iov_set(&iov[1], ustr("cd\n"), 3);
	EQ(SC(writev, 1, iov, 2, 0), 5);
	TRY(con_is("ab" "cd\n", 5));
	host_con_reset();
	iov_set(&iov[0], ustr("x"), 2);                 /* "x\0" */
	iov_set(&iov[1], ustr(""), 1);                  /* "\0" */
	iov_set(&iov[2], ustr("y"), 0);
	iov_set(&iov[3], ustr("z"), 1);
	EQ(SC(writev, 2, iov, 4, 0), 4);
	TRY(con_is("x\0\0z", 4));
	host_con_reset();
	memcpy(e + 4094, "EF", 2);
	iov_set(&iov[0], ustr("ab"), 2);
	iov_set(&iov[1], e + 4094, 10);
	iov_set(&iov[2], ustr("never"), 5);
	EQ(SC(writev, 1, iov, 3, 0), 4);
	TRY(con_is("abEF", 4));
	host_con_reset();
	iov_set(&iov[0], e + 4096, 10);
	EQ(SC(writev, 1, iov, 2, 0), -EFAULT);
	TRY(con_is("", 0));
	for (i = 0; i < 1025; i++)
		iov_set(&iov[i], x, 1);
	EQ(SC(writev, 2, iov, 20, 0), 20);
	EQ(SC(writev, 2, iov, 1024, 0), 1024);
	EQ(SC(writev, 2, iov, 1025, 0), -EINVAL);
	EQ(host_con_len, 1044);
	EQ(SC(writev, f, iov, 1, 0), -EBADF);
	EQ(SC(writev, 1, NULL, 1, 0), -EFAULT);
	EQ(SC(close, f, 0, 0, 0), 0);
	return NULL;
}

/* ---- newfstatat, ioctl, readlinkat, getcwd ------------------------------- */

static const char *case_newfstatat(void)
{
	struct kstat *st = ust();
	long fd = op("/init", O_RDONLY);

	EQ(SC(newfstatat, AT_FDCWD, ustr("/bin"), st, 0), 0);
	TRY(stat_is(st, "bin", S_IFDIR | 0755, 0, 0, 3));
	EQ(SC(newfstatat, AT_FDCWD, ustr("/"), st, 0), 0);
	EQ(st->st_ino, 1);
	EQ(st->st_nlink, 4);
	EQ(SC(newfstatat, AT_FDCWD, ustr("init"), st, AT_NO_AUTOMOUNT | AT_STATX_FORCE_SYNC), 0);
	TRY(stat_is(st, "init", S_IFREG | 0755, INIT_SIZE, 8, 1));
	EQ(SC(newfstatat, AT_FDCWD, ustr("init"), st, AT_STATX_DONT_SYNC), 0);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/lnk"), st, 0x2), -EINVAL);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/lnk"), st, AT_SYMLINK_FOLLOW), -EINVAL);
	EQ(SC(newfstatat, AT_FDCWD, NULL, st, 0x2), -EINVAL);  /* flags first */
	EQ(SC(newfstatat, AT_FDCWD, ustr("/lnk/"), st, 0), -ENOTDIR);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/nope"), st, 0), -ENOENT);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/init"), NULL, 0), -EFAULT);
	EQ(SC(newfstatat, AT_FDCWD, NULL, st, 0), -EFAULT);
	/* AT_EMPTY_PATH: the fd itself ("/" for AT_FDCWD) */
	EQ(SC(newfstatat, fd, ustr(""), st, AT_EMPTY_PATH), 0);
	EQ(st->st_ino, ino_of("init"));
	EQ(SC(newfstatat, fd, NULL, st, AT_EMPTY_PATH), 0);
	EQ(st->st_ino, ino_of("init"));
	EQ(SC(newfstatat, fd, NULL, st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), -EFAULT);
	EQ(SC(newfstatat, fd, ustr(""), st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), 0);
	EQ(st->st_ino, ino_of("init"));
	EQ(SC(newfstatat, AT_FDCWD, ustr(""), st, AT_EMPTY_PATH), 0);
	EQ(st->st_ino, 1);
	EQ(SC(newfstatat, AT_FDCWD, NULL, st, AT_EMPTY_PATH), -EFAULT);
	EQ(SC(newfstatat, AT_FDCWD, ustr(""), st, 0), -ENOENT);
	EQ(SC(newfstatat, fd, ustr(""), st, 0), -ENOENT);
	EQ(SC(newfstatat, 1, ustr(""), st, AT_EMPTY_PATH), 0);
	EQ(st->st_mode, S_IFCHR | 0620);
	EQ(SC(newfstatat, 55, ustr(""), st, AT_EMPTY_PATH), -EBADF);
	EQ(SC(newfstatat, 55, NULL, st, AT_EMPTY_PATH), -EBADF);
	EQ(SC(newfstatat, fd, ustr("/bin/demo"), st, AT_EMPTY_PATH), 0);
	EQ(st->st_ino, ino_of("bin/demo"));
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_ioctl_files(void)
{
	int *ip = ualloc(sizeof(int));
	u8 *e = umem_edge();
	long fd = op("/init", O_RDONLY);

	EQ(SC(ioctl, fd, TCGETS, ip, 0), -ENOTTY);
	EQ(SC(ioctl, fd, 0x1234, ip, 0), -ENOTTY);
	EQ(SC(lseek, fd, 3, SEEK_SET, 0), 3);
	EQ(SC(ioctl, fd, FIONREAD, ip, 0), 0);
	EQ(*ip, 15);
	EQ(SC(ioctl, fd, 0x100000000ull | FIONREAD, ip, 0), 0);  /* the request is 32 bits */
	EQ(*ip, 15);
	EQ(SC(lseek, fd, 18, SEEK_SET, 0), 18);
	EQ(SC(ioctl, fd, FIONREAD, ip, 0), 0);
	EQ(*ip, 0);
	EQ(SC(lseek, fd, 100, SEEK_SET, 0), 100);       /* past the end: negative, as Linux */
	EQ(SC(ioctl, fd, FIONREAD, ip, 0), 0);
	EQ(*ip, -82);
	EQ(SC(ioctl, fd, FIONREAD, NULL, 0), -EFAULT);
	EQ(SC(ioctl, fd, FIONREAD, e + 4094, 0), -EFAULT);
	*ip = 7;
	EQ(SC(ioctl, fd, FIONBIO, ip, 0), 0);
	CHECK(host_proc.files[fd]->flags & O_NONBLOCK, "FIONBIO did not set O_NONBLOCK");
	*ip = 0;
	EQ(SC(ioctl, fd, FIONBIO, ip, 0), 0);
	CHECK(!(host_proc.files[fd]->flags & O_NONBLOCK), "FIONBIO did not clear O_NONBLOCK");
	EQ(SC(ioctl, fd, FIONBIO, e + 4094, 0), -EFAULT);
	EQ(SC(ioctl, fd, FIOCLEX, 0, 0), 0);
	EQ(SC(ioctl, fd, FIONCLEX, 0, 0), 0);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_readlinkat(void)
{
	u8 *b = ualloc(64), *e = umem_edge();
	long fd = op("/init", O_RDONLY);

	memset(b, '#', 64);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 64), 8);
	MEMEQ(b, "bin/demo#", 9);                       /* no NUL added */
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 8), 8);
	memset(b, '#', 64);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 3), 3);
	MEMEQ(b, "bin#", 4);
	EQ(SC(readlinkat, AT_FDCWD, ustr("alnk/uplnk"), b, 64), 7);
	MEMEQ(b, "../init", 7);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/ch00"), b, 64), 4);
	MEMEQ(b, "ch01", 4);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 0), -EINVAL);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, -1), -EINVAL);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 0x80000000ull), -EINVAL);  /* an int */
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 0x100000040ull), 8);
	EQ(SC(readlinkat, AT_FDCWD, NULL, b, 0), -EINVAL);                      /* size first */
	EQ(SC(readlinkat, AT_FDCWD, ustr("/init"), b, 64), -EINVAL);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/bin"), b, 64), -EINVAL);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/alnk/"), b, 64), -EINVAL);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/nope"), b, 64), -ENOENT);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk/"), b, 64), -ENOTDIR);
	EQ(SC(readlinkat, AT_FDCWD, ustr(""), b, 64), -ENOENT);
	EQ(SC(readlinkat, fd, ustr(""), b, 64), -ENOENT);
	EQ(SC(readlinkat, 1, ustr(""), b, 64), -ENOENT);
	EQ(SC(readlinkat, AT_FDCWD, NULL, b, 64), -EFAULT);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), NULL, 64), -EFAULT);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), e + 4094, 64), -EFAULT);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), e + 4094, 2), 2);
	MEMEQ(e + 4094, "bi", 2);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/elnk"), b, 64), 0);
	EQ(SC(close, fd, 0, 0, 0), 0);
	return NULL;
}

static const char *case_getcwd(void)
{
	char *b = ualloc(16);
	u8 *e = umem_edge();

	memset(b, '#', 16);
	EQ(SC(getcwd, b, 2, 0, 0), 2);
	MEMEQ(b, "/\0#", 3);
	EQ(SC(getcwd, b, 4096, 0, 0), 2);
	EQ(SC(getcwd, b, 1, 0, 0), -ERANGE);
	EQ(SC(getcwd, b, 0, 0, 0), -ERANGE);
	EQ(SC(getcwd, NULL, 1, 0, 0), -ERANGE);
	EQ(SC(getcwd, NULL, 10, 0, 0), -EFAULT);
	EQ(SC(getcwd, e + 4095, 2, 0, 0), -EFAULT);
	EQ(SC(getcwd, e + 4094, 2, 0, 0), 2);
	return NULL;
}

static const char *case_out_of_memory(void)
{
	struct kstat *st = ust();
	u8 *b = ualloc(16);

	host_kmalloc_fail_after(0);                     /* the path buffer */
	EQ(op("/init", O_RDONLY), -ENOMEM);
	EQ(SC(newfstatat, AT_FDCWD, ustr("/init"), st, 0), -ENOMEM);
	EQ(SC(readlinkat, AT_FDCWD, ustr("/lnk"), b, 16), -ENOMEM);
	EQ(SC(newfstatat, 0, NULL, st, AT_EMPTY_PATH), 0);     /* needs no memory */
	host_kmalloc_fail_after(1);                     /* the struct file */
	EQ(op("/init", O_RDONLY), -ENOMEM);
	CHECK(!host_proc.files[3], "fd 3 set after a failed open");
	host_kmalloc_fail_after(-1);
	EQ(op("/init", O_RDONLY), 3);
	EQ(SC(close, 3, 0, 0, 0), 0);
	return NULL;
}

/* ---- exit, ids ----------------------------------------------------------- */

/* sys_@fn(@a0..@a3) must end the process (or the system) with @status. */
static const char *ends_with(syscall_fn fn, const char *what, u64 a0, u64 a1, u64 a2, u64 a3,
			     enum host_end want, int status)
{
	long ret = 0;
	int got = -1;
	enum host_end how = host_call_end(fn, a0, a1, a2, a3, &ret, &got);

	CHECK(how == want, "%s: ended %d (returned %ld), want %d", what, how, ret, want);
	CHECK(got == status, "%s: status %d, want %d", what, got, status);
	return NULL;
}

static const char *case_exit(void)
{
	/* proc_exit() takes the wait status: the code's low byte, shifted */
	TRY(ends_with(sys_exit, "exit(0x12a)", 0x12a, 0, 0, 0, HOST_EXITED, 0x2a00));
	TRY(ends_with(sys_exit, "exit(0)", 0, 0, 0, 0, HOST_EXITED, 0));
	TRY(ends_with(sys_exit, "exit(-1)", (u64)-1, 0, 0, 0, HOST_EXITED, 0xff00));
	TRY(ends_with(sys_exit, "exit(256)", 256, 0, 0, 0, HOST_EXITED, 0));
	TRY(ends_with(sys_exit_group, "exit_group(3)", 3, 0, 0, 0, HOST_EXITED, 0x300));
	TRY(ends_with(sys_exit_group, "exit_group(-2)", (u64)-2, 0, 0, 0, HOST_EXITED, 0xfe00));
	return NULL;
}

static const char *case_ids(void)
{
	int pid = host_proc.pid;

	CHECK(pid > 0, "pid %d", pid);
	EQ(SC(getpid, 0, 0, 0, 0), pid);
	EQ(SC(gettid, 0, 0, 0, 0), pid);
	EQ(SC(getuid, 0, 0, 0, 0), 0);
	EQ(SC(sched_yield, 0, 0, 0, 0), 0);
	EQ(SC(set_tid_address, 0x1234, 0, 0, 0), pid);
	EQ(host_proc.clear_child_tid, 0x1234);
	EQ(SC(set_tid_address, 0, 0, 0, 0), pid);
	EQ(host_proc.clear_child_tid, 0);
	EQ(SC(set_robust_list, 0x5000, 23, 0, 0), -EINVAL);
	EQ(SC(set_robust_list, 0x5000, 25, 0, 0), -EINVAL);
	EQ(SC(set_robust_list, 0x5000, (1ull << 32) | 24, 0, 0), -EINVAL);
	EQ(host_proc.robust_list, 0);
	EQ(SC(set_robust_list, 0x5000, 24, 0, 0), 0);
	EQ(host_proc.robust_list, 0x5000);
	EQ(host_proc.robust_len, 24);
	host_proc.pid = 4242;
	EQ(SC(getpid, 0, 0, 0, 0), 4242);
	return NULL;
}

/* ---- signals ------------------------------------------------------------- */

#define SIGBIT(sig)     (1ull << ((sig) - 1))
#define SA_SIGINFO      0x00000004ull
#define SA_UNSUPPORTED  0x00000400ull
#define SA_RESTORER     0x04000000ull
#define SA_RESTART      0x10000000ull
#define SA_ONSTACK      0x08000000ull

static const char *case_rt_sigaction(void)
{
	struct k_sigaction *act = ualloc(sizeof(*act)), *oact = ualloc(sizeof(*oact));
	u8 *e = umem_edge();

	*act = (struct k_sigaction){
		.handler = 0x1000,
		.flags = SA_RESTORER | SA_SIGINFO | SA_UNSUPPORTED | SA_RESTART | SA_ONSTACK,
		.mask = SIGBIT(9) | SIGBIT(2) | SIGBIT(19) | SIGBIT(64),
	};
	EQ(SC(rt_sigaction, 2, act, oact, 4), -EINVAL);
	EQ(SC(rt_sigaction, 2, act, oact, 16), -EINVAL);
	EQ(SC(rt_sigaction, 0, act, NULL, 8), -EINVAL);
	EQ(SC(rt_sigaction, 65, act, NULL, 8), -EINVAL);
	EQ(SC(rt_sigaction, -1, act, NULL, 8), -EINVAL);
	EQ(SC(rt_sigaction, 9, act, NULL, 8), -EINVAL);
	EQ(SC(rt_sigaction, 19, act, NULL, 8), -EINVAL);
	EQ(SC(rt_sigaction, 0, KADDR, NULL, 8), -EFAULT);      /* the copy comes first */
	EQ(SC(rt_sigaction, 9, NULL, oact, 8), 0);              /* reading is allowed */
	EQ(oact->handler, 0);
	EQ(SC(rt_sigaction, 64, act, NULL, 8), 0);
	EQ(SC(rt_sigaction, 2, act, oact, 8), 0);
	EQ(oact->handler, 0);
	EQ(oact->flags, 0);
	EQ(oact->mask, 0);
	EQ(SC(rt_sigaction, 2, NULL, oact, 8), 0);
	EQ(oact->handler, 0x1000);
	EQ(oact->flags, SA_SIGINFO | SA_RESTART | SA_ONSTACK);  /* unknown flags read as 0 */
	EQ(oact->mask, SIGBIT(2) | SIGBIT(64));                 /* no SIGKILL, SIGSTOP */
	EQ(host_proc.sigactions[1].handler, 0x1000);
	EQ(host_proc.sigactions[63].handler, 0x1000);
	act->handler = 0x2000;
	EQ(SC(rt_sigaction, 2, act, oact, 8), 0);               /* the old one comes back */
	EQ(oact->handler, 0x1000);
	act->handler = 0x3000;
	EQ(SC(rt_sigaction, 2, act, KADDR, 8), -EFAULT);        /* set, then the copy fails */
	EQ(host_proc.sigactions[1].handler, 0x3000);
	EQ(SC(rt_sigaction, 2, act, e + 4090, 8), -EFAULT);
	EQ(SC(rt_sigaction, 2, e + 4090, NULL, 8), -EFAULT);
	EQ(SC(rt_sigaction, 0x100000002ull, NULL, oact, 8), 0);  /* sig is an int */
	EQ(oact->handler, 0x3000);
	return NULL;
}

static const char *case_rt_sigprocmask(void)
{
	u64 *set = ualloc(8), *old = ualloc(8);
	const u64 unblockable = SIGBIT(9) | SIGBIT(19);

	*set = SIGBIT(2) | SIGBIT(9);
	*old = 0x77;
	EQ(SC(rt_sigprocmask, 0, set, old, 8), 0);
	EQ(*old, 0);
	EQ(host_proc.sigmask, SIGBIT(2));
	*set = SIGBIT(5) | SIGBIT(19);
	EQ(SC(rt_sigprocmask, 0, set, old, 8), 0);
	EQ(*old, SIGBIT(2));
	EQ(host_proc.sigmask, SIGBIT(2) | SIGBIT(5));
	EQ(SC(rt_sigprocmask, 1, set, NULL, 8), 0);
	EQ(host_proc.sigmask, SIGBIT(2));
	*set = ~0ull;
	EQ(SC(rt_sigprocmask, 2, set, NULL, 8), 0);
	EQ(host_proc.sigmask, ~unblockable);
	EQ(SC(rt_sigprocmask, 3, set, NULL, 8), -EINVAL);
	EQ(SC(rt_sigprocmask, -1, set, NULL, 8), -EINVAL);
	EQ(SC(rt_sigprocmask, 3, NULL, old, 8), 0);             /* how unused without a set */
	EQ(*old, ~unblockable);
	EQ(SC(rt_sigprocmask, 0, set, NULL, 16), -EINVAL);
	EQ(SC(rt_sigprocmask, 0, NULL, NULL, 0), -EINVAL);
	EQ(SC(rt_sigprocmask, 0, KADDR, old, 8), -EFAULT);
	*set = 0;
	EQ(SC(rt_sigprocmask, 2, set, KADDR, 8), -EFAULT);      /* applied, then the copy fails */
	EQ(host_proc.sigmask, 0);
	EQ(SC(rt_sigprocmask, 0, NULL, NULL, 8), 0);
	return NULL;
}

/* ---- resource limits ----------------------------------------------------- */

#define RLIMIT_CPU      0
#define RLIMIT_STACK    3
#define RLIMIT_NPROC    6
#define RLIMIT_NOFILE   7
#define RLIM_INFINITY   (~0ull)

static const char *rlimit_is(const struct krlimit *rl, u64 cur, u64 max)
{
	CHECK(rl->cur == cur && rl->max == max, "limit {%llu, %llu}, want {%llu, %llu}",
	      (ull)rl->cur, (ull)rl->max, (ull)cur, (ull)max);
	return NULL;
}

static const char *case_rlimit_defaults(void)
{
	struct krlimit *rl = ualloc(sizeof(*rl));
	int res;

	EQ(SC(prlimit64, 0, RLIMIT_STACK, NULL, rl), 0);
	TRY(rlimit_is(rl, 8 << 20, RLIM_INFINITY));
	EQ(SC(prlimit64, host_proc.pid, RLIMIT_NOFILE, NULL, rl), 0);
	TRY(rlimit_is(rl, NR_OPEN, NR_OPEN));
	EQ(SC(getrlimit, RLIMIT_NPROC, rl, 0, 0), 0);
	TRY(rlimit_is(rl, max_tasks / 2, max_tasks / 2));     /* Linux's: threads-max / 2 */
	for (res = 0; res < 16; res++) {
		if (res == RLIMIT_STACK || res == RLIMIT_NOFILE || res == RLIMIT_NPROC)
			continue;
		EQ(SC(getrlimit, res, rl, 0, 0), 0);
		TRY(rlimit_is(rl, RLIM_INFINITY, RLIM_INFINITY));
	}
	EQ(SC(getrlimit, 16, rl, 0, 0), -EINVAL);
	EQ(SC(getrlimit, -1, rl, 0, 0), -EINVAL);
	EQ(SC(getrlimit, RLIMIT_STACK, NULL, 0, 0), -EFAULT);
	EQ(SC(getrlimit, RLIMIT_STACK, KADDR, 0, 0), -EFAULT);
	return NULL;
}

static const char *case_rlimit_set(void)
{
	struct krlimit *rl = ualloc(sizeof(*rl)), *old = ualloc(sizeof(*old));
	int i;

	*rl = (struct krlimit){ 4, 64 };
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, rl, old), 0);
	TRY(rlimit_is(old, NR_OPEN, NR_OPEN));
	EQ(SC(getrlimit, RLIMIT_NOFILE, old, 0, 0), 0);
	TRY(rlimit_is(old, 4, 64));
	for (i = 3; i < 8; i++)                         /* recorded, not enforced */
		EQ(op("/init", O_RDONLY), i);
	*rl = (struct krlimit){ 65, 64 };
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, rl, old), -EINVAL);
	*rl = (struct krlimit){ 1, (1 << 20) + 1 };
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, rl, old), -EPERM);
	*rl = (struct krlimit){ 1, 1 << 20 };           /* raising the hard limit: root may */
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, rl, NULL), 0);
	*rl = (struct krlimit){ 1 << 30, RLIM_INFINITY };
	EQ(SC(prlimit64, 0, RLIMIT_STACK, rl, NULL), 0);
	EQ(SC(getrlimit, RLIMIT_STACK, old, 0, 0), 0);
	TRY(rlimit_is(old, 1 << 30, RLIM_INFINITY));
	EQ(SC(getrlimit, RLIMIT_NOFILE, old, 0, 0), 0);
	TRY(rlimit_is(old, 1, 1 << 20));
	EQ(SC(prlimit64, 0, 16, NULL, old), -EINVAL);
	EQ(SC(prlimit64, host_proc.pid + 1, RLIMIT_NOFILE, NULL, old), -ESRCH);
	EQ(SC(prlimit64, -1, RLIMIT_NOFILE, NULL, old), -ESRCH);
	EQ(SC(prlimit64, 5000, 99, NULL, old), -ESRCH);         /* before the resource */
	EQ(SC(prlimit64, 5000, 99, KADDR, old), -EFAULT);       /* the copy before all */
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, NULL, KADDR), -EFAULT);
	EQ(SC(prlimit64, 0, RLIMIT_NOFILE, NULL, NULL), 0);
	/* a new init starts from the defaults (a fork inherits its parent's) */
	rlimits_init(host_proc.rlimits);
	EQ(SC(getrlimit, RLIMIT_NOFILE, old, 0, 0), 0);
	TRY(rlimit_is(old, NR_OPEN, NR_OPEN));
	for (i = 3; i < 8; i++)
		EQ(SC(close, i, 0, 0, 0), 0);
	return NULL;
}

/* ---- getrandom ----------------------------------------------------------- */

/*
 * A reference for the generator: ChaCha20 (RFC 8439) keyed with splitmix64
 * output, as kernel/sys.c documents it: words 0..3 the constants,
 * 4..15 from splitmix64 seeded with time ^ (instret << 32), two words per
 * output, then words 12..13 (the block counter) zeroed. Each block of
 * output is one ChaCha20 block; the counter counts blocks.
 */
#define ROTL32(v, n)    (((v) << (n)) | ((v) >> (32 - (n))))

static void ref_quarter(u32 *x, int a, int b, int c, int d)
{
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 16);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 12);
	x[a] += x[b]; x[d] ^= x[a]; x[d] = ROTL32(x[d], 8);
	x[c] += x[d]; x[b] ^= x[c]; x[b] = ROTL32(x[b], 7);
}

static void ref_chacha20(const u32 in[16], u32 out[16])
{
	u32 x[16];
	int i;

	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		ref_quarter(x, 0, 4, 8, 12);
		ref_quarter(x, 1, 5, 9, 13);
		ref_quarter(x, 2, 6, 10, 14);
		ref_quarter(x, 3, 7, 11, 15);
		ref_quarter(x, 0, 5, 10, 15);
		ref_quarter(x, 1, 6, 11, 12);
		ref_quarter(x, 2, 7, 8, 13);
		ref_quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

static u64 ref_splitmix64(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The references against published vectors: RFC 8439 2.3.2, and splitmix64 from 0. */
static const char *ref_self_check(void)
{
	static const u32 in[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
		0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c,
		0x00000001, 0x09000000, 0x4a000000, 0x00000000,
	};
	static const u32 want[16] = {
		0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
		0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
		0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
		0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
	};
	u32 out[16];
	u64 s = 0;

	ref_chacha20(in, out);
	CHECK(!memcmp(out, want, sizeof(want)), "reference ChaCha20 fails RFC 8439 2.3.2");
	CHECK(ref_splitmix64(&s) == 0xe220a8397b1dcdafull &&
	      ref_splitmix64(&s) == 0x6e789e6aa1b965f4ull, "reference splitmix64 is wrong");
	return NULL;
}

/* Must run before anything else calls getrandom: the generator is keyed once. */
static const char *case_getrandom_stream(void)
{
	static const u32 sigma[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	u8 *b = ualloc(256), want[3 * 64];
	u32 state[16], blk[16];
	u64 s, v;
	int i;

	TRY(ref_self_check());
	host_time = 0x123456789aull;
	host_instret = 0xabcdef;
	s = host_time ^ (host_instret << 32);
	memcpy(state, sigma, sizeof(sigma));
	for (i = 4; i < 16; i += 2) {
		v = ref_splitmix64(&s);
		state[i] = (u32)v;
		state[i + 1] = (u32)(v >> 32);
	}
	state[12] = state[13] = 0;
	for (i = 0; i < 3; i++) {
		ref_chacha20(state, blk);
		memcpy(want + 64 * i, blk, 64);
		state[12]++;
	}
	/* 100 bytes: block 0 and most of block 1; 16 more: the start of block 2 */
	EQ(SC(getrandom, b, 100, 0, 0), 100);
	MEMEQ(b, want, 100);
	EQ(SC(getrandom, b + 100, 16, 0, 0), 16);
	MEMEQ(b + 100, want + 128, 16);
	return NULL;
}

static const char *case_getrandom(void)
{
	u8 *b = ualloc(300), *e = umem_edge(), first[16];
	int i, nonzero = 0;

	EQ(SC(getrandom, b, 100, 8, 0), -EINVAL);
	EQ(SC(getrandom, b, 100, 2 | 4, 0), -EINVAL);
	EQ(SC(getrandom, b, 100, 0x80000000ull, 0), -EINVAL);
	CHECK(b[0] == 0, "written despite EINVAL");
	EQ(SC(getrandom, b, 100, 1, 0), 100);
	for (i = 0; i < 100; i++)
		nonzero += b[i] != 0;
	CHECK(nonzero > 80, "only %d of 100 random bytes nonzero", nonzero);
	EQ(b[100], 0);
	memcpy(first, b, 16);
	EQ(SC(getrandom, b, 16, 2, 0), 16);
	CHECK(memcmp(first, b, 16), "two calls gave the same bytes");
	EQ(SC(getrandom, b, 16, 4, 0), 16);
	EQ(SC(getrandom, b, 16, 1 | 4, 0), 16);
	EQ(SC(getrandom, b, 16, 0x100000000ull, 0), 16);       /* the flags are 32 bits */
	EQ(SC(getrandom, b, 0, 0, 0), 0);
	EQ(SC(getrandom, NULL, 0, 0, 0), 0);
	EQ(SC(getrandom, KADDR, 0, 0, 0), -EFAULT);
	EQ(SC(getrandom, NULL, 16, 0, 0), -EFAULT);
	EQ(SC(getrandom, KADDR, 16, 0, 0), -EFAULT);
	EQ(SC(getrandom, e + 4000, 500, 0, 0), 96);
	EQ(SC(getrandom, e + 4096, 5, 0, 0), -EFAULT);
	EQ(SC(getrandom, e, 1ull << 32, 0, 0), 4096);  /* cut to MAX_RW_COUNT, then a fault */
	EQ(SC(getrandom, e, 1ull << 40, 0, 0), 4096);          /* cut before the range check */
	EQ(SC(getrandom, USER_TOP - 100, 1ull << 40, 0, 0), -EFAULT);
	return NULL;
}

/* ---- uname, clock_gettime ------------------------------------------------ */

static const char *case_uname(void)
{
	struct kutsname *u = ualloc(sizeof(*u) + 16);
	u8 *e = umem_edge();

	_Static_assert(sizeof(struct kutsname) == 390, "struct new_utsname");
	memset(u, '#', sizeof(*u) + 16);
	EQ(SC(uname, u, 0, 0, 0), 0);
	CHECK(!strcmp(u->sysname, "Pagoda") && !strcmp(u->nodename, "pagoda") &&
	      !strcmp(u->release, "6.12.0-pagoda") && !strcmp(u->version, "#1 SMP") &&
	      !strcmp(u->machine, "riscv64") && !strcmp(u->domainname, "(none)"),
	      "uname: %s %s %s %s %s %s", u->sysname, u->nodename, u->release, u->version,
	      u->machine, u->domainname);
	EQ(u->sysname[64], 0);
	EQ(((u8 *)u)[sizeof(*u)], '#');
	EQ(SC(uname, NULL, 0, 0, 0), -EFAULT);
	EQ(SC(uname, KADDR, 0, 0, 0), -EFAULT);
	EQ(SC(uname, e + 4096 - 389, 0, 0, 0), -EFAULT);
	EQ(SC(uname, e + 4096 - 390, 0, 0, 0), 0);
	return NULL;
}

static const char *case_clock_gettime(void)
{
	static const int ok[] = { 0, 1, 2, 3, 4, 5, 6, 7, 11 };
	static const ll bad[] = { 8, 9, 10, 12, 16, -1, -6, INT_MIN };
	struct ktimespec *ts = ualloc(sizeof(*ts));
	size_t i;

	host_time = 123456789;                  /* at 10 MHz */
	EQ(SC(clock_gettime, 1, ts, 0, 0), 0);
	EQ(ts->sec, 12);
	EQ(ts->nsec, 345678900);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		memset(ts, 0, sizeof(*ts));
		EQ(SC(clock_gettime, ok[i], ts, 0, 0), 0);
		CHECK(ts->sec == 12 && ts->nsec == 345678900, "clock %d: %lld.%09lld",
		      ok[i], (ll)ts->sec, (ll)ts->nsec);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EQ(SC(clock_gettime, bad[i], ts, 0, 0), -EINVAL);
	EQ(SC(clock_gettime, 8, NULL, 0, 0), -EINVAL);          /* the id first */
	EQ(SC(clock_gettime, 0x100000001ull, ts, 0, 0), 0);     /* the id is an int */
	host_time = 0;
	EQ(SC(clock_gettime, 0, ts, 0, 0), 0);
	CHECK(ts->sec == 0 && ts->nsec == 0, "at 0: %lld.%09lld", (ll)ts->sec, (ll)ts->nsec);
	host_time = 30000001;
	EQ(SC(clock_gettime, 0, ts, 0, 0), 0);
	CHECK(ts->sec == 3 && ts->nsec == 100, "at 30000001: %lld.%09lld", (ll)ts->sec,
	      (ll)ts->nsec);
	host_time = 10000000ull * 86400 * 365 * 100 + 9999999;  /* a century in */
	EQ(SC(clock_gettime, 1, ts, 0, 0), 0);
	CHECK(ts->sec == 86400ll * 365 * 100 && ts->nsec == 999999900, "a century: %lld.%09lld",
	      (ll)ts->sec, (ll)ts->nsec);
	timebase_hz = 4000000;                  /* the JH7110's rate */
	host_time = 4000000 * 5 + 1;
	EQ(SC(clock_gettime, 1, ts, 0, 0), 0);
	CHECK(ts->sec == 5 && ts->nsec == 250, "at 4 MHz: %lld.%09lld", (ll)ts->sec,
	      (ll)ts->nsec);
	timebase_hz = 3000000;
	host_time = 3000000 * 7 + 2999999;
	EQ(SC(clock_gettime, 1, ts, 0, 0), 0);
	timebase_hz = 10000000;
	CHECK(ts->sec == 7 && ts->nsec == 999999666, "at 3 MHz: %lld.%09lld", (ll)ts->sec,
	      (ll)ts->nsec);
	EQ(SC(clock_gettime, 0, NULL, 0, 0), -EFAULT);
	EQ(SC(clock_gettime, 0, KADDR, 0, 0), -EFAULT);
	return NULL;
}

/* ---- reboot -------------------------------------------------------------- */

#define MAGIC1          0xfee1deadull
#define MAGIC2          672274793ull
#define MAGIC2A         85072278ull
#define MAGIC2B         369367448ull
#define MAGIC2C         537993216ull
#define CMD_RESTART     0x01234567ull
#define CMD_HALT        0xcdef0123ull
#define CMD_CAD_ON      0x89abcdefull
#define CMD_CAD_OFF     0x00000000ull
#define CMD_POWER_OFF   0x4321fedcull
#define CMD_RESTART2    0xa1b2c3d4ull
#define CMD_KEXEC       0x45584543ull
#define CMD_SW_SUSPEND  0xd000fce2ull

static const char *case_reboot(void)
{
	static const u64 magic2[] = { MAGIC2, MAGIC2A, MAGIC2B, MAGIC2C };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(magic2); i++) {
		EQ(SC(reboot, MAGIC1, magic2[i], CMD_CAD_ON, 0), 0);
		EQ(SC(reboot, MAGIC1, magic2[i], CMD_CAD_OFF, 0), 0);
	}
	EQ(SC(reboot, MAGIC1 + 1, MAGIC2, CMD_POWER_OFF, 0), -EINVAL);
	EQ(SC(reboot, MAGIC1, 1, CMD_POWER_OFF, 0), -EINVAL);
	EQ(SC(reboot, MAGIC1, MAGIC2, 5, 0), -EINVAL);
	EQ(SC(reboot, MAGIC1, MAGIC2, CMD_KEXEC, 0), -EINVAL);
	EQ(SC(reboot, MAGIC1, MAGIC2, CMD_SW_SUSPEND, 0), -EINVAL);
	EQ(SC(reboot, MAGIC1, MAGIC2, CMD_RESTART2, 0), -EFAULT);
	EQ(SC(reboot, MAGIC1, MAGIC2, CMD_RESTART2, KADDR), -EFAULT);
	EQ(SC(reboot, MAGIC1 | 0xffffffff00000000ull, MAGIC2, CMD_CAD_ON, 0), 0);  /* ints */
	TRY(ends_with(sys_reboot, "power off", MAGIC1, MAGIC2C, CMD_POWER_OFF, 0,
		      HOST_POWEROFF, 0));
	TRY(ends_with(sys_reboot, "halt", MAGIC1 | 0xffffffff00000000ull, MAGIC2B, CMD_HALT, 0,
		      HOST_POWEROFF, 0));
	host_con_reset();
	TRY(ends_with(sys_reboot, "restart", MAGIC1, MAGIC2, CMD_RESTART, 0, HOST_POWEROFF, 0));
	CHECK(strstr(host_log, "restart"), "no log line for a restart: \"%s\"", host_log);
	host_con_reset();
	TRY(ends_with(sys_reboot, "restart2", MAGIC1, MAGIC2A, CMD_RESTART2, (u64)ustr("fw"),
		      HOST_POWEROFF, 0));
	CHECK(strstr(host_log, "restart"), "no log line for restart2: \"%s\"", host_log);
	return NULL;
}

/* ---- main ---------------------------------------------------------------- */

static const struct {
	const char *name;
	const char *(*fn)(void);
} cases[] = {
	{ "file-table", case_file_table },
	{ "console-write-bytes", case_console_write_bytes },
	{ "console-write-large", case_console_write_large },
	{ "console-write-faults", case_console_write_faults },
	{ "console-other-calls", case_console_other_calls },
	{ "bad-fds", case_bad_fds },
	{ "open-read", case_open_read },
	{ "read-whole-files", case_read_whole_files },
	{ "read-faults", case_read_faults },
	{ "read-position-limits", case_read_position_limits },
	{ "fstat-files", case_fstat_files },
	{ "stat-directories", case_stat_directories },
	{ "path-walk", case_path_walk },
	{ "path-errors", case_path_errors },
	{ "open-access-modes", case_open_access_modes },
	{ "open-create", case_open_create },
	{ "open-tmpfile", case_open_tmpfile },
	{ "open-special-files", case_open_special_files },
	{ "symlinks-followed", case_symlinks_followed },
	{ "symlinks-not-followed", case_symlinks_not_followed },
	{ "o-path", case_o_path },
	{ "dirfd", case_dirfd },
	{ "fd-limits", case_fd_limits },
	{ "close", case_close },
	{ "lseek-files", case_lseek_files },
	{ "lseek-directories", case_lseek_directories },
	{ "readv", case_readv },
	{ "readv-bad-vectors", case_readv_bad_vectors },
	{ "readv-many-segments", case_readv_many_segments },
	{ "writev", case_writev },
	{ "newfstatat", case_newfstatat },
	{ "ioctl-files", case_ioctl_files },
	{ "readlinkat", case_readlinkat },
	{ "getcwd", case_getcwd },
	{ "out-of-memory", case_out_of_memory },
	{ "exit", case_exit },
	{ "ids", case_ids },
	{ "rt-sigaction", case_rt_sigaction },
	{ "rt-sigprocmask", case_rt_sigprocmask },
	{ "rlimit-defaults", case_rlimit_defaults },
	{ "rlimit-set", case_rlimit_set },
	{ "getrandom-stream", case_getrandom_stream },  /* the generator's first use */
	{ "getrandom", case_getrandom },
	{ "uname", case_uname },
	{ "clock-gettime", case_clock_gettime },
	{ "reboot", case_reboot },
};

int main(void)
{
	size_t i;

	umem_init();
	load_archive();
	kmalloc_baseline = host_kmalloc_live;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(cases[i].name, cases[i].fn);
	return test_exit_status();
}
