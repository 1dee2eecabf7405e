/*
 * fs: the files a process sees, and the file syscalls over them.
 *
 * Two kinds of open file exist: the console (file->rf == NULL), which a new
 * process has on fds 0, 1 and 2, and entries of the initramfs, read-only,
 * opened by path. This file owns the per-process file table
 * (proc->files[]), path resolution over the initramfs, and the Linux
 * syscalls openat, close, read, write, readv, writev, pread64, lseek, fstat,
 * newfstatat, ioctl, readlinkat and getcwd, with Linux's errno values and,
 * where Linux has one, its order of checks (fs/open.c, fs/namei.c,
 * fs/read_write.c, fs/stat.c, fs/ioctl.c of Linux 6.12).
 *
 * Paths: the working directory is always "/". A path is walked one
 * component at a time from "/" or from a directory fd: "." stays, ".."
 * goes up (and stays at "/"), every other component must name an entry of
 * the initramfs, and every component but the last a directory. As in Linux,
 * a file whose directory the archive does not list cannot be reached by
 * path. Symlinks of the archive are followed (at most 40 per walk, ELOOP),
 * the last component only when the call follows it.
 *
 * The console has no input driver: reading it gives end of file. Output
 * goes out byte for byte (NULs too) through console_write(), which sends
 * '\n' as "\r\n" like a tty. The console answers no terminal ioctl
 * (ENOTTY), so isatty() is false and C libraries buffer fully.
 *
 * Locking: a process's table is touched only by the hart running it; the
 * initramfs is read-only after boot.
 */
#include <pagoda/syscall.h>
#include <pagoda/proc.h>
#include <pagoda/uaccess.h>
#include <pagoda/initramfs.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/buddy.h>
#include <asm/pte.h>
#include <string.h>

/* Linux asm-generic values. */
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
#define __O_SYNC        04000000
#define O_PATH          010000000
#define __O_TMPFILE     020000000
#define VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
	O_APPEND | O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
	O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | \
	__O_TMPFILE)
#define O_PATH_FLAGS    (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

#define AT_SYMLINK_NOFOLLOW     0x100
#define AT_NO_AUTOMOUNT         0x800
#define AT_EMPTY_PATH           0x1000
#define AT_STATX_SYNC_TYPE      0x6000
#define AT_STAT_FLAGS   (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)

#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2
#define SEEK_DATA       3
#define SEEK_HOLE       4

#define FIONBIO         0x5421
#define FIONREAD        0x541b
#define FIONCLEX        0x5450
#define FIOCLEX         0x5451

#define NAME_MAX        255
#define MAXSYMLINKS     40
#define UIO_MAXIOV      1024
#define UIO_FASTIOV     8

/* stat identities: two made-up devices, the console as /dev/pts/0 */
#define RAMFS_DEV       1
#define CONSOLE_DEV     2
#define CONSOLE_INO     3
#define CONSOLE_RDEV    ((136u << 8) | 0)       /* makedev(136, 0) */
#define CONSOLE_MODE    (S_IFCHR | 0620)
#define ROOT_INO        1

/* The root directory: not an entry of the archive. */
static const struct ramfs_file root_dir = {
	.name = "", .mode = S_IFDIR | 0755, .ino = ROOT_INO,
};

static u32 node_type(const struct ramfs_file *rf)
{
	return rf->mode & S_IFMT;
}

static bool node_is_dir(const struct ramfs_file *rf)
{
	return node_type(rf) == S_IFDIR;
}

/* ---- the file table -------------------------------------------------- */

static struct file *file_alloc(const struct ramfs_file *rf, u32 flags)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f) {
		f->refs = 1;
		f->flags = flags;
		f->rf = rf;
	}
	return f;
}

/* Open file descriptions are shared by the fds of every process that
 * inherited or duplicated them: the count is atomic. */
static void file_get(struct file *f)
{
	__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

static void file_put(struct file *f)
{
	u32 old = __atomic_fetch_sub(&f->refs, 1, __ATOMIC_ACQ_REL);

	BUG_ON(old == 0);
	if (old == 1)
		kfree(f);
}

/* Put @f on @fd of @p (free), with close-on-exec as asked. */
static void fd_install(struct proc *p, int fd, struct file *f, bool cloexec)
{
	p->files[fd] = f;
	if (cloexec)
		p->cloexec |= 1ull << fd;
	else
		p->cloexec &= ~(1ull << fd);
}

/* Close @fd of @p, which is open. */
static void fd_close(struct proc *p, int fd)
{
	struct file *f = p->files[fd];

	p->files[fd] = NULL;
	p->cloexec &= ~(1ull << fd);
	file_put(f);
}

/* fork: @c gets @p's fds, each on the same open file description. */
void proc_files_fork(struct proc *c, const struct proc *p)
{
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++) {
		c->files[fd] = p->files[fd];
		if (c->files[fd])
			file_get(c->files[fd]);
	}
	c->cloexec = p->cloexec;
}

