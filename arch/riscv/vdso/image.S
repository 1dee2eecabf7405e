/*
 * The vDSO image (build/vdso/vdso.so, see vdso.mk), embedded in the
 * kernel's rodata on pages of its own: every process maps these pages
 * as they are, so nothing else of the kernel may share them.
 */
	.section .rodata.vdso, "a"
	.balign	4096
	.globl	vdso_image, vdso_image_end
vdso_image:
	.incbin	VDSO_SO
	.balign	4096
vdso_image_end:
