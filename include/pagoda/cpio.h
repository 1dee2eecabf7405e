/*
 * cpio: a reader of "newc" archives (magic 070701, ASCII hex fields, names
 * and data padded to 4 bytes), the initramfs format. Pure: it only reads
 * the buffer it is given, so host tests run it on arbitrary bytes.
 */
#ifndef PAGODA_CPIO_H
#define PAGODA_CPIO_H
#include <pagoda/types.h>

struct cpio_entry {
	const char *name;               /* NUL-terminated, inside the archive */
	const u8 *data;                 /* inside the archive */
	u64 size;
	u32 mode;                       /* st_mode: type and permissions */
	u32 ino;
	u64 mtime;
};

/*
 * The entry at *@off of the archive [@buf, @buf + @size): 1 with *@e filled
 * and *@off moved past it; 0 at the "TRAILER!!!" entry (*@e filled and
 * *@off moved past it too, so a concatenated archive can follow); -EINVAL
 * with a one-line *@reason and *@off unchanged when the bytes are not a
 * well-formed newc entry lying wholly inside the buffer (bad magic,
 * non-hex field, a name without its NUL at namesize - 1 or with one
 * before, sizes running past the end). Magic "070702" is accepted too; its
 * checksum is not verified. The padding after an entry's data may be cut
 * off by the end of the buffer: *@off may then exceed @size, and the next
 * call fails. @buf needs no alignment.
 */
int cpio_next(const u8 *buf, u64 size, u64 *off, struct cpio_entry *e, const char **reason);
#endif
