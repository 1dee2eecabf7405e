/*
 * test_cpio: host tests of kernel/fs/cpio.c (cpio_next) and kernel/fs/initramfs.c
 * (the file table) under ASan + UBSan.
 *
 *   usage: test_cpio
 *
 * Archives: $UNIT_DATA_DIR (default UNIT_DATA, build/host/data)/cpio/
 * mkcpio.cpio, written by scripts/mkcpio.py, and gnu.cpio, written by GNU
 * cpio when it is installed (empty otherwise: those cases report a counted
 * skip), both from the tree cpio/tree that tests/unit/unit.mk makes;
 * file contents are compared with that tree. Other archives are built here
 * byte by byte, and scripts/mkcpio.py is run from the command line (so run
 * this from the top of the tree, as tests/run.py does; GNU cpio, when
 * present, also lists mkcpio.py's archive). kmalloc/kfree are this file's
 * own, over malloc, counting live blocks and failing on request.
 * $CPIO_FUZZ_ITERS (default 24000) and $CPIO_FUZZ_SEED tune the random
 * mutations.
 *
 * Every archive is passed in a malloc'd buffer of exactly its size, so ASan
 * reports any read past its end. Output: one line per case, in the format
 * of tests/unit/harness.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#include <pagoda/cpio.h>
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/slab.h>

#ifndef UNIT_DATA
#define UNIT_DATA "build/host/data"
#endif

typedef unsigned long long ull;

static const char *data_dir;

/* ---- kmalloc for initramfs.c ------------------------------------------------ */

static long kmalloc_live, kmalloc_calls, kmalloc_fail_at = -1;

void *kmalloc(size_t size, gfp_t gfp)
{
	if (kmalloc_calls++ == kmalloc_fail_at || size == 0 || size > KMALLOC_MAX)
		return NULL;
	kmalloc_live++;
	return malloc(size);
}

void kfree(const void *p)
{
	if (!p)
		return;
	kmalloc_live--;
	free((void *)p);
}

/* ---- buffers and files ---------------------------------------------------------- */

struct buf {
	unsigned char *b;
	size_t len, cap;
};

/* A file in a buffer of exactly its size (b non-NULL even when empty). */
static bool load_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	long len;

	out->b = NULL;
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	out->len = out->cap = len > 0 ? (size_t)len : 0;
	out->b = malloc(out->len ? out->len : 1);
	if (fread(out->b, 1, out->len, f) != out->len) {
		free(out->b);
		out->b = NULL;
	}
	fclose(f);
	return out->b != NULL;
}

static bool load_data(const char *rel, struct buf *out)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/cpio/%s", data_dir, rel);
	return load_file(path, out);
}

/* The first @len bytes of @src in a malloc'd buffer of exactly @len. */
static unsigned char *prefix(const struct buf *src, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	memcpy(p, src->b, len);
	return p;
}

static void put(struct buf *a, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 64;
		a->b = realloc(a->b, a->cap);
	}
	memcpy(a->b + a->len, p, n);
	a->len += n;
}

static void put_zeros(struct buf *a, size_t n)
{
	static const unsigned char z[512];

	while (n) {
		size_t k = n < sizeof(z) ? n : sizeof(z);

		put(a, z, k);
		n -= k;
	}
}

static void pad4(struct buf *a)
{
	put_zeros(a, (4 - (a->len & 3)) & 3);
}

/*
 * One newc entry with every field given: @f[13] the header fields (namesize
 * and filesize included, so they may lie), @name the @nlen name bytes
 * written, @data the @dlen data bytes written.
 */
static void add_fields(struct buf *a, const char *magic, const unsigned int f[13],
		       const void *name, size_t nlen, const void *data, size_t dlen)
{
	char h[111];

	snprintf(h, sizeof(h), "%s", magic);
	for (int i = 0; i < 13; i++)
		snprintf(h + 6 + 8 * i, 9, "%08x", f[i]);
	put(a, h, 110);
	put(a, name, nlen);
	pad4(a);
	put(a, data, dlen);
	pad4(a);
}

static unsigned int next_ino = 1;

/* A well-formed entry. */
static void add(struct buf *a, const char *name, unsigned int mode, const char *data)
{
	size_t dlen = data ? strlen(data) : 0;
	unsigned int ino = next_ino++;
	unsigned int f[13] = { ino, mode, 0, 0, 1, 1700000000u + ino,
			       (unsigned int)dlen, 0, 0, 0, 0,
			       (unsigned int)strlen(name) + 1, 0 };

	add_fields(a, "070701", f, name, strlen(name) + 1, data, dlen);
}

static void add_trailer(struct buf *a)
{
	unsigned int f[13] = { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0 };

	add_fields(a, "070701", f, "TRAILER!!!", 11, NULL, 0);
}

/* An exact-size malloc'd copy of @a (which is freed). */
static struct buf seal(struct buf *a)
{
	struct buf s = { prefix(a, a->len), a->len, a->len };

	free(a->b);
	*a = (struct buf){ 0 };
	return s;
}

/* ---- expected contents of the data archives ------------------------------------ */

struct want {
	const char *name;
	unsigned int mode;
	const char *file;               /* under cpio/tree; NULL for directories */
};

