/*
 * Pagoda libc: POSIX file and process calls, thin wrappers over the Linux
 * riscv64 system calls (-1 and errno on error), and syscall() for the
 * rest. brk is not wrapped: programs call syscall(SYS_brk, addr), which
 * returns the new break (the kernel's raw answer, never -1).
 */
#ifndef _PAGODA_UNISTD_H
#define _PAGODA_UNISTD_H
#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define _SC_CLK_TCK            2
#define _SC_OPEN_MAX           4
#define _SC_PAGESIZE           30
#define _SC_PAGE_SIZE          _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF   83
#define _SC_NPROCESSORS_ONLN   84

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
ssize_t pread(int fd, void *buf, size_t n, off_t off);
int close(int fd);
off_t lseek(int fd, off_t off, int whence);
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
int sched_yield(void);
int getpagesize(void);
pid_t fork(void);
/* The child shares the caller's memory and stack until _exit or execve. */
pid_t vfork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
long sysconf(int name);
/* The raw call: the number, then up to six arguments. */
long syscall(long number, ...);
__attribute__((noreturn)) void _exit(int status);

extern char **environ;

#endif
