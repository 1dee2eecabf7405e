kernel-y += kernel/main.o kernel/printk.o kernel/ksyms.o kernel/timer.o \
	kernel/selftest.o kernel/selftest_mm.o kernel/selftest_paging.o kernel/bench.o kernel/dt.o kernel/lib/string.o