/* mkcpio.cpio, in archive order (unit.mk's argument order). */
static const struct want mk_want[] = {
	{ "init", 0100755, "init" },
	{ "etc", 040755, NULL },
	{ "etc/empty", 0100755, "etc/empty" },
	{ "etc/one", 0100755, "etc/one" },
	{ "etc/two", 0100755, "etc/two" },
	{ "etc/deep", 040755, NULL },
	{ "etc/deep/three", 0100755, "etc/deep/three" },
	{ "etc/deep/er", 040755, NULL },
	{ "etc/deep/er/four", 0100755, "etc/deep/er/four" },
	{ "bin", 040755, NULL },
	{ "bin/five", 0100755, "bin/five" },
	{ "bin/big", 0100755, "bin/big" },
};
#define MK_N (sizeof(mk_want) / sizeof(mk_want[0]))

/* Compare entry data with cpio/tree/@file. */
static const char *check_content(const char *file, const unsigned char *data, ull size)
{
	char rel[512];
	struct buf f;
	bool same;

	snprintf(rel, sizeof(rel), "tree/%s", file);
	CHECK(load_data(rel, &f), "cannot read %s/cpio/%s", data_dir, rel);
	same = f.len == size && !memcmp(f.b, data, size);
	free(f.b);
	CHECK(same, "%s: %llu bytes differ from the %zu-byte file", file, size, f.len);
	return NULL;
}

/* ---- cpio_next on the data archives ------------------------------------------- */

static const char *case_mkcpio_entries(void)
{
	struct buf a;
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off = 0;
	int r;

	CHECK(load_data("mkcpio.cpio", &a), "cannot read %s/cpio/mkcpio.cpio", data_dir);
	for (unsigned int i = 0; i < MK_N; i++) {
		r = cpio_next(a.b, a.len, &off, &e, &reason);
		CHECK(r == 1, "entry %u: cpio_next = %d (%s)", i, r, reason);
		CHECK(!strcmp(e.name, mk_want[i].name) && e.mode == mk_want[i].mode &&
		      e.ino == i + 2 && e.mtime == 0 && (off & 3) == 0,
		      "entry %u: %s mode %o ino %u mtime %llu off %llu; want %s mode %o ino %u",
		      i, e.name, e.mode, e.ino, (ull)e.mtime, (ull)off, mk_want[i].name,
		      mk_want[i].mode, i + 2);
		if (mk_want[i].file)
			TRY(check_content(mk_want[i].file, e.data, e.size));
		else
			CHECK(e.size == 0, "directory %s has %llu bytes", e.name, (ull)e.size);
	}
	r = cpio_next(a.b, a.len, &off, &e, &reason);
	CHECK(r == 0 && !strcmp(e.name, "TRAILER!!!") && off == a.len,
	      "trailer: cpio_next = %d, off %llu of %zu", r, (ull)off, a.len);
	free(a.b);
	return NULL;
}

/* GNU cpio's names ("." first, "./" stripped), uppercase hex, 512-byte padding. */
static const char *case_gnu_entries(void)
{
	static const char *const names[] = {
		".", "bin", "bin/big", "bin/five", "etc", "etc/deep", "etc/deep/er",
		"etc/deep/er/four", "etc/deep/three", "etc/empty", "etc/one", "etc/two", "init",
	};
	struct buf a;
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off = 0;
	int r;

	CHECK(load_data("gnu.cpio", &a), "cannot read %s/cpio/gnu.cpio", data_dir);
	if (a.len == 0) {
		free(a.b);
		return test_skip("GNU cpio was not installed when the data was built");
	}
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r = cpio_next(a.b, a.len, &off, &e, &reason);
		CHECK(r == 1 && !strcmp(e.name, names[i]), "entry %u: %d (%s) name %s, want %s",
		      i, r, reason, r == 1 ? e.name : "", names[i]);
		if ((e.mode & S_IFMT) == S_IFREG)
			TRY(check_content(e.name, e.data, e.size));
		else
			CHECK((e.mode & S_IFMT) == S_IFDIR, "%s: mode %o", e.name, e.mode);
	}
	r = cpio_next(a.b, a.len, &off, &e, &reason);
	CHECK(r == 0, "trailer: cpio_next = %d", r);
	for (ull i = off; i < a.len; i++)
		CHECK(a.b[i] == 0, "byte %llu after the trailer is %#x", i, a.b[i]);
	CHECK(a.len % 512 == 0, "GNU archive %zu bytes, not blocked", a.len);
	free(a.b);
	return NULL;
}

/* GNU cpio lists what mkcpio.py wrote, in order. */
static const char *case_mkcpio_read_by_gnu(void)
{
	char cmd[1200], line[512];
	unsigned int n = 0;
	FILE *p;

	if (system("command -v cpio >/dev/null 2>&1") != 0) {
		return test_skip("GNU cpio is not installed");
	}
	snprintf(cmd, sizeof(cmd), "cpio -it --quiet < '%s/cpio/mkcpio.cpio' 2>&1", data_dir);
	p = popen(cmd, "r");
	CHECK(p, "popen failed");
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (n >= MK_N || strcmp(line, mk_want[n].name)) {
			pclose(p);
			return test_failf("cpio -t line %u is '%s', want '%s'", n, line,
				     n < MK_N ? mk_want[n].name : "(end)");
		}
		n++;
	}
	CHECK(pclose(p) == 0 && n == MK_N, "cpio -t listed %u names", n);
	return NULL;
}

/* ---- scripts/mkcpio.py from the command line ---------------------------------- */

/* Run mkcpio.py with @args (stdout and stderr dropped): its exit status. */
static int mkcpio(const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "python3 scripts/mkcpio.py %s >/dev/null 2>&1", args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 256;
}

