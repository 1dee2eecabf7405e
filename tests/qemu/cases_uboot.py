"""QEMU cases: the kernel booted the way the VisionFive 2 boots it.

The board runs OpenSBI, then U-Boot, whose distro boot finds boot.scr on a
partition, loads Image to kernel_addr_r and calls
`booti ${kernel_addr_r} - ${fdtcontroladdr}`. Here the same chain runs on
QEMU virt: OpenSBI (QEMU's default, and Debian's fw_jump and fw_dynamic),
Debian's S-mode U-Boot as the payload, and a virtio disk built by
tests/qemu/uboot.mk holding Image and the same boot.scr as the SD card
image. Nothing is typed: U-Boot's own bootcmd (distro boot) does it all,
after its stock 2-second autoboot delay.

Also here: U-Boot refusing two broken Images, and a check of the SD card
image `make vf2-sdimage` writes. Loaded by tests/run.py (see its docstring).
"""
import os
import re
import subprocess

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
FW_JUMP_FDT = 0x82200000        # where Debian's fw_jump.bin puts the tree
KERNEL_ADDR_R = 0x84000000      # U-Boot's kernel_addr_r on qemu-riscv64
IMAGE_PA = 0x80200000           # RAM base + text_offset: where booti moves it
PART_START = 2048               # sectors: the FAT partition of scripts/mkdisk.sh


def disk_args(path):
    return ["-drive", f"file={path},format=raw,if=none,id=hd0,readonly=on",
            "-device", "virtio-blk-device,drive=hd0"]


def missing(run, *paths):
    """Problems for files the build should have made."""
    return [f"{p} missing: run `make qemu-test-deps`" for p in paths if not os.path.exists(p)]


def stale(run, img):
    """A problem when @img does not hold the current build/Image."""
    with open(run.IMAGE, "rb") as f:
        if mtools_read(img, "Image") == f.read():
            return []
    return [f"{img} does not hold the current build/Image: run `make qemu-test-deps`"]


def check_uboot_path(log):
    """Evidence that U-Boot's distro boot, not anything else, ran the kernel."""
    problems = []
    want = ["Hit any key to stop autoboot",
            "Found U-Boot script /boot.scr",
            "pagoda: loading /Image from virtio 0:1",
            f"Moving Image from 0x{KERNEL_ADDR_R:x} to 0x{IMAGE_PA:x}"]
    problems += [f"no {w!r} in the U-Boot log" for w in want if w not in log]
    if f"kernel at 0x{IMAGE_PA:x}" not in log:
        problems.append(f"the kernel did not report itself at 0x{IMAGE_PA:x}")
    # booti passes fdtcontroladdr; the kernel must see that very tree.
    ub = re.search(r"^## Flattened Device Tree blob at ([0-9a-f]+)$", log, re.M)
    k = re.search(r"DTB at 0x([0-9a-f]+)", log)
    if not ub or not k or int(ub.group(1), 16) != int(k.group(1), 16):
        problems.append(f"DTB: U-Boot passed {ub.group(1) if ub else '?'}, "
                        f"the kernel got {k.group(1) if k else '?'}")
    return problems


def case_boot(run, name, bios, mem, want_arg1=None):
    """OpenSBI @bios -> U-Boot -> boot.scr -> booti: the normal boot checks."""
    def fn(tmp):
        disk = os.path.join(run.B, "uboot", "disk.img")
        problems = missing(run, disk, UBOOT, *([bios] if bios != "default" else []))
        if problems:
            return problems
        problems = stale(run, disk)
        if problems:
            return problems
        status, log = run.qemu(smp=4, mem=mem, kernel=UBOOT, bios=bios, extra=disk_args(disk),
                               append=run.SELFTESTS_ON)
        problems = run.check_boot_ok(status, log, 4)
        problems += run.check_memmap(log, run.RAM_BASE, run.mem_bytes(mem))
        problems += check_uboot_path(log)
        if "Domain0 Next Address      : 0x0000000080200000" not in log:
            problems.append("OpenSBI did not jump to U-Boot at 0x80200000")
        if want_arg1 is not None and \
                f"Domain0 Next Arg1         : 0x{want_arg1:016x}" not in log:
            problems.append(f"OpenSBI's next-stage DTB is not at 0x{want_arg1:x}: "
                            "not the firmware asked for")
        return problems
    return (f"uboot: booti from a virtio disk, OpenSBI {name}, mem={mem}", fn)


