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
 *   crash shmmove     touch a shared anonymous mapping past the end of its
 *                     object, after mremap grew it by moving (SIGBUS: 135)
 *   crash shmgrow     the same after mremap grew it in place (SIGBUS: 135)
 *   crash filepast    read a page of a file mapping wholly past the end of
 *                     the file (its own executable)   (SIGBUS: 135)
 *   crash exit N      exit with status N after the checks above did not run
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile unsigned long sink;

/*
 * A one-page MAP_SHARED|MAP_ANONYMOUS mapping (an object of one page)
 * grown to two pages by mremap, in place or (with the page after it
 * taken) by a move; the new page lies past the object's end.
 */
static volatile char *grown_shared(bool move)
{
	char *p = mmap(NULL, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	if (p == MAP_FAILED)
		return NULL;
	if (!move)
		munmap(p + 4096, 4096);
	if (mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != p)
		return NULL;
	p[0] = 1;
	q = mremap(p, 4096, 2 * 4096, move ? MREMAP_MAYMOVE : 0);
	if (q == MAP_FAILED || (q == p) == move || q[0] != 1)
		return NULL;
	printf("crash: grown %s\n", move ? "by a move" : "in place");
	return q;
}

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
	} else if (!strcmp(how, "shmmove") || !strcmp(how, "shmgrow")) {
		volatile char *q = grown_shared(!strcmp(how, "shmmove"));

		if (q)
			q[4096] = 1;
	} else if (!strcmp(how, "filepast")) {
		int fd = open(argv[0], O_RDONLY);
		off_t last = (lseek(fd, 0, SEEK_END) - 1) & -4096L;
		volatile char *p = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, last);

		if (p != MAP_FAILED)
			sink = p[4096];
	} else if (!strcmp(how, "exit") && argc > 2) {
		return atoi(argv[2]);
	}
	printf("crash: still alive\n");
	return 100;
}
