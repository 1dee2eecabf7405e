/*
 * crash: dies the way its argument says, so tests can check how the
 * kernel reports and ends a process that faults.
 *   crash null        read address 0                 (SIGSEGV: 139)
 *   crash wtext       write into its own text        (SIGSEGV: 139)
 *   crash execdata    jump into a non-executable page (SIGSEGV: 139)
 *   crash none        read a PROT_NONE page          (SIGSEGV: 139)
 *   crash kernel      read a kernel address          (SIGSEGV: 139)
 *   crash ill         an illegal instruction         (SIGILL: 132)
 *   crash ebreak      a breakpoint                   (SIGTRAP: 133)
 *   crash exit N      exit with status N after the checks above did not run
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile unsigned long sink;

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";

	printf("crash: %s\n", how);
	if (!strcmp(how, "null")) {
		sink = *(volatile unsigned long *)0;
	} else if (!strcmp(how, "wtext")) {
		*(volatile unsigned int *)(void *)main = 0;
	} else if (!strcmp(how, "execdata")) {
		unsigned int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = 0x00008067;      /* ret */
		((void (*)(void))p)();
	} else if (!strcmp(how, "none")) {
		volatile char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		sink = p[0];
	} else if (!strcmp(how, "kernel")) {
		sink = *(volatile unsigned long *)0xffffffff80000000ul;
	} else if (!strcmp(how, "ill")) {
		__asm__ __volatile__(".word 0");
	} else if (!strcmp(how, "ebreak")) {
		__asm__ __volatile__("ebreak");
	} else if (!strcmp(how, "exit") && argc > 2) {
		return atoi(argv[2]);
	}
	printf("crash: still alive\n");
	return 100;
}
