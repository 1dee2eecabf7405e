/* The initramfs built with the kernel (build/initramfs.cpio), embedded. */
	.section .rodata.initramfs, "a"
	.balign 8
	.globl initramfs_embedded, initramfs_embedded_end
initramfs_embedded:
	.incbin INITRAMFS_CPIO
initramfs_embedded_end:
