/*
 * map_file: what the file backend (mm/filemap.c) needs of a file, so that
 * mm/ reads files through an interface and never knows their file system.
 * A file embeds a struct map_file and points it at its ops; a mapping
 * keeps the pointer. The file outlives every mapping of it (initramfs files
 * are never freed; a file system with freeable files adds references here).
 */
#ifndef PAGODA_MAP_FILE_H
#define PAGODA_MAP_FILE_H
#include <pagoda/types.h>

struct map_file;

struct map_file_ops {
	/* Bytes the file holds: a mapping reads zero past them. */
	u64 (*size)(const struct map_file *f);
	/* Copy @n bytes at offset @off, all below size(), to @dst. */
	void (*read)(const struct map_file *f, u64 off, void *dst, u64 n);
};

struct map_file {
	const struct map_file_ops *ops;  /* (c) NULL: cannot be mapped (ENODEV) */
};
#endif
