#!/usr/bin/env python3
"""Pagoda's test runner: every test, one line each, then `N passed, M failed`.

Three kinds of test, all checking values:
  - host unit tests: each build/host/test_* program prints `ok NAME` or
    `not ok NAME: reason` per case (one test each);
  - host tool checks: the Image header checker, dtinfo on board trees;
  - QEMU boots: the real kernel on `-machine virt` with OpenSBI, its serial
    log read back and checked (memory map, harts online, self-tests, exit
    status, reasons for bad device trees, panics).
Standard library only. Run from anywhere: `python3 tests/run.py [-k SUBSTR]`.

More QEMU cases live in tests/qemu/cases_*.py: each module defines
`cases(run)`, which gets this module (for qemu(), check_status(), ...) and
returns a list of (name, function(tmpdir) -> list of problems).
"""
import argparse
import concurrent.futures
import glob
import importlib.util
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(ROOT, "build")
IMAGE = os.path.join(B, "Image")
STUB = os.path.join(B, "tests", "dtbstub.bin")
RACESTUB = os.path.join(B, "tests", "racestub.bin")
STUB_IMAGE_ADDR = 0x80400000      # tests/qemu/qemu.mk
STUB_DTB_ADDR = 0x84000000
QEMU = "qemu-system-riscv64"
QEMU_TIMEOUT = 60
RAM_BASE = 0x80000000
SELFTESTS = ["printk", "ksyms", "no-identity-map", "direct-map", "timer", "ipi",
             "kmalloc-sizes", "frame-api", "compat-api", "slab-grow-shrink",
             "smp-alloc", "exhaustion", "wx-and-guards", "stack-guards",
             "mapper-bad-input", "table-accounting", "kernel-mapper-nesting",
             "rfence-count", "tlb-shootdown", "ioremap-cycles", "asid-rollover",
             "as-linear"]
POISON_IMAGE = os.path.join(B, "poison", "Image")
MAP_RE = re.compile(r"^\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] "
                    r"(usable|reserved \((.*)\))$")


class Outcome:
    def __init__(self, name, problems):
        self.name = name
        self.problems = problems

    @property
    def ok(self):
        return not self.problems


# ---- running QEMU ----------------------------------------------------------

def qemu(smp=4, mem="512M", kernel=IMAGE, dtb=None, append=None, extra=(),
         timeout=QEMU_TIMEOUT, machine="virt"):
    """Boot once on -machine @machine; return (exit status or None on
    timeout, serial log)."""
    args = [QEMU, "-machine", machine, "-bios", "default", "-nographic",
            "-no-reboot", "-smp", str(smp), "-m", mem, "-kernel", kernel]
    if dtb:
        args += ["-dtb", dtb]
    if append:
        args += ["-append", append]
    args += list(extra)
    try:
        p = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace").replace("\r", "")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace").replace("\r", "")
        return None, out


def mem_bytes(mem):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(mem[:-1]) * units[mem[-1]]


def dump_dtb(tmp, name, smp, mem, machine="virt"):
    path = os.path.join(tmp, name)
    subprocess.run([QEMU, "-machine", f"{machine},dumpdtb={path}", "-smp", str(smp),
                    "-m", mem, "-nographic"], capture_output=True, check=True,
                   stdin=subprocess.DEVNULL)
    return path


def fdtput(path, *args):
    subprocess.run(["fdtput", path] + list(args), check=True, capture_output=True)


def add_reserved(dtb, name, base, size, nomap=False):
    """Add /reserved-memory/NAME (creating /reserved-memory if needed)."""
    subprocess.run(["fdtput", dtb, "-c", "/reserved-memory"], capture_output=True)
    fdtput(dtb, "-t", "u", "/reserved-memory", "#address-cells", "2")
    fdtput(dtb, "-t", "u", "/reserved-memory", "#size-cells", "2")
    fdtput(dtb, "-t", "s", "/reserved-memory", "ranges", "")
    node = f"/reserved-memory/{name}"
    fdtput(dtb, "-c", node)
    fdtput(dtb, "-t", "x", node, "reg", "0", f"{base:x}", "0", f"{size:x}")
    if nomap:
        fdtput(dtb, "-t", "s", node, "no-map", "")