/* execve: the fds marked close-on-exec are closed. */
void proc_files_exec(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++)
		if (p->files[fd] && (p->cloexec & (1ull << fd)))
			fd_close(p, fd);
}

/*
 * Give @p the console on fds 0, 1 and 2 (one file, three references,
 * open O_RDWR) and no other fd. 0, or -ENOMEM with the table empty.
 */
int proc_files_init(struct proc *p)
{
	struct file *con = file_alloc(NULL, O_RDWR);
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++)
		p->files[fd] = NULL;
	if (!con)
		return -ENOMEM;
	con->refs = 3;
	for (fd = 0; fd < 3; fd++)
		fd_install(p, fd, con, false);
	return 0;
}

/* Close every fd of @p; the table is left empty (a second call is a no-op). */
void proc_files_release(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++)
		if (p->files[fd])
			fd_close(p, fd);
}

/*
 * The file open on @fd in @p, or NULL when @fd is out of range or not open.
 * No reference is taken: the file lives until @fd is closed.
 */
struct file *proc_file(struct proc *p, int fd)
{
	if (fd < 0 || fd >= NR_OPEN)
		return NULL;
	return p->files[fd];
}

/* The same for calls that use the file itself, which an O_PATH file
 * refuses: NULL also for an fd opened O_PATH (Linux's fget()). */
struct file *proc_file_io(struct proc *p, int fd)
{
	struct file *f = proc_file(p, fd);

	return f && !(f->flags & O_PATH) ? f : NULL;
}

/* The lowest free fd of @p, or -EMFILE. */
static int fd_alloc(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++)
		if (!p->files[fd])
			return fd;
	return -EMFILE;
}

/* The running process's file on @fd, O_PATH files included; NULL: -EBADF. */
static struct file *fd_get_raw(int fd)
{
	return proc_file(current_proc(), fd);
}

/* The same for calls that do I/O, which an O_PATH file refuses (-EBADF). */
static struct file *fd_get(int fd)
{
	return proc_file_io(current_proc(), fd);
}

static bool file_can_read(const struct file *f)
{
	u32 acc = f->flags & O_ACCMODE;

	return acc == O_RDONLY || acc == O_RDWR;
}

