/*
 * ksyms and panic: symbolized backtraces and the one way the kernel dies.
 *
 * The table (ksyms_addr sorted ascending, with name offsets) is generated
 * by scripts/ksyms.py from the first link and embedded by the second.
 * Backtraces follow the frame-pointer chain (-fno-omit-frame-pointer):
 * fp[-1] is the saved ra and fp[-2] the caller's fp; a leaf function saves
 * only the caller's fp at fp[-1], which is told apart by its value (a stack
 * address, not a text address).
 */
#include <pagoda/ksyms.h>
#include <pagoda/printk.h>
#include <pagoda/hart.h>
#include <pagoda/power.h>
#include <asm/layout.h>
#include <stdarg.h>

extern const u64 ksyms_num;
extern const u64 ksyms_addr[];
extern const u32 ksyms_name_off[];
extern const char ksyms_names[];
extern char _stext[], _etext[];

static int panic_owner = -1;

static bool is_text(vaddr_t a)
{
	return a >= (vaddr_t)_stext && a < (vaddr_t)_etext;
}

/* Symbol for @addr, looked up at @addr - @back (see print_frame). */
static void ksyms_format_at(vaddr_t addr, unsigned int back, char *buf, size_t size)
{
	u64 lo = 0, hi = ksyms_num;
	vaddr_t look = addr - back;

	if (!is_text(look) || ksyms_num == 0 || look < ksyms_addr[0]) {
		snprintf(buf, size, "?");
		return;
	}
	while (hi - lo > 1) {           /* last entry <= addr */
		u64 mid = (lo + hi) / 2;
		if (ksyms_addr[mid] <= look)
			lo = mid;
		else
			hi = mid;
	}
	snprintf(buf, size, "%s+0x%lx", ksyms_names + ksyms_name_off[lo],
		 (unsigned long)(addr - ksyms_addr[lo]));
}

void ksyms_format(vaddr_t addr, char *buf, size_t size)
{
	ksyms_format_at(addr, 0, buf, size);
}

/*
 * Frame 0 of a trap is the faulting pc itself; every other address is a
 * return address, symbolized at addr - 1 so that a call ending a function
 * (a noreturn call) is not named after the function that follows.
 */
static void print_frame(int n, vaddr_t pc, bool is_return)
{
	char sym[96];

	ksyms_format_at(pc, is_return, sym, sizeof(sym));
	printk("  #%d 0x%lx %s\n", n, pc, sym);
}

static bool in_stack(vaddr_t fp, vaddr_t top)
{
	/* fp[-2] must lie inside the stack too, never in the guard page */
	return IS_ALIGNED(fp, 8) && fp <= top && fp >= top - HART_STACK_SIZE + 16;
}

void backtrace_print(vaddr_t pc, vaddr_t ra, vaddr_t fp)
{
	vaddr_t top = this_hart() ? this_hart()->stack_top : 0, last = pc;
	int n = 0;

	printk("backtrace:\n");
	print_frame(n++, pc, false);
	if (is_text(ra) && ra != pc) {
		print_frame(n++, ra, true);
		last = ra;
	}
	while (n < 24 && in_stack(fp, top)) {
		vaddr_t w = ((vaddr_t *)fp)[-1], next;

		if (is_text(w)) {
			next = ((vaddr_t *)fp)[-2];
			if (w != last)
				print_frame(n++, w, true);
			last = 0;
		} else {
			next = w;       /* leaf frame: only the caller's fp saved */
		}
		if (next <= fp)
			break;
		fp = next;
	}
}

bool hart_in_panic(void)
{
	return __atomic_load_n(&panic_owner, __ATOMIC_RELAXED) >= 0;
}

/* The first hart to panic owns the console; any other stops here. */
void panic_begin(void)
{
	int me = this_hart() ? (int)this_hart()->cpu : 0, none = -1;

	arch_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_owner, &none, me, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED) &&
	    none != me)
		for (;;)
			arch_wait_for_interrupt();
}

__noreturn void panic_end(void)
{
	kernel_poweroff(EXIT_PANIC);
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic_begin();
	printk("panic: hart %lu: %s\n", this_hart() ? this_hart()->hartid : 0, msg);
	backtrace_print((vaddr_t)panic, 0, (vaddr_t)__builtin_frame_address(0));
	panic_end();
}
