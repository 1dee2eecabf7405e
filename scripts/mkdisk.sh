#!/bin/sh
# mkdisk.sh OUT SIZE_MIB FILE...
#
# Write a disk image OUT of SIZE_MIB MiB (32 to 1024, so that mformat picks
# FAT16): an MBR partition table with one bootable FAT16 partition (type
# 0x0e, FAT16 LBA) from 1 MiB to the end,
# holding each FILE in its root directory under its base name. The
# bootable flag is what U-Boot's distro boot looks for first.
#
# No root rights and no loop mounts: sfdisk (fdisk) writes the table into
# the file, mtools formats and fills the partition at its offset. The
# volume serial is fixed, so only file times differ between builds.
set -eu

if [ $# -lt 3 ]; then
	echo "usage: mkdisk.sh OUT SIZE_MIB FILE..." >&2
	exit 2
fi
out=$1
size=$2
shift 2
case $size in
''|*[!0-9]*) echo "mkdisk.sh: size '$size' is not a whole number of MiB" >&2; exit 2 ;;
esac
if [ "$size" -lt 32 ] || [ "$size" -gt 1024 ]; then
	echo "mkdisk.sh: size ${size} MiB is outside 32-1024 MiB (the FAT16 range)" >&2
	exit 2
fi
for f in "$@"; do
	[ -f "$f" ] || { echo "mkdisk.sh: $f: no such file" >&2; exit 1; }
done

tmp=$out.tmp
rm -f "$tmp"
truncate -s "${size}M" "$tmp"
printf 'label: dos\nstart=2048, type=e, bootable\n' | sfdisk -q "$tmp"
mformat -i "$tmp@@1M" -N 50414744 -v PAGODA ::
mcopy -i "$tmp@@1M" "$@" ::
if ! minfo -i "$tmp@@1M" :: | grep -q 'disk type="FAT16'; then
	echo "mkdisk.sh: mformat did not make FAT16" >&2
	rm -f "$tmp"
	exit 1
fi
mv "$tmp" "$out"