static bool file_can_write(const struct file *f)
{
	u32 acc = f->flags & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

/* ---- path walk --------------------------------------------------------- */

/* Room for an existing name (< RAMFS_PATH_MAX), '/', a component, NUL. */
#define WALK_NAME_MAX   (RAMFS_PATH_MAX + 1 + NAME_MAX + 1)

struct walk_seg {                       /* what is left of one path string */
	const char *p;
	u64 n;
};

/*
 * One path resolution. The stack holds the user's path at the bottom and,
 * above it, the unread rest of each symlink being followed.
 */
struct walk {
	char name[WALK_NAME_MAX];       /* canonical name of the walk so far */
	u64 len;
	const struct ramfs_file *node;  /* the result; NULL: last part missing */
	bool trailing;                  /* a '/' followed the last (normal) name */
	bool follow;                    /* follow a symlink as the last part */
	unsigned int links;             /* symlinks followed */
	unsigned int depth;
	struct walk_seg stack[MAXSYMLINKS + 1];
};

/* A path syscall's state: too big for the kernel stack, so kmalloc'd. */
struct path_op {
	char path[PATH_MAX];
	struct walk w;
};

static void walk_set_name(struct walk *w, const struct ramfs_file *dir)
{
	w->len = strlcpy(w->name, dir->name, sizeof(w->name));
	w->node = dir;
}

/*
 * The next component, consumed from the stack: NULL when none is left,
 * else its start with *@len, whether it is the last one, and whether
 * slashes follow it (only meaningful for the last one).
 */
static const char *walk_next(struct walk *w, u64 *len, bool *last, bool *trailing)
{
	struct walk_seg *s;
	const char *c;
	u64 i, n = 0;

	for (;;) {
		s = &w->stack[w->depth - 1];
		while (s->n && *s->p == '/')
			s->p++, s->n--;
		if (s->n)
			break;
		if (w->depth == 1)
			return NULL;
		w->depth--;
	}
	c = s->p;
	while (n < s->n && c[n] != '/')
		n++;
	s->p += n;
	s->n -= n;
	*len = n;
	*last = true;
	*trailing = false;
	for (i = w->depth; i-- > 0 && *last;) {
		for (u64 k = 0; k < w->stack[i].n; k++) {
			if (w->stack[i].p[k] != '/') {
				*last = false;
				break;
			}
			*trailing = true;
		}
	}
	return c;
}

/*
 * "..": up one level, staying at the root. The walk only ever stands in a
 * directory it reached through its parents, so the parent exists; -ENOENT
 * covers an archive that would say otherwise.
 */
static int walk_up(struct walk *w)
{
	while (w->len > 0 && w->name[w->len - 1] != '/')
		w->len--;
	if (w->len > 0)
		w->len--;
	w->name[w->len] = '\0';
	w->node = w->len ? initramfs_lookup(w->name) : &root_dir;
	return w->node ? 0 : -ENOENT;
}

/* Continue the walk through symlink @link, met in directory w->name. */
static int walk_push_link(struct walk *w, const struct ramfs_file *link)
{
	const char *target = (const char *)link->data;
	u64 n = strnlen(target, link->size);

	if (++w->links > MAXSYMLINKS || w->depth == ARRAY_SIZE(w->stack))
		return -ELOOP;
	if (n == 0)
		return -ENOENT;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;   /* Linux never stores a longer target */
	if (target[0] == '/')
		walk_set_name(w, &root_dir);
	w->stack[w->depth++] = (struct walk_seg){ target, n };
	return 0;
}

/* Step into the normal name @c (@len bytes) from directory w->node. */
static int walk_name(struct walk *w, const char *c, u64 len, bool last, bool trailing)
{
	u64 parent_len = w->len;
	const struct ramfs_file *rf;

	if (len > NAME_MAX || w->len + 1 + len + 1 > sizeof(w->name))
		return -ENAMETOOLONG;
	if (w->len)
		w->name[w->len++] = '/';
	memcpy(w->name + w->len, c, len);
	w->len += len;
	w->name[w->len] = '\0';
	rf = initramfs_lookup(w->name);
	if (!rf) {
		if (!last)
			return -ENOENT;
		w->node = NULL;
		w->trailing = trailing;
		return 0;
	}
	if (node_type(rf) == S_IFLNK && (!last || trailing || w->follow)) {
		w->len = parent_len;
		w->name[w->len] = '\0';
		return walk_push_link(w, rf);
	}
	if (!last && !node_is_dir(rf))
		return -ENOTDIR;
	w->node = rf;
	w->trailing = last && trailing;
	return 0;
}

/*
 * Resolve @path (NUL-terminated, not empty) from directory @base, following
 * a final symlink when @follow. 0 with w->node the entry, or NULL when only
 * the last component is missing (w->trailing says whether a '/' followed
 * it); -ENOENT, -ENOTDIR, -ENAMETOOLONG or -ELOOP on the way.
 */
static int walk_path(struct walk *w, const char *path, const struct ramfs_file *base,
		     bool follow)
{
	bool last, trailing;
	const char *c;
	u64 len;
	int r;

	walk_set_name(w, path[0] == '/' ? &root_dir : base);
	w->trailing = false;
	w->follow = follow;
	w->links = 0;
	w->depth = 1;
	w->stack[0] = (struct walk_seg){ path, strlen(path) };
	while ((c = walk_next(w, &len, &last, &trailing))) {
		if (len == 1 && c[0] == '.')
			r = 0;
		else if (len == 2 && c[0] == '.' && c[1] == '.')
			r = walk_up(w);
		else
			r = walk_name(w, c, len, last, trailing);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Copy the user's path into @op: 0, -EFAULT, -ENAMETOOLONG (PATH_MAX bytes
 * or more), or -ENOENT for an empty path unless @empty_ok.
 */
static int path_copy(struct path_op *op, const char *upath, bool empty_ok)
{
	long n = strncpy_from_user(op->path, upath, sizeof(op->path));

	if (n < 0)
		return (int)n;
	if (n == 0 && !empty_ok)
		return -ENOENT;
	return 0;
}

/*
 * The directory a relative path starts from: "/" for AT_FDCWD, else the
 * directory open on @dirfd (-EBADF when none is open, -ENOTDIR when it is
 * not a directory).
 */
static int dirfd_base(int dirfd, const struct ramfs_file **base)
{
	struct file *f;

	if (dirfd == AT_FDCWD) {
		*base = &root_dir;
		return 0;
	}
	f = fd_get_raw(dirfd);
	if (!f)
		return -EBADF;
	if (!f->rf || !node_is_dir(f->rf))
		return -ENOTDIR;
	*base = f->rf;
	return 0;
}

/* Walk op->path (copied, not empty) from @dirfd. See walk_path(). */
static int path_walk(struct path_op *op, int dirfd, bool follow)
{
	const struct ramfs_file *base = &root_dir;
	int r;

	if (op->path[0] != '/') {
		r = dirfd_base(dirfd, &base);
		if (r)
			return r;
	}
	return walk_path(&op->w, op->path, base, follow);
}

/*
 * For lookups that do not create: the entry found, -ENOENT when it is
 * missing, -ENOTDIR when a trailing '/' follows something not a directory.
 */
static int walk_found(const struct walk *w)
{
	if (!w->node)
		return -ENOENT;
	if (w->trailing && !node_is_dir(w->node))
		return -ENOTDIR;
	return 0;
}

/*
 * What an empty path names under AT_EMPTY_PATH: @dirfd's own file, "/"
 * for AT_FDCWD. 0 with *@rf the entry (NULL: the console), or -EBADF.
 */
static int dirfd_self(int dirfd, const struct ramfs_file **rf)
{
	const struct file *f;

	*rf = &root_dir;
	if (dirfd == AT_FDCWD)
		return 0;
	f = fd_get_raw(dirfd);
	if (!f)
		return -EBADF;
	*rf = f->rf;
	return 0;
}

/*
 * execve's lookup: the file @upath names from @dirfd (with AT_EMPTY_PATH
 * and an empty path, the file open on @dirfd), following a final symlink
 * unless AT_SYMLINK_NOFOLLOW. 0 with *@rf and the path in @kpath
 * (PATH_MAX bytes), or -EFAULT, -ENAMETOOLONG, -ENOENT, -ENOTDIR, -ELOOP,
 * -EBADF, -EINVAL (unknown flags), or -EACCES when it is not a regular
 * file with an execute bit (Linux's order: the lookup, then the type).
 */
int fs_lookup_exec(int dirfd, const char *upath, int flags, const struct ramfs_file **rf,
		   char *kpath)
{
	struct path_op *op;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	r = path_copy(op, upath, flags & AT_EMPTY_PATH);
	if (!r && !op->path[0]) {
		r = dirfd_self(dirfd, rf);
		if (!r && !*rf)
			r = -EACCES;            /* the console */
	} else if (!r) {
		r = path_walk(op, dirfd, !(flags & AT_SYMLINK_NOFOLLOW));
		if (!r)
			r = walk_found(&op->w);
		if (!r)
			*rf = op->w.node;
	}
	if (!r && node_type(*rf) == S_IFLNK)
		r = -ELOOP;
	else if (!r && (node_type(*rf) != S_IFREG || !((*rf)->mode & 0111)))
		r = -EACCES;
	if (!r)
		memcpy(kpath, op->path, PATH_MAX);
	kfree(op);
	return r;
}

/* ---- user copies ------------------------------------------------------- */

/* At most @max bytes from @uaddr without crossing a page: a copy that
 * faults then fails on its first page, so the bytes before it are done. */
static u64 user_chunk(vaddr_t uaddr, u64 max)
{
	return MIN(max, PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)));
}

