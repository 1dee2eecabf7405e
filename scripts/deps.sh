#!/bin/sh
# Install the Debian packages Pagoda builds and tests with.
# As root: apt-get installs what is missing. Otherwise: print the exact
# command and stop, so nothing is half-installed behind the user's back.
set -eu

# Every command the build, scripts/ and tests/ run comes from one of these
# (tests/run.py checks that: "deps: ..."). cpio: GNU cpio, which test_cpio
# reads and writes archives with.
PKGS="make gcc libc6-dev python3 gcc-riscv64-unknown-elf qemu-system-misc opensbi
u-boot-qemu u-boot-tools device-tree-compiler linux-source-6.12 mtools
gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user xz-utils cpp fdisk cpio"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "pagoda: missing Debian packages:$missing" >&2
	echo "pagoda: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "pagoda: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
