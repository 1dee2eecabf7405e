# Pagoda: one top Makefile; each folder lists its objects in objs.mk.
#   make            build build/kernel.elf, build/Image (+ .asm, .sym)
#   make run        boot in QEMU  [SMP=4] [MEM=512M] [DTB=f.dtb] [QEMU_EXTRA=...]
#                   [MACHINE=virt|sifive_u]
#                   [PROGS="a.elf b.elf"] [INIT="/a.elf arg1"] [APPEND="..."]
#                   (bootargs: APPEND init=/a.elf -- arg1)
#   make test       every test; last line "N passed, M failed, K skipped"
#   make qemu-gdb   boot QEMU stopped, waiting for gdb on :1234
#   make dtinfo DTB=f.dtb   what the kernel would read from a device tree

B       ?= build
KB      := $(B)/kernel
HB      := $(B)/host
LINUX   := build/linux
LIBFDT  := $(LINUX)/scripts/dtc/libfdt

SMP     ?= 4
PROGS   ?=
INIT    ?=
APPEND  ?=
MEM     ?= 512M
DTB     ?=
QEMU_EXTRA ?=
MACHINE ?= virt
PYTHON  ?= python3

CROSS   ?= riscv64-unknown-elf-
KCC     := $(CROSS)gcc
KLD     := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
NM      := $(CROSS)nm

# The compiler's own headers (stdarg.h, stdint.h). Asked of the compiler
# when a recipe first needs them, then kept: on a fresh machine the
# compiler exists only once scripts/deps.sh has run, after the Makefile is
# read, so nothing that runs it may be expanded while reading (hence = and
# not := for every variable that uses it).
KCC_INCLUDE = $(eval KCC_INCLUDE := $$(shell $$(KCC) -print-file-name=include))$(KCC_INCLUDE)
KCFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-ffreestanding -fno-builtin -nostdinc -fno-stack-protector -fno-pie \
	-fno-omit-frame-pointer -fno-common -fno-strict-aliasing \
	-ffunction-sections -fdata-sections -fno-optimize-sibling-calls \
	-isystem $(KCC_INCLUDE) \
	-Iinclude -Iarch/riscv/include -Iinclude/libc -I$(LIBFDT) -D__KERNEL__ -MMD -MP
# make KMEM_POISON=1: poison free kmalloc objects, check them on reuse.
ifeq ($(KMEM_POISON),1)
KCFLAGS += -DKMEM_POISON=1
endif
# Code that runs with the MMU off, at the physical load address: only
# PC-relative references, no tables of absolute addresses.
KCFLAGS_EARLY := -fno-jump-tables -fno-tree-switch-conversion
KASFLAGS = $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__

HCC     := gcc
HCFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude -I$(LIBFDT) -MMD -MP

kernel-y :=
early-y  :=
include arch/riscv/objs.mk kernel/objs.mk mm/objs.mk drivers/objs.mk tests/kernel/objs.mk

LIBFDT_SRCS := fdt.c fdt_ro.c fdt_addresses.c fdt_strerror.c
libfdt-kobjs := $(addprefix $(KB)/libfdt/,$(LIBFDT_SRCS:.c=.o))
kobjs := $(addprefix $(KB)/,$(kernel-y)) $(libfdt-kobjs)
eobjs := $(addprefix $(KB)/,$(early-y))

.PHONY: all deps run test qemu-gdb clean unit dtinfo bench
all: $(B)/Image $(B)/kernel.asm

# ---- Debian packages and the pieces of linux-source-6.12 ----------------
$(B)/.deps: scripts/deps.sh
	@mkdir -p $(B)
	@scripts/deps.sh
	@touch $@
deps: $(B)/.deps

$(LINUX)/.stamp: scripts/linux-src.sh | $(B)/.deps
	@echo "  EXTRACT libfdt, dts from linux-source-6.12"
	@scripts/linux-src.sh $(LINUX)

# Everything compiled needs the packages and libfdt's headers first.
$(kobjs) $(eobjs): Makefile | $(LINUX)/.stamp

# ---- kernel ---------------------------------------------------------------
$(KB)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@
$(KB)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KCC) $(KASFLAGS) -c $< -o $@
$(eobjs): KCFLAGS += $(KCFLAGS_EARLY)
$(KB)/libfdt/%.o: $(LINUX)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      libfdt/$*.c"
	@$(KCC) $(KCFLAGS) -Wno-sign-compare -c $(LIBFDT)/$*.c -o $@

LDS := arch/riscv/kernel.ld
# Two links: the first finds the text symbols, the second embeds them
# (kernel/ksyms) for symbolized backtraces. The table lies after all text,
# so text addresses are the same in both links; the build checks it.
$(KB)/kernel.pass1.elf: $(kobjs) $(eobjs) $(LDS) $(KB)/ksyms-empty.o
	@echo "  LD      $@"
	@$(KLD) -T $(LDS) --no-relax --gc-sections -o $@ $(eobjs) $(kobjs) $(KB)/ksyms-empty.o
$(KB)/ksyms-empty.S: | $(B)/.deps
	@mkdir -p $(dir $@)
	@$(PYTHON) scripts/ksyms.py --empty > $@
