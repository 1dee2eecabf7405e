kernel-y += kernel/main.o kernel/printk.o kernel/ksyms.o kernel/timer.o \
	kernel/selftest.o kernel/selftest_mm.o kernel/selftest_paging.o kernel/bench.o kernel/lib/string.o kernel/lib/vsprintf.o
kernel-y += kernel/uaccess.o kernel/syscall.o kernel/proc.o kernel/exec.o
kernel-y += kernel/init.o kernel/initramfs_data.o
kernel-y += kernel/fs.o kernel/sys_misc.o
kernel-y += kernel/elf.o kernel/cpio.o kernel/initramfs.o
