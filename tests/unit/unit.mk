# Host unit tests, test device trees, board device trees and dtinfo.
# Included by the top Makefile, which defines B, HB, LINUX, LIBFDT, HCC and
# HCFLAGS (ASan + UBSan).
#   make unit                 build $(HB)/test_*, $(B)/dtb/tests/*.dtb,
#                             $(B)/dtb/boards/*.dtb and the ELF and cpio
#                             files under $(HB)/data (tests/run.py runs them)
#   make dtinfo DTB=f.dtb     what the kernel's dt module reads from f.dtb
#
# Host code links the libfdt built here from linux-source-6.12, never the
# distribution's libfdt, so host tests run the very libfdt the kernel runs.

STARFIVE_DTS := $(LINUX)/arch/riscv/boot/dts/starfive
HLDFLAGS := $(filter-out -MMD -MP,$(HCFLAGS))

# libfdt for the host; rw/sw/wip let tests build and edit trees.
HLIBFDT_SRCS := fdt.c fdt_ro.c fdt_addresses.c fdt_strerror.c fdt_rw.c fdt_sw.c fdt_wip.c
hlibfdt-objs := $(addprefix $(HB)/libfdt/,$(HLIBFDT_SRCS:.c=.o))

# One host test per tests/unit/test_NAME.c; its extra objects in test_NAME-objs.
# test_NAME-ldflags, when set, goes on its link line. Every test links the
# shared harness (tests/unit/harness.c: case lines, the filter, the PRNG).
unit-tests := test_dt
test_dt-objs := $(HB)/drivers/of/fdt.o $(hlibfdt-objs)

# The mm tests build mm/buddy.c and mm/slab.c unchanged over the host shim in
# tests/unit/host (asm/cpu.h, harts, panic, page_va): its headers come first.
# test_slab wraps buddy_alloc to inject allocation failures.
unit-tests += test_buddy test_slab
mm-host-objs := $(HB)/mm/buddy.o $(HB)/tests/unit/host/host.o
test_buddy-objs := $(mm-host-objs)
test_slab-objs := $(mm-host-objs) $(HB)/mm/slab.o
test_slab-ldflags := -Wl,--wrap=buddy_alloc
$(HB)/mm/buddy.o $(HB)/mm/slab.o $(HB)/tests/unit/host/host.o \
$(HB)/tests/unit/test_buddy.o $(HB)/tests/unit/test_slab.o: \
	private HCFLAGS := -Itests/unit/host $(HCFLAGS)

# test_pagemapper builds mm/pagemapper.c unchanged. asm/pte.h is plain C
# and comes from arch/riscv/include, searched last, so the host asm/cpu.h
# and asm/tlb.h (no inline asm; arch_tlb_flush recorded) win over the arch's.
unit-tests += test_pagemapper
test_pagemapper-objs := $(mm-host-objs) $(HB)/mm/pagemapper.o
$(HB)/mm/pagemapper.o $(HB)/tests/unit/test_pagemapper.o: \
	private HCFLAGS := -Itests/unit/host $(HCFLAGS) -Iarch/riscv/include

# test_vma: the VMA tree (mm/vma.c) is plain C with no kernel dependencies.
unit-tests += test_vma
test_vma-objs := $(HB)/mm/vma.o

# test_elf: kernel/proc/elf.c over real executables built here from
# tests/unit/data/hello.c in several ways, each next to its `readelf -hlW`
# listing, which the test reads as the expected answer. The test finds
# them under $(HB)/data (run from the top of the tree, as tests/run.py does).
unit-tests += test_elf
test_elf-objs := $(HB)/kernel/proc/elf.o
UNIT_DATA := $(HB)/data
elf-bins := exec-nostdlib exec-64k exec-glibc exec-sepcode pie-nostdlib dyn-glibc
elf-data := $(foreach b,$(elf-bins),$(UNIT_DATA)/elf/$(b) $(UNIT_DATA)/elf/$(b).readelf)
RV_ELF_CC := riscv64-unknown-elf-gcc
RV_LNX_CC := riscv64-linux-gnu-gcc
$(UNIT_DATA)/elf/exec-nostdlib: elf-cc := $(RV_ELF_CC) -nostdlib -static -DNOSTDLIB
$(UNIT_DATA)/elf/exec-64k: elf-cc := $(RV_ELF_CC) -nostdlib -static -DNOSTDLIB \
	-Wl,-z,max-page-size=0x10000
