/*
 * The kernel's <string.h> on the host (syscall tests only): the C
 * library's, plus strlcpy, which kernel/lib/string.c has and glibc before
 * 2.38 lacks. sys_host.c defines it.
 */
#ifndef HOST_SYS_STRING_H
#define HOST_SYS_STRING_H
#include_next <string.h>

size_t strlcpy(char *dst, const char *src, size_t size);
#endif
