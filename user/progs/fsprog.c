/*
 * fsprog: the file and process system calls on the running kernel.
 *
 * The host test (tests/unit/test_fs.c) covers kernel/fs/fs.c and
 * kernel/sys.c case by case over simulated user memory; this program
 * checks the same calls through the real trap path, syscall table and
 * user copies: faults on unmapped, PROT_NONE and read-only pages, lazily
 * allocated pages, and the files of the embedded initramfs (every program
 * of user/progs at /NAME, this one included; "/" is the only directory).
 *
 * The console checks write lines whose exact bytes tests/qemu/cases_fs.py
 * looks for in QEMU's raw output: "fsprog: raw [A\0B]", a NUL in the
 * middle, among others. Each '\n' must arrive as "\r\n" and every other
 * byte unchanged.
 *
 * Output: "ok N name" or "not ok N name: reason", then
 * "fsprog: P passed, F failed"; the exit status is 0 iff F == 0. Lines are
 * formatted with snprintf and written with write(), so the console bytes
 * are exactly the ones this program passes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PG              4096UL
#define SELF            "/fsprog"
#define KADDR           0xffffffc000000000UL   /* kernel space on Sv39 */
#define NR_OPEN         64
#define MAX_RW_COUNT    0x7ffff000L

/* Linux values our headers do not carry. */
#define SEEK_DATA       3
#define SEEK_HOLE       4
#define TCGETS          0x5401
#define FIONREAD        0x541b
#define FIONBIO         0x5421
#define EM_RISCV        243

struct iovec_ {
	void *base;
	size_t len;
};

struct rlimit_ {
	unsigned long cur, max;
};

struct sigaction_ {                     /* riscv64: no sa_restorer */
	unsigned long handler, flags, mask;
};

struct utsname_ {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

/* ---- output and checks --------------------------------------------------- */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(1, buf, (size_t)n) != n)
		_exit(3);
}

static char why[256];

static const char *failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

#define CHECK(cond, ...)                                \
	do {                                            \
		if (!(cond))                            \
			return failf(__VA_ARGS__);      \
	} while (0)

