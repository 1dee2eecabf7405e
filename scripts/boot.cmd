# Pagoda's U-Boot boot script, compiled to boot.scr by tests/qemu/uboot.mk
# (mkimage -T script). The same boot.scr goes on the QEMU test disk and on
# the VisionFive 2 SD card image.
#
# U-Boot's distro boot finds this script on a partition and runs it with
# devtype, devnum, distro_bootpart and prefix naming where it was found;
# the kernel, Image, lies beside it. booti checks the Image header, moves
# the image to RAM base + text_offset and enters it with a0 = hart id and
# a1 = U-Boot's own device tree (fdtcontroladdr), MMU off.
echo "pagoda: loading ${prefix}Image from ${devtype} ${devnum}:${distro_bootpart}"
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}Image; then
	booti ${kernel_addr_r} - ${fdtcontroladdr}
	echo "pagoda: booti refused ${prefix}Image (reason above); scripts/imagecheck.py checks an Image before it is copied"
else
	echo "pagoda: cannot read ${prefix}Image from ${devtype} ${devnum}:${distro_bootpart}"
fi
