#!/usr/bin/env python3
"""Pagoda's test runner: every test, one line each, then
`N passed, M failed, K skipped`.

Three kinds of test, all checking values:
  - host unit tests: each build/host/test_* program prints `ok NAME`,
    `not ok NAME: reason` or `skip NAME: reason` per case (one test each;
    tests/unit/harness.h);
  - host checks: the build and the package list, the Image header
    checker, dtinfo on board trees;
  - QEMU boots: the real kernel on `-machine virt` with OpenSBI, its serial
    log read back and checked (memory map, harts online, self-tests, exit
    status, reasons for bad device trees, panics).
Standard library only. Run from anywhere: `python3 tests/run.py [-k SUBSTR]`.
`-k` selects by name before anything runs: only the matching boots boot,
and the unit programs run only their matching cases ($TEST_FILTER).

A test that cannot run here raises Skip(reason): it is printed as
`SKIP name: reason` and counted in the last line, never dropped.

Every program a test runs goes through watch(): its output is read as it
comes, and it is killed only when it has printed nothing for STALL_S
seconds (or, as a last resort, after CAP_S seconds in all), so a slow but
working boot on a loaded machine is not cut short. QEMU command lines are
built in one place, qemu_args().

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
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(ROOT, "build")
IMAGE = os.path.join(B, "Image")
STUB = os.path.join(B, "tests", "dtbstub.bin")
RACESTUB = os.path.join(B, "tests", "racestub.bin")
STUB_IMAGE_ADDR = 0x80400000      # tests/qemu/qemu.mk
STUB_DTB_ADDR = 0x84000000
QEMU = "qemu-system-riscv64"
STALL_S = 300                     # no output for this long: the run is stuck
CAP_S = 15 * 60                   # no run lasts longer than this, output or not
RAM_BASE = 0x80000000
SELFTESTS_ON = "pagoda.selftests=on"
POISON_IMAGE = os.path.join(B, "poison", "Image")
MAP_RE = re.compile(r"^\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] "
                    r"(usable|reserved \((.*)\))$")


class Skip(Exception):
    """Raised by a test that cannot run here; the message says why."""


class Outcome:
    def __init__(self, name, problems, skipped=None):
        self.name = name
        self.problems = problems
        self.skipped = skipped

    @property
    def ok(self):
        return not self.problems and self.skipped is None

    def line(self):
        if self.skipped is not None:
            return f"SKIP {self.name}: {self.skipped}"
        if self.problems:
            return f"FAIL {self.name}: " + "; ".join(self.problems)
        return f"PASS {self.name}"


# ---- running programs --------------------------------------------------------

class Run:
    """What watch() saw: status (None when the runner killed the program),
    how it ended ("exit", "stop", "stalled", "cap"), stdout and stderr, the
    seconds it ran and its longest silence."""

    def __init__(self, status, how, out, err, secs, silence, stall, cap):
        self.status, self.how, self.out, self.err = status, how, out, err
        self.secs, self.silence, self.stall, self.cap = secs, silence, stall, cap

    @property
    def log(self):
        """stdout as text, CRs dropped, and a last line when it was killed."""
        text = self.out.decode(errors="replace").replace("\r", "")
        if self.how == "stalled":
            text += f"\nrunner: killed after {self.stall} s without output\n"
        elif self.how == "cap":
            text += f"\nrunner: killed at the {self.cap} s cap\n"
        return text


def watch(args, stall=STALL_S, cap=CAP_S, stop_re=None, env=None, cwd=None):
    """Run @args, reading stdout and stderr as they come. The program is
    killed when it prints nothing for @stall s, when it has run @cap s, or
    (how == "stop") as soon as @stop_re matches its stdout."""
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, cwd=cwd)
    out, err = bytearray(), bytearray()
    bufs = {p.stdout.fileno(): out, p.stderr.fileno(): err}
    start = last = time.monotonic()
    silence = 0.0
    how = "exit"
    try:
        while bufs and how == "exit":
            ready, _, _ = select.select(list(bufs), [], [], 1.0)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    del bufs[fd]
                    continue
                bufs[fd].extend(chunk)
                silence = max(silence, time.monotonic() - last)
                last = time.monotonic()
                if stop_re and bufs[fd] is out and \
                        re.search(stop_re, out.decode(errors="replace").replace("\r", ""), re.M):
                    how = "stop"
            now = time.monotonic()
            if how == "exit" and now - last > stall:
                how = "stalled"
            elif how == "exit" and now - start > cap:
                how = "cap"
        if how == "exit":
            try:
                p.wait(timeout=stall)
            except subprocess.TimeoutExpired:
                how = "stalled"
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stdout.close()
        p.stderr.close()
    return Run(p.returncode if how == "exit" else None, how, bytes(out), bytes(err),
               time.monotonic() - start, max(silence, time.monotonic() - last), stall, cap)


# ---- running QEMU ----------------------------------------------------------

def qemu_args(smp=4, mem="512M", kernel=IMAGE, dtb=None, append=None, initrd=None,
              bios="default", machine="virt", extra=()):
    """The QEMU command line of every test: -machine @machine (virt), OpenSBI
    as @bios ("default": QEMU's own; None: no -bios), no display, no reboot,
    @kernel (None: none), then @dtb, @initrd, @append and @extra if given."""
    args = [QEMU, "-machine", machine]
    if bios:
        args += ["-bios", bios]
    args += ["-nographic", "-no-reboot", "-smp", str(smp), "-m", mem]
    if kernel:
        args += ["-kernel", kernel]
    if dtb:
        args += ["-dtb", dtb]
    if initrd:
        args += ["-initrd", initrd]
    if append:
        args += ["-append", append]
    return args + list(extra)


def boot(stall=STALL_S, stop_re=None, **kw):
    """Run QEMU with qemu_args(**kw) under watch(); returns the Run."""
    return watch(qemu_args(**kw), stall=stall, stop_re=stop_re)


def qemu(stall=STALL_S, **kw):
    """Boot once; return (exit status, or None when the runner killed QEMU,
    and the serial log, which then ends with the runner's reason)."""
    r = boot(stall=stall, **kw)
    return r.status, r.log


def mem_bytes(mem):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(mem[:-1]) * units[mem[-1]]


def dump_dtb(tmp, name, smp, mem, bootargs=None, machine="virt"):
    """QEMU's own device tree of @machine for @smp harts and @mem of RAM,
    written to tmp/@name, with /chosen/bootargs set to @bootargs if given
    (a tree handed over by a stand-in bootloader gets no -append)."""
    path = os.path.join(tmp, name)
    r = watch(qemu_args(smp=smp, mem=mem, kernel=None, bios=None,
                        machine=f"{machine},dumpdtb={path}"))
    if r.status != 0:
        raise RuntimeError(f"dumpdtb: exit {r.status}: {r.err.decode(errors='replace')}")
    if bootargs:
        fdtput(path, "-t", "s", "/chosen", "bootargs", bootargs)
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
        return [f"hung: the runner killed QEMU; log ends: {tail(log)}"]
    if status != want:
        return [f"exit status {status}, expected {want}; log ends: {tail(log)}"]
    return []


def mkcpio(tmp, name, files):
    """An initramfs at tmp/@name of @files ({archive path: host path})."""
    out = os.path.join(tmp, name)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "mkcpio.py"), out] +
                   [f"{d}={s}" for d, s in files.items()], check=True)
    return out


