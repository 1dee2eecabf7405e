/*
 * Pagoda libc: _start, the entry point of every program.
 *
 * The kernel enters with sp at the SysV initial stack: argc, argv[],
 * NULL, envp[], NULL, auxv pairs, AT_NULL. Registers other than sp carry
 * nothing we use. .bss is already zero (the kernel maps it zero-filled),
 * so nothing is cleared here.
 */
	.section .text._start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	/* gp is what the linker relaxes gp-relative accesses against; the
	 * instruction that loads it must not itself be relaxed to use gp. */
	.option	push
	.option	norelax
	lla	gp, __global_pointer$
	.option	pop
	/* End of the frame chain, for debuggers. */
	li	ra, 0
	li	s0, 0
	mv	a0, sp
	/* The ABI wants 16-byte alignment at calls; the kernel should give
	 * it, this keeps a misaligned stack from going further. */
	andi	sp, sp, -16
	call	__libc_start
	/* __libc_start does not return. */
1:	ebreak
	j	1b
	.size	_start, . - _start
