# U-Boot boot tests and the VisionFive 2 SD card image. Included by the top
# Makefile, which defines B, PYTHON, $(B)/Image and $(B)/.deps.
#   make test-uboot    boot build/Image in QEMU virt through OpenSBI and
#                      Debian's S-mode U-Boot (distro boot -> boot.scr ->
#                      booti), and see U-Boot refuse two broken Images
#   make vf2-sdimage   build/pagoda-vf2-sd.img, to write to an SD card with dd
#                      (docs/visionfive2.md)
#
# Every disk is an MBR with one bootable FAT16 partition holding Image and
# boot.scr (scripts/mkdisk.sh: sfdisk and mtools, no root, no loop mounts).
# boot.scr is scripts/boot.cmd compiled by mkimage; the QEMU disks and the
# SD image carry the very same file.

UBOOTB := $(B)/uboot
UBOOT_DISK_MIB := 32
VF2_SD_MIB := 64

.PHONY: test-uboot vf2-sdimage

$(UBOOTB)/boot.scr: scripts/boot.cmd | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  MKIMAGE $@"
	@mkimage -A riscv -O linux -T script -C none -n "Pagoda boot" -d $< $@ > /dev/null

# Broken Images for U-Boot to refuse (scripts/imagecheck.py refuses both
# too: tests/run.py checks that). Each in its own folder, named Image.
$(UBOOTB)/bad-magic2/Image: $(B)/Image
	@mkdir -p $(dir $@)
	@cp $< $@.tmp
	@printf 'RSC\006' | dd of=$@.tmp bs=1 seek=56 conv=notrunc status=none
	@mv $@.tmp $@
$(UBOOTB)/bad-size0/Image: $(B)/Image
	@mkdir -p $(dir $@)
	@cp $< $@.tmp
	@dd if=/dev/zero of=$@.tmp bs=1 seek=16 count=8 conv=notrunc status=none
	@mv $@.tmp $@

$(UBOOTB)/disk.img: $(B)/Image $(UBOOTB)/boot.scr scripts/mkdisk.sh
	@echo "  DISK    $@"
	@scripts/mkdisk.sh $@ $(UBOOT_DISK_MIB) $(B)/Image $(UBOOTB)/boot.scr
$(UBOOTB)/disk-%.img: $(UBOOTB)/%/Image $(UBOOTB)/boot.scr scripts/mkdisk.sh
	@echo "  DISK    $@"
	@scripts/mkdisk.sh $@ $(UBOOT_DISK_MIB) $(UBOOTB)/$*/Image $(UBOOTB)/boot.scr

# The header is checked again here: nothing unchecked reaches an SD card.
$(B)/pagoda-vf2-sd.img: $(B)/Image $(UBOOTB)/boot.scr scripts/mkdisk.sh scripts/imagecheck.py
	@echo "  SDIMAGE $@"
	@$(PYTHON) scripts/imagecheck.py $(B)/Image
	@scripts/mkdisk.sh $@ $(VF2_SD_MIB) $(B)/Image $(UBOOTB)/boot.scr
vf2-sdimage: $(B)/pagoda-vf2-sd.img
	@echo "write it with: sudo dd if=$(B)/pagoda-vf2-sd.img of=/dev/sdX bs=1M conv=fsync"

qemu-test-deps: $(UBOOTB)/disk.img $(UBOOTB)/disk-bad-magic2.img $(UBOOTB)/disk-bad-size0.img \
	$(B)/pagoda-vf2-sd.img

test-uboot: all qemu-test-deps
	@$(PYTHON) tests/run.py -k uboot