/* Copy @n bytes out page by page: @n, the bytes before a fault, or -EFAULT. */
static long copy_out_partial(void *udst, const void *src, u64 n)
{
	u64 done = 0, c;

	while (done < n) {
		c = user_chunk((vaddr_t)udst + done, n - done);
		if (copy_to_user((u8 *)udst + done, (const u8 *)src + done, c))
			return done ? (long)done : -EFAULT;
		done += c;
	}
	return (long)done;
}

/* ---- the console ------------------------------------------------------- */

#define CONSOLE_CHUNK   256             /* bytes copied in at a time */

/*
 * Write @count user bytes to the console: @count, the bytes written
 * before a fault, or -EFAULT. console_write() sends each chunk byte for
 * byte under one hold of the console lock, so no kernel line splits it.
 */
static long console_write_user(const void *ubuf, u64 count)
{
	char buf[CONSOLE_CHUNK];
	u64 done = 0, n;

	while (done < count) {
		n = user_chunk((vaddr_t)ubuf + done, MIN(count - done, (u64)CONSOLE_CHUNK));
		if (copy_from_user(buf, (const u8 *)ubuf + done, n))
			return done ? (long)done : -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return (long)done;
}

/* ---- read and write ---------------------------------------------------- */

/* Would @count bytes from @pos pass the largest file offset? (-EINVAL) */
static bool pos_overflows(u64 pos, u64 count)
{
	return count > (u64)INT64_MAX - pos;
}

/* Read up to @count bytes at *@pos (checks done), advancing *@pos. */
static long read_at(struct file *f, void *ubuf, u64 count, u64 *pos)
{
	const struct ramfs_file *rf = f->rf;
	long n;

	if (!rf)
		return 0;               /* no console input: end of file */
	if (node_is_dir(rf))
		return -EISDIR;
	if (*pos >= rf->size || count == 0)
		return 0;
	n = copy_out_partial(ubuf, rf->data + *pos, MIN(count, rf->size - *pos));
	if (n > 0)
		*pos += (u64)n;
	return n;
}

/* read(2) on @f at *@pos, with Linux's checks in Linux's order. */
static long file_read(struct file *f, void *ubuf, u64 count, u64 *pos)
{
	if (!file_can_read(f))
		return -EBADF;
	if (!user_range_ok((vaddr_t)ubuf, count))
		return -EFAULT;
	if (f->rf && pos_overflows(*pos, count))
		return -EINVAL;
	return read_at(f, ubuf, MIN(count, MAX_RW_COUNT), pos);
}

/* write(2) on @f: only the console is ever open for writing. */
static long file_write(struct file *f, const void *ubuf, u64 count)
{
	if (!file_can_write(f))
		return -EBADF;
	if (!user_range_ok((vaddr_t)ubuf, count))
		return -EFAULT;
	return console_write_user(ubuf, MIN(count, MAX_RW_COUNT));
}

SYSCALL(read)
{
	struct file *f = fd_get((int)a0);

	if (!f)
		return -EBADF;
	return file_read(f, (void *)a1, a2, &f->pos);
}

SYSCALL(write)
{
	struct file *f = fd_get((int)a0);

	if (!f)
		return -EBADF;
	return file_write(f, (const void *)a1, a2);
}

/* pread64(fd, buf, count, pos): at @pos, leaving the file position alone. */
SYSCALL(pread64)
{
	s64 spos = (s64)a3;
	struct file *f;
	u64 pos;

	if (spos < 0)
		return -EINVAL;
	f = fd_get((int)a0);
	if (!f)
		return -EBADF;
	if (!f->rf)
		return -ESPIPE;
	pos = (u64)spos;
	return file_read(f, (void *)a1, a2, &pos);
}

/* ---- readv and writev -------------------------------------------------- */

struct kiovec {
	u64 base, len;
};

/*
 * Copy and check the @cnt iovecs at @uvec like Linux's import_iovec:
 * -EINVAL for more than UIO_MAXIOV or a length that is negative as a
 * signed value, -EFAULT for an unreadable array or a segment outside user
 * space, -ENOMEM. Lengths are cut so the total stays within MAX_RW_COUNT.
 * The total, with *@out the array: @fast, or kmalloc'd when @cnt is large.
 */
static long iov_import(const void *uvec, u64 cnt, struct kiovec *fast, struct kiovec **out)
{
	struct kiovec *iov = fast;
	u64 total = 0, i;
	long r = -EFAULT;

	*out = fast;
	if (cnt == 0)
		return 0;
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (!user_range_ok((vaddr_t)uvec, cnt * sizeof(*iov)))
		return -EFAULT;
	if (cnt > UIO_FASTIOV && !(iov = kmalloc(cnt * sizeof(*iov), GFP_KERNEL)))
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		if (copy_from_user(&iov[i], (const struct kiovec *)uvec + i, sizeof(*iov)))
			goto out_free;
		if ((s64)iov[i].len < 0) {
			r = -EINVAL;
			goto out_free;
		}
	}
	for (i = 0; i < cnt; i++) {
		if (!user_range_ok(iov[i].base, iov[i].len))
			goto out_free;
		iov[i].len = MIN(iov[i].len, MAX_RW_COUNT - total);
		total += iov[i].len;
	}
	*out = iov;
	return (long)total;
out_free:
	if (iov != fast)
		kfree(iov);
	return r;
}

