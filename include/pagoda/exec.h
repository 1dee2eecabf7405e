/*
 * exec: load a static ELF executable of the initramfs into an empty,
 * active address space and describe its first instruction.
 */
#ifndef PAGODA_EXEC_H
#define PAGODA_EXEC_H
#include <pagoda/types.h>

struct addr_space;
struct ramfs_file;
struct trapframe;

#define MAX_ARG_STRLEN  (32 * 4096ul)   /* one string, with its NUL (Linux) */
#define PIE_BASE        0x2aaaaab000ul  /* static-PIE load address, like Linux's 2/3 */

/*
 * Map @rf's segments (lazily, from the file) and bss, the stack with argv,
 * envp and auxv, and set the program break. @as must be @this hart's
 * active space. Fills @tf for arch_user_run. 0, or -ENOEXEC / -E2BIG /
 * -ENOMEM / -EFAULT with a one-line *@reason.
 */
int exec_load(struct addr_space *as, const struct ramfs_file *rf, const char *path,
	      char *const argv[], char *const envp[], struct trapframe *tf,
	      const char **reason);
#endif