$(KB)/ksyms.S: $(KB)/kernel.pass1.elf scripts/ksyms.py
	@$(NM) -n $< | $(PYTHON) scripts/ksyms.py > $@
$(B)/kernel.elf: $(kobjs) $(eobjs) $(LDS) $(KB)/ksyms.o
	@echo "  LD      $@"
	@$(KLD) -T $(LDS) --no-relax --gc-sections -o $@ $(eobjs) $(kobjs) $(KB)/ksyms.o
	@$(NM) -n $(KB)/kernel.pass1.elf | grep -i ' t ' > $(KB)/t1.sym
	@$(NM) -n $@ | grep -i ' t ' > $(KB)/t2.sym
	@cmp -s $(KB)/t1.sym $(KB)/t2.sym || { echo "ksyms: text moved between links" >&2; rm -f $@; exit 1; }
$(KB)/ksyms.o $(KB)/ksyms-empty.o: $(KB)/%.o: $(KB)/%.S
	@$(KCC) $(KASFLAGS) -c $< -o $@
$(B)/kernel.sym: $(B)/kernel.elf
	@$(NM) -n $< > $@
$(B)/kernel.asm: $(B)/kernel.elf $(B)/kernel.sym
	@$(OBJDUMP) -d -S $< > $@
# ---- the vDSO image, embedded by arch/riscv/vdso/image.S --------------------
include arch/riscv/vdso/vdso.mk
# ---- user programs and the initramfs ---------------------------------------
include user/user.mk
# The embedded archive: every program of user/progs at /NAME, /init the demo.
INITRAMFS := $(B)/initramfs.cpio
$(INITRAMFS): $(USER_PROGS) scripts/mkcpio.py
	@echo "  CPIO    $@"
	@$(PYTHON) scripts/mkcpio.py $@ $(foreach p,$(USER_PROGS),/$(notdir $(p))=$(p))
$(KB)/kernel/fs/initramfs_data.o: $(INITRAMFS)
$(KB)/kernel/fs/initramfs_data.o: KASFLAGS += -DINITRAMFS_CPIO='"$(INITRAMFS)"'

$(B)/Image: $(B)/kernel.elf scripts/imagecheck.py
	@echo "  IMAGE   $@"
	@$(OBJCOPY) -O binary $< $@
	@$(PYTHON) scripts/imagecheck.py $@

# ---- running --------------------------------------------------------------
# PROGS: the user's static programs go into an initramfs passed the way a
# bootloader does (-initrd: /chosen linux,initrd-*), next to ours, each at
# /NAME. INIT: the program to run and its arguments.
RUN_CPIO := $(B)/run-initramfs.cpio
# The kernel's options (APPEND) come first: everything after "--" is init's.
INIT_ARGS := $(wordlist 2,999,$(INIT))
# sifive_u's firmware cannot shut down: a reset ends QEMU (-no-reboot).
MACHINE_APPEND := $(if $(filter sifive_u,$(MACHINE)),pagoda.poweroff=reboot)
RUN_APPEND := $(strip $(MACHINE_APPEND) $(APPEND) $(if $(INIT),init=$(firstword $(INIT))) \
	$(if $(INIT_ARGS),-- $(INIT_ARGS)))
# The Makefile's one QEMU line (the tests build theirs in tests/run.py,
# qemu_args()): OpenSBI, serial on the terminal, no reboot, build/Image.
QEMU_BASE = qemu-system-riscv64 -bios default -nographic -no-reboot -kernel $(B)/Image
QEMU_ARGS = $(QEMU_BASE) -machine $(MACHINE) -smp $(SMP) -m $(MEM) $(if $(DTB),-dtb $(DTB)) \
	$(if $(PROGS),-initrd $(RUN_CPIO)) $(if $(RUN_APPEND),-append "$(RUN_APPEND)") $(QEMU_EXTRA)
.PHONY: FORCE
$(RUN_CPIO): $(USER_PROGS) scripts/mkcpio.py FORCE
	@$(PYTHON) scripts/mkcpio.py $@ $(foreach p,$(USER_PROGS) $(PROGS),/$(notdir $(p))=$(p))
run: all $(if $(PROGS),$(RUN_CPIO))
	$(QEMU_ARGS)
qemu-gdb: all
	@echo "gdb-multiarch $(B)/kernel.elf -ex 'target remote :1234'"
	$(QEMU_ARGS) -S -gdb tcp::1234

# ---- tests ----------------------------------------------------------------
-include tests/unit/unit.mk
include tests/qemu/qemu.mk
-include tests/qemu/uboot.mk
.PHONY: qemu-test-deps
test: all unit user qemu-test-deps
	@$(PYTHON) tests/run.py

# Guest instructions per operation: exact under -icount, one hart.
BENCH_QEMU = $(QEMU_BASE) -machine virt -m 4G -icount shift=0,sleep=off
bench: all
	@$(BENCH_QEMU) -smp 1 -append pagoda.bench=1 | tr -d '\r' | \
		grep -E '^bench ' || { echo "bench: no results" >&2; exit 1; }
	@$(BENCH_QEMU) -smp 1 -append init=/bench | tr -d '\r' | \
		grep -E '^bench user_' | grep -v user_done || { echo "bench: no user results" >&2; exit 1; }

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