/* Transfer segment after segment until one comes up short or fails. */
static long iov_transfer(struct file *f, const struct kiovec *iov, u64 cnt, bool write)
{
	long done = 0, r;
	u64 i;

	for (i = 0; i < cnt; i++) {
		if (write)
			r = console_write_user((const void *)iov[i].base, iov[i].len);
		else
			r = read_at(f, (void *)iov[i].base, iov[i].len, &f->pos);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((u64)r != iov[i].len)
			break;
	}
	return done;
}

static long file_rw_vec(int fd, const void *uvec, u64 cnt, bool write)
{
	struct kiovec fast[UIO_FASTIOV], *iov;
	struct file *f = fd_get(fd);
	long total;

	if (!f)
		return -EBADF;
	if (write ? !file_can_write(f) : !file_can_read(f))
		return -EBADF;
	total = iov_import(uvec, cnt, fast, &iov);
	if (total > 0 && !write && f->rf && pos_overflows(f->pos, (u64)total))
		total = -EINVAL;
	if (total > 0)
		total = iov_transfer(f, iov, cnt, write);
	if (iov != fast)
		kfree(iov);
	return total;
}

SYSCALL(readv)
{
	return file_rw_vec((int)a0, (const void *)a1, a2, false);
}

SYSCALL(writev)
{
	return file_rw_vec((int)a0, (const void *)a1, a2, true);
}

/* ---- lseek ------------------------------------------------------------- */

/* @base + @off as a new position: -EINVAL when negative or overflowing. */
static s64 pos_add(u64 base, s64 off)
{
	s64 r;

	if (__builtin_add_overflow((s64)base, off, &r) || r < 0)
		return -EINVAL;
	return r;
}

/* A directory: SEEK_SET and SEEK_CUR only, like Linux's dcache_dir_lseek. */
static s64 dir_lseek(struct file *f, s64 off, u32 whence)
{
	if (whence == SEEK_SET)
		return off < 0 ? -EINVAL : off;
	if (whence == SEEK_CUR)
		return pos_add(f->pos, off);
	return -EINVAL;
}

/* A file: SEEK_DATA and SEEK_HOLE see one extent of data and no holes. */
static s64 reg_lseek(struct file *f, s64 off, u32 whence)
{
	u64 size = f->rf->size;

	switch (whence) {
	case SEEK_SET:
		return off < 0 ? -EINVAL : off;
	case SEEK_CUR:
		return pos_add(f->pos, off);
	case SEEK_END:
		return pos_add(size, off);
	case SEEK_DATA:
		return (u64)off >= size ? -ENXIO : off;
	default:                        /* SEEK_HOLE */
		return (u64)off >= size ? -ENXIO : (s64)size;
	}
}