/*
 * Same inputs, same bytes (the data archive again, from mk_want); a DEST
 * given twice keeps its later SRC; bad arguments fail with status 1 or 2.
 */
static const char *case_mkcpio_cli(void)
{
	char dir[] = "/tmp/test_cpio.XXXXXX", args[4096], out[64], tree[600];
	struct buf a, b;
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off = 0;
	size_t n;
	bool same;
	int r;

	CHECK(!access("scripts/mkcpio.py", R_OK), "scripts/mkcpio.py not found: run from the top");
	CHECK(mkdtemp(dir), "mkdtemp failed");
	snprintf(tree, sizeof(tree), "%s/cpio/tree", data_dir);
	n = (size_t)snprintf(args, sizeof(args), "%s/again.cpio", dir);
	for (unsigned int i = 0; i < MK_N; i++)
		if (mk_want[i].file)
			n += (size_t)snprintf(args + n, sizeof(args) - n, " /%s=%s/%s",
					      mk_want[i].name, tree, mk_want[i].file);
	CHECK(mkcpio(args) == 0, "mkcpio.py %s failed", args);
	snprintf(out, sizeof(out), "%s/again.cpio", dir);
	CHECK(load_file(out, &a) && load_data("mkcpio.cpio", &b), "cannot read the archives");
	same = a.len == b.len && !memcmp(a.b, b.b, a.len);
	free(a.b);
	free(b.b);
	CHECK(same, "the same inputs gave different bytes");
	snprintf(args, sizeof(args), "%s/twice.cpio x=%s/etc/one a/b=%s/etc/two ./x=%s/bin/five",
		 dir, tree, tree, tree);
	CHECK(mkcpio(args) == 0, "mkcpio.py %s failed", args);
	snprintf(out, sizeof(out), "%s/twice.cpio", dir);
	CHECK(load_file(out, &a), "cannot read %s", out);
	r = cpio_next(a.b, a.len, &off, &e, &reason);
	same = r == 1 && !strcmp(e.name, "x") && e.size == 5 && !memcmp(e.data, "abcde", 5);
	while (same && (r = cpio_next(a.b, a.len, &off, &e, &reason)) == 1)
		same = strcmp(e.name, "x") != 0;
	free(a.b);
	CHECK(same && r == 0, "x given twice: not one entry with the later file");
	{
		static const char *const bad[] = {
			"%s/bad.cpio a/b=%s/etc/one a=%s/etc/two",       /* file and directory */
			"%s/bad.cpio ../a=%s/etc/one",
			"%s/bad.cpio /=%s/etc/one",
			"%s/bad.cpio noequals",
			"%s/bad.cpio a=%s/does-not-exist",
			"%s/bad.cpio",
		};

		for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(args, sizeof(args), bad[i], dir, tree, tree);
			r = mkcpio(args);
			CHECK(r == 1 || r == 2, "mkcpio.py %s: status %d", args, r);
		}
	}
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	CHECK(system(args) == 0, "cannot remove %s", dir);
	return NULL;
}

/* ---- cpio_next refusals ----------------------------------------------------------- */

/* cpio_next on @a (freed) at 0: want -EINVAL with @want and off unchanged. */
static const char *want_bad(struct buf a, const char *want, const char *what)
{
	struct buf s = seal(&a);
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off = 0;
	int r = cpio_next(s.b, s.len, &off, &e, &reason);

	free(s.b);
	CHECK(r == -EINVAL && reason && !strcmp(reason, want) && off == 0,
	      "%s: cpio_next = %d (%s) off %llu, want -EINVAL (%s)", what, r,
	      reason ? reason : "", (ull)off, want);
	return NULL;
}

