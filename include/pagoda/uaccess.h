/*
 * uaccess: the one path by which the kernel reads or writes user memory.
 *
 * Every copy checks that the whole range lies in user space (below
 * USER_TOP) before touching it, so a kernel address passed by a user is
 * refused with -EFAULT. The copy itself runs in arch/riscv/uaccess.S with
 * sstatus.SUM set only for its duration; a fault on a user page first goes
 * to the current address space's fault handler (lazy allocation), and
 * only when that fails resumes at the copy's fixup, which returns -EFAULT.
 */
#ifndef PAGODA_UACCESS_H
#define PAGODA_UACCESS_H
#include <pagoda/types.h>
#include <asm/layout.h>

/* Linux's cap on the bytes one read, write or getrandom moves. */
#define MAX_RW_COUNT    0x7ffff000ul

static inline bool user_range_ok(vaddr_t addr, u64 size)
{
	return addr <= USER_TOP && size <= USER_TOP - addr;
}

/* 0, or -EFAULT (then part of @dst may have been written). */
int copy_from_user(void *dst, const void *usrc, u64 size);
int copy_to_user(void *udst, const void *src, u64 size);
int clear_user(void *udst, u64 size);
/* Copy a NUL-terminated string of at most @size - 1 bytes: its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL is found within @size bytes. */
long strncpy_from_user(char *dst, const char *usrc, u64 size);

#define get_user_u64(dst, uptr) copy_from_user((dst), (const void *)(uptr), sizeof(u64))
#define put_user_u32(uptr, v) ({ u32 __v = (v); copy_to_user((void *)(uptr), &__v, sizeof(u32)); })
#define put_user_u64(uptr, v) ({ u64 __v = (v); copy_to_user((void *)(uptr), &__v, sizeof(u64)); })
#endif