def check_init_end(status, log, path, want=0):
    """A boot that ran @path as init: QEMU's status and init's are @want,
    the leak check after every process passed, and nothing panicked."""
    problems = check_status(status, want, log)
    if not re.search(rf"^init: {re.escape(path)} exited with status {want}$", log, re.M):
        problems.append(f"no 'init: {path} exited with status {want}' line")
    if not re.search(rf"^leak check: {re.escape(path)}: ok ", log, re.M):
        m = re.search(r"^leak check: .*$", log, re.M)
        problems.append(m.group(0) if m else "no leak check line")
    if re.search(r"^panic:", log, re.M):
        problems.append("the kernel panicked")
    return problems


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


def check_selftests(log):
    """The kernel named its self-tests (`selftests: N to run: NAME ...`, the
    only list of them), N matches the names, each one printed `ok`, none
    ran unannounced, and the run ended with `selftests: 0 failed`."""
    m = re.search(r"^selftests: (\d+) to run:(.*)$", log, re.M)
    if not m:
        return ["no 'selftests: N to run: ...' line (were they asked for with "
                f"{SELFTESTS_ON}?)"]
    names = m.group(2).split()
    problems = []
    if not names or int(m.group(1)) != len(names) or len(set(names)) != len(names):
        problems.append(f"the kernel announced {m.group(1)} self-tests and named "
                        f"{len(names)} ({len(set(names))} different)")
    for t in names:
        if not re.search(rf"^selftest: {re.escape(t)} ok$", log, re.M):
            bad = re.search(rf"^selftest: {re.escape(t)} FAIL.*$", log, re.M)
            problems.append(bad.group(0) if bad else f"selftest {t} did not report")
    ran = set(re.findall(r"^selftest: (\S+) (?:ok|FAIL)", log, re.M))
    problems += [f"selftest {t} ran but was not announced" for t in sorted(ran - set(names))]
    if not re.search(r"^selftests: 0 failed$", log, re.M):
        problems.append("no 'selftests: 0 failed' line")
    return problems


