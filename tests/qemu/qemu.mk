# Helpers for the QEMU tests: stand-in bootloaders built from
# tests/qemu/dtbstub.S (see there), loaded by QEMU as the "kernel".
STUB_IMAGE_ADDR := 0x80400000
STUB_DTB_ADDR   := 0x84000000
STUB_CFLAGS := -nostdlib -march=rv64imac_zicsr_zifencei -mabi=lp64 \
	-DSTUB_IMAGE_ADDR=$(STUB_IMAGE_ADDR) -Wl,-Ttext=0x80200000

$(B)/tests/dtbstub.bin: STUB_DEFS := -DSTUB_DTB_ADDR=$(STUB_DTB_ADDR)
$(B)/tests/racestub.bin: STUB_DEFS := -DSTUB_RACE
$(B)/tests/dtbstub.bin $(B)/tests/racestub.bin: tests/qemu/dtbstub.S | $(B)/.deps
	@mkdir -p $(dir $@)
	@$(KCC) $(STUB_CFLAGS) $(STUB_DEFS) -o $(@:.bin=.elf) $<
	@$(OBJCOPY) -O binary $(@:.bin=.elf) $@
qemu-test-deps: $(B)/tests/dtbstub.bin $(B)/tests/racestub.bin

# The same kernel built with KMEM_POISON=1, for the use-after-free test.
# It shares build/linux: that is extracted first, never by two makes at once.
.PHONY: poison-kernel
poison-kernel: | $(LINUX)/.stamp
	@$(MAKE) --no-print-directory B=$(B)/poison KMEM_POISON=1 $(B)/poison/Image
ifneq ($(KMEM_POISON),1)
qemu-test-deps: poison-kernel
endif
