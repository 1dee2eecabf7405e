/*
 * A stand-in bootloader for tests. OpenSBI enters it as "the kernel" with
 * a0 = hart id, a1 = DTB; it jumps to the real Image at STUB_IMAGE_ADDR.
 *  - With STUB_DTB_ADDR, a1 becomes that address: a device tree of the
 *    test's choosing (bad magic, truncated, ...) that OpenSBI never read.
 *  - With STUB_RACE, it first starts the next hart at the Image's entry,
 *    as OpenSBI <= 1.2 may do by mistake, so two harts race into _start
 *    (both with a1 = the DTB; either may win the lottery).
 */
	.section .text
	.globl _start
_start:
	mv	s0, a0
	mv	s1, a1
#ifdef STUB_RACE
	addi	a0, s0, 1               /* the next hart id, wrapping at 4 */
	andi	a0, a0, 3
	li	a1, STUB_IMAGE_ADDR
	mv	a2, s1                  /* a1 = the DTB there too: either may win */
	li	a6, 0                   /* HSM hart_start */
	li	a7, 0x48534D
	ecall
	li	t0, 20000               /* let it get going */
1:	addi	t0, t0, -1
	bnez	t0, 1b
#endif
	mv	a0, s0
	mv	a1, s1
#ifdef STUB_DTB_ADDR
	li	a1, STUB_DTB_ADDR
#endif
	li	t0, STUB_IMAGE_ADDR
	jr	t0
