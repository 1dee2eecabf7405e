"""QEMU cases: user programs (user/progs) on the kernel, and the programs
that are also built for the host (build/user-native) run natively, so the
Linux answers they encode are checked against the build host's Linux.

Each user-program boot runs one program as init (the in-kernel self-tests
are not asked for); the kernel powers off with its exit status. Every case also requires the kernel's leak
check (`leak check: PATH: ok`): after the program exits, the frames and
kmalloc bytes in use are exactly what they were before it started.
Loaded by tests/run.py (see its docstring).
"""
import os
import re
import struct
import subprocess
import sys


def user_boot(run, init, args="", smp=1, mem="512M", initrd=None):
    append = f"init={init}" + (f" -- {args}" if args else "")
    return run.qemu(smp=smp, mem=mem, append=append, initrd=initrd)


def check_exit(run, status, log, path, want=0):
    return run.check_init_end(status, log, path, want)


def failed_rows(log, limit=8):
    rows = re.findall(r"^not ok .*$", log, re.M)
    return rows[:limit] + ([f"... {len(rows) - limit} more"] if len(rows) > limit else [])


def case_program(run, name, init, args, want_re, smp=1, mem="512M"):
    def fn(tmp):
        status, log = user_boot(run, init, args, smp=smp, mem=mem)
        problems = check_exit(run, status, log, init)
        if not re.search(want_re, log, re.M):
            problems.append(f"no line matching {want_re!r}")
        problems += failed_rows(log)
        if problems:
            problems.append("log tail: " + run.tail(log, 4))
        return problems
    return (name, fn)


def case_native(run, name, prog, args, want_re):
    def fn(tmp):
        path = os.path.join(run.B, "user-native", prog)
        if not os.path.exists(path):
            return [f"{path} missing (make user)"]
        r = run.watch([path] + args)
        out = r.log
        problems = [] if r.status == 0 else [f"exit status {r.status} ({r.how})"]
        if not re.search(want_re, out, re.M):
            problems.append(f"no line matching {want_re!r}")
        return problems + failed_rows(out)
    return (name, fn)


def case_exit_status(run):
    def fn(tmp):
        status, log = user_boot(run, "/hello", "42")
        problems = check_exit(run, status, log, "/hello", 42)
        if not re.search(r"^hello from pid 1", log, re.M):
            problems.append("no 'hello from pid 1' line")
        return problems
    return ("user: init's exit status 42 becomes QEMU's", fn)


def case_crash(run, how, signo, what_re):
    def fn(tmp):
        status, log = user_boot(run, "/crash", how)
        problems = check_exit(run, status, log, "/crash", 128 + signo)
        if not re.search(rf"^pid 1 \(crash\): killed by signal {signo}: {what_re} at 0x[0-9a-f]+, pc 0x[0-9a-f]+$",
                         log, re.M):
            problems.append(f"no kill report for signal {signo} ({what_re})")
        if "crash: still alive" in log:
            problems.append("the program survived")
        return problems
    return (f"user: crash {how} is killed with status {128 + signo}", fn)


def mkcpio(run, tmp, name, files):
    """files: {archive path: host path}; returns the archive's path."""
    return run.mkcpio(tmp, name, files)


def glibc_boot(run, tmp, name, args=""):
    """Boot build/user/NAME (a glibc program, not in the kernel's own
    initramfs) as init from an initramfs the bootloader passes."""
    prog = os.path.join(run.B, "user", name)
    cpio = mkcpio(run, tmp, f"{name}.cpio", {f"/{name}": prog})
    status, log = user_boot(run, f"/{name}", args, initrd=cpio)
    return check_exit(run, status, log, f"/{name}"), log


def case_glibc(run):
    def fn(tmp):
        problems, log = glibc_boot(run, tmp, "hello-glibc", "one two")
        if not re.search(r"^initramfs: \d+ files, \d+ bytes \(from the bootloader\)$", log, re.M):
            problems.append("the initramfs did not come from the bootloader")
        if not re.search(r"^hello-glibc: \d+ blocks, \d+ bytes, 0 bad$", log, re.M):
            problems.append("no hello-glibc result line")
        return problems + ([run.tail(log, 6)] if problems else [])
    return ("user: a static glibc program, initramfs passed by the bootloader", fn)


def case_vdso_glibc(run):
    """The vDSO through glibc (user/glibc/vdso_glibc.c): every row ok, as
    on Linux 6.12."""
    def fn(tmp):
        problems, log = glibc_boot(run, tmp, "vdso-glibc")
        if not re.search(r"^vdso-glibc: 16 passed, 0 failed$", log, re.M):
            problems.append("no 'vdso-glibc: 16 passed, 0 failed' line")
        problems += failed_rows(log)
        return problems + ([run.tail(log, 6)] if problems else [])
    return ("user: glibc finds and uses the vDSO (clock_gettime, gettimeofday, getres, getcpu)", fn)


