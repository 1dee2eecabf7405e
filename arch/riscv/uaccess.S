/*
 * User memory access: the only code that runs with sstatus.SUM set, and
 * only between its csrs and csrc. Each load or store of user memory has an
 * __ex_table entry: a fault there (after the fault handler could not map
 * the page, trap.c) resumes at the fixup, which clears SUM and reports how
 * much was left. Callers (kernel/uaccess.c) have already checked that the
 * range lies in user space.
 *
 *   u64 arch_copy_user(void *dst, const void *src, u64 n)   bytes NOT copied
 *   u64 arch_clear_user(void *dst, u64 n)                    bytes NOT cleared
 *   int arch_get_user_u32(u32 *dst, const u32 *src)          0, or -EFAULT: one lw
 *   long arch_strncpy_user(char *dst, const char *src, u64 n)
 *        length of the string (NUL copied), n when no NUL in n bytes, -1 on a fault
 *
 * Copies move 64 bytes (eight words) at a time, then words, when source
 * and destination are both 8-byte aligned (after aligning), else a byte
 * at a time. A block or word that faults is redone bytewise, so the count
 * left is exact.
 */
#define SUM 0x40000

	.macro	uentry insn, fixup
	.section __ex_table, "a"
	.balign 8
	.dword	\insn, \fixup
	.previous
	.endm

	.section .text
	.globl arch_get_user_u32
	.balign 4
arch_get_user_u32:
	li	t6, SUM
	csrs	sstatus, t6
20:	lw	t1, 0(a1)               /* one access: the word as it was at one instant */
	uentry	20b, 21f
	csrc	sstatus, t6
	sw	t1, 0(a0)
	li	a0, 0
	ret
21:	csrc	sstatus, t6
	li	a0, -14                 /* -EFAULT */
	ret

	.globl arch_copy_user
	.balign 4
arch_copy_user:
	li	t6, SUM
	csrs	sstatus, t6
	beqz	a2, 3f
	xor	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 2f                  /* never co-aligned: bytes */
1:	andi	t0, a0, 7               /* bytes up to alignment */
	beqz	t0, 4f
10:	lbu	t1, 0(a1)
	uentry	10b, 9f
11:	sb	t1, 0(a0)
	uentry	11b, 9f
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 1b
	j	3f
4:	li	t2, 64                  /* blocks of eight words */
6:	bltu	a2, t2, 7f
40:	ld	t1, 0(a1)
	uentry	40b, 2f                 /* a block faulted: redo it bytewise */
41:	ld	t3, 8(a1)
	uentry	41b, 2f
42:	ld	t4, 16(a1)
	uentry	42b, 2f
43:	ld	t5, 24(a1)
	uentry	43b, 2f
44:	sd	t1, 0(a0)
	uentry	44b, 2f
45:	sd	t3, 8(a0)
	uentry	45b, 2f
46:	sd	t4, 16(a0)
	uentry	46b, 2f
47:	sd	t5, 24(a0)
	uentry	47b, 2f
48:	ld	t1, 32(a1)
	uentry	48b, 2f
49:	ld	t3, 40(a1)
	uentry	49b, 2f
50:	ld	t4, 48(a1)
	uentry	50b, 2f
51:	ld	t5, 56(a1)
	uentry	51b, 2f
52:	sd	t1, 32(a0)
	uentry	52b, 2f
53:	sd	t3, 40(a0)
	uentry	53b, 2f
54:	sd	t4, 48(a0)
	uentry	54b, 2f
55:	sd	t5, 56(a0)
	uentry	55b, 2f
	addi	a0, a0, 64
	addi	a1, a1, 64
	addi	a2, a2, -64
	j	6b
7:	li	t2, 8                   /* words */
5:	bltu	a2, t2, 2f
12:	ld	t1, 0(a1)
	uentry	12b, 2f                 /* a word faulted: redo it bytewise */
13:	sd	t1, 0(a0)
	uentry	13b, 2f
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	5b
2:	beqz	a2, 3f                  /* bytes */
14:	lbu	t1, 0(a1)
	uentry	14b, 9f
15:	sb	t1, 0(a0)
	uentry	15b, 9f
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b
3:	csrc	sstatus, t6
	li	a0, 0
	ret
9:	csrc	sstatus, t6
	mv	a0, a2
	ret

	.globl arch_clear_user
	.balign 4
arch_clear_user:
	li	t6, SUM
	csrs	sstatus, t6
1:	beqz	a1, 3b
	andi	t0, a0, 7
	bnez	t0, 2f
	li	t0, 8
	bltu	a1, t0, 2f
20:	sd	zero, 0(a0)
	uentry	20b, 2f
	addi	a0, a0, 8
	addi	a1, a1, -8
	j	1b
2:
21:	sb	zero, 0(a0)
	uentry	21b, 8f
	addi	a0, a0, 1
	addi	a1, a1, -1
	j	1b
8:	csrc	sstatus, t6
	mv	a0, a1
	ret

	.globl arch_strncpy_user
	.balign 4
arch_strncpy_user:
	li	t6, SUM
	csrs	sstatus, t6
	li	t0, 0                   /* length so far */
1:	beq	t0, a2, 2f
	add	t1, a1, t0
30:	lbu	t2, 0(t1)
	uentry	30b, 7f
	add	t1, a0, t0
	sb	t2, 0(t1)
	beqz	t2, 2f
	addi	t0, t0, 1
	j	1b
2:	csrc	sstatus, t6
	mv	a0, t0
	ret
7:	csrc	sstatus, t6
	li	a0, -1
	ret
