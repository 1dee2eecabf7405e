"""QEMU cases: RAM layouts from device trees that boards and users produce.

Each case dumps QEMU's own tree (`run.dump_dtb`), rewrites its memory
nodes or adds /reserved-memory with fdtput, and boots it with `-dtb`. The
same layouts are host-tested as dts/tests/{touching,touchreg,touch20,
wrapbank,rsvall,rsvnomap,kernonly}.dts (tests/unit/test_dt.c).

 - Banks that touch (two memory nodes, or ranges in one reg, one boundary
   inside a page) and more banks than the kernel keeps: the kernel boots,
   the map tiles exactly the banks it kept, one line never spanning two,
   the usable total is RAM minus OpenSBI, the kernel and the DTB, every
   usable page is in the buddy allocator or was used at boot, the
   self-tests (asked for) pass and /init runs with its leak check clean.
 - Trees that leave no RAM to boot in (a bank wrapping past 2^64, RAM
   holding only the kernel, /reserved-memory over all RAM with and without
   no-map, RAM too small for the page arrays or for the boot): one exact
   reason line, no panic, status 1.
Loaded by tests/run.py (see its docstring).
"""
import re

MiB = 1 << 20
PAGE = 4096
OPENSBI = (0x80000000, 0x80000)         # mmode_resv0, added by OpenSBI 1.1


def set_memory(run, dtb, nodes):
    """nodes: one list of (base, size) per memory node; the first replaces
    /memory@80000000, the others are new nodes named after their base."""
    for i, ranges in enumerate(nodes):
        node = "/memory@%x" % (0x80000000 if i == 0 else ranges[0][0])
        if i:
            run.fdtput(dtb, "-c", node)
            run.fdtput(dtb, "-t", "s", node, "device_type", "memory")
        cells = []
        for base, size in ranges:
            cells += ["%x" % (base >> 32), "%x" % (base & 0xffffffff),
                      "%x" % (size >> 32), "%x" % (size & 0xffffffff)]
        run.fdtput(dtb, "-t", "x", node, "reg", *cells)


def check_tiling(entries, banks):
    """The map lines cover exactly @banks (sorted (base, size)), in order,
    each line inside one bank."""
    problems = []
    lines = iter(entries)
    for base, size in banks:
        pos = base
        while pos < base + size:
            lo, hi = next(lines, (None, None, None, None))[:2]
            if lo is None:
                return problems + [f"the map ends at 0x{pos:x}, inside bank 0x{base:x}"]
            if lo != pos or hi >= base + size:
                return problems + [f"map line [0x{lo:x}-0x{hi:x}] is not the next piece of "
                                   f"bank [0x{base:x}-0x{base + size - 1:x}] (at 0x{pos:x})"]
            pos = hi + 1
    rest = list(lines)
    if rest:
        problems.append(f"map lines past the last bank, from 0x{rest[0][0]:x}")
    return problems


def check_usable_total(run, log, entries, banks):
    """usable = RAM - OpenSBI - kernel - DTB, as the usable line says."""
    whys = {why: hi + 1 - lo for lo, hi, kind, why in entries if why}
    if whys.get("mmode_resv0@80000000") != OPENSBI[1]:
        return [f"OpenSBI's range is {whys.get('mmode_resv0@80000000')} bytes"]
    if whys.get("kernel") != run.image_size() or "dtb" not in whys:
        return [f"kernel {whys.get('kernel')} bytes (image {run.image_size()}), dtb {whys.get('dtb')}"]
    want = sum(s for _, s in banks) - OPENSBI[1] - run.image_size() - whys["dtb"]
    m = re.search(r"^usable: (\d+) bytes \((\d+) MiB\)$", log, re.M)
    if not m or int(m.group(1)) != want or int(m.group(2)) != want >> 20:
        return [f"usable line {m.group(0) if m else 'missing'}, want {want} bytes"]
    return []


def check_accounting(log, entries):
    """Every whole usable page is in the buddy allocator or was used at boot."""
    want = sum(max(0, ((hi + 1) & ~(PAGE - 1)) - ((lo + PAGE - 1) & ~(PAGE - 1)))
               for lo, hi, kind, _ in entries if kind == "usable") >> 10
    m = re.search(r"^mm: (\d+) KiB in the buddy allocator .*, (\d+) KiB used at boot$", log, re.M)
    if not m:
        return ["no 'mm: N KiB in the buddy allocator' line"]
    got = int(m.group(1)) + int(m.group(2))
    return [] if got == want else [f"buddy + boot = {got} KiB, usable pages = {want} KiB"]


