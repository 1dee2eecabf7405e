# Host unit tests, test device trees, board device trees and dtinfo.
# Included by the top Makefile, which defines B, HB, LINUX, LIBFDT, HCC and
# HCFLAGS (ASan + UBSan).
#   make unit                 build $(HB)/test_*, $(B)/dtb/tests/*.dtb and
#                             $(B)/dtb/boards/*.dtb (tests/run.py runs them)
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
# test_NAME-ldflags, when set, goes on its link line.
unit-tests := test_dt
test_dt-objs := $(HB)/kernel/dt.o $(hlibfdt-objs)

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

define unit-test-rule
$(HB)/$(1): $(HB)/tests/unit/$(1).o $$($(1)-objs)
	@echo "  HOSTLD  $$@"
	@$$(HCC) $$(HLDFLAGS) -o $$@ $$^ $$($(1)-ldflags)
endef
$(foreach t,$(unit-tests),$(eval $(call unit-test-rule,$(t))))

$(HB)/dtinfo: $(HB)/scripts/dtinfo.o $(HB)/kernel/dt.o $(hlibfdt-objs)
	@echo "  HOSTLD  $@"
	@$(HCC) $(HLDFLAGS) -o $@ $^

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
