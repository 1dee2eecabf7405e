/* Fixed-width types and the small helpers every layer uses. */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)    (((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)  ((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)  (((x) & ((typeof(x))(a) - 1)) == 0)
#define MIN(a, b)         ((a) < (b) ? (a) : (b))
#define MAX(a, b)         ((a) > (b) ? (a) : (b))
#define KiB               (1ull << 10)
#define MiB               (1ull << 20)
#define GiB               (1ull << 30)

#define READ_ONCE(x)      (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)  (*(volatile typeof(x) *)&(x) = (v))
#define barrier()         __asm__ __volatile__("" ::: "memory")
#define unlikely(x)       __builtin_expect(!!(x), 0)
#define likely(x)         __builtin_expect(!!(x), 1)
#define __noreturn        __attribute__((noreturn))
#define __aligned(n)      __attribute__((aligned(n)))
#define __noinline        __attribute__((noinline))
#ifndef __always_inline                 /* glibc defines it the same way */
#define __always_inline   inline __attribute__((always_inline))
#endif
/*
 * A hot leaf whose slow paths are tail calls: no frame pointer, sibling
 * calls allowed, so the fast path builds no stack frame at all. It then
 * never appears in a backtrace; its slow paths (which keep frames) read
 * the caller from their own return address, which a tail jump preserves.
 */
#define __fastpath        __attribute__((optimize("omit-frame-pointer", "optimize-sibling-calls")))

/* The index of the lowest set bit of @x, which is not 0 (the kernel is
 * built without Zbb, and libgcc is not linked): de Bruijn's multiply. */
static inline unsigned int lowest_bit(u64 x)
{
	static const unsigned char index[64] = {
		0, 1, 2, 53, 3, 7, 54, 27, 4, 38, 41, 8, 34, 55, 48, 28,
		62, 5, 39, 46, 44, 42, 22, 9, 24, 35, 59, 56, 49, 18, 29, 11,
		63, 52, 6, 26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
		51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
	};

	return index[((x & -x) * 0x022fdd63cc95386dull) >> 58];
}

#endif
