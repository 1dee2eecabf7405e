#!/usr/bin/env python3
"""Make the kernel's symbol table (.ksyms) from `nm -n` output on stdin.

Only text symbols between _stext and _etext are kept, sorted by address.
With --empty, emit a table with no entries (for the first link).
"""
import sys


def emit(syms):
    out = ['\t.section .ksyms, "a"', '\t.balign 8',
           '\t.globl ksyms_num, ksyms_addr, ksyms_name_off, ksyms_names',
           f'ksyms_num:\n\t.quad {len(syms)}', 'ksyms_addr:']
    out += [f'\t.quad 0x{a:x}' for a, _ in syms]
    out.append('ksyms_name_off:')
    off = 0
    for _, n in syms:
        out.append(f'\t.long {off}')
        off += len(n) + 1
    out.append('ksyms_names:')
    out += [f'\t.asciz "{n}"' for _, n in syms]
    return '\n'.join(out) + '\n'


def main():
    if '--empty' in sys.argv:
        sys.stdout.write(emit([]))
        return
    syms, lo, hi = [], None, None
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == '_stext':
            lo = addr
        if name == '_etext':
            hi = addr
        if kind in 'tT' and not name.startswith('.L') and '$' not in name:
            syms.append((addr, name))
    syms = [(a, n) for a, n in syms if lo is not None and hi is not None
            and lo <= a < hi or n == '_start']
    sys.stdout.write(emit(sorted(set(syms))))


if __name__ == '__main__':
    main()