static const char *case_refusals(void)
{
	unsigned int f[13] = { 1, 0100644, 0, 0, 1, 0, 4, 0, 0, 0, 0, 5, 0 };
	struct buf a = { 0 };
	char hdr[110];

	add_fields(&a, "070707", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: bad magic (not newc)", "odc magic"));
	a = (struct buf){ 0 };
	add_fields(&a, "070703", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: bad magic (not newc)", "070703"));
	a = (struct buf){ 0 };
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	a.b[6 + 8 * 6 + 3] = 'g';                       /* filesize */
	TRY(want_bad(a, "cpio: non-hex header field", "g in filesize"));
	a = (struct buf){ 0 };
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	a.b[6 + 8 * 12 + 7] = ' ';                      /* check, the last field */
	TRY(want_bad(a, "cpio: non-hex header field", "space in check"));
	a = (struct buf){ 0 };
	f[11] = 0;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: name runs past the end", "namesize 0"));
	a = (struct buf){ 0 };
	f[11] = 200;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: name runs past the end", "namesize 200"));
	a = (struct buf){ 0 };
	f[11] = 0xffffffff;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: name runs past the end", "namesize 2^32-1"));
	a = (struct buf){ 0 };
	f[11] = 4;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: name not NUL-terminated at namesize", "no NUL"));
	a = (struct buf){ 0 };
	f[11] = 5;
	add_fields(&a, "070701", f, "in\0t", 5, "data", 4);
	TRY(want_bad(a, "cpio: name not NUL-terminated at namesize", "NUL inside"));
	a = (struct buf){ 0 };
	f[6] = 9;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: data runs past the end", "filesize 9 of 8"));
	a = (struct buf){ 0 };
	f[6] = 0xffffffff;
	add_fields(&a, "070701", f, "init", 5, "data", 4);
	TRY(want_bad(a, "cpio: data runs past the end", "filesize 2^32-1"));
	/* Name ending exactly at the buffer end: its padding is missing. */
	a = (struct buf){ 0 };
	f[6] = 0;
	f[11] = 5;
	add_fields(&a, "070701", f, "init", 5, NULL, 0);
	a.len = 115;
	TRY(want_bad(a, "cpio: data runs past the end", "name padding cut"));
	a = (struct buf){ 0 };
	put(&a, "070701", 6);
	memset(hdr, '0', sizeof(hdr));
	put(&a, hdr, 103);
	TRY(want_bad(a, "cpio: truncated header", "109 bytes"));
	a = (struct buf){ 0 };
	put(&a, "x", 1);
	a.len = 0;
	TRY(want_bad(a, "cpio: truncated header", "empty"));
	return NULL;
}

/* What is accepted: 070702, upper and lower hex, any buffer alignment. */
static const char *case_accepted_forms(void)
{
	unsigned int f[13] = { 0xabc, 0100644, 0, 0, 1, 0x5eadbeef, 5, 0, 0, 0, 0, 6, 0x1234 };
	struct buf a = { 0 }, s;
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off;
	int r;

	add_fields(&a, "070702", f, "hello", 6, "world", 5);
	for (size_t i = 6; i < 110; i++)
		if (a.b[i] >= 'a' && a.b[i] <= 'f' && i < 60)
			a.b[i] -= 'a' - 'A';            /* upper case in the first fields */
	add_trailer(&a);
	s = seal(&a);
	for (int k = 0; k < 4; k++) {
		unsigned char *shifted = malloc(s.len + k);

		memcpy(shifted + k, s.b, s.len);
		off = 0;
		r = cpio_next(shifted + k, s.len, &off, &e, &reason);
		CHECK(r == 1 && !strcmp(e.name, "hello") && e.size == 5 &&
		      !memcmp(e.data, "world", 5) && e.data == shifted + k + 116 &&
		      e.ino == 0xabc && e.mtime == 0x5eadbeef && e.mode == 0100644 && off == 124,
		      "shift %d: r %d (%s) name %s size %llu ino %#x mtime %#llx off %llu", k, r,
		      reason, r > 0 ? e.name : "", (ull)e.size, e.ino, (ull)e.mtime, (ull)off);
		r = cpio_next(shifted + k, s.len, &off, &e, &reason);
		free(shifted);
		CHECK(r == 0 && off == s.len, "shift %d: trailer r %d off %llu", k, r, (ull)off);
	}
	/* Past the end, and the padding after data cut off by the end. */
	off = s.len + 4;
	r = cpio_next(s.b, s.len, &off, &e, &reason);
	CHECK(r == -EINVAL && off == s.len + 4, "off past the end: r %d", r);
	off = 0;
	r = cpio_next(s.b, 121, &off, &e, &reason);
	CHECK(r == 1 && off == 124, "data ending at the buffer end: r %d off %llu", r, (ull)off);
	r = cpio_next(s.b, 121, &off, &e, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "cpio: truncated header"), "next: r %d", r);
	free(s.b);
	return NULL;
}

/* ---- truncations and mutations ---------------------------------------------------- */

struct walk_entry {
	char name[300];
	ull data_off, size;
	unsigned int mode;
};

/*
 * Walk @b[0..len) with cpio_next until a stop; check every entry lies
 * inside the buffer. Entries in @out (up to @max); returns the last result
 * (0 trailer, -EINVAL), or 2 if @max ran out; *@n the count; NULL or why.
 */
static const char *walk(const unsigned char *b, size_t len, struct walk_entry *out,
			unsigned int max, unsigned int *n, int *last)
{
	struct cpio_entry e;
	const char *reason = NULL;
	u64 off = 0, prev;
	int r = 1;

	*n = 0;
	while (*n < max) {
		prev = off;
		r = cpio_next(b, len, &off, &e, &reason);
		if (r < 0) {
			CHECK(r == -EINVAL && off == prev && reason && !strncmp(reason, "cpio: ", 6),
			      "error %d (%s) moved off %llu -> %llu", r, reason, (ull)prev, (ull)off);
			break;
		}
		CHECK((const unsigned char *)e.name >= b + prev + 110 &&
		      (const unsigned char *)e.name + strlen(e.name) < b + len &&
		      e.data >= (const unsigned char *)e.name + strlen(e.name) + 1 &&
		      e.data <= b + len && e.size <= (ull)(b + len - e.data),
		      "entry at %llu outside the buffer", (ull)prev);
		CHECK(off > prev && (off & 3) == 0 && off >= (ull)(e.data - b) + e.size,
		      "offset %llu -> %llu", (ull)prev, (ull)off);
		if (out) {
			snprintf(out[*n].name, sizeof(out[*n].name), "%s", e.name);
			out[*n].data_off = (ull)(e.data - b);
			out[*n].size = e.size;
			out[*n].mode = e.mode;
		}
		++*n;
		if (r == 0)
			break;
	}
	*last = *n == max && r == 1 ? 2 : r;
	return NULL;
}

/* Is @name canonical (see initramfs.h)? */
static bool canonical(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += len;
		if (*p == '/' && !*++p)
			return false;           /* trailing slash */
	}
	return p - name < RAMFS_PATH_MAX;
}