$(UNIT_DATA)/elf/exec-glibc: elf-cc := $(RV_LNX_CC) -static
$(UNIT_DATA)/elf/exec-sepcode: elf-cc := $(RV_LNX_CC) -static -Wl,-z,separate-code
$(UNIT_DATA)/elf/pie-nostdlib: elf-cc := $(RV_LNX_CC) -nostdlib -fPIE -static-pie \
	-Wl,--no-dynamic-linker -DNOSTDLIB
$(UNIT_DATA)/elf/dyn-glibc: elf-cc := $(RV_LNX_CC)

# test_cpio: kernel/fs/cpio.c and kernel/fs/initramfs.c (with a malloc-backed
# kmalloc of its own) over archives written by scripts/mkcpio.py and by GNU
# cpio (a package of scripts/deps.sh; without it the cases that need it
# are counted as skipped). The files archived are made here, with every
# size mod 4.
unit-tests += test_cpio
test_cpio-objs := $(HB)/kernel/fs/cpio.o $(HB)/kernel/fs/initramfs.o
$(HB)/kernel/fs/initramfs.o: private HCFLAGS := -Itests/unit/host $(HCFLAGS)
$(HB)/tests/unit/test_cpio.o: \
	private HCFLAGS := -Itests/unit/host $(HCFLAGS) -DUNIT_DATA='"$(UNIT_DATA)"'
$(HB)/tests/unit/test_elf.o: private HCFLAGS := $(HCFLAGS) -DUNIT_DATA='"$(UNIT_DATA)"'
cpio-tree := $(UNIT_DATA)/cpio/tree
cpio-data := $(UNIT_DATA)/cpio/mkcpio.cpio $(UNIT_DATA)/cpio/gnu.cpio

unit: $(elf-data) $(cpio-data)

# test_fs: the syscalls of kernel/fs/fs.c, kernel/sys.c and the signal
# calls of kernel/proc/signal.c, built
# unchanged over tests/unit/host/sys_host.c (simulated user memory, console,
# kmalloc, timer, exits) and an archive the test builds, read by
# kernel/fs/initramfs.c. The headers of tests/unit/host/sys (asm/cpu.h,
# string.h) come first; asm/layout.h and asm/pte.h from the arch, last.
unit-tests += test_fs
test_fs-objs := $(HB)/kernel/fs/fs.o $(HB)/kernel/sys.o $(HB)/kernel/proc/signal.o \
	$(HB)/kernel/fs/initramfs.o $(HB)/kernel/fs/cpio.o $(HB)/tests/unit/host/sys_host.o
$(HB)/kernel/fs/fs.o $(HB)/kernel/sys.o $(HB)/kernel/proc/signal.o $(HB)/tests/unit/host/sys_host.o \
$(HB)/tests/unit/test_fs.o: \
	private HCFLAGS := -Itests/unit/host/sys $(HCFLAGS) -Iarch/riscv/include

