/*
 * hello: a tiny program that test_elf builds several ways (tests/unit/unit.mk)
 * to get real static RISC-V executables: ET_EXEC without a C library,
 * ET_EXEC against glibc (with PT_TLS, PT_NOTE, PT_GNU_RELRO), static-PIE,
 * and a dynamic one that must be refused. It has text, initialized data
 * and bss, so there is an R+X segment and an RW segment with memsz >
 * filesz. Built with -DNOSTDLIB it brings its own _start (exit via ecall).
 */
volatile int counter = 3;               /* .data */
volatile char scratch[8192];            /* .bss */

#ifndef NOSTDLIB
__thread int per_thread = 7;            /* .tdata: a PT_TLS segment */
#endif

int main(void)
{
	scratch[1] = (char)counter;
#ifndef NOSTDLIB
	scratch[2] = (char)per_thread;
#endif
	return scratch[1] - 3;
}

#ifdef NOSTDLIB
void _start(void)
{
	register long a0 __asm__("a0") = main();
	register long a7 __asm__("a7") = 93;    /* exit */

	__asm__ volatile("ecall" : : "r"(a0), "r"(a7));
	for (;;)
		;
}
#endif
