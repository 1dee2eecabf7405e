"""QEMU cases: the kernel on `-machine sifive_u`, QEMU's HiFive Unleashed.

The FU540 has five harts: hart 0 is an E51 monitor core without an MMU
(its node has no mmu-type), harts 1-4 are U54s. The console is a SiFive
UART (`sifive,uart0`). There is no QEMU finisher: QEMU's OpenSBI 1.1 finds
only `gpio-restart` (GPIO 10, which QEMU wires to a machine reset), so SBI
SRST offers a reboot but no shutdown. The kernel's power-off then asks for a
cold reboot, which `-no-reboot` turns into QEMU's exit, with status 0
whatever the kernel's; the kernel's status is in its line `pagoda: power
off, status N` (docs/boot.md, "Power-off on each machine").

Also here: dtinfo on the tree QEMU generates for the machine.
Loaded by tests/run.py (see its docstring).
"""
import os
import re
import subprocess

MACHINE = "sifive_u"
REBOOT = "pagoda.poweroff=reboot"      # the firmware has no shutdown device
SMP = 5                 # the E51 and four U54s
HARTS = 4               # the U54s
MEM = "512M"
UART0 = 0x10010000
UART1 = 0x10011000


def find(log, regexes):
    return [f"no line matching {r!r}" for r in regexes if not re.search(r, log, re.M)]


def check_ended(run, status, log, want):
    """QEMU exited by itself, after the kernel's power-off line for @want."""
    problems = []
    line = re.search(r"^pagoda: power off, status (\d+)$", log, re.M)
    if not line:
        problems.append(f"no 'pagoda: power off' line; log ends: {run.tail(log)}")
    elif int(line.group(1)) != want:
        problems.append(f"power-off status {line.group(1)}, expected {want}")
    if status is None:
        problems.append("the runner killed QEMU: power-off did not end it"
                        + ("" if line else f"; log ends: {run.tail(log)}"))
    elif status != 0:
        problems.append(f"QEMU exit status {status}: a reset under -no-reboot gives 0")
    return problems


def case_boot(run):
    """The normal boot: four harts online, the E51 skipped and never started,
    the SiFive UART as console, every self-test, /init, power-off."""
    def fn(tmp):
        status, log = run.qemu(machine=MACHINE, smp=SMP, mem=MEM, append=f"{REBOOT} {run.SELFTESTS_ON}")
        problems = run.check_boot_ok(status, log, HARTS)
        problems += run.check_memmap(log, run.RAM_BASE, run.mem_bytes(MEM))
        problems += find(log, [r"^machine: SiFive HiFive Unleashed A00$",
                               r"^smp: hart 0 skipped \(no mmu-type\)$",
                               rf"^console: sifive-uart0 at 0x{UART0:x} ",
                               r"^init: /init exited with status 0$"])
        if re.search(r"^Pagoda: boot hart 0", log, re.M):
            problems.append("hart 0, the E51, booted the kernel")
        if re.search(r"^smp: hart 0 ", log, re.M) and \
                not re.search(r"^smp: hart 0 skipped", log, re.M):
            problems.append("SMP bring-up tried to start hart 0")
        return problems
    return (f"{MACHINE}: boot smp={SMP}: 4 harts, hart 0 skipped, SiFive UART, init", fn)


def case_poweroff(run):
    """Power-off ends QEMU by itself, and init's exit status (42) is in the
    kernel's power-off line, since QEMU's own exit status cannot carry it."""
    def fn(tmp):
        status, log = run.qemu(machine=MACHINE, smp=SMP, mem=MEM,
                               append=f"{REBOOT} init=/hello -- 42")
        problems = check_ended(run, status, log, 42)
        problems += find(log, [r"^init: /hello exited with status 42$"])
        return problems
    return (f"{MACHINE}: power-off ends QEMU, status 42 in the power-off line", fn)