def image_size():
    with open(IMAGE, "rb") as f:
        return struct.unpack("<Q", f.read(24)[16:24])[0]


# ---- checks on a boot log ----------------------------------------------------

def tail(log, n=6):
    lines = [l for l in log.splitlines() if l.strip()]
    return " | ".join(lines[-n:])


def check_status(status, want, log):
    if status is None:
        return [f"hung: no power-off within {QEMU_TIMEOUT} s; log ends: {tail(log)}"]
    if status != want:
        return [f"exit status {status}, expected {want}; log ends: {tail(log)}"]
    return []


def parse_map(log):
    entries = []
    for line in log.splitlines():
        m = MAP_RE.match(line)
        if m:
            lo, hi = int(m.group(1), 16), int(m.group(2), 16)
            entries.append((lo, hi, m.group(3), m.group(4)))
    return entries


def check_memmap(log, ram_base, ram_size, extra_reserved=()):
    """The map covers RAM exactly, in order; usable total adds up; the
    kernel, the DTB and @extra_reserved (lo, hi, why) are reserved."""
    entries = parse_map(log)
    if not entries:
        return ["no memory map lines in the log"]
    problems = []
    pos = ram_base
    for lo, hi, kind, why in entries:
        if lo != pos:
            problems.append(f"map gap or overlap at 0x{pos:x} (next line starts 0x{lo:x})")
        pos = hi + 1
    if pos != ram_base + ram_size:
        problems.append(f"map ends at 0x{pos:x}, RAM ends at 0x{ram_base + ram_size:x}")
    usable = sum(hi + 1 - lo for lo, hi, kind, _ in entries if kind == "usable")
    m = re.search(r"^usable: (\d+) bytes \((\d+) MiB\)$", log, re.M)
    if not m:
        problems.append("no 'usable: N bytes (M MiB)' line")
    elif int(m.group(1)) != usable or int(m.group(2)) != usable >> 20:
        problems.append(f"usable line says {m.group(1)} bytes, map lines add up to {usable}")
    whys = {why: hi + 1 - lo for lo, hi, kind, why in entries if why}
    if whys.get("kernel") != image_size():
        problems.append(f"kernel reserved {whys.get('kernel')} bytes, image_size is {image_size()}")
    if "dtb" not in whys:
        problems.append("the DTB is not reserved")
    for lo, hi, why in extra_reserved:
        if (lo, hi, "reserved (%s)" % why, why) not in entries:
            problems.append(f"no line [mem 0x{lo:016x}-0x{hi:016x}] reserved ({why})")
    return problems


def check_boot_ok(status, log, smp):
    problems = check_status(status, 0, log)
    m = re.search(r"^harts online: (\d+)$", log, re.M)
    if not m or int(m.group(1)) != smp:
        problems.append(f"harts online: {m.group(1) if m else 'missing'}, expected {smp}")
    for t in SELFTESTS:
        if not re.search(rf"^selftest: {re.escape(t)} ok$", log, re.M):
            bad = re.search(rf"^selftest: {re.escape(t)} .*$", log, re.M)
            problems.append(bad.group(0) if bad else f"selftest {t} did not run")
    # A hart may still enter _start late (QEMU's OpenSBI 1.1 has the race):
    # it must lose the lottery, never boot the kernel a second time.
    if log.count("Pagoda: boot hart") != 1:
        problems.append("the kernel banner appeared %d times" % log.count("Pagoda: boot hart"))
    if not re.search(r"^boot: lottery losers: \d+$", log, re.M):
        problems.append("no 'boot: lottery losers: N' line")
    if not re.search(r"^pagoda: power off, status 0$", log, re.M):
        problems.append("no clean power-off line")
    return problems


# ---- the cases ----------------------------------------------------------------

def case_boot(smp, mem):
    def run(tmp):
        status, log = qemu(smp=smp, mem=mem)
        return check_boot_ok(status, log, smp) + check_memmap(log, RAM_BASE, mem_bytes(mem))
    return (f"boot smp={smp} mem={mem}", run)


