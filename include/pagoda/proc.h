/*
 * proc: a user process. One thread per process; one process runs at a
 * time, on the hart that started it, from the kernel's point of view a
 * call: proc_run() returns when the process has exited.
 *
 * Locking: a process is touched only by the hart running it.
 */
#ifndef PAGODA_PROC_H
#define PAGODA_PROC_H
#include <pagoda/types.h>

struct addr_space;
struct ramfs_file;

/* An open file: a file of the initramfs, or the console (rf == NULL). */
struct file {
	u32 refs;
	u32 flags;                      /* O_ACCMODE bits and O_* it was opened with */
	const struct ramfs_file *rf;
	u64 pos;
};
#define O_ACCMODE   3
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2

#define NR_OPEN 64

struct k_sigaction {
	u64 handler, flags, mask;
};

struct proc {
	int pid;
	char name[32];
	struct addr_space *as;
	struct file *files[NR_OPEN];
	vaddr_t clear_child_tid;
	vaddr_t robust_list;
	u64 robust_len;
	u64 sigmask;
	struct k_sigaction sigactions[64];
	int exit_status;
};

/* The process running on this hart, or NULL in kernel threads. */
struct proc *current_proc(void);

/*
 * Run @path from the initramfs as a new process with @argv and @envp
 * (NULL-terminated) until it exits. 0 with *@status its exit status (0 ..
 * 255, 128 + signal when killed), or a negative errno when it could not be
 * started (-ENOENT, -ENOEXEC, -ENOMEM, -E2BIG) with the reason logged.
 */
int proc_run(const char *path, char *const argv[], char *const envp[], int *status);

/* End the current process with @status; does not return. */
__noreturn void proc_exit(int status);
/* Kill the current process for a fault it cannot survive: one log line
 * (pid, what, address, pc), then proc_exit(128 + @signo). */
__noreturn void proc_kill(int signo, const char *what, vaddr_t addr, vaddr_t pc);

/* kernel/fs.c: the file table. */
int proc_files_init(struct proc *p);            /* fds 0, 1, 2 on the console */
void proc_files_release(struct proc *p);        /* close everything */
struct file *proc_file(struct proc *p, int fd); /* NULL when not open */
struct file *proc_file_io(struct proc *p, int fd); /* NULL too when O_PATH */
#endif