def check_boot_ok(status, log, smp):
    """A boot asked for the self-tests (SELFTESTS_ON) that passed them all
    and powered off cleanly with every hart online."""
    problems = check_status(status, 0, log)
    m = re.search(r"^harts online: (\d+)$", log, re.M)
    if not m or int(m.group(1)) != smp:
        problems.append(f"harts online: {m.group(1) if m else 'missing'}, expected {smp}")
    problems += check_selftests(log)
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
        status, log = qemu(smp=smp, mem=mem, append=SELFTESTS_ON)
        return check_boot_ok(status, log, smp) + check_memmap(log, RAM_BASE, mem_bytes(mem))
    return (f"boot smp={smp} mem={mem}", run)


def case_dtb_reserved():
    """A DTB passed with -dtb reserves two ranges inside RAM, one no-map."""
    def run(tmp):
        dtb = dump_dtb(tmp, "resv.dtb", 2, "256M")
        add_reserved(dtb, "test@88000000", 0x88000000, 0x100000)
        add_reserved(dtb, "fw@8c000000", 0x8c000000, 0x21000, nomap=True)
        status, log = qemu(smp=2, mem="256M", dtb=dtb, append=SELFTESTS_ON)
        want = [(0x88000000, 0x880fffff, "test@88000000"),
                (0x8c000000, 0x8c020fff, "fw@8c000000, no-map")]
        return check_boot_ok(status, log, 2) + check_memmap(log, RAM_BASE, 256 << 20, want)
    return ("boot dtb with reserved-memory", run)


