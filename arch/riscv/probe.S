/*
 * Probing accesses: a load or store that may fault, with an entry in the
 * exception table (__ex_table: pairs of instruction, fixup) so that a fault
 * there resumes at the fixup with a0 = -EFAULT instead of panicking.
 *
 *   long arch_probe_read_u8(const void *addr)      value, or -EFAULT
 *   long arch_probe_write_u8(void *addr, u8 v)     0, or -EFAULT
 */
	.section .text
	.globl arch_probe_read_u8
	.balign 4
arch_probe_read_u8:
1:	lbu	a0, 0(a0)
	ret
	.globl arch_probe_write_u8
	.balign 4
arch_probe_write_u8:
2:	sb	a1, 0(a0)
	li	a0, 0
	ret
9:	li	a0, -14                 /* -EFAULT */
	ret

	.section __ex_table, "a"
	.balign 8
	.dword	1b, 9b
	.dword	2b, 9b