def case_dtb_reserved():
    """A DTB passed with -dtb reserves two ranges inside RAM, one no-map."""
    def run(tmp):
        dtb = dump_dtb(tmp, "resv.dtb", 2, "256M")
        add_reserved(dtb, "test@88000000", 0x88000000, 0x100000)
        add_reserved(dtb, "fw@8c000000", 0x8c000000, 0x21000, nomap=True)
        status, log = qemu(smp=2, mem="256M", dtb=dtb)
        want = [(0x88000000, 0x880fffff, "test@88000000"),
                (0x8c000000, 0x8c020fff, "fw@8c000000, no-map")]
        return check_boot_ok(status, log, 2) + check_memmap(log, RAM_BASE, 256 << 20, want)
    return ("boot dtb with reserved-memory", run)


def case_load_address():
    """The same Image, loaded 2 MiB higher than usual, with a DTB OpenSBI
    did not place: early code must be position independent."""
    def run(tmp):
        dtb = dump_dtb(tmp, "good.dtb", 4, "256M")
        # What OpenSBI adds to the tree it passes on: its own memory. This
        # tree bypasses OpenSBI, so the test adds it as a firmware would.
        add_reserved(dtb, "mmode_resv0@80000000", 0x80000000, 0x80000)
        extra = ["-device", f"loader,file={IMAGE},addr=0x{STUB_IMAGE_ADDR:x},force-raw=on",
                 "-device", f"loader,file={dtb},addr=0x{STUB_DTB_ADDR:x},force-raw=on"]
        status, log = qemu(smp=4, mem="256M", kernel=STUB, extra=extra)
        problems = check_boot_ok(status, log, 4)
        if f"kernel at 0x{STUB_IMAGE_ADDR:x}" not in log:
            problems.append(f"kernel not reported at 0x{STUB_IMAGE_ADDR:x}")
        if f"DTB at 0x{STUB_DTB_ADDR:x}" not in log:
            problems.append(f"DTB not reported at 0x{STUB_DTB_ADDR:x}")
        return problems
    return ("boot at load address 0x80400000", run)


def case_lottery():
    """Two harts enter _start (the OpenSBI <= 1.2 race, provoked by a
    stand-in bootloader): one wins, the other parks, and SMP bring-up then
    starts the parked hart properly. All 4 harts end up online."""
    def run(tmp):
        extra = ["-device", f"loader,file={IMAGE},addr=0x{STUB_IMAGE_ADDR:x},force-raw=on"]
        status, log = qemu(smp=4, mem="256M", kernel=RACESTUB, extra=extra)
        problems = check_status(status, 0, log)
        m = re.search(r"^harts online: (\d+)$", log, re.M)
        if not m or m.group(1) != "4":
            problems.append(f"harts online: {m.group(1) if m else 'missing'}, expected 4")
        if "boot: lottery losers: 1" not in log:
            problems.append("expected exactly one lottery loser; log ends: " + tail(log))
        if log.count("Pagoda: boot hart") != 1:
            problems.append("the kernel banner was printed more than once")
        return problems
    return ("boot lottery: second hart at _start parks", run)


def case_shootdown_stress():
    """Two thousand remaps of one kernel page while three harts read it:
    after each flush returns, no hart may read the old frame. Slow under
    TCG with four vCPUs spinning on two host cores (about 40 ms a round),
    hence its own time limit."""
    def run(tmp):
        status, log = qemu(smp=4, mem="256M", append="pagoda.shootdown=2000", timeout=400)
        problems = check_boot_ok(status, log, 4)
        m = re.search(r"^selftest: tlb-shootdown: (\d+) remaps, (\d+) reads on 3 other harts$",
                      log, re.M)
        if not m or m.group(1) != "2000":
            problems.append("no line 'tlb-shootdown: 2000 remaps, N reads on 3 other harts'")
        return problems
    return ("tlb shootdown stress smp=4 (2000 remaps)", run)


