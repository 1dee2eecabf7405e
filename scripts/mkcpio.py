#!/usr/bin/env python3
"""Write a newc cpio archive (the initramfs format) from host files.

usage: mkcpio.py OUT.cpio DEST=SRC [DEST=SRC ...]

Each DEST=SRC puts the host file SRC into the archive at path DEST ("/init",
"bin/demo"; a leading "/" or "./" is dropped). Every file gets mode 0100755;
the directories above it are written first, once each, with mode 040755.
Entries follow the order of the arguments; a DEST given twice is written
once, from the later SRC (so a list of defaults can be followed by
overrides). A DEST with a ".." part, or one that is also a directory of
another DEST, is an error (exit status 1). Fields that vary between builds
are fixed (mtime 0, uid and gid 0, inode numbers counting from 2 (1 is the root's) in
archive order), so the same inputs always give the same bytes. The archive
ends with the TRAILER!!! entry. Standard library only.
"""
import argparse
import sys

MAGIC = b"070701"
FILE_MODE = 0o100755
DIR_MODE = 0o040755
TRAILER = "TRAILER!!!"


def pad4(n):
    return (4 - n % 4) % 4


def entry(name, mode, ino, nlink, data=b""):
    """One newc entry: header, name padded to 4, data padded to 4."""
    raw = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(raw), 0]
    head = MAGIC + b"".join(b"%08x" % f for f in fields) + raw
    return head + b"\0" * pad4(len(head)) + data + b"\0" * pad4(len(data))


def clean_dest(dest):
    """DEST without leading "/" and "./"; refuses empty, "." and ".." parts."""
    parts = [p for p in dest.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise ValueError(f"bad destination {dest!r}")
    return "/".join(parts)


def build(pairs):
    """The archive bytes for [(dest, data), ...]; a repeated dest keeps the
    position of its first mention and the data of its last."""
    files = {}
    for dest, data in pairs:
        files[dest] = data
    dirs = {"/".join(d.split("/")[:i]) for d in files for i in range(1, d.count("/") + 1)}
    clash = sorted(dirs & files.keys())
    if clash:
        raise ValueError(f"{clash[0]!r} is both a file and a directory")
    out, done, ino = [], set(), 2
    for dest, data in files.items():
        parts = dest.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in done:
                done.add(d)
                out.append(entry(d, DIR_MODE, ino, 2))
                ino += 1
        out.append(entry(dest, FILE_MODE, ino, 1, data))
        ino += 1
    out.append(entry(TRAILER, 0, 0, 1))
    return b"".join(out)


def main():
    paras = __doc__.split("\n\n")
    ap = argparse.ArgumentParser(
        usage="mkcpio.py OUT.cpio DEST=SRC [DEST=SRC ...]",
        description="\n\n".join([paras[0]] + paras[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", metavar="OUT.cpio")
    ap.add_argument("files", nargs="+", metavar="DEST=SRC",
                    help='archive path "=" host file, e.g. /init=build/user/init')
    args = ap.parse_args()
    pairs = []
    try:
        for arg in args.files:
            dest, sep, src = arg.partition("=")
            if not sep or not src:
                raise ValueError(f"{arg!r} is not DEST=SRC")
            with open(src, "rb") as f:
                pairs.append((clean_dest(dest), f.read()))
        blob = build(pairs)
    except (OSError, ValueError) as e:
        print(f"mkcpio: {e}", file=sys.stderr)
        return 1
    with open(args.out, "wb") as f:
        f.write(blob)
    return 0


if __name__ == "__main__":
    sys.exit(main())
