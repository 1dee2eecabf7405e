/*
 * SBI calls (v0.2+ base, TIME, IPI, RFENCE, HSM, SRST, legacy console).
 * Every call returns 0 or a negative errno: SBI error codes are translated
 * once, in sbi.c (sbi_to_errno).
 */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include <pagoda/types.h>

#define SBI_EXT_LEGACY_PUTCHAR  0x01
#define SBI_EXT_BASE    0x10
#define SBI_EXT_TIME    0x54494D45
#define SBI_EXT_IPI     0x735049
#define SBI_EXT_RFENCE  0x52464E43
#define SBI_EXT_HSM     0x48534D
#define SBI_EXT_SRST    0x53525354
#define SBI_EXT_DBCN    0x4442434E

enum sbi_hart_state {
	SBI_HART_STARTED, SBI_HART_STOPPED, SBI_HART_START_PENDING,
	SBI_HART_STOP_PENDING, SBI_HART_SUSPENDED,
};

#define SBI_SRST_SHUTDOWN       0
#define SBI_SRST_COLD_REBOOT    1
#define SBI_SRST_REASON_NONE    0
#define SBI_SRST_REASON_FAILURE 1

struct sbi_info {
	unsigned long spec_version;     /* major << 24 | minor */
	unsigned long impl_id;
	unsigned long impl_version;
	unsigned long marchid;
	unsigned long mimpid;
	bool has_time, has_ipi, has_rfence, has_hsm, has_srst, has_dbcn;
};
extern struct sbi_info sbi_info;

void sbi_init(void);
void sbi_print_info(void);
void sbi_console_putchar(int c);
int sbi_set_timer(u64 stime);
int sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
extern u64 sbi_rfence_calls;            /* RFENCE calls made, for tests */
int sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long base,
			  unsigned long start, unsigned long size, long asid);
int sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque);
int sbi_hart_stop(void);
int sbi_hart_get_status(unsigned long hartid);  /* state >= 0, or -errno */
int sbi_system_reset(unsigned long type, unsigned long reason);
int sbi_to_errno(long err);
#endif
