/*
 * Pagoda libc: leaving the process. exit runs the atexit functions, then
 * flushes stdio; abort reports and exits with 134, the status a shell shows
 * for SIGABRT (this kernel has no signals).
 */
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	__stdio_flush_all();
	_exit(status);
}

void abort(void)
{
	static const char msg[] = "abort\n";

	__stdio_flush_all();
	write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(134);
}