def bad_dtb_case(name, mutate, reason_re):
    """A valid-but-unusable tree via -dtb (OpenSBI accepts it): the kernel
    prints the reason and powers off through the finisher with status 1."""
    def run(tmp):
        dtb = dump_dtb(tmp, "bad.dtb", 4, "256M")
        mutate(dtb)
        status, log = qemu(smp=4, mem="256M", dtb=dtb)
        problems = check_status(status, 1, log)
        if not re.search(reason_re, log, re.M):
            problems.append(f"no line matching {reason_re!r}; log ends: {tail(log)}")
        if "panic" in log:
            problems.append("the kernel panicked instead of refusing the tree")
        return problems
    return (f"bad dtb: {name}", run)


def stub_dtb_case(name, make_blob, reason_re):
    """A tree OpenSBI could not read (bad header), handed to the kernel by a
    stand-in bootloader. With no readable tree the kernel cannot find the
    finisher, so it shuts down through SBI SRST with reason 'system
    failure'; OpenSBI 1.1 reports every shutdown to QEMU as success, so the
    kernel's own status line is what is checked."""
    def run(tmp):
        good = dump_dtb(tmp, "good.dtb", 2, "256M")
        blob = os.path.join(tmp, "blob.dtb")
        with open(good, "rb") as f:
            data = make_blob(f.read())
        with open(blob, "wb") as f:
            f.write(data)
        extra = ["-device", f"loader,file={IMAGE},addr=0x{STUB_IMAGE_ADDR:x},force-raw=on",
                 "-device", f"loader,file={blob},addr=0x{STUB_DTB_ADDR:x},force-raw=on"]
        status, log = qemu(smp=2, mem="256M", kernel=STUB, extra=extra)
        problems = [] if status is not None else [f"hung; log ends: {tail(log)}"]
        if not re.search(reason_re, log, re.M):
            problems.append(f"no line matching {reason_re!r}; log ends: {tail(log)}")
        if not re.search(r"^pagoda: power off, status 1$", log, re.M):
            problems.append("no 'power off, status 1' line")
        if "panic" in log:
            problems.append("the kernel panicked instead of refusing the tree")
        return problems
    return (f"bad dtb via bootloader: {name}", run)


def many_reserved(dtb):
    """33 reserved ranges of 4 KiB inside RAM: more than the table holds."""
    for i in range(33):
        add_reserved(dtb, f"r{i}@{0x88000000 + i * 0x10000:x}", 0x88000000 + i * 0x10000, 0x1000)


def remove_all_mmu_types(dtb):
    for c in range(4):
        fdtput(dtb, "-d", f"/cpus/cpu@{c}", "mmu-type")


def panic_case(name, append, want_re, kernel=IMAGE):
    def run(tmp):
        status, log = qemu(smp=2, mem="256M", append=append, kernel=kernel)
        problems = check_status(status, 2, log)
        for r in want_re:
            if not re.search(r, log, re.M):
                problems.append(f"no line matching {r!r}; log ends: {tail(log)}")
        return problems
    return (f"panic: {name}", run)


