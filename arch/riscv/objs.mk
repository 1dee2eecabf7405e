# arch/riscv: entry, traps, SBI, SMP, the vDSO image (vdso/vdso.mk builds
# it). early.o runs with the MMU off.
early-y  += arch/riscv/early.o
kernel-y += arch/riscv/head.o arch/riscv/entry.o arch/riscv/probe.o arch/riscv/trap.o \
	arch/riscv/sbi.o arch/riscv/smp.o arch/riscv/fixmap.o arch/riscv/tlb.o \
	arch/riscv/uaccess.o arch/riscv/fpu.o arch/riscv/user.o arch/riscv/switch.o \
	arch/riscv/vdso/image.o