/* @expr (evaluated once, a raw result: a value or -errno) must be @want. */
#define EQ(expr, want)                                                          \
	do {                                                                    \
		long v_ = (long)(expr), w_ = (long)(want);                      \
		if (v_ != w_)                                                   \
			return failf("line %d: %s = %ld, want %ld", __LINE__,   \
				     #expr, v_, w_);                            \
	} while (0)

#define TRY(expr)                                       \
	do {                                            \
		const char *e_ = (expr);                \
		if (e_)                                 \
			return e_;                      \
	} while (0)

/* A libc result as the kernel gave it: -1 with errno becomes -errno. */
static long raw(long r)
{
	return r == -1 ? -errno : r;
}

#define SYS(...) raw(syscall(__VA_ARGS__))

static long op(const char *path, long flags)
{
	return SYS(SYS_openat, AT_FDCWD, path, flags, 0);
}

/* Two fresh pages, the second unmapped: copies running off the first stop. */
static char *edge_page(void)
{
	char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	munmap(m + PG, PG);
	return m;
}

/* This program's own bytes, read once with one read(). */
static unsigned char *self;
static long self_size;

static bool load_self(void)
{
	struct stat st;
	int fd = open(SELF, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size < 1000)
		return false;
	self_size = st.st_size;
	self = malloc((size_t)self_size + 1);
	if (!self || read(fd, self, (size_t)self_size + 1) != self_size)
		return false;
	return close(fd) == 0;
}

/* ---- the console --------------------------------------------------------- */

static const char *case_console_nul(void)
{
	static const char line[] = "fsprog: raw [A\0B]\n";

	EQ(write(1, line, sizeof(line) - 1), sizeof(line) - 1);
	return NULL;
}

static const char *case_console_bytes(void)
{
	static const char line[] = "fsprog: bytes [\x01\x7f\xff\xc3\xa9\t\r]\n";

	EQ(write(2, line, sizeof(line) - 1), sizeof(line) - 1);
	return NULL;
}

static const char *case_console_writev(void)
{
	struct iovec_ iov[5] = {
		{ "fsprog: writev [", 16 }, { "x\0", 2 }, { "", 0 }, { "\0y", 2 }, { "]\n", 2 },
	};

	EQ(SYS(SYS_writev, 1, iov, 5), 22);
	return NULL;
}

/* A write running into an unmapped page: the bytes before it. */
static const char *case_console_partial(void)
{
	static const char line[] = "fsprog: edge!\n";
	char *m = edge_page();
	size_t n = sizeof(line) - 1;

	CHECK(m, "mmap failed");
	memcpy(m + PG - n, line, n);
	EQ(SYS(SYS_write, 1, m + PG - n, 100), n);
	EQ(SYS(SYS_write, 1, m + PG, 1), -EFAULT);
	EQ(munmap(m, PG), 0);
	return NULL;
}

static const char *case_console_faults(void)
{
	char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(m != MAP_FAILED, "mmap failed");
	EQ(SYS(SYS_write, 1, NULL, 4), -EFAULT);
	EQ(SYS(SYS_write, 1, KADDR, 1), -EFAULT);
	EQ(SYS(SYS_write, 1, NULL, 0), 0);
	m[0] = 'x';
	EQ(mprotect(m, PG, PROT_NONE), 0);
	EQ(SYS(SYS_write, 1, m, 4), -EFAULT);   /* mapped, but not readable */
	EQ(munmap(m, PG), 0);
	return NULL;
}

static const char *case_console_other_calls(void)
{
	struct stat st;
	char b[8];
	int v = 0;

	EQ(SYS(SYS_read, 0, b, sizeof(b)), 0);
	EQ(SYS(SYS_lseek, 1, 0, SEEK_CUR), -ESPIPE);
	EQ(SYS(SYS_pread64, 1, b, 1, 0), -ESPIPE);
	EQ(SYS(SYS_fstat, 1, &st), 0);
	CHECK(st.st_mode == (S_IFCHR | 0620) && st.st_rdev == (136 << 8),
	      "console: mode 0%o rdev 0x%lx", st.st_mode, (unsigned long)st.st_rdev);
	EQ(SYS(SYS_ioctl, 1, TCGETS, b), -ENOTTY);
	EQ(SYS(SYS_ioctl, 1, FIONREAD, &v), -ENOTTY);
	return NULL;
}

/* ---- files --------------------------------------------------------------- */

static const char *case_open_and_stat(void)
{
	struct stat st, st2;
	long fd = op(SELF, O_RDONLY);

	EQ(fd, 3);                              /* the lowest free fd */
	EQ(SYS(SYS_fstat, fd, &st), 0);
	CHECK(st.st_mode == (S_IFREG | 0755) && st.st_size == self_size && st.st_nlink == 1,
	      "fstat: mode 0%o size %ld nlink %u", st.st_mode, (long)st.st_size, st.st_nlink);
	CHECK(st.st_blksize == 4096 && st.st_blocks == (self_size + 4095) / 4096 * 8,
	      "fstat: blksize %d blocks %ld", st.st_blksize, (long)st.st_blocks);
	CHECK(st.st_uid == 0 && st.st_gid == 0 && st.st_dev == 1 && st.st_rdev == 0,
	      "fstat: uid %u gid %u dev %lu rdev %lu", st.st_uid, st.st_gid,
	      (unsigned long)st.st_dev, (unsigned long)st.st_rdev);
	EQ(stat(SELF, &st2), 0);
	CHECK(st2.st_ino == st.st_ino && st2.st_size == st.st_size, "stat and fstat differ");
	EQ(SYS(SYS_newfstatat, fd, "", &st2, AT_EMPTY_PATH), 0);
	EQ(st2.st_ino, st.st_ino);
	EQ(SYS(SYS_newfstatat, fd, NULL, &st2, AT_EMPTY_PATH), 0);
	EQ(st2.st_ino, st.st_ino);
	EQ(SYS(SYS_newfstatat, AT_FDCWD, "/hello", &st2, 0), 0);
	CHECK(S_ISREG(st2.st_mode) && st2.st_ino != st.st_ino, "/hello: mode 0%o ino %lu",
	      st2.st_mode, (unsigned long)st2.st_ino);
	EQ(close((int)fd), 0);
	EQ(raw(close((int)fd)), -EBADF);
	return NULL;
}

static const char *case_read_contents(void)
{
	unsigned char *b = malloc((size_t)self_size);
	unsigned char hdr[20];
	long fd = op(SELF, O_RDONLY), off;

	CHECK(b, "malloc failed");
	CHECK(!memcmp(self, "\177ELF", 4), "no ELF magic");
	EQ(self[18] | self[19] << 8, EM_RISCV);
	EQ(SYS(SYS_read, fd, hdr, 4), 4);
	CHECK(!memcmp(hdr, self, 4), "read differs from the first read");
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 4);
	for (off = 0; off < self_size; off += 997) {
		long n = self_size - off < 20 ? self_size - off : 20;

		EQ(SYS(SYS_pread64, fd, hdr, 20, off), n);
		CHECK(!memcmp(hdr, self + off, (size_t)n), "pread at %ld differs", off);
	}
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 4);
	EQ(SYS(SYS_read, fd, b + 4, (size_t)self_size), self_size - 4);
	CHECK(!memcmp(b + 4, self + 4, (size_t)self_size - 4), "second read differs");
	EQ(SYS(SYS_read, fd, b, 10), 0);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_END), self_size);
	EQ(SYS(SYS_lseek, fd, -1, SEEK_SET), -EINVAL);
	EQ(SYS(SYS_lseek, fd, 0, 5), -EINVAL);
	EQ(SYS(SYS_lseek, fd, 5, SEEK_DATA), 5);
	EQ(SYS(SYS_lseek, fd, 5, SEEK_HOLE), self_size);
	EQ(SYS(SYS_lseek, fd, self_size, SEEK_DATA), -ENXIO);
	EQ(SYS(SYS_pread64, fd, hdr, 4, -1), -EINVAL);
	EQ(close((int)fd), 0);
	free(b);
	return NULL;
}