/* After initramfs_load(@b, @len) returned @r: the table's invariants. */
static const char *check_table(const unsigned char *b, size_t len, int r)
{
	unsigned int n = initramfs_count();

	if (r) {
		CHECK(n == 0 && kmalloc_live == 0, "failed load left %u files, %ld blocks", n,
		      kmalloc_live);
		return NULL;
	}
	CHECK(kmalloc_live <= 2, "%ld blocks live after a load", kmalloc_live);
	CHECK(initramfs_file(n) == NULL, "initramfs_file(count) not NULL");
	for (unsigned int i = 0; i < n; i++) {
		const struct ramfs_file *f = initramfs_file(i);

		CHECK(f && canonical(f->name), "file %u name '%s' not canonical", i, f ? f->name : "");
		CHECK(i == 0 || strcmp(initramfs_file(i - 1)->name, f->name) < 0,
		      "files %u and %u not in strict order: '%s' '%s'", i - 1, i,
		      initramfs_file(i - 1)->name, f->name);
		CHECK(f->data >= b && f->data <= b + len && f->size <= (ull)(b + len - f->data),
		      "file %s data outside the archive", f->name);
		CHECK(initramfs_lookup(f->name) == f, "lookup(%s) is not file %u", f->name, i);
	}
	return NULL;
}

/*
 * Every cut of an archive: cpio_next returns a prefix of the full walk and
 * stops cleanly; initramfs_load fails unless the cut keeps the trailer.
 */
static const char *truncations(const char *file)
{
	static struct walk_entry full[64], part[64];
	unsigned int nfull, npart;
	const char *reason;
	struct buf a;
	ull need;
	int last;

	CHECK(load_data(file, &a), "cannot read %s/cpio/%s", data_dir, file);
	if (a.len == 0) {
		free(a.b);
		return test_skip("GNU cpio was not installed when the data was built");
	}
	TRY(walk(a.b, a.len, full, 64, &nfull, &last));
	CHECK(last == 0 && nfull > 1, "full walk: last %d, %u entries", last, nfull);
	need = full[nfull - 1].data_off;        /* the trailer's data: its name is all there */
	for (size_t len = 0; len <= a.len; len++) {
		unsigned char *p = prefix(&a, len);

		TRY(walk(p, len, part, 64, &npart, &last));
		CHECK(npart <= nfull && (last == 0) == (len >= need),
		      "cut at %zu: %u entries, last %d", len, npart, last);
		for (unsigned int i = 0; i < npart; i++)
			CHECK(!strcmp(part[i].name, full[i].name) && part[i].size == full[i].size &&
			      part[i].data_off == full[i].data_off, "cut at %zu: entry %u differs",
			      len, i);
		last = initramfs_load(p, len, &reason);
		TRY(check_table(p, len, last));
		CHECK((last == 0) == (len >= need), "cut at %zu: initramfs_load = %d", len, last);
		free(p);
	}
	free(a.b);
	return NULL;
}

static const char *case_truncations_mkcpio(void) { return truncations("mkcpio.cpio"); }
static const char *case_truncations_gnu(void) { return truncations("gnu.cpio"); }

static unsigned long fuzz_iters(void)
{
	const char *s = getenv("CPIO_FUZZ_ITERS");

	return s ? strtoul(s, NULL, 0) : 24000;
}

/* Random bytes, hex fields set to boundary values, cuts: never a bad read. */
static const char *case_fuzz(void)
{
	static const char *const hexes[] = {
		"00000000", "00000001", "00000003", "00000004", "0000006e", "0000006F",
		"FFFFFFFF", "7fffffff", "80000000", "00001000", "0000000b", "0000000c",
		"0000000g", "-0000001", "        ", "000041ed", "000081a4", "0000a1ff",
	};
	static struct walk_entry ents[256];
	unsigned long iters = fuzz_iters();
	unsigned int ok_loads = 0, n;
	struct buf src[2];
	int last;

	CHECK(load_data("mkcpio.cpio", &src[0]), "cannot read mkcpio.cpio");
	{
		struct buf a = { 0 };

		next_ino = 1;
		add(&a, ".", 040755, NULL);
		add(&a, "./bin//x", 0100755, "xx");
		add(&a, "/init", 0100755, "i");
		add(&a, "bin/../init", 0120777, "x");
		add(&a, "dev/console", 020600, NULL);
		add_trailer(&a);
		put_zeros(&a, 12);
		add(&a, "init", 0100755, "second");
		add_trailer(&a);
		src[1] = seal(&a);
	}
	for (unsigned long it = 0; it < iters; it++) {
		const struct buf *s = &src[test_rand_below(2)];
		size_t len = test_rand_below(8) ? s->len : test_rand_below(s->len + 1);
		unsigned char *p = prefix(s, len);
		const char *reason, *why;
		int r;

		for (int k = 1 + (int)test_rand_below(4); k > 0 && len; k--) {
			ull at = test_rand_below(len);

			if (test_rand_below(2) && len >= 8) {
				/* A whole header field: align to an entry's field grid. */
				at = at - at % 2;
				if (at + 8 > len)
					at = len - 8;
				memcpy(p + at, hexes[test_rand_below(sizeof(hexes) / sizeof(hexes[0]))], 8);
			} else {
				p[at] = test_rand_below(4) ? (unsigned char)test_rand() : (unsigned char)"0/.\0"[test_rand_below(4)];
			}
		}
		why = walk(p, len, ents, 256, &n, &last);
		if (!why) {
			r = initramfs_load(p, len, &reason);
			why = check_table(p, len, r);
			if (!why && r)
				why = reason && *reason ? NULL : "load failed without a reason";
			ok_loads += r == 0;
		}
		free(p);
		CHECK(!why, "iteration %lu: %s", it, why);
	}
	printf("# cpio_fuzz: %lu archives, %u loaded\n", iters, ok_loads);
	free(src[0].b);
	free(src[1].b);
	initramfs_load(NULL, 0, &(const char *){ NULL });
	CHECK(ok_loads > iters / 20 && ok_loads < iters, "%u of %lu loaded", ok_loads, iters);
	return NULL;
}

