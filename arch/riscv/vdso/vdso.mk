# The vDSO image, included by the top Makefile (which defines B, KB, KCC,
# KCFLAGS). Its objects are built position-independent into $(B)/vdso,
# linked with the binutils that make shared objects (riscv64-linux-gnu-ld:
# the bare-metal ld cannot), stripped, and embedded by image.S. The link
# must leave no relocation behind (the image is mapped as it is), and
# vdso-offsets.h gives the kernel each entry point's offset in the image.
#   $(B)/vdso/vdso.so.dbg   the image with its symbols (for gdb)
#   $(B)/vdso/vdso.so       what the kernel embeds
#   $(B)/vdso/vdso-offsets.h   #define VDSO_SYM_<name> <offset>

VB       := $(B)/vdso
VDSO_LD  := riscv64-linux-gnu-ld
VDSO_SRC := arch/riscv/vdso/time.c arch/riscv/vdso/syscalls.S
VDSO_OBJ := $(patsubst arch/riscv/vdso/%,$(VB)/%.o,$(VDSO_SRC))
# The kernel's flags, less what makes code position-dependent, plus -fPIC;
# no frame pointer: the entry points are leaves, and unwinders read .eh_frame.
VDSO_CFLAGS = $(filter-out -fno-pie -ffunction-sections -fdata-sections -fno-omit-frame-pointer,\
	$(KCFLAGS)) -fPIC -fomit-frame-pointer -fno-jump-tables -fasynchronous-unwind-tables

$(VB)/%.c.o: arch/riscv/vdso/%.c arch/riscv/vdso/vdso.mk | $(LINUX)/.stamp
	@mkdir -p $(dir $@)
	@echo "  VDSOCC  $<"
	@$(KCC) $(VDSO_CFLAGS) -c $< -o $@
$(VB)/%.S.o: arch/riscv/vdso/%.S arch/riscv/vdso/vdso.mk | $(LINUX)/.stamp
	@mkdir -p $(dir $@)
	@echo "  VDSOAS  $<"
	@$(KCC) $(VDSO_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(VB)/vdso.lds: arch/riscv/vdso/vdso.lds.S include/pagoda/vdso.h | $(B)/.deps
	@mkdir -p $(dir $@)
	@$(KCC) -E -P -x c -D__ASSEMBLY__ -Iinclude $< -o $@
$(VB)/vdso.so.dbg: $(VB)/vdso.lds $(VDSO_OBJ)
	@echo "  VDSOLD  $@"
	@$(VDSO_LD) -shared -soname=linux-vdso.so.1 --hash-style=both --eh-frame-hdr \
		-z max-page-size=4096 -z noexecstack -T $(VB)/vdso.lds -o $@ $(VDSO_OBJ)
	@! $(OBJDUMP) -R $@ 2>/dev/null | grep -q R_RISCV || \
		{ echo "vdso: the image needs relocations" >&2; rm -f $@; exit 1; }
$(VB)/vdso.so: $(VB)/vdso.so.dbg
	@$(OBJCOPY) -S $< $@
$(VB)/vdso-offsets.h: $(VB)/vdso.so.dbg
	@$(NM) $< | sed -n 's/^\([0-9a-f]*\) T __vdso_\(.*\)$$/#define VDSO_SYM_\2 0x\1ul/p' > $@

$(KB)/arch/riscv/vdso/image.o: $(VB)/vdso.so
$(KB)/arch/riscv/vdso/image.o: KASFLAGS += -DVDSO_SO='"$(VB)/vdso.so"'
$(KB)/kernel/vdso.o: $(VB)/vdso-offsets.h
$(KB)/kernel/vdso.o: KCFLAGS += -I$(VB)