def case_load_address():
    """The same Image, loaded 2 MiB higher than usual, with a DTB OpenSBI
    did not place: early code must be position independent."""
    def run(tmp):
        dtb = dump_dtb(tmp, "good.dtb", 4, "256M", bootargs=SELFTESTS_ON)
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
    TCG with four vCPUs spinning on two host cores (about 40 ms a round,
    much more on a loaded machine); the kernel prints progress every 250
    rounds, so the runner sees it is alive."""
    def run(tmp):
        status, log = qemu(smp=4, mem="256M", append="pagoda.shootdown=2000 " + SELFTESTS_ON)
        problems = check_boot_ok(status, log, 4)
        m = re.search(r"^selftest: tlb-shootdown: (\d+) remaps, (\d+) reads on 3 other harts$",
                      log, re.M)
        if not m or m.group(1) != "2000":
            problems.append("no line 'tlb-shootdown: 2000 remaps, N reads on 3 other harts'")
        return problems
    return ("tlb shootdown stress smp=4 (2000 remaps)", run)


def case_selftests_asked():
    """The self-tests run only when asked: not by default, not with
    pagoda.selftests=off; init runs either way."""
    def run(tmp):
        problems = []
        for append in (None, "pagoda.selftests=off"):
            what = append or "no options"
            status, log = qemu(smp=2, mem="256M", append=append)
            problems += [f"{what}: {p}" for p in check_status(status, 0, log)]
            m = re.search(r"^selftests?: .*$", log, re.M)
            if m:
                problems.append(f"{what}: the self-tests ran ({m.group(0)})")
            if not re.search(r"^init: /init exited with status 0$", log, re.M):
                problems.append(f"{what}: /init did not run to its end")
        return problems
    return (f"boot: self-tests run only when asked ({SELFTESTS_ON})", run)


def case_options_end_at_dashes():
    """Everything after `--` is init's, as on Linux: options there (one that
    would panic the kernel, one that would run the self-tests) reach init's
    argv and the kernel does not read them. /hello prints its argv and
    exits with argv[1]."""
    def run(tmp):
        status, log = qemu(smp=1, mem="256M",
                           append="init=/hello -- 7 pagoda.test=panic " + SELFTESTS_ON)
        problems = check_status(status, 7, log)
        want = ["/hello", "7", "pagoda.test=panic", SELFTESTS_ON]
        problems += [f"no line 'argv[{i}] = \"{a}\"'" for i, a in enumerate(want)
                     if not re.search(rf'^argv\[{i}\] = "{re.escape(a)}"$', log, re.M)]
        if re.search(r"^(panic:|selftest: deliberate)", log, re.M):
            problems.append("the kernel read pagoda.test= after --")
        if re.search(r"^selftests:", log, re.M):
            problems.append("the kernel read pagoda.selftests= after --")
        return problems
    return ("boot: options after -- are init's arguments, not the kernel's", run)


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
    cases.append(case_selftests_asked())
    cases.append(case_options_end_at_dashes())
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
    """Cases from tests/qemu/cases_*.py (see the module docstring). A module
    that does not load is a failed case of its own."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "qemu", "cases_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            out += mod.cases(sys.modules[__name__])
        except Exception as e:
            out.append((f"tests/qemu/{name}.py loads", _raiser(e)))
    return out


def _raiser(e):
    def fn(tmp):
        raise e
    return fn


def _truncate(blob):
    """The header claims 8 MiB: more than the kernel can have been given."""
    return blob[:4] + struct.pack(">I", 8 << 20) + blob[8:]


# ---- host unit tests -----------------------------------------------------------

UNIT_LINE_RE = re.compile(r"^(ok|not ok|skip) ([^:]+?)(?:: (.*))?$")


def unit_programs():
    """build/host/NAME for every NAME of `unit-tests` in tests/unit/unit.mk:
    that list, not what happens to be built, says which programs exist."""
    text = open(os.path.join(ROOT, "tests", "unit", "unit.mk")).read()
    names = []
    for m in re.finditer(r"^unit-tests\s*[:+]?=\s*(.*)$", text, re.M):
        names += m.group(1).split()
    return [os.path.join(B, "host", n) for n in names]


def unit_job(path, k):
    """Run one build/host/test_* program, only the cases -k selects
    ($TEST_FILTER); one Outcome per line it prints."""
    prog = os.path.basename(path)

    def fn(tmp):
        if not os.path.exists(path):
            return [Outcome(prog, [f"{path} was not built (make unit)"])]
        env = dict(os.environ, TEST_FILTER=k)
        try:
            r = watch([path, os.path.join(B, "dtb", "tests")], stall=600, env=env, cwd=ROOT)
        except Exception as e:
            return [Outcome(prog, [f"test error: {e!r}"])]
        out = []
        for line in r.out.decode(errors="replace").splitlines():
            m = UNIT_LINE_RE.match(line)
            if not m:
                continue
            name = f"{prog}: {m.group(2)}"
            if m.group(1) == "ok":
                out.append(Outcome(name, []))
            elif m.group(1) == "skip":
                out.append(Outcome(name, [], skipped=m.group(3) or "no reason given"))
            else:
                out.append(Outcome(name, [m.group(3) or "failed"]))
        if r.status != 0 and all(o.problems == [] for o in out):
            err = r.err.decode(errors="replace").strip().splitlines()[-3:]
            how = f"exit {r.status}" if r.how == "exit" else r.log.splitlines()[-1]
            out.append(Outcome(f"{prog}: exit", [f"{how}: {' | '.join(err)}"]))
        if not out and not k:
            out.append(Outcome(prog, ["printed no test lines"]))
        return out
    return (prog, fn)


