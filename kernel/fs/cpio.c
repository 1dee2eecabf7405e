/*
 * cpio: the "newc" reader (see cpio.h).
 *
 * An entry is a 110-byte ASCII header ("070701" or "070702", then 13
 * fields of 8 hex digits: ino, mode, uid, gid, nlink, mtime, filesize,
 * devmajor, devminor, rdevmajor, rdevminor, namesize, check), the name
 * (namesize bytes with its NUL), padding to a multiple of 4 from the start
 * of the archive, the data (filesize bytes), padding to 4 again. The "070702"
 * checksum is not verified. The archive is untrusted: every offset is
 * checked against the buffer before it is used, without wrapping.
 */
#include <string.h>

#include <pagoda/cpio.h>
#include <pagoda/errno.h>

#define CPIO_HDR        110
#define CPIO_FIELDS     13
#define F_INO           0
#define F_MODE          1
#define F_MTIME         5
#define F_FILESIZE      6
#define F_NAMESIZE      11

static const char cpio_trailer[] = "TRAILER!!!";

static int cpio_fail(const char **reason, const char *why)
{
	*reason = why;
	return -EINVAL;
}

/* The 8 hex digits at @p into *@out; false if any is not a hex digit. */
static bool cpio_hex8(const u8 *p, u32 *out)
{
	u32 v = 0;

	for (int i = 0; i < 8; i++) {
		u8 c = p[i];
		u32 d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* @off rounded up to 4; false if that passes @limit (or wraps). */
static bool cpio_pad4(u64 off, u64 limit, u64 *out)
{
	u64 pad = (4 - (off & 3)) & 3;

	if (off > limit || pad > limit - off)
		return false;
	*out = off + pad;
	return true;
}

/* See cpio.h. */
int cpio_next(const u8 *buf, u64 size, u64 *off, struct cpio_entry *e, const char **reason)
{
	u32 f[CPIO_FIELDS];
	u64 pos = *off, name_at, data_at, end;
	const u8 *h;

	if (pos > size || size - pos < CPIO_HDR)
		return cpio_fail(reason, "cpio: truncated header");
	h = buf + pos;
	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
		return cpio_fail(reason, "cpio: bad magic (not newc)");
	for (int i = 0; i < CPIO_FIELDS; i++)
		if (!cpio_hex8(h + 6 + 8 * i, &f[i]))
			return cpio_fail(reason, "cpio: non-hex header field");
	name_at = pos + CPIO_HDR;
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > size - name_at)
		return cpio_fail(reason, "cpio: name runs past the end");
	if (buf[name_at + f[F_NAMESIZE] - 1] != '\0' ||
	    memchr(buf + name_at, '\0', f[F_NAMESIZE] - 1))
		return cpio_fail(reason, "cpio: name not NUL-terminated at namesize");
	if (!cpio_pad4(name_at + f[F_NAMESIZE], size, &data_at) ||
	    f[F_FILESIZE] > size - data_at)
		return cpio_fail(reason, "cpio: data runs past the end");
	end = data_at + f[F_FILESIZE];
	e->name = (const char *)buf + name_at;
	e->data = buf + data_at;
	e->size = f[F_FILESIZE];
	e->mode = f[F_MODE];
	e->ino = f[F_INO];
	e->mtime = f[F_MTIME];
	/* The padding after the data may be missing at the very end. */
	*off = end + ((4 - (end & 3)) & 3);
	if (f[F_NAMESIZE] == sizeof(cpio_trailer) &&
	    !memcmp(e->name, cpio_trailer, sizeof(cpio_trailer)))
		return 0;
	return 1;
}
