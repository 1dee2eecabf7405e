"""QEMU cases: processes. The process conformance program (a static glibc
binary, user/glibc/proc_conform.c) must print exactly the lines riscv64
Linux 6.12 printed for it (tests/expected/proc_conform.out), on 1 and on
4 harts; the multi-process stress (user/progs/mpstress.c), the register
checker (regcheck.c) and the out-of-memory pair (oomhog.c) must report ok.
Each boot also requires the kernel's leak check after init and every other
process are gone. Loaded by tests/run.py.
"""
import os
import re


def mkcpio(run, tmp, name, files):
    """files: {archive path: host path}; returns the archive's path."""
    return run.mkcpio(tmp, name, files)


def boot_programs(run, tmp, progs, init, args="", smp=1, mem="512M"):
    """Boot with build/user/NAME for each of @progs at /NAME, @init as init."""
    files = {f"/{p}": os.path.join(run.B, "user", p) for p in progs}
    missing = [f for f in files.values() if not os.path.exists(f)]
    if missing:
        return None, [f"{m} missing (make user)" for m in missing]
    cpio = mkcpio(run, tmp, "progs.cpio", files)
    append = f"init={init}" + (f" -- {args}" if args else "")
    status, log = run.qemu(smp=smp, mem=mem, append=append, initrd=cpio)
    return (status, log), []


def check_end(run, status, log, path, want=0):
    return run.check_init_end(status, log, path, want)


# Rows whose Linux line needs what Pagoda has not yet: compared on
# neither side, and counted as one skipped case. A pending row that starts
# to match fails the case, so that it leaves this list.
PENDING = {"sigbus-memfd": "needs memfd_create and ftruncate (the files issue)"}


def row_name(line):
    m = re.match(r"^(?:not )?ok \d+ ([\w-]+):", line)
    return m.group(1) if m else None


def case_proc_conform(run, smp):
    expected = os.path.join(run.ROOT, "tests", "expected", "proc_conform.out")

    def fn(tmp):
        got, problems = boot_programs(run, tmp, ["proc_conform", "proc_child"],
                                      "/proc_conform", smp=smp)
        if problems:
            return problems
        status, log = got
        lines = [l for l in log.splitlines()
                 if re.match(r"^(not )?ok \d+ |^proc_conform: ", l)]
        want = open(expected).read().splitlines()
        diff = []
        for w, g in zip(want, lines):
            if row_name(w) in PENDING:
                if w == g:
                    diff.append(f"pending row {row_name(w)} now matches Linux: take it off PENDING")
            elif w != g and not w.startswith("proc_conform: "):
                diff.append(f"want {w!r}, got {g!r}")
        npend = len([w for w in want if row_name(w) in PENDING])
        tally = re.search(r"^proc_conform: (\d+) passed, (\d+) failed$", log, re.M)
        if not tally or int(tally.group(2)) > npend:
            diff.append(f"tally {tally.group(0) if tally else 'missing'}: more failures than the "
                        f"{npend} pending row(s)")
        if len(lines) != len(want):
            diff.append(f"{len(lines)} result lines, Linux printed {len(want)}")
        status_ok = 1 if npend else 0
        return check_end(run, status, log, "/proc_conform", status_ok) + diff[:10]
    return (f"proc: proc_conform on {smp} hart{'s' if smp > 1 else ''} prints Linux's lines", fn)


def case_init(run, name, init, args, want_re, smp, mem="512M", want_more=(), kernel=None):
    """Boot with @init (from the kernel's own initramfs) and its @args."""
    def fn(tmp):
        kw = {"kernel": kernel} if kernel else {}
        status, log = run.qemu(smp=smp, mem=mem, append=f"init={init} -- {args}", **kw)
        problems = check_end(run, status, log, init)
        for r in (want_re,) + tuple(want_more):
            if not re.search(r, log, re.M):
                problems.append(f"no line matching {r!r}")
        if problems:
            problems.append("log tail: " + run.tail(log, 4))
        return problems
    return (name, fn)


def case_pending():
    def fn(tmp):
        raise run_skip("; ".join(f"{k}: {v}" for k, v in PENDING.items()))
    return ("proc: proc_conform rows pending", fn)


run_skip = None


def cases(run):
    global run_skip
    run_skip = run.Skip
    return [
        case_proc_conform(run, 1), case_proc_conform(run, 4),
        case_init(run, "proc: mpstress seed 1, 8 processes on 4 harts, 3 rounds (fork, COW, stress)",
                  "/mpstress", "1 8 3 2000", r"^mpstress: seed 1, 8 procs, 3 rounds, ok$", 4),
        case_init(run, "proc: mpstress seed 2, 6 processes on 1 hart, 2 rounds",
                  "/mpstress", "2 6 2 2000", r"^mpstress: seed 2, 6 procs, 2 rounds, ok$", 1),
        case_init(run, "proc: forkexit: 8 workers fork and reap 300 children each, 4 harts",
                  "/forkexit", "8 300", r"^forkexit: 8 procs, 300 rounds, ok$", 4),
        case_init(run, "proc: forkexit on the KMEM_POISON kernel (freed kernel stacks poisoned)",
                  "/forkexit", "8 200", r"^forkexit: 8 procs, 200 rounds, ok$", 4,
                  kernel=run.POISON_IMAGE),
        case_init(run, "proc: a root fork bomb ends in EAGAIN at the task limit; all reaped (256 MiB)",
                  "/forkexit", "bomb", r"^forkexit: bomb: \d+ forks, then EAGAIN; all reaped$", 4,
                  mem="256M"),
        case_init(run, "proc: initlife: init ignores kill, a killed vfork parent, SIGSTOP/SIGCONT, "
                  "orphan zombies freed, a futex ping-pong, init exits with a child alive (4 harts, 128 MiB)",
                  "/initlife", "2000 1500", r"^initlife: ok$", 4, mem="128M",
                  want_more=(r"^initlife: kill\(1, SIGTERM/SIGKILL/SIGSTOP/SIGUSR1\) from a child: 0 0 0 0; "
                             r"the blocked SIGUSR1 was pending; init runs on$",
                             r"^initlife: a vfork parent killed: status 0x0009; .* ends with 0x0009$",
                             r"^initlife: 1500 zombie orphans .* wait then gives ECHILD$",
                             r"^initlife: a futex token passed 20000 times each way$")),
        case_init(run, "proc: regcheck: 8 processes keep every register through preemption, 4 harts",
                  "/regcheck", "-s 8 300000", r"^regcheck: 8 procs, ok$", 4),
        case_init(run, "proc: regcheck: 4 processes on 1 hart",
                  "/regcheck", "-s 4 200000", r"^regcheck: 4 procs, ok$", 1),
        case_init(run, "proc: out of memory: the larger hog is killed, the smaller finishes (128 MiB)",
                  "/oomhog", "200 24", r"^oomhog: ok$", 2, mem="128M",
                  want_more=(r"^oom: killed pid \d+ \(oomhog\): rss \d+ KiB$",
                             r"^oomhog: hog A \(200 MiB\): killed by signal 9$",
                             r"^oomhog: hog B \(24 MiB\): exit 0$")),
    ] + \
        ([case_pending()] if PENDING else [])