def case_refused(run, what, disk_name, uboot_msg):
    """A broken Image: U-Boot's booti refuses it with @uboot_msg, the script
    says so, distro boot gives up and U-Boot reaches its prompt (where a
    board owner would type). The kernel never runs."""
    def fn(tmp):
        disk = os.path.join(run.B, "uboot", disk_name)
        problems = missing(run, disk, UBOOT)
        if problems:
            return problems
        refused = "pagoda: booti refused /Image"
        r = run.boot(smp=2, mem="256M", kernel=UBOOT, extra=disk_args(disk),
                     stop_re=re.escape(refused) + r"[\s\S]*^=> ")
        log = r.log
        if r.how != "stop":
            return [f"U-Boot did not refuse and return to its prompt ({r.how}); "
                    f"log ends: {run.tail(log)}"]
        problems = []
        if uboot_msg not in log:
            problems.append(f"no U-Boot message {uboot_msg!r}; log ends: {run.tail(log)}")
        elif log.index(uboot_msg) > log.index(refused):
            problems.append("the script's refusal line came before U-Boot's reason")
        if "Pagoda: boot hart" in log or "Starting kernel" in log:
            problems.append("U-Boot started the broken Image")
        return problems
    return (f"uboot: booti refuses an Image with {what}", fn)


def mtools_read(img, name):
    p = subprocess.run(["mtype", "-i", f"{img}@@{PART_START * 512}", f"::{name}"],
                       capture_output=True)
    return p.stdout if p.returncode == 0 else None


def case_sdimage(run):
    """build/pagoda-vf2-sd.img: one bootable FAT16 partition at 1 MiB with
    exactly Image (the build's, header valid) and boot.scr (the one the QEMU
    cases boot with, a U-Boot script image)."""
    def fn(tmp):
        img = os.path.join(run.B, "pagoda-vf2-sd.img")
        scr = os.path.join(run.B, "uboot", "boot.scr")
        problems = missing(run, img, scr)
        if problems:
            return problems
        dump = subprocess.run(["sfdisk", "-d", img], capture_output=True, text=True).stdout
        parts = re.findall(r"^\S+ : start=\s*(\d+), size=\s*(\d+), type=(\w+)(, bootable)?$",
                           dump, re.M)
        if "label: dos" not in dump or len(parts) != 1:
            return [f"partition table is not one MBR partition: {dump!r}"]
        start, size, ptype, boot = parts[0]
        if int(start) != PART_START or ptype != "e" or not boot or \
                (int(start) + int(size)) * 512 != os.path.getsize(img):
            problems.append(f"partition start={start} size={size} type={ptype} "
                            f"bootable={bool(boot)}; want {PART_START}, to the end, e, bootable")
        info = subprocess.run(["minfo", "-i", f"{img}@@{PART_START * 512}", "::"],
                              capture_output=True, text=True).stdout
        if 'disk type="FAT16' not in info:
            problems.append("the partition is not FAT16")
        names = subprocess.run(["mdir", "-b", "-i", f"{img}@@{PART_START * 512}", "::"],
                               capture_output=True, text=True).stdout.split()
        if sorted(n.rsplit("/", 1)[-1] for n in names) != ["Image", "boot.scr"]:
            problems.append(f"files {names}, want Image and boot.scr")
        with open(scr, "rb") as f:
            script = f.read()
        problems += stale(run, img)
        if mtools_read(img, "boot.scr") != script:
            problems.append("boot.scr on the card differs from the one the QEMU cases boot")
        # A legacy U-Boot image of type script (6) for RISC-V (26): what
        # distro boot's `source` accepts.
        if len(script) < 64 or script[:4] != b"\x27\x05\x19\x56" or \
                script[29] != 26 or script[30] != 6:
            problems.append("boot.scr is not a RISC-V U-Boot script image")
        return problems
    return ("uboot: vf2 sd image: partition table and files", fn)


def cases(run):
    fw = lambda name: os.path.join(OPENSBI, name)
    return [
        case_boot(run, "default (-bios default)", "default", "512M"),
        case_boot(run, "fw_jump.bin", fw("fw_jump.bin"), "1G", want_arg1=FW_JUMP_FDT),
        case_boot(run, "fw_dynamic.bin", fw("fw_dynamic.bin"), "2G"),
        case_refused(run, "a wrong magic2", "disk-bad-magic2.img",
                     "Bad Linux RISCV Image magic!"),
        case_refused(run, "image_size 0", "disk-bad-size0.img",
                     "Image lacks image_size field, error!"),
        case_sdimage(run),
    ]
