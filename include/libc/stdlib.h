/* libfdt's environment header includes this; the kernel offers only strtoul. */
#ifndef PAGODA_LIBC_STDLIB_H
#define PAGODA_LIBC_STDLIB_H
unsigned long strtoul(const char *s, char **end, int base);
#endif