test-dtbs := $(patsubst dts/tests/%.dts,$(B)/dtb/tests/%.dtb,$(wildcard dts/tests/*.dts))
boards := jh7110-starfive-visionfive-2-v1.3b jh7110-starfive-visionfive-2-v1.2a \
	jh7110-milkv-mars jh7110-pine64-star64
board-dtbs := $(addprefix $(B)/dtb/boards/,$(addsuffix .dtb,$(boards)))

unit: $(addprefix $(HB)/,$(unit-tests)) $(HB)/dtinfo $(test-dtbs) $(board-dtbs)

dtinfo: $(HB)/dtinfo
	@if [ -z "$(DTB)" ]; then echo "usage: make dtinfo DTB=file.dtb" >&2; exit 2; fi
	@$(HB)/dtinfo $(DTB)

# ---- compiling and linking -----------------------------------------------
$(HB)/libfdt/%.o: $(LINUX)/.stamp | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  libfdt/$*.c"
	@$(HCC) $(HCFLAGS) -Wno-sign-compare -c $(LIBFDT)/$*.c -o $@

$(HB)/%.o: %.c $(LINUX)/.stamp | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HCC) $(HCFLAGS) -c $< -o $@

unit-harness := $(HB)/tests/unit/harness.o
define unit-test-rule
$(HB)/$(1): $(HB)/tests/unit/$(1).o $$($(1)-objs) $(unit-harness)
	@echo "  HOSTLD  $$@"
	@$$(HCC) $$(HLDFLAGS) -o $$@ $$^ $$($(1)-ldflags)
endef
$(foreach t,$(unit-tests),$(eval $(call unit-test-rule,$(t))))

$(HB)/dtinfo: $(HB)/scripts/dtinfo.o $(HB)/drivers/of/fdt.o $(hlibfdt-objs)
	@echo "  HOSTLD  $@"
	@$(HCC) $(HLDFLAGS) -o $@ $^

# ---- test data ---------------------------------------------------------------
$(addprefix $(UNIT_DATA)/elf/,$(elf-bins)): $(UNIT_DATA)/elf/%: tests/unit/data/hello.c \
		tests/unit/unit.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  RVCC    $@"
	@$(elf-cc) -O2 -o $@ $<

$(UNIT_DATA)/elf/%.readelf: $(UNIT_DATA)/elf/%
	@riscv64-unknown-elf-readelf -hlW $< > $@

# The tree both archivers read: sizes 0 .. 5 bytes and one of 4 KiB + 3.
$(cpio-tree)/.stamp: tests/unit/data/hello.c tests/unit/unit.mk
	@rm -rf $(cpio-tree) && mkdir -p $(cpio-tree)/bin $(cpio-tree)/etc/deep/er
	@cp tests/unit/data/hello.c $(cpio-tree)/init
	@: > $(cpio-tree)/etc/empty
	@printf a > $(cpio-tree)/etc/one
	@printf ab > $(cpio-tree)/etc/two
	@printf abc > $(cpio-tree)/etc/deep/three
	@printf abcd > $(cpio-tree)/etc/deep/er/four
	@printf abcde > $(cpio-tree)/bin/five
	@head -c 4099 /dev/zero | tr '\0' 'z' > $(cpio-tree)/bin/big
	@touch $@

$(UNIT_DATA)/cpio/mkcpio.cpio: $(cpio-tree)/.stamp scripts/mkcpio.py | $(B)/.deps
	@echo "  MKCPIO  $@"
	@$(PYTHON) scripts/mkcpio.py $@ /init=$(cpio-tree)/init \
		etc/empty=$(cpio-tree)/etc/empty ./etc/one=$(cpio-tree)/etc/one \
		etc/two=$(cpio-tree)/etc/two etc/deep/three=$(cpio-tree)/etc/deep/three \
		etc/deep/er/four=$(cpio-tree)/etc/deep/er/four \
		bin/five=$(cpio-tree)/bin/five bin/big=$(cpio-tree)/bin/big

# An empty file when GNU cpio is missing (or too old for --reproducible):
# test_cpio then reports the cases that read it as skipped.
$(UNIT_DATA)/cpio/gnu.cpio: $(cpio-tree)/.stamp | $(B)/.deps
	@if command -v cpio >/dev/null; then \
		echo "  CPIO    $@"; \
		(cd $(cpio-tree) && find . ! -name .stamp | LC_ALL=C sort | \
		 cpio --quiet -o -H newc --reproducible) > $@ || : > $@; \
	else : > $@; fi

# ---- device trees -----------------------------------------------------------
# The malformed test trees trip dtc's checks on purpose: -q keeps it quiet.
$(B)/dtb/tests/%.dtb: dts/tests/%.dts | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	@dtc -q -I dts -O dtb -o $@ $<

# Board trees from linux-source-6.12: C preprocessor for the dt-bindings
# macros, then dtc. The preprocessed text is kept for reading.
$(B)/dtb/boards/%.dtb: $(LINUX)/.stamp | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  DTC     $(STARFIVE_DTS)/$*.dts"
	@cpp -nostdinc -undef -x assembler-with-cpp -I $(LINUX)/include \
		-I $(STARFIVE_DTS) $(STARFIVE_DTS)/$*.dts -o $(@:.dtb=.pp.dts)
	@dtc -q -I dts -O dtb -o $@ $(@:.dtb=.pp.dts)
