#!/usr/bin/env python3
"""Check a RISC-V Linux-style Image header, as U-Boot's booti would.

usage: imagecheck.py IMAGE    exit 0 when good; else one line with the reason.
Fields (64 bytes, little endian): code0 u32, code1 u32, text_offset u64,
image_size u64, flags u64, version u32, res1 u32, res2 u64, magic[8],
magic2 u32 ("RSC\\x05"), res3 u32.
"""
import struct
import sys


def check(data):
    if len(data) < 64:
        return f"file of {len(data)} bytes is shorter than the 64-byte header"
    (code0, _code1, text_offset, image_size, flags, version, _r1, _r2,
     magic, magic2, _r3) = struct.unpack("<IIQQQII Q8s4sI", data[:64])
    if code0 & 0xfff != 0x06f:
        return f"code0 0x{code0:08x} is not a 4-byte jal x0 (j)"
    if magic2 != b"RSC\x05":
        return f"bad magic2 {magic2!r} (expected b'RSC\\x05')"
    if magic != b"RISCV\0\0\0":
        return f"bad magic {magic!r}"
    if version != 2:
        return f"header version 0x{version:x}, expected 0x2"
    if text_offset != 0x200000:
        return f"text_offset 0x{text_offset:x}, expected 0x200000"
    if image_size == 0:
        return "image_size is 0"
    if image_size < len(data):
        return f"image_size {image_size} is smaller than the file ({len(data)})"
    if flags & 1:
        return "flags say big endian"
    return None


def main():
    if len(sys.argv) != 2:
        print("usage: imagecheck.py IMAGE", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        why = check(f.read())
    if why:
        print(f"imagecheck: {sys.argv[1]}: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
