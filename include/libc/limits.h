/* Integer limits for the freestanding kernel (LP64). */
#ifndef PAGODA_LIBC_LIMITS_H
#define PAGODA_LIBC_LIMITS_H
#define CHAR_BIT   8
#define INT_MAX    0x7fffffff
#define INT_MIN    (-INT_MAX - 1)
#define UINT_MAX   0xffffffffu
#define LONG_MAX   0x7fffffffffffffffl
#define LONG_MIN   (-LONG_MAX - 1)
#define ULONG_MAX  0xfffffffffffffffful
#endif