/* ---- initramfs ------------------------------------------------------------------ */

static struct buf arch;         /* the archive the initramfs cases load */

/* Load @a (kept in arch until the next load); NULL or why not. */
static const char *load(struct buf *a)
{
	const char *reason = NULL;
	int r;

	free(arch.b);
	arch = seal(a);
	r = initramfs_load(arch.b, arch.len, &reason);
	CHECK(r == 0, "initramfs_load = %d (%s)", r, reason);
	TRY(check_table(arch.b, arch.len, r));
	return NULL;
}

static const char *want_file(const char *path, const char *data, unsigned int mode)
{
	const struct ramfs_file *f = initramfs_lookup(path);

	CHECK(f, "lookup(\"%s\") = NULL", path);
	CHECK(f->size == strlen(data) && !memcmp(f->data, data, f->size) && f->mode == mode,
	      "lookup(\"%s\"): %s, %llu bytes, mode %o; want '%s' mode %o", path, f->name,
	      (ull)f->size, f->mode, data, mode);
	CHECK(f->data >= arch.b && f->data + f->size <= arch.b + arch.len,
	      "lookup(\"%s\"): data not inside the archive", path);
	return NULL;
}

static const char *case_lookup_forms(void)
{
	static const char *const missing[] = {
		"/nope", "ini", "init2", "bin/y", "bin/x/y", "", "/", ".", "./", "..", "/bin/..",
		"etc", "x",
	};
	struct buf a = { 0 };

	next_ino = 1;
	add(&a, ".", 040755, NULL);
	add(&a, "init", 0100755, "INIT");
	add(&a, "bin", 040755, NULL);
	add(&a, "bin/x", 0100755, "XX");
	add(&a, "./etc/passwd", 0100644, "root");
	add(&a, "/abs/file", 0100600, "abs");
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 5, "%u files, want 5 (the root is not kept)", initramfs_count());
	TRY(want_file("/init", "INIT", 0100755));
	TRY(want_file("init", "INIT", 0100755));
	TRY(want_file("./init", "INIT", 0100755));
	TRY(want_file("//init", "INIT", 0100755));
	TRY(want_file("/./init", "INIT", 0100755));
	TRY(want_file("bin/../init", "INIT", 0100755));
	TRY(want_file("/../init", "INIT", 0100755));
	TRY(want_file("/bin/x", "XX", 0100755));
	TRY(want_file("bin/x", "XX", 0100755));
	TRY(want_file("bin//x", "XX", 0100755));
	TRY(want_file("./bin/./x/", "XX", 0100755));
	TRY(want_file("bin/x/../x", "XX", 0100755));
	TRY(want_file("/bin/x/../../bin/x", "XX", 0100755));
	TRY(want_file("/bin", "", 040755));
	TRY(want_file("etc/passwd", "root", 0100644));
	TRY(want_file("/abs/file", "abs", 0100600));
	for (unsigned int i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		CHECK(!initramfs_lookup(missing[i]), "lookup(\"%s\") found %s", missing[i],
		      initramfs_lookup(missing[i])->name);
	CHECK(!initramfs_lookup(NULL), "lookup(NULL) not NULL");
	CHECK(initramfs_lookup("init")->ino == 2 && initramfs_lookup("init")->mtime == 1700000002u,
	      "ino %u mtime %llu", initramfs_lookup("init")->ino,
	      (ull)initramfs_lookup("init")->mtime);
	return NULL;
}

/* The later entry wins; the table keeps one file per name, sorted. */
static const char *case_duplicates(void)
{
	static const char *const order[] = { "a", "bin", "bin/x", "init" };
	struct buf a = { 0 };

	next_ino = 1;
	add(&a, "init", 0100755, "first");
	add(&a, "bin/x", 0100755, "x1");
	add(&a, "./init", 0100755, "second");
	add(&a, "bin", 040755, NULL);
	add(&a, "a", 0100644, "a");
	add(&a, "/init", 0100700, "third");
	add(&a, "bin/x", 0120777, "x2");
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 4, "%u files, want 4", initramfs_count());
	for (unsigned int i = 0; i < 4; i++)
		CHECK(!strcmp(initramfs_file(i)->name, order[i]), "file %u is %s, want %s", i,
		      initramfs_file(i)->name, order[i]);
	TRY(want_file("init", "third", 0100700));
	TRY(want_file("bin/x", "x2", 0120777));
	CHECK(initramfs_lookup("init")->ino == 6, "init ino %u, want 6", initramfs_lookup("init")->ino);
	return NULL;
}

