# User programs, included by the top Makefile (which defines B and CROSS).
#   make user       everything below
#   $(B)/user/libc.a, $(B)/user/crt0.o   our libc (user/libc, user/include)
#   $(B)/user/NAME           user/progs/NAME.c: static, our libc, libgcc,
#                            and $(B)/user/obj/progs/NAME_asm.o if it has one
#   $(B)/user-native/NAME    the same source for the build host (gcc, glibc),
#                            for the programs in USER_NATIVE that exist
#   $(B)/user/NAME-glibc     user/glibc/NAME_glibc.c, static riscv64 glibc
#   $(B)/user/proc_conform   user/glibc/proc_conform.c, the same way: processes
#   $(B)/user/proc_child     checked against Linux, and the program it executes
# USER_PROGS lists $(B)/user/NAME for every user/progs/NAME.c.

UB          := $(B)/user
UNB         := $(B)/user-native
UCC         := $(CROSS)gcc
UAR         := $(CROSS)ar
UGLIBC_CC   := riscv64-linux-gnu-gcc

UARCH       := -march=rv64imac_zicsr -mabi=lp64
UWARN       := -Wall -Wextra -Werror
UCFLAGS     := -std=gnu11 -O2 -g $(UARCH) -static -nostdlib -ffreestanding \
	-fno-stack-protector -fno-pie -ffunction-sections -fdata-sections \
	$(UWARN) -Iuser/include -MMD -MP
# The libc itself: no builtins, and no loops turned into memset/memcpy calls
# (which would recurse into the functions being defined).
ULIBC_CFLAGS := $(UCFLAGS) -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-strict-aliasing
# libgcc of the rv64imac/lp64 multilib; the name must be asked without
# _zicsr, which GCC 12's multilib matching does not know. Asked when a link
# first needs it, after scripts/deps.sh (see KCC_INCLUDE in the Makefile).
ULIBGCC     = $(eval ULIBGCC := $$(shell $$(UCC) -march=rv64imac -mabi=lp64 \
	-print-libgcc-file-name 2>/dev/null))$(ULIBGCC)
ULDFLAGS    := $(UARCH) -static -nostdlib -Wl,--gc-sections -Wl,-e,_start
NATIVE_CFLAGS := -std=gnu11 -O2 -g $(UWARN) -MMD -MP

ULIBC_SRCS  := $(wildcard user/libc/*.c)
ULIBC_OBJS  := $(patsubst user/libc/%.c,$(UB)/obj/libc/%.o,$(ULIBC_SRCS))
USER_PROGS  := $(patsubst user/progs/%.c,$(UB)/%,$(wildcard user/progs/*.c))
USER_NATIVE := conformance stress fuzz mpstress
USER_NATIVE_PROGS := $(patsubst user/progs/%.c,$(UNB)/%,\
	$(wildcard $(USER_NATIVE:%=user/progs/%.c)))
UGLIBC_CFLAGS := -static -O2 -g $(UWARN) -MMD -MP
UGLIBC_PROC := $(UB)/proc_conform $(UB)/proc_child
USER_GLIBC  := $(patsubst user/glibc/%_glibc.c,$(UB)/%-glibc,$(wildcard user/glibc/*_glibc.c)) \
	$(UGLIBC_PROC)

.PHONY: user
user: $(USER_PROGS) $(USER_NATIVE_PROGS) $(USER_GLIBC)

$(UB)/obj/libc/%.o: user/libc/%.c user/user.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(UCC) $(ULIBC_CFLAGS) -c $< -o $@

$(UB)/crt0.o: user/libc/crt0.S user/user.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(UCC) $(ULIBC_CFLAGS) -c $< -o $@

$(UB)/libc.a: $(ULIBC_OBJS)
	@echo "  UAR     $@"
	@rm -f $@
	@$(UAR) rcs $@ $^

$(UB)/obj/progs/%.o: user/progs/%.c user/user.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(UCC) $(UCFLAGS) -c $< -o $@

$(USER_PROGS): $(UB)/%: $(UB)/obj/progs/%.o $(UB)/crt0.o $(UB)/libc.a
	@echo "  ULD     $@"
	@$(UCC) $(ULDFLAGS) -o $@ $(UB)/crt0.o $< $(filter %_asm.o,$^) \
		-Wl,--start-group $(UB)/libc.a $(ULIBGCC) -Wl,--end-group

# regcheck's assembly part loads and checks the FP registers: rv64gc code,
# still with the lp64 calling convention, so it links with the libc.
$(UB)/obj/progs/regcheck_asm.o: user/progs/regcheck_asm.S user/user.mk \
		| $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(UCC) $(UCFLAGS) -march=rv64gc -c $< -o $@

$(UB)/regcheck: $(UB)/obj/progs/regcheck_asm.o

$(USER_NATIVE_PROGS): $(UNB)/%: user/progs/%.c user/user.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HCC) $(NATIVE_CFLAGS) -o $@ $<

$(filter %-glibc,$(USER_GLIBC)): $(UB)/%-glibc: user/glibc/%_glibc.c
$(UGLIBC_PROC): $(UB)/%: user/glibc/%.c
$(USER_GLIBC): user/user.mk | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  GLIBCC  $(filter %.c,$^)"
	@$(UGLIBC_CC) $(UGLIBC_CFLAGS) -o $@ $(filter %.c,$^)
