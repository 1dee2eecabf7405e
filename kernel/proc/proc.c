/*
 * proc: creating, running and ending a user process. A process runs as a
 * call from the kernel's point of view: proc_run() builds it, enters user
 * mode through arch_user_run(), and gets control back when the process
 * exits or is killed (arch_user_return() from inside a syscall or trap),
 * then releases everything the process held.
 */
#include <asm/trap.h>
#include <pagoda/as.h>
#include <pagoda/exec.h>
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/initramfs.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <string.h>

static int next_pid = 1;

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static struct proc *proc_alloc(const char *path)
{
	struct proc *p = kzalloc(sizeof(*p), 0);

	if (!p)
		return NULL;
	p->as = as_create();
	if (!p->as || proc_files_init(p)) {
		if (p->as)
			as_destroy(p->as);
		kfree(p);
		return NULL;
	}
	p->pid = next_pid++;
	strlcpy(p->name, base_name(path), sizeof(p->name));
	return p;
}

static void proc_free(struct proc *p)
{
	proc_files_release(p);
	as_destroy(p->as);
	kfree(p);
}

int proc_run(const char *path, char *const argv[], char *const envp[], int *status)
{
	const struct ramfs_file *rf = initramfs_lookup(path);
	const char *reason = "";
	struct trapframe tf;
	struct hart *h = this_hart();
	unsigned long irq;
	struct proc *p;
	int err;

	if (!rf || (rf->mode & S_IFMT) != S_IFREG) {
		printk("exec: %s: %s\n", path, rf ? "not a regular file" : "no such file");
		return rf ? -EACCES : -ENOENT;
	}
	p = proc_alloc(path);
	if (!p) {
		printk("exec: %s: out of memory\n", path);
		return -ENOMEM;
	}
	irq = arch_irq_save();
	h->proc = p;
	as_activate(p->as);
	err = exec_load(p->as, rf, path, argv, envp, &tf, &reason);
	if (err)
		printk("exec: %s: %s\n", path, reason);
	else
		*status = arch_user_run(&tf);
	as_deactivate(p->as);
	h->proc = NULL;
	arch_irq_restore(irq);
	proc_free(p);
	return err;
}

__noreturn void proc_exit(int status)
{
	arch_user_return(status & 0xff);
}

__noreturn void proc_kill(int signo, const char *what, vaddr_t addr, vaddr_t pc)
{
	struct proc *p = current_proc();

	printk("pid %d (%s): killed by signal %d: %s at 0x%lx, pc 0x%lx\n",
	       p->pid, p->name, signo, what, addr, pc);
	proc_exit(128 + signo);
}
