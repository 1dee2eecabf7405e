/*
 * vdso: the kernel's side of the vDSO (include/pagoda/vdso.h, docs/vdso.md):
 * the data page, filled at boot, and lending it with the image to each
 * process at exec. The image is built in arch/riscv/vdso and embedded by
 * its image.S; the generated vdso-offsets.h gives its entry points.
 *
 * The data page is a page of the kernel's own, holding nothing else, so
 * lending it to user space shows no other kernel data. It is written
 * only by vdso_init, before the first process: (c) for every reader, so
 * the image reads it without a sequence count. Whatever later changes the
 * time after boot (settimeofday) adds one.
 */
#include <pagoda/vdso.h>
#include <pagoda/as.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <asm/page.h>
#include <string.h>
#include "vdso-offsets.h"

extern const u8 vdso_image[], vdso_image_end[];

static union {
	struct vdso_data d;
	u8 page[VDSO_DATA_SIZE];
} vvar __aligned(VDSO_DATA_SIZE);

/* The clocks the image reads itself. The CPU-time clocks stay with the
 * system call: they will count per process. */
#define CLOCKS_SERVED (1u << CLOCK_REALTIME | 1u << CLOCK_MONOTONIC | \
		       1u << CLOCK_MONOTONIC_RAW | 1u << CLOCK_REALTIME_COARSE | \
		       1u << CLOCK_MONOTONIC_COARSE | 1u << CLOCK_BOOTTIME | 1u << CLOCK_TAI)
/* Every clock clock_gettime accepts (kernel/sys.c). */
#define CLOCKS_KNOWN (CLOCKS_SERVED | 1u << CLOCK_PROCESS_CPUTIME_ID | \
		      1u << CLOCK_THREAD_CPUTIME_ID)

/*
 * Every clock counts from reset (offset 0): there is no RTC, and the
 * clock_gettime system call counts the same way. Each reads the time CSR
 * in full, the coarse ones too, so each resolves to 1 ns in Linux's
 * terms (hrtimer resolution); no time zone was ever set (Linux's sys_tz
 * starts zeroed).
 */
void vdso_init(void)
{
	struct vdso_data *d = &vvar.d;
	unsigned int id;

	if (memcmp(vdso_image, "\177ELF", 4) || (vdso_image_end - vdso_image) % PAGE_SIZE)
		panic("vdso: the embedded image is not a page-aligned ELF file");
	d->hz = timebase_hz;
	d->nsec_per_sec = NSEC_PER_SEC;
	for (id = 0; id < MAX_CLOCKS; id++) {
		d->offset[id] = CLOCKS_SERVED >> id & 1 ? 0 : -1;
		d->res_ns[id] = CLOCKS_KNOWN >> id & 1;
	}
}

const struct vdso_data *vdso_clock_data(void)
{
	return &vvar.d;
}

int vdso_map(struct addr_space *as)
{
	u64 size = (u64)(vdso_image_end - vdso_image);
	/* Just below the stack's guard gap: far above mmap_base, so the
	 * topmost mapping can still grow upwards in place (mremap). */
	vaddr_t base = ALIGN_DOWN(STACK_TOP - STACK_SIZE - STACK_GUARD_GAP - size, PAGE_SIZE);
	int err;

	err = as_map_special(as, base - VDSO_DATA_SIZE, VDSO_DATA_SIZE, PROT_READ,
			     kernel_va_to_pa(&vvar));
	if (!err)
		err = as_map_special(as, base, size, PROT_READ | PROT_EXEC,
				     kernel_va_to_pa(vdso_image));
	if (!err)
		as->vdso_base = base;
	return err;
}

vaddr_t vdso_sym_sigreturn(const struct addr_space *as)
{
	return as->vdso_base ? as->vdso_base + VDSO_SYM_rt_sigreturn : 0;
}