# ---- host checks ----------------------------------------------------------------

def imagecheck_cases():
    def check(name, mutate, want_rc, want_re):
        def fn(tmp):
            with open(IMAGE, "rb") as f:
                data = bytearray(f.read())
            mutate(data)
            path = os.path.join(tmp, "Image")
            with open(path, "wb") as f:
                f.write(data)
            p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "imagecheck.py"),
                                path], capture_output=True, text=True)
            problems = []
            if p.returncode != want_rc:
                problems.append(f"exit {p.returncode}, expected {want_rc}: {p.stderr.strip()}")
            if want_re and not re.search(want_re, p.stderr):
                problems.append(f"message {p.stderr.strip()!r} does not match {want_re!r}")
            return problems
        return (f"imagecheck: {name}", fn)

    def zero_size(d):
        d[16:24] = bytes(8)

    def bad_magic2(d):
        d[56:60] = b"RSC\x06"
    return [check("built Image accepted", lambda d: None, 0, None),
            check("wrong magic2 refused", bad_magic2, 1, r"bad magic2"),
            check("image_size 0 refused", zero_size, 1, r"image_size is 0")]


def case_dtinfo():
    """dtinfo (the kernel's dt module on the host) on the VisionFive 2 v1.3b tree."""
    def fn(tmp):
        dtb = os.path.join(B, "dtb", "boards", "jh7110-starfive-visionfive-2-v1.3b.dtb")
        tool = os.path.join(B, "host", "dtinfo")
        if not (os.path.exists(dtb) and os.path.exists(tool)):
            return ["dtinfo or the board DTB was not built (make unit)"]
        p = subprocess.run([tool, dtb], capture_output=True, text=True)
        want = [r"^\[mem 0x0000000040000000-0x000000013fffffff\] usable$",
                r"^usable: 4294967296 bytes \(4096 MiB\)$",
                r"^harts: 4 usable of 5$", r"^hart 0: skipped \(no mmu-type\)$",
                r"^hart 1: usable$", r"^hart 4: usable$", r"^timebase: 4000000 Hz$",
                r"^console: dw-apb-uart at 0x10000000 reg-shift 2 reg-io-width 4 "
                r"clock 24000000 Hz$"]
        problems = [] if p.returncode == 0 else [f"exit {p.returncode}: {p.stdout.strip()}"]
        return problems + [f"no line matching {r!r}" for r in want
                           if not re.search(r, p.stdout, re.M)]
    return ("dtinfo: VisionFive 2 v1.3b", fn)


def make_dry(*args):
    """`make -n ARGS` at the top of the tree, as typed in a shell (not with
    the flags of a `make test` above): (exit status, the commands)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "-n", "--no-print-directory"] + list(args), cwd=ROOT, env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout + p.stderr


def case_make_run_order():
    """`make run`: the kernel's options (APPEND) come before init= and
    init's arguments, which follow `--`, as the kernel reads them."""
    def fn(tmp):
        problems = []
        for init, append, want in [
                ("/hello 1 2", "pagoda.selftests=on pagoda.shootdown=3",
                 "pagoda.selftests=on pagoda.shootdown=3 init=/hello -- 1 2"),
                ("/hello", "pagoda.selftests=on", "pagoda.selftests=on init=/hello"),
                ("", "pagoda.selftests=on", "pagoda.selftests=on")]:
            rc, out = make_dry("run", f"INIT={init}", f"APPEND={append}")
            m = re.search(r"^qemu-system-riscv64 .*-append \"([^\"]*)\"", out, re.M)
            got = m.group(1) if m else None
            if rc != 0 or got != want:
                problems.append(f"INIT={init!r} APPEND={append!r}: -append {got!r}, "
                                f"want {want!r} (make exit {rc})")
        return problems
    return ("make: run puts APPEND before init= and init's -- arguments", fn)


