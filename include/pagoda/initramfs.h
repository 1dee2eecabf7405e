/*
 * The initramfs: a cpio archive, embedded in the kernel image or passed by
 * the bootloader (/chosen linux,initrd-start/end), read once at boot into
 * a table of files. File contents stay where they are (read-only); the
 * table points into the archive, which must stay mapped and unchanged.
 *
 * Paths are stored canonical: without the leading "/" and "./", without
 * empty or "." components or a trailing "/", ".." folded lexically; lookups
 * canonicalize the same way, so they accept either form. The root entry
 * (".") is not stored; directories are, with S_IFDIR mode, and symlinks
 * and device nodes keep their type: callers check mode. When a name occurs
 * twice the later entry wins (as in Linux). Hard links are not joined.
 */
#ifndef PAGODA_INITRAMFS_H
#define PAGODA_INITRAMFS_H
#include <pagoda/types.h>
#include <pagoda/map_file.h>

#define S_IFMT   0170000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFDIR  0040000
#define S_IFCHR  0020000

#define RAMFS_PATH_MAX  256             /* canonical path bytes, with the NUL */

struct ramfs_file {
	struct map_file mf;             /* how mm/ maps it */
	const char *name;               /* "init", "bin/demo" */
	const u8 *data;
	u64 size;
	u32 mode;
	u32 ino;
	u64 mtime;
};

/*
 * Read the archive (one newc archive, or several one after another with NUL
 * padding between them): 0, or -EINVAL with a one-line *@reason naming the
 * offset (malformed or truncated archive, a name longer than
 * RAMFS_PATH_MAX - 1 canonical bytes, too many files), or -ENOMEM; on
 * error there is no file table at all. Called once at boot; a second call
 * replaces the table (host tests do that).
 */
int initramfs_load(const void *cpio, u64 size, const char **reason);
/* The file at @path ("/init", "init", "./init", "/bin/x"), or NULL. */
const struct ramfs_file *initramfs_lookup(const char *path);
/* The table, sorted by name: files 0 .. count - 1; NULL past the end. */
unsigned int initramfs_count(void);
const struct ramfs_file *initramfs_file(unsigned int i);
#endif