static const char *case_readv(void)
{
	char a[7], b[100];
	struct iovec_ iov[3] = { { a, sizeof(a) }, { NULL, 0 }, { b, sizeof(b) } };
	long fd = op(SELF, O_RDONLY);
	int v = 0;

	EQ(SYS(SYS_lseek, fd, 100, SEEK_SET), 100);
	EQ(SYS(SYS_readv, fd, iov, 3), 107);
	CHECK(!memcmp(a, self + 100, 7) && !memcmp(b, self + 107, 100), "readv contents");
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 207);
	EQ(SYS(SYS_ioctl, fd, FIONREAD, &v), 0);
	EQ(v, self_size - 207);
	EQ(SYS(SYS_readv, fd, iov, 1025), -EINVAL);
	EQ(SYS(SYS_readv, fd, NULL, 1), -EFAULT);
	iov[1].base = (void *)KADDR;
	iov[1].len = 1;
	EQ(SYS(SYS_readv, fd, iov, 3), -EFAULT);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 207);
	EQ(SYS(SYS_writev, fd, iov, 1), -EBADF);
	EQ(close((int)fd), 0);
	return NULL;
}

/* Copies to user pages: lazily allocated, unmapped, read-only. */
static const char *case_read_faults(void)
{
	char *m = edge_page(), *fresh, *ro;
	long fd = op(SELF, O_RDONLY);

	CHECK(m, "mmap failed");
	EQ(SYS(SYS_read, fd, m + PG - 96, 500), 96);
	CHECK(!memcmp(m + PG - 96, self, 96), "partial read contents");
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 96);
	EQ(SYS(SYS_read, fd, m + PG, 4), -EFAULT);
	EQ(SYS(SYS_read, fd, KADDR, 4), -EFAULT);
	EQ(SYS(SYS_read, fd, NULL, 4), -EFAULT);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 96);
	fresh = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(fresh != MAP_FAILED, "mmap failed");
	EQ(SYS(SYS_pread64, fd, fresh + 100, 3 * PG, 0), 3 * PG);      /* never touched */
	CHECK(!memcmp(fresh + 100, self, 3 * PG), "read into fresh pages differs");
	ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED, "mmap failed");
	EQ(SYS(SYS_read, fd, ro, 4), -EFAULT);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_CUR), 96);
	EQ(munmap(ro, PG), 0);
	EQ(munmap(fresh, 4 * PG), 0);
	EQ(munmap(m, PG), 0);
	EQ(close((int)fd), 0);
	return NULL;
}