def case_make_reads_no_compiler():
    """Reading the Makefile runs no compiler: on a fresh machine the first
    `make` installs it (scripts/deps.sh) after the Makefile is read, so a
    value asked of it while reading would be empty. A stand-in compiler
    logs every call; `make -n clean` must not call it."""
    def fn(tmp):
        log = os.path.join(tmp, "calls")
        fake = os.path.join(tmp, "fake-gcc")
        with open(fake, "w") as f:
            f.write(f"#!/bin/sh\necho \"$*\" >> {log}\n")
        os.chmod(fake, 0o755)
        rc, out = make_dry("clean", f"CROSS={os.path.join(tmp, 'fake-')}",
                           f"B={os.path.join(tmp, 'b')}")
        problems = [] if rc == 0 else [f"make -n clean: exit {rc}: {tail(out, 3)}"]
        if os.path.exists(log):
            calls = open(log).read().split("\n")
            problems.append("the compiler was run while the Makefile was read: " +
                            " | ".join(c for c in calls if c))
        return problems
    return ("build: reading the Makefile runs no compiler (deps install it later)", fn)


# Every command and file the build, scripts/ and tests/ use, and the package
# in scripts/deps.sh that brings it.
TOOLS = [
    ("make", "make"), ("gcc", "gcc"), ("python3", "python3"), ("cpp", "cpp"),
    ("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf"),
    ("riscv64-unknown-elf-readelf", "gcc-riscv64-unknown-elf"),
    ("riscv64-linux-gnu-gcc", "gcc-riscv64-linux-gnu"),
    ("qemu-system-riscv64", "qemu-system-misc"),
    ("dtc", "device-tree-compiler"), ("fdtput", "device-tree-compiler"),
    ("mkimage", "u-boot-tools"), ("sfdisk", "fdisk"),
    ("mformat", "mtools"), ("mcopy", "mtools"), ("minfo", "mtools"),
    ("mtype", "mtools"), ("mdir", "mtools"),
    ("cpio", "cpio"), ("xz", "xz-utils"),
    ("/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin", "u-boot-qemu"),
    ("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin", "opensbi"),
    ("/usr/src/linux-source-6.12.tar.xz", "linux-source-6.12"),
]


def deps_packages():
    text = open(os.path.join(ROOT, "scripts", "deps.sh")).read()
    m = re.search(r'^PKGS="([^"]*)"', text, re.M)
    return set(m.group(1).split()) if m else set()


SYSTEM_BIN = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"]


def system_path(tool):
    """Where Debian put @tool (a name or an absolute path), or None: PATH
    may hold other copies (a pyenv shim, say) that no package brings."""
    paths = [tool] if tool.startswith("/") else [os.path.join(d, tool) for d in SYSTEM_BIN]
    return next((p for p in paths if os.path.exists(p)), None)


def package_of(path):
    """The Debian packages that own @path, its target, or the same file
    under the other name of a merged /usr (/bin/x and /usr/bin/x)."""
    names = []
    for p in (path, os.path.realpath(path)):
        names += [p, p[4:] if p.startswith("/usr/") else "/usr" + p]
    for name in names:
        q = subprocess.run(["dpkg-query", "-S", name], capture_output=True, text=True)
        if q.returncode == 0:
            return {o.strip().split(":")[0] for o in q.stdout.split("\n")[0]
                    .rsplit(": ", 1)[0].split(",")}
    return set()


def depends_of(pkg):
    """@pkg and the packages it depends on directly."""
    q = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", pkg],
                       capture_output=True, text=True)
    return {pkg} | {d.split()[0].split(":")[0] for d in re.split(r"[,|]", q.stdout)
                    if d.strip()}


def case_deps_list():
    """Every tool the build, scripts/ and tests/ use comes from a package
    that scripts/deps.sh installs (a fresh machine has nothing else): the
    package is on its list, the tool is installed, and dpkg says it belongs
    to that package or to one it depends on."""
    def fn(tmp):
        if not shutil.which("dpkg-query"):
            raise Skip("not a Debian system (no dpkg-query)")
        pkgs = deps_packages()
        problems = []
        for tool, pkg in TOOLS:
            if pkg not in pkgs:
                problems.append(f"{tool}: package {pkg} is not in scripts/deps.sh")
            path = system_path(tool)
            if not path:
                problems.append(f"{tool}: not installed (package {pkg})")
                continue
            owners = package_of(path)
            if not owners & depends_of(pkg):
                problems.append(f"{tool}: from {sorted(owners) or 'no package'}, not {pkg}")
        return problems
    return ("deps: every tool the build and tests use is in scripts/deps.sh", fn)