SYSCALL(lseek)
{
	struct file *f = fd_get((int)a0);
	u32 whence = (u32)a2;
	s64 r;

	if (!f)
		return -EBADF;
	if (whence > SEEK_HOLE)
		return -EINVAL;
	if (!f->rf)
		return -ESPIPE;
	r = node_is_dir(f->rf) ? dir_lseek(f, (s64)a1, whence) : reg_lseek(f, (s64)a1, whence);
	if (r >= 0)
		f->pos = (u64)r;
	return r;
}

/* ---- stat -------------------------------------------------------------- */

/* struct stat of asm-generic (riscv64). */
struct linux_stat {
	u64 st_dev;
	u64 st_ino;
	u32 st_mode;
	u32 st_nlink;
	u32 st_uid;
	u32 st_gid;
	u64 st_rdev;
	u64 __pad1;
	s64 st_size;
	s32 st_blksize;
	s32 __pad2;
	s64 st_blocks;
	s64 st_atime;
	u64 st_atime_nsec;
	s64 st_mtime;
	u64 st_mtime_nsec;
	s64 st_ctime;
	u64 st_ctime_nsec;
	u32 __unused4;
	u32 __unused5;
};
_Static_assert(sizeof(struct linux_stat) == 128, "struct stat is 128 bytes");
_Static_assert(__builtin_offsetof(struct linux_stat, st_rdev) == 32, "st_rdev at 32");
_Static_assert(__builtin_offsetof(struct linux_stat, st_size) == 48, "st_size at 48");
_Static_assert(__builtin_offsetof(struct linux_stat, st_blksize) == 56, "st_blksize at 56");
_Static_assert(__builtin_offsetof(struct linux_stat, st_atime) == 72, "st_atime at 72");
_Static_assert(__builtin_offsetof(struct linux_stat, st_ctime_nsec) == 112, "st_ctime_nsec");

/* 2 + the directories directly inside @dir, as Linux counts a directory's links. */
static u32 dir_nlink(const struct ramfs_file *dir)
{
	u64 len = strlen(dir->name);
	const struct ramfs_file *e;
	u32 n = 2, i;

	for (i = 0; (e = initramfs_file(i)); i++) {
		const char *rest = e->name;

		if (len && (strncmp(rest, dir->name, len) || rest[len] != '/'))
			continue;
		rest += len ? len + 1 : 0;
		if (node_is_dir(e) && !strchr(rest, '/'))
			n++;
	}
	return n;
}

/* The stat of @rf, or of the console when @rf is NULL. */
static void stat_fill(const struct ramfs_file *rf, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_blksize = 4096;
	if (!rf) {
		st->st_dev = CONSOLE_DEV;
		st->st_ino = CONSOLE_INO;
		st->st_mode = CONSOLE_MODE;
		st->st_nlink = 1;
		st->st_rdev = CONSOLE_RDEV;
		return;
	}
	st->st_dev = RAMFS_DEV;
	st->st_ino = rf->ino;
	st->st_mode = rf->mode;
	st->st_nlink = node_is_dir(rf) ? dir_nlink(rf) : 1;
	if (!node_is_dir(rf)) {
		st->st_size = (s64)rf->size;
		st->st_blocks = (s64)(ALIGN_UP(rf->size, PAGE_SIZE) / 512);
	}
	st->st_atime = st->st_mtime = st->st_ctime = (s64)rf->mtime;
}

static long stat_to_user(const struct ramfs_file *rf, void *ust)
{
	struct linux_stat st;

	stat_fill(rf, &st);
	return copy_to_user(ust, &st, sizeof(st));
}

SYSCALL(fstat)
{
	struct file *f = fd_get_raw((int)a0);

	if (!f)
		return -EBADF;
	return stat_to_user(f->rf, (void *)a1);
}

/* Is the user path @upath NULL or ""? (Linux's vfs_empty_path) */
static bool upath_is_empty(const char *upath)
{
	char c;

	if (!upath)
		return true;
	return !copy_from_user(&c, upath, 1) && c == '\0';
}

/* stat of what @op->path names from @dirfd (already copied). */
static long path_stat(struct path_op *op, int dirfd, u32 flags, void *ust)
{
	const struct ramfs_file *rf;
	int r;

	if (op->path[0] == '\0') {      /* AT_EMPTY_PATH: the fd itself */
		r = dirfd_self(dirfd, &rf);
		return r ? r : stat_to_user(rf, ust);
	}
	r = path_walk(op, dirfd, !(flags & AT_SYMLINK_NOFOLLOW));
	if (!r)
		r = walk_found(&op->w);
	return r ? r : stat_to_user(op->w.node, ust);
}