static const char *case_paths(void)
{
	static const char *const same[] = {
		"//fsprog", "/./fsprog", "/../fsprog", "fsprog", "./fsprog", "../../fsprog",
	};
	struct stat st, want;
	char *path;
	long fd, dfd;
	size_t i;

	EQ(stat(SELF, &want), 0);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		fd = op(same[i], O_RDONLY);
		CHECK(fd >= 0, "open %s: %ld", same[i], fd);
		EQ(SYS(SYS_fstat, fd, &st), 0);
		CHECK(st.st_ino == want.st_ino, "%s: another file", same[i]);
		EQ(close((int)fd), 0);
	}
	dfd = op("/", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open /: %ld", dfd);
	fd = SYS(SYS_openat, dfd, "fsprog", O_RDONLY, 0);
	CHECK(fd >= 0, "openat(/, fsprog): %ld", fd);
	EQ(SYS(SYS_openat, fd, "x", O_RDONLY, 0), -ENOTDIR);
	EQ(close((int)fd), 0);
	EQ(SYS(SYS_openat, 60, "fsprog", O_RDONLY, 0), -EBADF);
	EQ(op("/fsprog/", O_RDONLY), -ENOTDIR);
	EQ(op("/fsprog/x", O_RDONLY), -ENOTDIR);
	EQ(op("/fsprog", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	EQ(op("/nope", O_RDONLY), -ENOENT);
	EQ(op("/nope/x", O_RDONLY), -ENOENT);
	EQ(op("", O_RDONLY), -ENOENT);
	EQ(SYS(SYS_openat, AT_FDCWD, NULL, O_RDONLY, 0), -EFAULT);
	EQ(SYS(SYS_openat, AT_FDCWD, KADDR, O_RDONLY, 0), -EFAULT);
	path = malloc(4200);
	CHECK(path, "malloc failed");
	memset(path, '/', 4200);
	strcpy(path + 4089, "fsprog");          /* 4095 bytes and the NUL */
	fd = op(path, O_RDONLY);
	CHECK(fd >= 0, "a path of 4095 bytes: %ld", fd);
	EQ(close((int)fd), 0);
	strcpy(path + 4090, "fsprog");          /* 4096: too long */
	EQ(op(path, O_RDONLY), -ENAMETOOLONG);
	memset(path, 'a', 300);
	path[0] = '/';
	path[257] = '\0';                       /* a component of 256 bytes */
	EQ(op(path, O_RDONLY), -ENAMETOOLONG);
	free(path);
	EQ(close((int)dfd), 0);
	return NULL;
}

static const char *case_read_only(void)
{
	EQ(op(SELF, O_WRONLY), -EROFS);
	EQ(op(SELF, O_RDWR), -EROFS);
	EQ(op(SELF, O_RDONLY | O_TRUNC), -EROFS);
	EQ(op("/new", O_CREAT | O_WRONLY), -EROFS);
	EQ(op(SELF, O_CREAT | O_EXCL | O_RDONLY), -EEXIST);
	EQ(op("/", O_RDWR), -EISDIR);
	EQ(op("/", O_CREAT), -EISDIR);
	EQ(op("/new/", O_CREAT), -EISDIR);
	EQ(op("/", O_TMPFILE | O_RDWR), -EROFS);
	EQ(op("/", O_CREAT | O_DIRECTORY), -EINVAL);
	EQ(SYS(SYS_write, 3, "x", 1), -EBADF);  /* no fd 3 */
	return NULL;
}

static const char *case_root_directory(void)
{
	struct stat st;
	char b[4];
	long fd = op("/", O_RDONLY);

	CHECK(fd >= 0, "open /: %ld", fd);
	EQ(SYS(SYS_fstat, fd, &st), 0);
	CHECK(st.st_mode == (S_IFDIR | 0755) && st.st_ino == 1 && st.st_nlink == 2 &&
	      st.st_size == 0, "/: mode 0%o ino %lu nlink %u size %ld", st.st_mode,
	      (unsigned long)st.st_ino, st.st_nlink, (long)st.st_size);
	EQ(SYS(SYS_read, fd, b, sizeof(b)), -EISDIR);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_END), -EINVAL);
	EQ(close((int)fd), 0);
	return NULL;
}