def qemu_cases():
    cases = [case_boot(s, m) for s, m in
             [(1, "128M"), (4, "128M"), (1, "512M"), (4, "512M"), (4, "2G"), (4, "8G")]]
    cases.append(case_dtb_reserved())
    cases.append(case_shootdown_stress())
    cases.append(case_load_address())
    cases.append(case_lottery())
    cases.append(bad_dtb_case("no memory node",
                              lambda d: fdtput(d, "-r", "/memory@80000000"),
                              r"^dt: no memory node$"))
    cases.append(bad_dtb_case("more reserved ranges than the kernel keeps", many_reserved,
                              r"^dt: more than 32 reserved ranges: no room for \[0x"))
    cases.append(bad_dtb_case("no usable hart", remove_all_mmu_types,
                              r"^dt: no usable hart$"))
    cases.append(bad_dtb_case(
        "overlapping banks",
        lambda d: fdtput(d, "-t", "x", "/memory@80000000", "reg",
                         "0", "80000000", "0", "8000000", "0", "84000000", "0", "8000000"),
        r"^dt: memory banks overlap: "))
    cases.append(stub_dtb_case("bad magic", lambda b: b"\xd0\x0d\xfe\xee" + b[4:],
                               r"^dt: bad magic 0xd00dfeee"))
    cases.append(stub_dtb_case("truncated", _truncate, r"^dt: truncated"))
    cases.append(panic_case(
        "kernel load fault", "pagoda.test=load-fault",
        [r"^panic: hart \d+: kernel exception: load page fault \(scause 13\) "
         r"stval 0x10 sepc 0xffffffff8[0-9a-f]{7} selftest_run_fault\+0x[0-9a-f]+$",
         r"^  #\d+ 0xffffffff8[0-9a-f]{7} kmain\+0x[0-9a-f]+$",
         r"^pagoda: power off, status 2$"]))
    cases.append(panic_case(
        "panic()", "pagoda.test=panic",
        [r"^panic: hart \d+: deliberate panic$",
         r"^  #1 0xffffffff8[0-9a-f]{7} selftest_run_fault\+0x[0-9a-f]+$"]))
    cases.append(panic_case(
        "kfree twice", "pagoda.test=double-free",
        [r"^panic: hart \d+: kfree: double free: 0xffffffd8[0-9a-f]{8} \(caller kfree_twice\+0x[0-9a-f]+\)$",
         r"^  #\d+ 0xffffffff8[0-9a-f]{7} kfree_twice\+0x[0-9a-f]+$"]))
    cases.append(panic_case(
        "kfree inside an object", "pagoda.test=bad-free",
        [r"^panic: hart \d+: kfree: not a kmalloc pointer: 0xffffffd8[0-9a-f]{7}0 \(caller kfree_inside\+0x[0-9a-f]+\)$"]))
    cases.append(panic_case(
        "kernel stack overflow", "pagoda.test=stack-overflow",
        [r"^panic: hart \d+: kernel stack overflow: sp 0xffffffff8[0-9a-f]{7} below "
         r"0xffffffff8[0-9a-f]{7} at sepc 0xffffffff8[0-9a-f]{7} recurse\+0x[0-9a-f]+ "
         r"\(store page fault, stval 0xffffffff8[0-9a-f]{7}\)$",
         r"^pagoda: power off, status 2$"]))
    cases.append(panic_case(
        "a remote TLB fence the firmware refuses", "pagoda.test=rfence-fail",
        [r"^panic: hart \d+: tlb: SBI remote fence to harts 0x8000000000000000 \(base 4032\) failed: -22$",
         r"^pagoda: power off, status 2$"]))
    cases.append(panic_case(
        "write after free (KMEM_POISON build)", "pagoda.test=use-after-free",
        [r"^panic: hart \d+: kmalloc: object 0xffffffd8[0-9a-f]{8} written after free \(byte 40 is 0x1\)$"],
        kernel=POISON_IMAGE))
    return cases


