/*
 * SBI: the supervisor's calls into OpenSBI. The only place that issues
 * ecall. Errors are turned into negative errno here and nowhere else.
 */
#include <asm/sbi.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>

struct sbi_info sbi_info;

struct sbiret {
	long error;
	long value;
};

static struct sbiret sbi_ecall5(unsigned long ext, unsigned long fid,
				unsigned long a0, unsigned long a1, unsigned long a2,
				unsigned long a3, unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

static struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			       unsigned long a0, unsigned long a1,
			       unsigned long a2)
{
	return sbi_ecall5(ext, fid, a0, a1, a2, 0, 0);
}

/* SBI error codes (spec chapter 3) to Linux errno values. */
int sbi_to_errno(long err)
{
	static const int map[] = {
		[1] = -EIO,             /* SBI_ERR_FAILED */
		[2] = -ENOSYS,          /* NOT_SUPPORTED */
		[3] = -EINVAL,          /* INVALID_PARAM */
		[4] = -EPERM,           /* DENIED */
		[5] = -EFAULT,          /* INVALID_ADDRESS */
		[6] = -EBUSY,           /* ALREADY_AVAILABLE */
		[7] = -EBUSY,           /* ALREADY_STARTED */
		[8] = -EBUSY,           /* ALREADY_STOPPED */
	};
	if (err == 0)
		return 0;
	if (err < 0 && -err < (long)ARRAY_SIZE(map) && map[-err])
		return map[-err];
	return -EIO;
}

void sbi_console_putchar(int c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned long)c, 0, 0);
}

static long sbi_base_call(unsigned long fid)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0);
	return r.error ? 0 : r.value;
}

static bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error == 0 && r.value != 0;
}

/* sbi_init - read the base extension once; later calls test the flags. */
void sbi_init(void)
{
	sbi_info.spec_version = sbi_base_call(0);
	sbi_info.impl_id = sbi_base_call(1);
	sbi_info.impl_version = sbi_base_call(2);
	sbi_info.marchid = sbi_base_call(5);
	sbi_info.mimpid = sbi_base_call(6);
	sbi_info.has_time = sbi_probe(SBI_EXT_TIME);
	sbi_info.has_ipi = sbi_probe(SBI_EXT_IPI);
	sbi_info.has_rfence = sbi_probe(SBI_EXT_RFENCE);
	sbi_info.has_hsm = sbi_probe(SBI_EXT_HSM);
	sbi_info.has_srst = sbi_probe(SBI_EXT_SRST);
	sbi_info.has_dbcn = sbi_probe(SBI_EXT_DBCN);
}

static const char *sbi_impl_name(unsigned long id)
{
	static const char *const names[] = {
		"BBL", "OpenSBI", "Xvisor", "KVM", "RustSBI", "Diosix",
		"Coffer", "Xen", "PolarFire HSS",
	};
	return id < ARRAY_SIZE(names) ? names[id] : "unknown";
}

void sbi_print_info(void)
{
	const struct sbi_info *s = &sbi_info;

	printk("sbi: spec %lu.%lu, %s %lu.%lu, marchid 0x%lx mimpid 0x%lx\n",
	       s->spec_version >> 24, s->spec_version & 0xffffff,
	       sbi_impl_name(s->impl_id), s->impl_version >> 16,
	       s->impl_version & 0xffff, s->marchid, s->mimpid);
	printk("sbi: extensions:%s%s%s%s%s%s\n", s->has_time ? " TIME" : "",
	       s->has_ipi ? " IPI" : "", s->has_rfence ? " RFENCE" : "",
	       s->has_hsm ? " HSM" : "", s->has_srst ? " SRST" : "",
	       s->has_dbcn ? " DBCN" : "");
}

int sbi_set_timer(u64 stime)
{
	if (sbi_info.has_time)
		return sbi_to_errno(sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0).error);
	return sbi_to_errno(sbi_ecall(0x00, 0, stime, 0, 0).error);
}

int sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_to_errno(sbi_ecall(SBI_EXT_IPI, 0, hart_mask,
				      hart_mask_base, 0).error);
}

u64 sbi_rfence_calls;

/*
 * Remote sfence.vma on the harts in @hart_mask (relative to @base) for
 * [start, start + size); size (unsigned long)-1 means everything. With
 * @asid >= 0 only that ASID (FID 2), otherwise all, global entries too
 * (FID 1).
 */
int sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long base,
			  unsigned long start, unsigned long size, long asid)
{
	struct sbiret r;

	__atomic_fetch_add(&sbi_rfence_calls, 1, __ATOMIC_RELAXED);
	if (asid >= 0)
		r = sbi_ecall5(SBI_EXT_RFENCE, 2, hart_mask, base, start, size,
			       (unsigned long)asid);
	else
		r = sbi_ecall5(SBI_EXT_RFENCE, 1, hart_mask, base, start, size, 0);
	return sbi_to_errno(r.error);
}

int sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque)
{
	return sbi_to_errno(sbi_ecall(SBI_EXT_HSM, 0, hartid, start,
				      opaque).error);
}

int sbi_hart_stop(void)
{
	return sbi_to_errno(sbi_ecall(SBI_EXT_HSM, 1, 0, 0, 0).error);
}

int sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret r = sbi_ecall(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? sbi_to_errno(r.error) : (int)r.value;
}

int sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_to_errno(sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0).error);
}