static const char *case_o_path(void)
{
	struct stat st;
	char b[16];
	long fd = op(SELF, O_PATH);

	CHECK(fd >= 0, "O_PATH open: %ld", fd);
	EQ(SYS(SYS_read, fd, b, 1), -EBADF);
	EQ(SYS(SYS_lseek, fd, 0, SEEK_SET), -EBADF);
	EQ(SYS(SYS_fstat, fd, &st), 0);
	EQ(st.st_size, self_size);
	EQ(close((int)fd), 0);
	EQ(SYS(SYS_readlinkat, AT_FDCWD, SELF, b, sizeof(b)), -EINVAL);
	EQ(SYS(SYS_readlinkat, AT_FDCWD, SELF, b, 0), -EINVAL);
	EQ(SYS(SYS_readlinkat, AT_FDCWD, "/nope", b, sizeof(b)), -ENOENT);
	return NULL;
}

static const char *case_fd_table(void)
{
	int fds[NR_OPEN], n = 0, i;
	long r;

	while ((r = op(SELF, O_RDONLY)) >= 0 && n < NR_OPEN)
		fds[n++] = (int)r;
	EQ(r, -EMFILE);
	EQ(fds[n - 1], NR_OPEN - 1);
	CHECK(n >= NR_OPEN - 8, "only %d files opened", n);
	EQ(op("/nope", O_RDONLY), -EMFILE);
	EQ(close(fds[5]), 0);
	EQ(op(SELF, O_RDONLY), fds[5]);
	for (i = 0; i < n; i++)
		EQ(close(fds[i]), 0);
	EQ(op(SELF, O_RDONLY), fds[0]);
	EQ(close(fds[0]), 0);
	return NULL;
}

static const char *case_getcwd(void)
{
	char b[8] = "#######";

	EQ(SYS(SYS_getcwd, b, sizeof(b)), 2);
	CHECK(!memcmp(b, "/\0#", 3), "getcwd wrote %.3s", b);
	EQ(SYS(SYS_getcwd, b, 1), -ERANGE);
	EQ(SYS(SYS_getcwd, KADDR, 8), -EFAULT);
	return NULL;
}

/* ---- the process and the system ------------------------------------------ */

static const char *case_ids(void)
{
	long pid = getpid();

	CHECK(pid > 0, "pid %ld", pid);
	EQ(SYS(SYS_gettid), pid);
	EQ(SYS(SYS_getppid), 0);
	EQ(SYS(SYS_getuid), 0);
	EQ(SYS(SYS_geteuid), 0);
	EQ(SYS(SYS_getgid), 0);
	EQ(SYS(SYS_getegid), 0);
	EQ(SYS(SYS_set_tid_address, NULL), pid);
	EQ(SYS(SYS_set_robust_list, NULL, 24), 0);
	EQ(SYS(SYS_set_robust_list, NULL, 23), -EINVAL);
	EQ(SYS(SYS_sched_yield), 0);
	return NULL;
}

/* A number without a handler, inside the table or past it, is ENOSYS. */
static const char *case_unknown_numbers(void)
{
	EQ(SYS(100 /* get_robust_list: no handler */), -ENOSYS);
	EQ(SYS(293 /* rseq: the last slot */), -ENOSYS);
	EQ(SYS(294 /* the first number past the table */), -ENOSYS);
	EQ(SYS(100000), -ENOSYS);
	EQ(SYS(-1L), -ENOSYS);
	return NULL;
}

/* Every register a system call does not return in comes back as it went
 * in: ra, t0..t6 and a1..a7 (the callee-saved ones are the C code's). */
static const char *case_syscall_registers(void)
{
	unsigned long diff;

	__asm__ volatile(
		"li ra, 0x101\n li t0, 0x105\n li t1, 0x106\n li t2, 0x107\n"
		"li t3, 0x11c\n li t4, 0x11d\n li t5, 0x11e\n li t6, 0x11f\n"
		"li a0, 0\n li a1, 0x10b\n li a2, 0x10c\n li a3, 0x10d\n"
		"li a4, 0x10e\n li a5, 0x10f\n li a6, 0x110\n li a7, %1\n"
		"ecall\n"
		"addi ra, ra, -0x101\n addi t0, t0, -0x105\n addi t1, t1, -0x106\n"
		"addi t2, t2, -0x107\n addi t3, t3, -0x11c\n addi t4, t4, -0x11d\n"
		"addi t5, t5, -0x11e\n addi t6, t6, -0x11f\n addi a1, a1, -0x10b\n"
		"addi a2, a2, -0x10c\n addi a3, a3, -0x10d\n addi a4, a4, -0x10e\n"
		"addi a5, a5, -0x10f\n addi a6, a6, -0x110\n addi a7, a7, -%1\n"
		"or %0, ra, t0\n or %0, %0, t1\n or %0, %0, t2\n or %0, %0, t3\n"
		"or %0, %0, t4\n or %0, %0, t5\n or %0, %0, t6\n or %0, %0, a1\n"
		"or %0, %0, a2\n or %0, %0, a3\n or %0, %0, a4\n or %0, %0, a5\n"
		"or %0, %0, a6\n or %0, %0, a7\n"
		: "=&r"(diff) : "i"(SYS_getppid)
		: "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a0", "a1", "a2",
		  "a3", "a4", "a5", "a6", "a7", "memory");
	CHECK(diff == 0, "registers changed across getppid: or of the differences %#lx", diff);
	return NULL;
}