def case_watch():
    """watch() judges a run by its output, not by wall time: a program that
    prints a line every 0.5 s for 4 s outlives a 1.5 s silence limit and
    is not killed; a silent one is killed once the limit has passed; a
    stop pattern ends a run as soon as it shows."""
    def fn(tmp):
        py = sys.executable
        problems = []
        r = watch([py, "-c", "import time\nfor i in range(8):\n"
                   "    print(i, flush=True); time.sleep(0.5)"], stall=1.5)
        if r.how != "exit" or r.status != 0 or r.out.split() != [b"%d" % i for i in range(8)]:
            problems.append(f"a slow but steady program: {r.how}, status {r.status}, "
                            f"output {r.out!r}")
        r = watch([py, "-c", "import time\nprint('start', flush=True); time.sleep(30)"],
                  stall=1.5)
        if r.how != "stalled" or r.status is not None or r.secs > 10 or \
                not r.log.endswith("without output\n"):
            problems.append(f"a silent program: {r.how} after {r.secs:.1f} s")
        r = watch([py, "-c", "import time\nprint('ready', flush=True); time.sleep(30)"],
                  stop_re=r"^ready$")
        if r.how != "stop" or r.secs > 10:
            problems.append(f"a stop pattern: {r.how} after {r.secs:.1f} s")
        r = watch([py, "-c", "import time\nwhile True: print('x', flush=True); "
                   "time.sleep(0.2)"], stall=5, cap=1.5)
        if r.how != "cap" or r.secs > 10:
            problems.append(f"the cap: {r.how} after {r.secs:.1f} s")
        return problems
    return ("runner: a run is killed for silence or at the cap, never for being slow", fn)


def host_cases():
    return imagecheck_cases() + [case_dtinfo(), case_make_run_order(),
                                 case_make_reads_no_compiler(), case_deps_list(),
                                 case_watch()]


# ---- main ----------------------------------------------------------------------

def case_job(name, fn):
    """A (name, fn) case as a job: one Outcome; Skip counts as skipped, and
    a broken test is a failed test."""
    def job(tmp):
        try:
            return [Outcome(name, fn(tmp))]
        except Skip as e:
            return [Outcome(name, [], skipped=str(e) or "no reason given")]
        except Exception as e:
            return [Outcome(name, [f"test error: {e!r}"])]
    return job


def selected_jobs(k):
    """Every job -k selects, in the order they are reported. Nothing runs
    here: a case is kept or dropped by its name, and a unit program runs
    only the cases $TEST_FILTER selects."""
    jobs = [unit_job(p, k) + (False,) for p in unit_programs()]
    jobs += [(n, case_job(n, fn), n.startswith("imagecheck"))
             for n, fn in host_cases() if k in n]
    jobs += [(n, case_job(n, fn), True) for n, fn in qemu_cases() + plugin_cases() if k in n]
    return jobs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("-j", type=int, default=2, help="tests at once")
    args = ap.parse_args()
    jobs = selected_jobs(args.k)
    results = []
    if any(needs_image for _, _, needs_image in jobs) and not os.path.exists(IMAGE):
        print(f"{IMAGE} missing: run `make` first")
        print("0 passed, 1 failed, 0 skipped")
        return 1
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        def run(i_job):
            i, (name, fn, _) = i_job
            d = os.path.join(tmp, str(i))
            os.mkdir(d)
            return fn(d)
        for outcomes in pool.map(run, enumerate(jobs)):
            for r in outcomes:
                print(r.line(), flush=True)
                results.append(r)
    passed = sum(r.ok for r in results)
    skipped = sum(r.skipped is not None for r in results)
    failed = len(results) - passed - skipped
    if not results:
        print(f"no test matches -k {args.k!r}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
