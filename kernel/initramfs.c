/*
 * initramfs: the file table built once from a newc cpio archive (see
 * initramfs.h).
 *
 * Names are canonical: no leading "/" or "./", no empty or "." components,
 * ".." folded lexically (there are no symlinks to follow here; ".." at the
 * root stays at the root), no trailing "/". Lookups canonicalize the query
 * the same way, so "/init", "init", "./init" and "//./init" are one file.
 * The table is sorted by name (byte order) for binary search; when an
 * archive names a file twice the later entry wins, as in Linux.
 *
 * What is kept: every entry except the root itself (".", "/"), with its
 * mode, so directories are present as S_IFDIR entries and symlinks and
 * device nodes keep their type; callers check the type. Hard links are not
 * joined: newc stores the data once, with the last link, so earlier links
 * read as empty files. Several archives may follow one another in the
 * buffer (after each trailer, NUL padding, then a 4-aligned next archive).
 *
 * Memory: file contents and most names point into the archive, which must
 * stay mapped and unchanged. A name whose canonical form is not a tail of
 * the stored one ("bin//x") is copied into one kmalloc'd pool. The table and
 * the pool are the only allocations; loading again frees them first.
 *
 * Locking: none. initramfs_load() runs once at boot before anything looks
 * files up; afterwards the table is read-only.
 */
#include <string.h>

#include <pagoda/buddy.h>
#include <pagoda/cpio.h>
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>

static const struct map_file_ops ramfs_map_ops;

static struct ramfs_file *ramfs_table;  /* sorted by name, no duplicates */
static unsigned int ramfs_nfiles;
static char *ramfs_pool;                /* names not found verbatim in the archive */
static char ramfs_reason[96];

/* ---- names -------------------------------------------------------------- */

/*
 * The canonical form of @in into @out (@cap bytes with the NUL): its
 * length, or -1 when it does not fit (even for a moment, before a "..").
 */
static int ramfs_canon(const char *in, char *out, size_t cap)
{
	size_t n = 0, len;
	const char *c;

	for (;;) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		for (c = in, len = 0; in[len] && in[len] != '/'; len++)
			;
		in += len;
		if (len == 1 && c[0] == '.')
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			n -= n > 0;
			continue;
		}
		if (n + (n > 0) + len + 1 > cap)
			return -1;
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, c, len);
		n += len;
	}
	out[n] = '\0';
	return (int)n;
}

/* A tail of @raw equal to @canon (@len bytes), or NULL. */
static const char *ramfs_tail(const char *raw, const char *canon, size_t len)
{
	size_t rlen = strlen(raw);

	if (rlen >= len && !memcmp(raw + rlen - len, canon, len + 1))
		return raw + rlen - len;
	return NULL;
}

/* ---- reasons ----------------------------------------------------------- */

/* "@what at offset 0xOFF" in ramfs_reason. */
static const char *ramfs_why(const char *what, u64 off)
{
	snprintf(ramfs_reason, sizeof(ramfs_reason), "%s at offset 0x%llx", what,
		 (unsigned long long)off);
	return ramfs_reason;
}

/* ---- walking the archive ------------------------------------------------ */

struct ramfs_walk {
	const u8 *buf;
	u64 size, off;
	u64 at;                         /* where w->e's header starts */
	struct cpio_entry e;
};

/*
 * The next entry of the buffer, across concatenated archives: 1 with
 * w->e filled, 0 at the end, -EINVAL with *@reason.
 */
static int ramfs_next(struct ramfs_walk *w, const char **reason)
{
	const char *why;
	int r;

	for (;;) {
		w->at = w->off;
		r = cpio_next(w->buf, w->size, &w->off, &w->e, &why);
		if (r < 0) {
			*reason = ramfs_why(why, w->at);
			return r;
		}
		if (r > 0)
			return 1;
		while (w->off < w->size && w->buf[w->off] == 0)
			w->off++;
		if (w->off >= w->size)
			return 0;
		if (w->off & 3) {
			*reason = ramfs_why("cpio: data after the trailer", w->off);
			return -EINVAL;
		}
	}
}

/*
 * Pass 1: check the whole archive; count the entries kept and the pool
 * bytes their names need.
 */
static int ramfs_measure(struct ramfs_walk *w, u64 *nfiles, u64 *pool, const char **reason)
{
	char canon[RAMFS_PATH_MAX];
	int r, len;

	while ((r = ramfs_next(w, reason)) > 0) {
		len = ramfs_canon(w->e.name, canon, sizeof(canon));
		if (len < 0) {
			*reason = ramfs_why("initramfs: name longer than 255 bytes", w->at);
			return -EINVAL;
		}
		if (len == 0)
			continue;
		++*nfiles;
		if (!ramfs_tail(w->e.name, canon, (size_t)len))
			*pool += (u64)len + 1;
	}
	return r;
}