/* Names kept in the archive when possible, else copied canonical. */
static const char *case_name_storage(void)
{
	static const char *const order[] = { "a/b", "bin/x", "d", "e", "init" };
	const struct ramfs_file *f;
	struct buf a = { 0 };

	next_ino = 1;
	add(&a, "./init", 0100755, "i");
	add(&a, "bin//x", 0100755, "x");
	add(&a, "a/./b", 0100755, "b");
	add(&a, "c/../d", 0100755, "d");
	add(&a, "e/", 040755, NULL);
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 5 && kmalloc_live == 2, "%u files, %ld blocks (table + pool)",
	      initramfs_count(), kmalloc_live);
	for (unsigned int i = 0; i < 5; i++)
		CHECK(!strcmp(initramfs_file(i)->name, order[i]), "file %u is %s, want %s", i,
		      initramfs_file(i)->name, order[i]);
	f = initramfs_lookup("init");
	CHECK(f && f->name == (const char *)arch.b + 112, "init's name not in the archive");
	f = initramfs_lookup("a/b");
	CHECK(f && ((const unsigned char *)f->name < arch.b ||
		    (const unsigned char *)f->name >= arch.b + arch.len) && f->data[0] == 'b',
	      "a/b: name in the archive or wrong data");
	f = initramfs_lookup("d");          /* "c/../d" ends in "d" */
	CHECK(f && (const unsigned char *)f->name > arch.b &&
	      (const unsigned char *)f->name < arch.b + arch.len && f->data[0] == 'd',
	      "d: name not in the archive or wrong data");
	TRY(want_file("e", "", 040755));
	/* Only tails of stored names: no pool at all. */
	a = (struct buf){ 0 };
	add(&a, "/init", 0100755, "i");
	add(&a, "./bin/x", 0100755, "x");
	add(&a, "x/../y", 0100755, "y");         /* "y" is a tail */
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 3 && kmalloc_live == 1, "%u files, %ld blocks (table only)",
	      initramfs_count(), kmalloc_live);
	return NULL;
}

static const char *case_name_length(void)
{
	char name[300];
	struct buf a = { 0 };
	const char *reason = NULL;
	int r;

	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[256] = '\0';               /* "/" + 255 bytes: canonical 255 */
	add(&a, name, 0100755, "ok");
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 1 && strlen(initramfs_file(0)->name) == 255,
	      "255-byte name: %u files", initramfs_count());
	CHECK(initramfs_lookup(name) && initramfs_lookup(name + 1), "255-byte name not found");
	name[256] = 'n';
	name[257] = '\0';
	CHECK(!initramfs_lookup(name), "256-byte lookup found something");
	a = (struct buf){ 0 };
	add(&a, "init", 0100755, "ok");
	add(&a, name, 0100755, "long");
	add_trailer(&a);
	free(arch.b);
	arch = seal(&a);
	r = initramfs_load(arch.b, arch.len, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "initramfs: name longer than 255 bytes at offset 0x78"),
	      "256-byte name: %d (%s)", r, reason);
	TRY(check_table(arch.b, arch.len, r));
	CHECK(!initramfs_lookup("init"), "the failed load kept a table");
	return NULL;
}

/* Archives one after another, NUL padding between, and what may follow. */
static const char *case_concatenated(void)
{
	struct buf a = { 0 }, s;
	const char *reason = NULL;
	int r;

	next_ino = 1;
	add(&a, "init", 0100755, "one");
	add(&a, "keep", 0100755, "k");
	add_trailer(&a);
	put_zeros(&a, 512 - a.len % 512);
	add(&a, "init", 0100755, "two");
	add(&a, "more", 0100755, "m");
	add_trailer(&a);
	put_zeros(&a, 20);
	TRY(load(&a));
	CHECK(initramfs_count() == 3, "%u files, want 3", initramfs_count());
	TRY(want_file("init", "two", 0100755));
	TRY(want_file("keep", "k", 0100755));
	TRY(want_file("more", "m", 0100755));
	/* Bytes after the trailer that are not a 4-aligned archive. */
	a = (struct buf){ 0 };
	add(&a, "init", 0100755, "one");
	add_trailer(&a);
	put(&a, "\0\0\0\0\0x", 6);
	s = seal(&a);
	r = initramfs_load(s.b, s.len, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "cpio: data after the trailer at offset 0xf9"),
	      "misaligned tail: %d (%s)", r, reason);
	TRY(check_table(s.b, s.len, r));
	free(s.b);
	/* A second archive that is broken. */
	a = (struct buf){ 0 };
	add(&a, "init", 0100755, "one");
	add_trailer(&a);
	put(&a, "070701zz", 8);
	put_zeros(&a, 120);
	s = seal(&a);
	r = initramfs_load(s.b, s.len, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "cpio: non-hex header field at offset 0xf4"),
	      "broken second archive: %d (%s)", r, reason);
	free(s.b);
	return NULL;
}

static const char *case_degenerate(void)
{
	struct buf a = { 0 };
	const char *reason = NULL;
	unsigned char one = 0;
	int r;

	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 0 && !initramfs_lookup("init") && !initramfs_file(0) &&
	      kmalloc_live == 0, "trailer only: %u files, %ld blocks", initramfs_count(),
	      kmalloc_live);
	a = (struct buf){ 0 };
	add(&a, ".", 040755, NULL);
	add(&a, "/", 040755, NULL);
	add_trailer(&a);
	TRY(load(&a));
	CHECK(initramfs_count() == 0 && kmalloc_live == 0, "root only: %u files", initramfs_count());
	r = initramfs_load(&one, 0, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "cpio: truncated header at offset 0x0"),
	      "empty buffer: %d (%s)", r, reason);
	/* No trailer: the archive is cut short. */
	a = (struct buf){ 0 };
	add(&a, "init", 0100755, "x");
	free(arch.b);
	arch = seal(&a);
	r = initramfs_load(arch.b, arch.len, &reason);
	CHECK(r == -EINVAL && !strcmp(reason, "cpio: truncated header at offset 0x78"),
	      "no trailer: %d (%s)", r, reason);
	TRY(check_table(arch.b, arch.len, r));
	return NULL;
}