/* newfstatat(dirfd, path, statbuf, flags) */
SYSCALL(newfstatat)
{
	int dirfd = (int)a0;
	const char *upath = (const char *)a1;
	u32 flags = (u32)a3;
	struct path_op *op;
	long r;

	if (flags == AT_EMPTY_PATH && dirfd >= 0 && upath_is_empty(upath))
		return sys_fstat((u64)dirfd, a2, 0, 0, 0, 0);
	if (flags & ~AT_STAT_FLAGS)
		return -EINVAL;
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	r = path_copy(op, upath, flags & AT_EMPTY_PATH);
	if (!r)
		r = path_stat(op, dirfd, flags, (void *)a2);
	kfree(op);
	return r;
}

/* ---- openat ------------------------------------------------------------ */

/* Linux's flag checks before any lookup (build_open_flags): 0 or -EINVAL. */
static int open_flags_check(u32 flags)
{
	u32 acc = flags & O_ACCMODE;

	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return -EINVAL;
	if ((flags & __O_TMPFILE) && (!(flags & O_DIRECTORY) || acc == O_RDONLY))
		return -EINVAL;
	return 0;
}

/* Linux's may_open for an entry of type @type on a read-only file system. */
static int open_may(u32 type, u32 flags)
{
	bool wr = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);

	switch (type) {
	case S_IFLNK:
		return -ELOOP;          /* O_NOFOLLOW on a symlink */
	case S_IFDIR:
		return wr ? -EISDIR : 0;
	case S_IFREG:
		return wr ? -EROFS : 0;
	default:                        /* devices, fifos, sockets: no driver */
		return -ENXIO;
	}
}

/* May the walk's result be opened with @flags? Linux's do_open order. */
static int open_check(const struct walk *w, u32 flags)
{
	const struct ramfs_file *rf = w->node;
	bool creat = flags & O_CREAT;

	if (creat && w->trailing)
		return -EISDIR;
	if (!rf)
		return creat ? -EROFS : -ENOENT;
	if (creat && (flags & O_EXCL))
		return -EEXIST;
	if (creat && node_is_dir(rf))
		return -EISDIR;
	if ((w->trailing || (flags & O_DIRECTORY)) && !node_is_dir(rf))
		return -ENOTDIR;
	if (node_type(rf) == S_IFREG && (flags & O_TRUNC))
		return -EROFS;
	return open_may(node_type(rf), flags);
}

/* O_PATH: any existing entry, no access check. */
static int open_path_check(const struct walk *w, u32 flags)
{
	if (!w->node)
		return -ENOENT;
	if ((w->trailing || (flags & O_DIRECTORY)) && !node_is_dir(w->node))
		return -ENOTDIR;
	return 0;
}

/* Resolve and check op->path for openat; 0 with op->w.node to open. */
static int open_lookup(struct path_op *op, int dirfd, u32 flags)
{
	bool follow = !(flags & O_NOFOLLOW) &&
		      (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	int r;

	if (flags & __O_TMPFILE) {      /* a directory to create in: read-only */
		r = path_walk(op, dirfd, true);
		if (!r)
			r = walk_found(&op->w);
		if (!r)
			r = node_is_dir(op->w.node) ? -EROFS : -ENOTDIR;
		return r;
	}
	r = path_walk(op, dirfd, follow);
	if (r)
		return r;
	return (flags & O_PATH) ? open_path_check(&op->w, flags) : open_check(&op->w, flags);
}

/* Open op->path (copied) on fd @fd of @p, which is free. 0 or an errno. */
static int open_install(struct proc *p, int fd, struct path_op *op, int dirfd, u32 flags)
{
	struct file *f;
	int r = open_lookup(op, dirfd, flags);

	if (r)
		return r;
	f = file_alloc(op->w.node, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC));
	if (!f)
		return -ENOMEM;
	fd_install(p, fd, f, flags & O_CLOEXEC);
	return 0;
}

/* openat(dirfd, path, flags, mode): the mode is unused, nothing is created. */
SYSCALL(openat)
{
	u32 flags = (u32)a2 & VALID_OPEN_FLAGS;
	struct proc *p = current_proc();
	struct path_op *op;
	int r, fd;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	r = open_flags_check(flags);
	if (r)
		return r;
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	r = path_copy(op, (const char *)a1, false);
	if (!r) {
		fd = fd_alloc(p);
		r = fd < 0 ? fd : open_install(p, fd, op, (int)a0, flags);
		if (!r)
			r = fd;
	}
	kfree(op);
	return r;
}

SYSCALL(close)
{
	struct proc *p = current_proc();
	int fd = (int)a0;
	if (!proc_file(p, fd))
		return -EBADF;
	fd_close(p, fd);
	return 0;
}

/* ---- dup and fcntl ------------------------------------------------------ */

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1
#define SETFL_FLAGS     (O_APPEND | O_NONBLOCK | O_NOATIME | 0x2000 /* O_ASYNC */ | 040000 /* O_DIRECT */)

/* The lowest free fd at or above @from: the fd, or -EMFILE (-EINVAL past
 * the table, as Linux for an fd above RLIMIT_NOFILE). */
