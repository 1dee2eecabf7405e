/*
 * The vDSO image: one read+exec PT_LOAD from address 0 holding the ELF
 * and program headers, the dynamic symbol table with its versions, the
 * unwind tables and the code; the data page lies a page below it.
 * Everything in one segment and nothing writable: the image is mapped
 * as it is, from the kernel's rodata, and never relocated.
 */
#include <pagoda/vdso.h>

OUTPUT_ARCH(riscv)

SECTIONS
{
	PROVIDE(_vdso_data = . - VDSO_DATA_SIZE);
	. = SIZEOF_HEADERS;

	.hash		: { *(.hash) }			:text
	.gnu.hash	: { *(.gnu.hash) }
	.dynsym		: { *(.dynsym) }
	.dynstr		: { *(.dynstr) }
	.gnu.version	: { *(.gnu.version) }
	.gnu.version_d	: { *(.gnu.version_d) }
	.gnu.version_r	: { *(.gnu.version_r) }
	.dynamic	: { *(.dynamic) }		:text	:dynamic
	/* The GOT holds only its link-time header: the image has no
	 * dynamic relocations, so it stays read-only with the rest. */
	.rodata		: { *(.rodata .rodata.* .srodata .srodata.* .got .got.plt) }	:text
	.eh_frame_hdr	: { *(.eh_frame_hdr) }		:text	:eh_frame_hdr
	.eh_frame	: { KEEP(*(.eh_frame)) }	:text
	. = ALIGN(16);
	.text		: { *(.text .text.*) }		:text

	/* Writable data would need a private copy per process: none allowed. */
	.data		: { *(.data .data.* .sdata .sdata.* .bss .bss.* .sbss .sbss.*) }
	ASSERT(SIZEOF(.data) == 0, "vDSO: writable data")
	/DISCARD/	: { *(.note.gnu.property) *(.comment) *(.riscv.attributes) }
}

PHDRS
{
	text		PT_LOAD		FLAGS(5) FILEHDR PHDRS;	/* PF_R | PF_X */
	dynamic		PT_DYNAMIC	FLAGS(4);		/* PF_R */
	eh_frame_hdr	PT_GNU_EH_FRAME	FLAGS(4);
}

/* The exported names, with Linux riscv's version. */
VERSION
{
	LINUX_4.15 {
	global:
		__vdso_rt_sigreturn;
		__vdso_gettimeofday;
		__vdso_clock_gettime;
		__vdso_clock_getres;
		__vdso_getcpu;
	local: *;
	};
}