static const char *case_signals(void)
{
	struct sigaction_ act = { 1 /* SIG_IGN */, 0x10000000 | 0x400, 1UL << 8 | 1UL << 1 };
	struct sigaction_ old;
	unsigned long set = 1UL << 9 | 1UL << 8, oldset = 1;

	EQ(SYS(SYS_rt_sigaction, 2, &act, NULL, 8), 0);
	EQ(SYS(SYS_rt_sigaction, 2, NULL, &old, 8), 0);
	CHECK(old.handler == 1 && old.flags == 0x10000000 && old.mask == 1UL << 1,
	      "old action %lu 0x%lx 0x%lx", old.handler, old.flags, old.mask);
	EQ(SYS(SYS_rt_sigaction, 9, &act, NULL, 8), -EINVAL);
	EQ(SYS(SYS_rt_sigaction, 2, &act, NULL, 4), -EINVAL);
	EQ(SYS(SYS_rt_sigaction, 2, KADDR, NULL, 8), -EFAULT);
	EQ(SYS(SYS_rt_sigprocmask, 0, &set, &oldset, 8), 0);
	EQ(oldset, 0);
	EQ(SYS(SYS_rt_sigprocmask, 2, NULL, &oldset, 8), 0);
	EQ(oldset, 1UL << 9);                   /* SIGKILL's bit (9) dropped */
	EQ(SYS(SYS_rt_sigprocmask, 7, &set, NULL, 8), -EINVAL);
	set = 0;
	EQ(SYS(SYS_rt_sigprocmask, 2, &set, NULL, 8), 0);
	return NULL;
}

static const char *case_rlimits(void)
{
	struct rlimit_ rl, old;

	EQ(SYS(SYS_getrlimit, 7, &rl), 0);
	CHECK(rl.cur == NR_OPEN && rl.max == NR_OPEN, "NOFILE %lu %lu", rl.cur, rl.max);
	EQ(SYS(SYS_prlimit64, 0, 3, NULL, &rl), 0);
	CHECK(rl.cur == 8UL << 20 && rl.max == ~0UL, "STACK %lu %lu", rl.cur, rl.max);
	rl = (struct rlimit_){ 32, 64 };
	EQ(SYS(SYS_prlimit64, 0, 7, &rl, &old), 0);
	EQ(old.cur, NR_OPEN);
	EQ(SYS(SYS_getrlimit, 7, &old), 0);
	EQ(old.cur, 32);
	rl = (struct rlimit_){ 65, 64 };
	EQ(SYS(SYS_prlimit64, 0, 7, &rl, NULL), -EINVAL);
	EQ(SYS(SYS_prlimit64, getpid() + 1, 7, NULL, &old), -ESRCH);
	EQ(SYS(SYS_getrlimit, 16, &old), -EINVAL);
	rl = (struct rlimit_){ NR_OPEN, NR_OPEN };
	EQ(SYS(SYS_prlimit64, 0, 7, &rl, NULL), 0);
	return NULL;
}

static const char *case_getrandom(void)
{
	unsigned char a[64], b[64];
	char *m = edge_page();
	int i, nonzero = 0;

	CHECK(m, "mmap failed");
	memset(a, 0, sizeof(a));
	EQ(SYS(SYS_getrandom, a, sizeof(a), 0), sizeof(a));
	EQ(SYS(SYS_getrandom, b, sizeof(b), 1), sizeof(b));
	for (i = 0; i < 64; i++)
		nonzero += a[i] != 0;
	CHECK(nonzero > 48 && memcmp(a, b, sizeof(a)), "random bytes look wrong");
	EQ(SYS(SYS_getrandom, a, 16, 8), -EINVAL);
	EQ(SYS(SYS_getrandom, a, 16, 6), -EINVAL);
	EQ(SYS(SYS_getrandom, m + PG - 96, 500, 0), 96);
	EQ(SYS(SYS_getrandom, m + PG, 1, 0), -EFAULT);
	EQ(SYS(SYS_getrandom, KADDR, 1, 0), -EFAULT);
	EQ(munmap(m, PG), 0);
	return NULL;
}