/* Each allocation failing in turn: -ENOMEM, no table, nothing leaked. */
static const char *case_enomem(void)
{
	struct buf a = { 0 }, s;
	const char *reason = NULL;
	int r;

	next_ino = 1;
	add(&a, "init", 0100755, "i");
	add(&a, "bin//x", 0100755, "x");                /* needs the pool */
	add_trailer(&a);
	s = seal(&a);
	for (long k = 0; k < 3; k++) {
		kmalloc_calls = 0;
		kmalloc_fail_at = k;
		r = initramfs_load(s.b, s.len, &reason);
		kmalloc_fail_at = -1;
		CHECK(r == -ENOMEM && !strcmp(reason, "initramfs: out of memory for the file table"),
		      "allocation %ld failing: %d (%s)", k, r, reason);
		TRY(check_table(s.b, s.len, r));
	}
	kmalloc_calls = 0;
	r = initramfs_load(s.b, s.len, &reason);
	CHECK(r == 0 && kmalloc_calls == 3 && kmalloc_live == 2 && initramfs_count() == 2,
	      "after: %d, %ld calls, %ld live", r, kmalloc_calls, kmalloc_live);
	free(s.b);
	return NULL;
}

/* Many random names with repeats, against a model: the last data per name. */
static const char *case_many_names(void)
{
	enum { N = 3000, NAMES = 700 };
	static char names[NAMES][32], data[N][16];
	static int last[NAMES];
	struct buf a = { 0 };
	unsigned int distinct = 0;

	next_ino = 1;
	for (int i = 0; i < NAMES; i++) {
		/* Distinct by construction; the random part scatters the order. */
		snprintf(names[i], sizeof(names[i]), "d%llu/f%llu.%d", (ull)test_rand_below(20),
			 (ull)test_rand_below(100000), i);
		last[i] = -1;
	}
	for (int i = 0; i < N; i++) {
		static const char *const forms[] = { "", "/", "./", ".//" };
		int k = (int)test_rand_below(NAMES);
		char name[40];

		snprintf(data[i], sizeof(data[i]), "v%d", i);
		snprintf(name, sizeof(name), "%s%s", forms[test_rand_below(4)], names[k]);
		add(&a, name, 0100644, data[i]);
		last[k] = i;
	}
	add_trailer(&a);
	TRY(load(&a));
	for (int i = 0; i < NAMES; i++) {
		if (last[i] < 0) {
			CHECK(!initramfs_lookup(names[i]), "%s never stored but found", names[i]);
			continue;
		}
		distinct++;
		TRY(want_file(names[i], data[last[i]], 0100644));
	}
	CHECK(initramfs_count() == distinct, "%u files, want %u", initramfs_count(), distinct);
	CHECK(!initramfs_lookup("d0/f100000.0") && !initramfs_lookup("d20/f1"), "absent name found");
	return NULL;
}

/* The data archive: every file found by path with its contents. */
static const char *case_load_mkcpio(void)
{
	struct buf a;

	CHECK(load_data("mkcpio.cpio", &a), "cannot read mkcpio.cpio");
	a.cap = a.len;
	TRY(load(&a));
	CHECK(initramfs_count() == MK_N, "%u files, want %zu", initramfs_count(), MK_N);
	for (unsigned int i = 0; i < MK_N; i++) {
		char path[300];
		const struct ramfs_file *f;

		snprintf(path, sizeof(path), "/%s", mk_want[i].name);
		f = initramfs_lookup(path);
		CHECK(f && f->mode == mk_want[i].mode, "%s: %s", path, f ? "wrong mode" : "missing");
		if (mk_want[i].file)
			TRY(check_content(mk_want[i].file, f->data, f->size));
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
		{ "cpio_mkcpio_entries", case_mkcpio_entries },
		{ "cpio_gnu_entries", case_gnu_entries },
		{ "cpio_mkcpio_read_by_gnu", case_mkcpio_read_by_gnu },
		{ "mkcpio_command_line", case_mkcpio_cli },
		{ "cpio_refusals", case_refusals },
		{ "cpio_accepted_forms", case_accepted_forms },
		{ "cpio_truncations_mkcpio", case_truncations_mkcpio },
		{ "cpio_truncations_gnu", case_truncations_gnu },
		{ "cpio_fuzz", case_fuzz },
		{ "initramfs_lookup_forms", case_lookup_forms },
		{ "initramfs_duplicates", case_duplicates },
		{ "initramfs_name_storage", case_name_storage },
		{ "initramfs_name_length", case_name_length },
		{ "initramfs_concatenated", case_concatenated },
		{ "initramfs_degenerate", case_degenerate },
		{ "initramfs_enomem", case_enomem },
		{ "initramfs_many_names", case_many_names },
		{ "initramfs_load_mkcpio", case_load_mkcpio },
	};
	const char *reason;

	data_dir = getenv("UNIT_DATA_DIR") ? getenv("UNIT_DATA_DIR") : UNIT_DATA;
	test_srand(test_env_u64("CPIO_FUZZ_SEED", 1));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		test_run(cases[i].name, cases[i].fn);
	initramfs_load(NULL, 0, &reason);       /* frees the table */
	free(arch.b);
	test_report("cpio_no_leaks", kmalloc_live ?
		    test_failf("%ld kmalloc blocks live at the end", kmalloc_live) : NULL);
	return test_exit_status();
}
