"""QEMU case: the boot lottery, exercised by repetition.

OpenSBI up to 1.2 can let a hart that is being started run the kernel's
entry (docs/boot.md, step 1). The race is provoked on purpose by the case
"boot lottery" in tests/run.py; this one boots the ordinary way 50 times
with SMP=4 (QEMU's OpenSBI picks a random boot hart each time) and the
self-tests asked for, and expects every boot to end normally: the kernel
booted once (one banner), `harts online: 4`, the self-tests passed, status
0. A hart that enters _start late (QEMU's OpenSBI 1.1
does show the race now and then under load) must lose the lottery and be
started again; the losers are counted in the case's output.
Loaded by tests/run.py (see its docstring).
"""
import re

BOOTS = 50


def case_loop(run):
    def fn(tmp):
        problems = []
        boot_harts = set()
        losers = 0
        for i in range(BOOTS):
            status, log = run.qemu(smp=4, mem="256M", append=run.SELFTESTS_ON)
            bad = run.check_boot_ok(status, log, 4)
            m = re.search(r"^boot: lottery losers: (\d+)$", log, re.M)
            losers += int(m.group(1)) if m else 0
            m = re.search(r"^Pagoda: boot hart (\d+)", log, re.M)
            if m:
                boot_harts.add(int(m.group(1)))
            if bad:
                problems.append(f"boot {i + 1}/{BOOTS}: " + "; ".join(bad))
                if len(problems) == 3:
                    problems.append("stopped after 3 failed boots")
                    break
        if not problems and not boot_harts:
            problems.append("no boot printed 'Pagoda: boot hart N'")
        print(f"  boot lottery loop: {losers} late harts parked in {BOOTS} boots", flush=True)
        return problems
    return (f"boot lottery loop: {BOOTS} boots smp=4, the kernel boots once each time", fn)


def cases(run):
    return [case_loop(run)]