static int fd_alloc_from(struct proc *p, long from)
{
	int fd;

	if (from < 0 || from >= NR_OPEN)
		return -EINVAL;
	for (fd = (int)from; fd < NR_OPEN; fd++)
		if (!p->files[fd])
			return fd;
	return -EMFILE;
}

/* @newfd of @p becomes another fd of @f (closing what it had). */
static int fd_dup_to(struct proc *p, struct file *f, int newfd, bool cloexec)
{
	file_get(f);
	if (p->files[newfd])
		fd_close(p, newfd);
	fd_install(p, newfd, f, cloexec);
	return newfd;
}

SYSCALL(dup)
{
	struct proc *p = current_proc();
	struct file *f = proc_file(p, (int)a0);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_alloc_from(p, 0);
	return fd < 0 ? fd : fd_dup_to(p, f, fd, false);
}

/* dup3(old, new, flags): O_CLOEXEC only; old == new is EINVAL. */
SYSCALL(dup3)
{
	struct proc *p = current_proc();
	int oldfd = (int)a0, newfd = (int)a1;
	struct file *f;

	if ((u32)a2 & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= NR_OPEN)
		return -EBADF;
	f = proc_file(p, oldfd);
	if (!f)
		return -EBADF;
	return fd_dup_to(p, f, newfd, (u32)a2 & O_CLOEXEC);
}

/* fcntl(fd, cmd, arg): the fd and status-flag commands. */
SYSCALL(fcntl)
{
	struct proc *p = current_proc();
	int fd = (int)a0, nfd;
	struct file *f = proc_file(p, fd);

	if (!f)
		return -EBADF;
	switch ((int)a1) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		nfd = fd_alloc_from(p, (long)a2);
		return nfd < 0 ? nfd : fd_dup_to(p, f, nfd, (int)a1 == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return (p->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_install(p, fd, f, a2 & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		if (f->flags & O_PATH)
			return -EBADF;
		f->flags = (f->flags & ~SETFL_FLAGS) | ((u32)a2 & SETFL_FLAGS);
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- ioctl ------------------------------------------------------------- */

/*
 * The generic requests Linux answers for every file (FIOCLEX, FIONCLEX,
 * FIONBIO, and FIONREAD on a regular file); everything else, terminal
 * requests on the console included, is -ENOTTY.
 */
SYSCALL(ioctl)
{
	struct file *f = fd_get((int)a0);
	void *uarg = (void *)a2;
	int v;

	if (!f)
		return -EBADF;
	switch ((u32)a1) {
	case FIOCLEX:
	case FIONCLEX:
		fd_install(current_proc(), (int)a0, f, a1 == FIOCLEX);
		return 0;
	case FIONBIO:
		if (copy_from_user(&v, uarg, sizeof(v)))
			return -EFAULT;
		f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	case FIONREAD:
		if (!f->rf || node_type(f->rf) != S_IFREG)
			return -ENOTTY;
		v = (int)(f->rf->size - f->pos);
		return copy_to_user(uarg, &v, sizeof(v));
	default:
		return -ENOTTY;
	}
}

/* ---- readlinkat and getcwd --------------------------------------------- */

/* Copy symlink @rf's target (no NUL) into @ubuf: the bytes copied. */
static long link_read(const struct ramfs_file *rf, void *ubuf, int bufsiz)
{
	u64 n = MIN(strnlen((const char *)rf->data, rf->size), (u64)bufsiz);

	return copy_to_user(ubuf, rf->data, n) ? -EFAULT : (long)n;
}

/* The symlink op->path names from @dirfd, or an errno. */
static long link_lookup(struct path_op *op, int dirfd, const struct ramfs_file **rf)
{
	int r;

	if (op->path[0] == '\0') {      /* the fd itself (an O_PATH symlink) */
		r = dirfd_self(dirfd, rf);
		if (!r && (!*rf || node_type(*rf) != S_IFLNK))
			r = -ENOENT;
		return r;
	}
	r = path_walk(op, dirfd, false);
	if (!r)
		r = walk_found(&op->w);
	if (r)
		return r;
	*rf = op->w.node;
	return node_type(*rf) == S_IFLNK ? 0 : -EINVAL;
}

/* readlinkat(dirfd, path, buf, bufsiz) */
SYSCALL(readlinkat)
{
	int bufsiz = (int)a3;
	const struct ramfs_file *rf;
	struct path_op *op;
	long r;

	if (bufsiz <= 0)
		return -EINVAL;
	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	r = path_copy(op, (const char *)a1, true);
	if (!r)
		r = link_lookup(op, (int)a0, &rf);
	if (!r)
		r = link_read(rf, (void *)a2, bufsiz);
	kfree(op);
	return r;
}

/* getcwd(buf, size): always "/"; the length with the NUL, as Linux returns. */
SYSCALL(getcwd)
{
	static const char cwd[] = "/";

	if (a1 < sizeof(cwd))
		return -ERANGE;
	if (copy_to_user((void *)a0, cwd, sizeof(cwd)))
		return -EFAULT;
	return sizeof(cwd);
}