/* Pass 2: fill @table (room checked by pass 1), copying names into @pool. */
static unsigned int ramfs_fill(struct ramfs_walk *w, struct ramfs_file *table, char *pool)
{
	char canon[RAMFS_PATH_MAX];
	const char *reason, *name;
	unsigned int n = 0;
	int len;

	while (ramfs_next(w, &reason) > 0) {
		len = ramfs_canon(w->e.name, canon, sizeof(canon));
		if (len <= 0)
			continue;
		name = ramfs_tail(w->e.name, canon, (size_t)len);
		if (!name) {
			memcpy(pool, canon, (size_t)len + 1);
			name = pool;
			pool += len + 1;
		}
		table[n++] = (struct ramfs_file){
			.mf = { (w->e.mode & S_IFMT) == S_IFREG ? &ramfs_map_ops : NULL },
			.name = name, .data = w->e.data, .size = w->e.size,
			.mode = w->e.mode, .ino = w->e.ino, .mtime = w->e.mtime,
		};
	}
	return n;
}

/* ---- mapping (struct map_file) ----------------------------------------- */

static u64 ramfs_map_size(const struct map_file *f)
{
	return ((const struct ramfs_file *)f)->size;
}

static void ramfs_map_read(const struct map_file *f, u64 off, void *dst, u64 n)
{
	memcpy(dst, ((const struct ramfs_file *)f)->data + off, n);
}

static const struct map_file_ops ramfs_map_ops = {
	.size = ramfs_map_size,
	.read = ramfs_map_read,
};
_Static_assert(__builtin_offsetof(struct ramfs_file, mf) == 0, "mf comes first");

/* ---- the sorted table --------------------------------------------------- */

/* Stable bottom-up merge sort of @a by name, through @tmp (same size). */
static void ramfs_sort(struct ramfs_file *a, struct ramfs_file *tmp, unsigned int n)
{
	struct ramfs_file *src = a, *dst = tmp, *t;

	for (unsigned int w = 1; w < n; w *= 2) {
		for (unsigned int lo = 0; lo < n; lo += 2 * w) {
			unsigned int mid = MIN(lo + w, n), hi = MIN(lo + 2 * w, n);
			unsigned int i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				dst[k++] = strcmp(src[j].name, src[i].name) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src, src = dst, dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* Drop all but the last of each run of equal names (archive order). */
static unsigned int ramfs_dedup(struct ramfs_file *a, unsigned int n)
{
	unsigned int out = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (i + 1 < n && !strcmp(a[i].name, a[i + 1].name))
			continue;
		a[out++] = a[i];
	}
	return out;
}

static void ramfs_free(void)
{
	kfree(ramfs_table);
	kfree(ramfs_pool);
	ramfs_table = NULL;
	ramfs_pool = NULL;
	ramfs_nfiles = 0;
}

/* ---- the interface ------------------------------------------------------- */

/* See initramfs.h. */
int initramfs_load(const void *cpio, u64 size, const char **reason)
{
	struct ramfs_walk w = { .buf = cpio, .size = size };
	struct ramfs_file *tmp;
	u64 nfiles = 0, pool = 0;
	unsigned int n;
	int err;

	ramfs_free();
	err = ramfs_measure(&w, &nfiles, &pool, reason);
	if (err)
		return err;
	if (nfiles > KMALLOC_MAX / sizeof(struct ramfs_file) || pool > KMALLOC_MAX) {
		*reason = "initramfs: more files or longer names than the table can hold";
		return -EINVAL;
	}
	if (nfiles == 0)
		return 0;
	ramfs_table = kmalloc(nfiles * sizeof(struct ramfs_file), GFP_KERNEL);
	tmp = kmalloc(nfiles * sizeof(struct ramfs_file), GFP_KERNEL);
	ramfs_pool = pool ? kmalloc(pool, GFP_KERNEL) : NULL;
	if (!ramfs_table || !tmp || (pool && !ramfs_pool)) {
		kfree(tmp);
		ramfs_free();
		*reason = "initramfs: out of memory for the file table";
		return -ENOMEM;
	}
	w.off = 0;
	n = ramfs_fill(&w, ramfs_table, ramfs_pool);
	ramfs_sort(ramfs_table, tmp, n);
	kfree(tmp);
	ramfs_nfiles = ramfs_dedup(ramfs_table, n);
	return 0;
}

/* See initramfs.h. */
const struct ramfs_file *initramfs_lookup(const char *path)
{
	char canon[RAMFS_PATH_MAX];
	unsigned int lo = 0, hi = ramfs_nfiles;

	if (!path || ramfs_canon(path, canon, sizeof(canon)) <= 0)
		return NULL;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = strcmp(canon, ramfs_table[mid].name);

		if (c == 0)
			return &ramfs_table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* See initramfs.h. */
unsigned int initramfs_count(void)
{
	return ramfs_nfiles;
}

/* See initramfs.h. */
const struct ramfs_file *initramfs_file(unsigned int i)
{
	return i < ramfs_nfiles ? &ramfs_table[i] : NULL;
}