static const char *case_uname(void)
{
	struct utsname_ u;

	memset(&u, 0, sizeof(u));
	EQ(SYS(SYS_uname, &u), 0);
	CHECK(!strcmp(u.sysname, "Pagoda") && !strcmp(u.machine, "riscv64") &&
	      !strcmp(u.release, "6.12.0-pagoda") && !strcmp(u.nodename, "pagoda"),
	      "uname: %s %s %s %s", u.sysname, u.nodename, u.release, u.machine);
	EQ(SYS(SYS_uname, KADDR), -EFAULT);
	return NULL;
}

static const char *case_clocks(void)
{
	static const int ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 11 };
	struct timespec a, b;
	size_t i;

	EQ(clock_gettime(CLOCK_MONOTONIC, &a), 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		EQ(SYS(SYS_clock_gettime, ids[i], &b), 0);
		CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000, "clock %d: nsec %ld", ids[i],
		      b.tv_nsec);
		CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec),
		      "clock %d went back", ids[i]);
	}
	EQ(SYS(SYS_clock_gettime, 8, &b), -EINVAL);
	EQ(SYS(SYS_clock_gettime, -1, &b), -EINVAL);
	EQ(SYS(SYS_clock_gettime, 1, KADDR), -EFAULT);
	return NULL;
}

static const char *case_reboot(void)
{
	EQ(SYS(SYS_reboot, 0xfee1deadUL, 672274793, 0x89abcdef, 0), 0);    /* CAD on */
	EQ(SYS(SYS_reboot, 0xfee1deadUL, 672274793, 0, 0), 0);             /* CAD off */
	EQ(SYS(SYS_reboot, 0xfee1deaeUL, 672274793, 0x4321fedc, 0), -EINVAL);
	EQ(SYS(SYS_reboot, 0xfee1deadUL, 1, 0x4321fedc, 0), -EINVAL);
	EQ(SYS(SYS_reboot, 0xfee1deadUL, 672274793, 0xd000fce2, 0), -EINVAL);
	EQ(SYS(SYS_reboot, 0xfee1deadUL, 672274793, 0xa1b2c3d4, KADDR), -EFAULT);
	return NULL;
}

/* ---- main ---------------------------------------------------------------- */

static const struct {
	const char *name;
	const char *(*fn)(void);
} cases[] = {
	{ "console-nul", case_console_nul },
	{ "console-bytes", case_console_bytes },
	{ "console-writev", case_console_writev },
	{ "console-partial", case_console_partial },
	{ "console-faults", case_console_faults },
	{ "console-other-calls", case_console_other_calls },
	{ "open-and-stat", case_open_and_stat },
	{ "read-contents", case_read_contents },
	{ "readv", case_readv },
	{ "read-faults", case_read_faults },
	{ "paths", case_paths },
	{ "read-only", case_read_only },
	{ "root-directory", case_root_directory },
	{ "o-path", case_o_path },
	{ "fd-table", case_fd_table },
	{ "getcwd", case_getcwd },
	{ "ids", case_ids },
	{ "unknown-numbers", case_unknown_numbers },
	{ "syscall-registers", case_syscall_registers },
	{ "signals", case_signals },
	{ "rlimits", case_rlimits },
	{ "getrandom", case_getrandom },
	{ "uname", case_uname },
	{ "clocks", case_clocks },
	{ "reboot", case_reboot },
};

int main(void)
{
	int passed = 0, failed = 0;
	size_t i;

	if (!load_self()) {
		out("fsprog: cannot read %s\n", SELF);
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *err = cases[i].fn();

		if (err) {
			out("not ok %zu %s: %s\n", i + 1, cases[i].name, err);
			failed++;
		} else {
			out("ok %zu %s\n", i + 1, cases[i].name);
			passed++;
		}
	}
	out("fsprog: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
