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

#endif