def case_halt(run):
    """Without pagoda.poweroff=reboot, a firmware that cannot shut down
    leaves the hart halted (a board must not boot the kernel again for
    ever), and says so after the status line."""
    def fn(tmp):
        r = run.boot(machine=MACHINE, smp=SMP, mem=MEM, append="init=/hello -- 5",
                     stop_re=r"^pagoda: SBI shutdown failed \(-?\d+\), halted")
        problems = [] if r.how == "stop" else [f"no halt line ({r.how}); log ends: {run.tail(r.log)}"]
        problems += find(r.log, [r"^pagoda: power off, status 5$"])
        if "cold reboot" in r.log:
            problems.append("the kernel reset the machine without being asked to")
        return problems
    return (f"{MACHINE}: without pagoda.poweroff=reboot the kernel halts after the status line", fn)


def case_console_uart(run, tmp_dtb):
    """The kernel's own UART writes, told apart from the SBI console's: a
    tree whose stdout-path names UART1 with status "disabled". OpenSBI 1.1
    takes stdout-path as it is, so its banner and the kernel's SBI-console
    lines go to UART1; the kernel passes over a disabled node and takes the
    first enabled UART, UART0. So everything on UART0 was written by the
    kernel's driver, and the kernel's lines after the switch are there."""
    def fn(tmp):
        dtb = tmp_dtb(tmp)
        run.fdtput(dtb, "-t", "s", f"/soc/serial@{UART1:x}", "status", "disabled")
        run.fdtput(dtb, "-t", "s", "/chosen", "stdout-path", f"/soc/serial@{UART1:x}")
        u0, u1 = os.path.join(tmp, "uart0.log"), os.path.join(tmp, "uart1.log")
        status, _ = run.qemu(machine=MACHINE, smp=SMP, mem=MEM, dtb=dtb,
                             append=f"{REBOOT} init=/hello -- 7",
                             extra=["-serial", f"file:{u0}", "-serial", f"file:{u1}"])
        logs = []
        for path in (u0, u1):
            with open(path, "rb") as f:
                logs.append(f.read().decode(errors="replace").replace("\r", ""))
        log0, log1 = logs
        problems = [] if status is not None else \
            [f"the runner killed QEMU; UART0 ends: {run.tail(log0)}; UART1 ends: {run.tail(log1)}"]
        problems += [f"UART0: {p}" for p in find(log0, [
            rf"^console: sifive-uart0 at 0x{UART0:x} ",
            r"^harts online: 4$", r"^hello from pid 1$",
            r"^pagoda: power off, status 7$"])]
        if "OpenSBI" in log0 or "Pagoda: boot hart" in log0:
            problems.append("UART0 has SBI console output: the test's premise failed")
        problems += [f"UART1: {p}" for p in find(log1, [r"^OpenSBI v", r"^Pagoda: boot hart"])]
        if "harts online" in log1:
            problems.append("UART1 (the SBI console) has lines from after the switch")
        return problems
    return (f"{MACHINE}: the console is the kernel's SiFive UART driver, not SBI", fn)


def case_dtinfo(run, tmp_dtb):
    """dtinfo on QEMU's own sifive_u tree: what the kernel will use."""
    def fn(tmp):
        tool = os.path.join(run.B, "host", "dtinfo")
        if not os.path.exists(tool):
            return [f"{tool} missing: run `make unit`"]
        p = subprocess.run([tool, tmp_dtb(tmp)], capture_output=True, text=True)
        problems = [] if p.returncode == 0 else [f"exit {p.returncode}: {p.stdout.strip()}"]
        problems += find(p.stdout, [
            r"^model: SiFive HiFive Unleashed A00$",
            r"^\[mem 0x0000000080000000-0x000000009fffffff\] usable$",
            r"^harts: 4 usable of 5$", r"^hart 0: skipped \(no mmu-type\)$",
            r"^hart 1: usable$", r"^hart 4: usable$", r"^timebase: 1000000 Hz$",
            rf"^console: sifive-uart0 at 0x{UART0:x} reg-shift 0 reg-io-width 1 clock 0 Hz$",
            r"^finisher: none$"])
        return problems
    return (f"{MACHINE}: dtinfo on QEMU's tree", fn)


def cases(run):
    def tmp_dtb(tmp):
        return run.dump_dtb(tmp, f"{MACHINE}.dtb", SMP, MEM, machine=MACHINE)
    return [case_boot(run), case_poweroff(run), case_halt(run), case_console_uart(run, tmp_dtb),
            case_dtinfo(run, tmp_dtb)]
