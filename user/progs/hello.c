/*
 * hello: the smallest user program. Prints its pid and arguments, then
 * exits with status atoi(argv[1]) if an argument is given (tests use it to
 * check that the exit status reaches QEMU), else 0.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i;

	printf("hello from pid %d\n", getpid());
	for (i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return argc > 1 ? atoi(argv[1]) : 0;
}