def plugin_cases():
    """Cases from tests/qemu/cases_*.py (see the module docstring)."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "qemu", "cases_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out += mod.cases(sys.modules[__name__])
    return out


def _truncate(blob):
    """The header claims 8 MiB: more than the kernel can have been given."""
    return blob[:4] + struct.pack(">I", 8 << 20) + blob[8:]


# ---- host checks -------------------------------------------------------------

def unit_results():
    out = []
    hostdir = os.path.join(B, "host")
    progs = sorted(p for p in os.listdir(hostdir) if p.startswith("test_")) \
        if os.path.isdir(hostdir) else []
    if not progs:
        return [Outcome("unit tests", ["no build/host/test_* programs: run `make unit`"])]
    for prog in progs:
        path = os.path.join(hostdir, prog)
        try:
            p = subprocess.run([path, os.path.join(B, "dtb", "tests")], cwd=ROOT,
                               capture_output=True, timeout=600)
            text = p.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired:
            out.append(Outcome(prog, ["timed out"]))
            continue
        seen = 0
        for line in text.splitlines():
            if line.startswith("ok "):
                out.append(Outcome(f"{prog}: {line[3:]}", []))
                seen += 1
            elif line.startswith("not ok "):
                name, _, why = line[7:].partition(": ")
                out.append(Outcome(f"{prog}: {name}", [why or "failed"]))
                seen += 1
        if p.returncode != 0 and all(o.ok for o in out if o.name.startswith(prog)):
            err = p.stderr.decode(errors="replace").strip().splitlines()[-3:]
            out.append(Outcome(f"{prog}: exit", [f"exit {p.returncode}: {' | '.join(err)}"]))
        if seen == 0:
            out.append(Outcome(prog, ["printed no test lines"]))
    return out


def imagecheck_results():
    def check(name, mutate, want_rc, want_re):
        with open(IMAGE, "rb") as f:
            data = bytearray(f.read())
        mutate(data)
        with tempfile.NamedTemporaryFile(suffix=".Image") as t:
            t.write(data)
            t.flush()
            p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "imagecheck.py"),
                                t.name], capture_output=True, text=True)
        problems = []
        if p.returncode != want_rc:
            problems.append(f"exit {p.returncode}, expected {want_rc}: {p.stderr.strip()}")
        if want_re and not re.search(want_re, p.stderr):
            problems.append(f"message {p.stderr.strip()!r} does not match {want_re!r}")
        return Outcome(f"imagecheck: {name}", problems)

    def zero_size(d):
        d[16:24] = bytes(8)

    def bad_magic2(d):
        d[56:60] = b"RSC\x06"
    return [check("built Image accepted", lambda d: None, 0, None),
            check("wrong magic2 refused", bad_magic2, 1, r"bad magic2"),
            check("image_size 0 refused", zero_size, 1, r"image_size is 0")]


def dtinfo_results():
    """dtinfo (the kernel's dt module on the host) on the VisionFive 2 v1.3b tree."""
    dtb = os.path.join(B, "dtb", "boards", "jh7110-starfive-visionfive-2-v1.3b.dtb")
    tool = os.path.join(B, "host", "dtinfo")
    if not (os.path.exists(dtb) and os.path.exists(tool)):
        return [Outcome("dtinfo: VisionFive 2 v1.3b", ["dtinfo or the board DTB was not built"])]
    p = subprocess.run([tool, dtb], capture_output=True, text=True)
    want = [r"^\[mem 0x0000000040000000-0x000000013fffffff\] usable$",
            r"^usable: 4294967296 bytes \(4096 MiB\)$",
            r"^harts: 4 usable of 5$", r"^hart 0: skipped \(no mmu-type\)$",
            r"^hart 1: usable$", r"^hart 4: usable$", r"^timebase: 4000000 Hz$",
            r"^console: dw-apb-uart at 0x10000000 reg-shift 2 reg-io-width 4 clock 24000000 Hz$"]
    problems = [] if p.returncode == 0 else [f"exit {p.returncode}: {p.stdout.strip()}"]
    problems += [f"no line matching {r!r}" for r in want if not re.search(r, p.stdout, re.M)]
    return [Outcome("dtinfo: VisionFive 2 v1.3b", problems)]


# ---- main ----------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("-j", type=int, default=2, help="QEMU boots at once")
    args = ap.parse_args()
    if not os.path.exists(IMAGE):
        print(f"{IMAGE} missing: run `make` first")
        print("0 passed, 1 failed")
        return 1
    results = [r for r in unit_results() + imagecheck_results() + dtinfo_results()
               if args.k in r.name]
    for r in results:
        print(("PASS " if r.ok else "FAIL ") + r.name + ("" if r.ok else ": " + "; ".join(r.problems)))
    cases = [c for c in qemu_cases() + plugin_cases() if args.k in c[0]]
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        def run(i_case):
            i, (name, fn) = i_case
            d = os.path.join(tmp, str(i))
            os.mkdir(d)
            try:
                return Outcome(name, fn(d))
            except Exception as e:              # a broken test is a failed test
                return Outcome(name, [f"test error: {e!r}"])
        for r in pool.map(run, enumerate(cases)):
            print(("PASS " if r.ok else "FAIL ") + r.name + ("" if r.ok else ": " + "; ".join(r.problems)),
                  flush=True)
            results.append(r)
    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
