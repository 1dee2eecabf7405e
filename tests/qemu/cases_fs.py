"""QEMU case: fsprog (user/progs/fsprog.c), the file and process system
calls on the running kernel, and the console's exact bytes.

fsprog runs as init from the embedded initramfs and must report
`fsprog: N passed, 0 failed` with one `ok` line per case, exit 0 and pass
the kernel's leak check (the helpers of cases_user.py decide those). QEMU's
output is read raw (run.boot()'s bytes; run.qemu() drops every "\\r"): lines
fsprog writes with a NUL byte, bytes above 0x7f, a tab and a lone "\\r"
must arrive unchanged, each "\\n" as "\\r\\n" (a tty's ONLCR) and nothing
else added. Loaded by tests/run.py (see its docstring).
"""
import importlib.util
import os
import re

# (what, the exact bytes on the serial line)
RAW_LINES = [
    ("a NUL inside one write()", b"fsprog: raw [A\x00B]\r\n"),
    ("bytes 0x01 0x7f 0xff, UTF-8, a tab and a lone CR",
     b"fsprog: bytes [\x01\x7f\xff\xc3\xa9\t\r]\r\n"),
    ("NULs across writev() segments", b"fsprog: writev [x\x00\x00y]\r\n"),
    ("a write cut short by an unmapped page", b"fsprog: edge!\r\n"),
]


def cases_user(run):
    """tests/qemu/cases_user.py, for check_exit() and failed_rows()."""
    path = os.path.join(run.ROOT, "tests", "qemu", "cases_user.py")
    spec = importlib.util.spec_from_file_location("cases_user_for_fs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_console_bytes(raw):
    """The program's lines arrived byte for byte, with CRLF line ends."""
    problems = []
    for what, want in RAW_LINES:
        if want not in raw:
            problems.append(f"console: {what}: {want!r} not in the output")
    start = raw.find(b"init: running /fsprog")
    end = raw.find(b"init: /fsprog exited")
    if start < 0 or end < start:
        return problems + ["console: the program's output is not delimited"]
    out = raw[start:end]
    if re.search(rb"(?<!\r)\n", out):
        problems.append("console: a '\\n' went out without '\\r'")
    if b"\r\r\n" in out:
        problems.append("console: a '\\n' went out as '\\r\\r\\n'")
    return problems


def case_fsprog(run):
    def fn(tmp):
        r = run.boot(smp=1, mem="512M", append="init=/fsprog")
        status, raw, log = r.status, r.out, r.log
        cu = cases_user(run)
        problems = cu.check_exit(run, status, log, "/fsprog")
        m = re.search(r"^fsprog: (\d+) passed, (\d+) failed$", log, re.M)
        oks = len(re.findall(r"^ok \d+ \S+$", log, re.M))
        if not m or m.group(2) != "0":
            problems.append(m.group(0) if m else "no 'fsprog: N passed, F failed' line")
        elif int(m.group(1)) != oks or oks < 20:
            problems.append(f"{m.group(1)} passed, but {oks} 'ok' lines")
        problems += cu.failed_rows(log)
        problems += check_console_bytes(raw)
        if problems:
            problems.append("log tail: " + run.tail(log, 4))
        return problems
    return ("user: fsprog (file and process syscalls), console bytes exact", fn)


def cases(run):
    return [case_fsprog(run)]
