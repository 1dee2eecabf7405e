/*
 * Pagoda libc: memory allocation, number parsing and process exit.
 * malloc returns 16-byte aligned memory: small blocks from size-class free
 * lists on brk pages, 64 KiB and more straight from mmap (see libc/malloc.c).
 */
#ifndef _PAGODA_STDLIB_H
#define _PAGODA_STDLIB_H
#include <sys/types.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int atoi(const char *s);
long atol(const char *s);
int abs(int x);
long labs(long x);
char *getenv(const char *name);

/* Run the atexit functions (last registered first), flush stdio, exit. */
__attribute__((noreturn)) void exit(int status);
/* Print a line to stderr, flush stdout, exit with status 134 (SIGABRT's). */
__attribute__((noreturn)) void abort(void);
int atexit(void (*fn)(void));

#endif