def check_init(log):
    problems = []
    if not re.search(r"^init: /init exited with status 0$", log, re.M):
        problems.append("no 'init: /init exited with status 0' line")
    if not re.search(r"^leak check: /init: ok ", log, re.M):
        problems.append("no 'leak check: /init: ok' line")
    return problems


def banks_case(run, name, nodes, mem, kept=None, ignored=(), smp=2):
    """Boot a tree with memory @nodes; @kept: the banks the kernel keeps
    (default all), @ignored: the lines saying which ones it skips."""
    banks = sorted(kept or [r for ranges in nodes for r in ranges])

    def fn(tmp):
        dtb = run.dump_dtb(tmp, "banks.dtb", smp, mem)
        set_memory(run, dtb, nodes)
        status, log = run.qemu(smp=smp, mem=mem, dtb=dtb, append=run.SELFTESTS_ON)
        problems = run.check_boot_ok(status, log, smp)
        entries = run.parse_map(log)
        problems += check_tiling(entries, banks)
        problems += check_usable_total(run, log, entries, banks)
        problems += check_accounting(log, entries)
        problems += check_init(log)
        for line in ignored:
            if not re.search("^" + re.escape(line) + "$", log, re.M):
                problems.append(f"no line {line!r}")
        if problems:
            problems.append("log ends: " + run.tail(log, 4))
        return problems
    return (f"dt banks: {name}", fn)


def line(text):
    """A regular expression for exactly the line @text."""
    return "^" + re.escape(text) + "$"


def reserve_all(run, nomap, keep=0):
    """/reserved-memory over all 256 MiB of RAM but the last @keep bytes."""
    return lambda d: run.add_reserved(d, "all@80000000", 0x80000000, (256 * MiB) - keep, nomap)


def kernel_only(run, extra=0):
    """RAM: the kernel image (where OpenSBI puts it) and @extra bytes."""
    return lambda d: set_memory(run, d, [[(0x80200000, run.image_size() + extra)]])


def cases(run):
    touching20 = [(0x80000000 + i * 16 * MiB, 16 * MiB) for i in range(20)]
    ignored = ["dt: more than 16 memory banks, [0x%x-0x%x] ignored" % (b, b + s - 1)
               for b, s in touching20[16:]]
    no_usable = "dt: no usable RAM left after the reservations"
    bad = run.bad_dtb_case              # 4 harts, 256 MiB: status 1, the line, no panic
    return [
        banks_case(run, "two memory nodes that touch (2 x 256 MiB)",
                   [[(0x80000000, 256 * MiB)], [(0x90000000, 256 * MiB)]], "512M"),
        banks_case(run, "touching ranges in one reg, a boundary inside a page",
                   [[(0x80000000, 256 * MiB), (0x90000000, 128 * MiB + 0x800),
                     (0x98000800, 128 * MiB - 0x800)]], "512M"),
        # Only the 16 kept banks exist: QEMU has 256 MiB.
        banks_case(run, "20 touching banks: 16 used, 4 logged and skipped",
                   [touching20], "256M", kept=touching20[:16], ignored=ignored),
        bad("bank size wraps past 2^64",
            lambda d: set_memory(run, d, [[(0x80000000, (1 << 64) - 1)]]),
            line("dt: memory@80000000: bank at 0x80000000 size 0xffffffffffffffff "
                 "runs past the end of the address space")),
        bad("RAM holds only the kernel image", kernel_only(run), line(no_usable)),
        bad("/reserved-memory covers all RAM", reserve_all(run, False), line(no_usable)),
        bad("/reserved-memory covers all RAM, no-map", reserve_all(run, True), line(no_usable)),
        bad("usable RAM too small for the page arrays", reserve_all(run, False, keep=64 << 10),
            line("mm: usable RAM too small to boot: no room for the 4096 KiB page array "
                 "of [0x80000000-0x8fffffff]")),
        bad("usable RAM too small to boot", kernel_only(run, 128 << 10),
            r"^mm: usable RAM too small to boot: \d+ KiB left after the page arrays, "
            r"the kernel needs 1024 KiB$"),
    ]
