#!/bin/sh
# Extract from Debian's linux-source-6.12 tarball the pieces Pagoda builds
# with: libfdt (scripts/dtc/libfdt), the StarFive device trees and the
# dt-bindings headers they include. Nothing extracted is ever committed.
#   usage: scripts/linux-src.sh OUTDIR
set -eu
out=$1
tarball=/usr/src/linux-source-6.12.tar.xz
stamp="$out/.stamp"
[ -f "$stamp" ] && exit 0
[ -f "$tarball" ] || { echo "pagoda: $tarball missing (package linux-source-6.12)" >&2; exit 1; }
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
tar -xJf "$tarball" -C "$out.tmp" --strip-components=1 --wildcards \
	'linux-source-6.12/scripts/dtc/libfdt/*' \
	'linux-source-6.12/arch/riscv/boot/dts/starfive/*' \
	'linux-source-6.12/include/dt-bindings/*'
rm -rf "$out"
mv "$out.tmp" "$out"
touch "$stamp"
