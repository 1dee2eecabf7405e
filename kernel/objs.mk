# kernel/: boot, log and panic, symbols, timer, uaccess, the syscall table
# and the system's own calls, the vDSO's data page and mapping, the time
# calls behind it; lib/ the C library parts; proc/ processes, exec and the
# ELF loader; fs/ the file table, paths and the initramfs.
kernel-y += kernel/main.o kernel/printk.o kernel/ksyms.o kernel/timer.o kernel/uaccess.o \
	kernel/syscall.o kernel/sys.o kernel/vdso.o kernel/time.o
kernel-y += kernel/lib/string.o kernel/lib/vsprintf.o
kernel-y += kernel/proc/proc.o kernel/proc/exec.o kernel/proc/elf.o kernel/proc/init.o \
	kernel/proc/sched.o kernel/proc/fork.o kernel/proc/wait.o kernel/proc/signal.o \
	kernel/proc/sleep.o kernel/proc/oom.o kernel/proc/futex.o
kernel-y += kernel/fs/fs.o kernel/fs/cpio.o kernel/fs/initramfs.o kernel/fs/initramfs_data.o
