/*
 * Pagoda libc: from the initial stack to main. Reads argc, argv, envp and
 * the auxiliary vector, then exits with main's return value.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "internal.h"

/* Defined by the program; called with the SysV arguments whatever its own
 * prototype says (int main(void) is fine on this ABI). */
int main(int argc, char **argv, char **envp);

char **environ;
unsigned long *__auxv;

__attribute__((noreturn, used)) void __libc_start(long *sp);

/* @sp: the initial stack, sp[0] = argc. */
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	environ = envp;
	__auxv = (unsigned long *)(p + 1);
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	errno = ENOENT;
	return 0;
}