def bad_elves(run, tmp):
    good = open(os.path.join(run.B, "user", "hello"), "rb").read()
    files = {}

    def put(name, blob):
        path = os.path.join(tmp, name.strip("/"))
        with open(path, "wb") as f:
            f.write(blob)
        files[name] = path
    put("/empty", b"")
    put("/text", b"#!/bin/sh\necho hi\n")
    put("/truncated", good[:100])
    put("/wrong-machine", good[:18] + struct.pack("<H", 62) + good[20:])
    put("/bad-phoff", good[:32] + struct.pack("<Q", len(good) + 4096) + good[40:])
    put("/bad-class", good[:4] + b"\x01" + good[5:])
    put("/low-vaddr", lowered(good, 0x10000))
    return files


def lowered(elf, delta):
    """The ELF with its entry and every segment moved down by delta (to 0)."""
    b = bytearray(elf)
    entry, phoff = struct.unpack_from("<QQ", b, 24)
    phentsize, phnum = struct.unpack_from("<HH", b, 54)
    struct.pack_into("<Q", b, 24, entry - delta)
    for i in range(phnum):
        off = phoff + i * phentsize
        vaddr, paddr = struct.unpack_from("<QQ", b, off + 16)
        if vaddr >= delta:
            struct.pack_into("<QQ", b, off + 16, vaddr - delta, paddr - delta)
    return bytes(b)


def case_bad_elf(run):
    reasons = {"/empty": "ELF", "/text": "ELF", "/truncated": "ELF", "/wrong-machine": "ELF",
               "/bad-phoff": "ELF", "/bad-class": "ELF",
               "/low-vaddr": "ELF: segments start below the lowest user address"}

    def fn(tmp):
        files = bad_elves(run, tmp)
        cpio = mkcpio(run, tmp, "bad.cpio", files)
        problems = []
        for path in files:
            status, log = user_boot(run, path, initrd=cpio)
            problems += [f"{path}: {p}" for p in run.check_status(status, 1, log)]
            if not re.search(rf"^exec: {re.escape(path)}: {reasons[path]}.*$", log, re.M):
                problems.append(f"{path}: no 'exec: {path}: ELF...' reason")
            if re.search(r"^panic:", log, re.M):
                problems.append(f"{path}: panic")
        status, log = user_boot(run, "/missing", initrd=cpio)
        problems += run.check_status(status, 1, log)
        if not re.search(r"^exec: /missing: no such file$", log, re.M):
            problems.append("no 'exec: /missing: no such file' line")
        return problems
    return ("user: malformed ELF files and a missing init are refused with a reason", fn)


def cases(run):
    return [
        case_program(run, "user: conformance (mm calls against Linux's answers)", "/conformance",
                     "", r"^conformance: \d+ passed, 0 failed$"),
        case_native(run, "host: conformance natively on Linux (the expected values)",
                    "conformance", [], r"^conformance: \d+ passed, 0 failed$"),
        case_program(run, "user: stress seed 1, 200000 ops, 1 hart", "/stress", "1 200000",
                     r"^stress: seed 1, 200000 ops, ok$", smp=1),
        case_program(run, "user: stress seed 2, 200000 ops, 4 harts", "/stress", "2 200000",
                     r"^stress: seed 2, 200000 ops, ok$", smp=4),
        case_native(run, "host: stress seeds 1 and 2 natively on Linux (the shadow model)",
                    "stress", ["1", "200000"], r"^stress: seed 1, 200000 ops, ok$"),
        case_native(run, "host: fuzz natively on Linux (every errno one Linux gives)",
                    "fuzz", ["1", "30000"], r"^fuzz: ok$"),
        case_program(run, "user: fuzz seed 1, 30000 random mm calls", "/fuzz", "1 30000",
                     r"^fuzz: ok$", smp=1),
        case_program(run, "user: fuzz seed 7, 30000 random mm calls, 4 harts", "/fuzz", "7 30000",
                     r"^fuzz: ok$", smp=4),
        case_program(run, "user: the default demo (/init)", "/init", "", r"^init: all \d+ checks passed$"),
        case_exit_status(run),
        case_crash(run, "null", 11, "load"),
        case_crash(run, "wtext", 11, "store"),
        case_crash(run, "execdata", 11, "fetch"),
        case_crash(run, "none", 11, "load"),
        case_crash(run, "kernel", 11, "load"),
        case_crash(run, "ill", 4, "illegal instruction"),
        case_crash(run, "ebreak", 5, "breakpoint"),
        case_crash(run, "shmmove", 7, "store past the end of the mapped object"),
        case_crash(run, "shmgrow", 7, "store past the end of the mapped object"),
        case_crash(run, "filepast", 7, "load past the end of the mapped object"),
        case_glibc(run),
        case_vdso_glibc(run),
        case_bad_elf(run),
    ]
