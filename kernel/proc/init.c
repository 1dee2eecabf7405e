/*
 * init: after the self-tests, the kernel reads the initramfs and starts
 * pid 1, Linux style: "init=/PATH" in the bootargs (default /init), and
 * everything after a "--" token is its argv[1..]. When it has exited and
 * every other process is gone (kernel/proc/proc.c), the boot hart's idle
 * loop powers off with its exit status.
 *
 * Around the processes a leak check compares the frames in use (slab
 * pages aside: a slab cache keeps its pages) and the kmalloc bytes in use
 * before and after: the processes must give back exactly what they took.
 */
#include <pagoda/boot.h>
#include <pagoda/dt.h>
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/mm.h>
#include <pagoda/paging.h>
#include <pagoda/power.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <asm/page.h>
#include <string.h>

#define INIT_ARGS_MAX 32
#define EXIT_LEAK 4

extern const u8 initramfs_embedded[], initramfs_embedded_end[];

struct mem_snapshot {
	u64 frames;                     /* frames in use, slab pages excluded */
	u64 kmalloc_bytes;              /* kmalloc objects in use */
};

static struct mem_snapshot mem_snapshot(void)
{
	struct kmem_stat k;

	kmem_stat(&k);
	return (struct mem_snapshot){
		buddy_managed_pages() - buddy_free_pages() - k.slabs, k.used_bytes };
}

/* The archive: the bootloader's (/chosen linux,initrd-*) or the embedded one. */
static int load_initramfs(const struct dt_info *dt)
{
	const void *base = initramfs_embedded;
	u64 size = initramfs_embedded_end - initramfs_embedded;
	const char *reason = "";
	const char *from = "embedded";

	if (dt->initrd_end > paging_dmap_limit(dt)) {
		printk("initramfs: the bootloader's archive at 0x%llx lies beyond the direct map, ignored\n",
		       (unsigned long long)dt->initrd_start);
	} else if (dt->initrd_end > dt->initrd_start) {
		base = phys_to_virt(dt->initrd_start);
		size = dt->initrd_end - dt->initrd_start;
		from = "from the bootloader";
	}
	if (initramfs_load(base, size, &reason)) {
		printk("initramfs: %s (%s, %llu bytes)\n", reason, from, (unsigned long long)size);
		return -EINVAL;
	}
	printk("initramfs: %u files, %llu bytes (%s)\n", initramfs_count(),
	       (unsigned long long)size, from);
	return 0;
}

/* Split a copy of the bootargs into init's path and argv (in place). */
static const char *parse_cmdline(char *s, char **argv)
{
	const char *path = "/init";
	bool args = false;
	int argc = 1;
	char *tok;

	while (*s) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		tok = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		if (args && argc < INIT_ARGS_MAX - 1)
			argv[argc++] = tok;
		else if (!strcmp(tok, "--"))
			args = true;
		else if (!strncmp(tok, "init=", 5))
			path = tok + 5;
	}
	argv[0] = (char *)path;
	argv[argc] = NULL;
	return path;
}

static int leak_check(const char *path, struct mem_snapshot before)
{
	struct mem_snapshot after = mem_snapshot();

	if (after.frames == before.frames && after.kmalloc_bytes == before.kmalloc_bytes) {
		printk("leak check: %s: ok (%llu frames, %llu kmalloc bytes in use)\n", path,
		       (unsigned long long)after.frames, (unsigned long long)after.kmalloc_bytes);
		return 0;
	}
	printk("leak check: %s: FAILED: frames in use %llu -> %llu, kmalloc bytes %llu -> %llu\n",
	       path, (unsigned long long)before.frames, (unsigned long long)after.frames,
	       (unsigned long long)before.kmalloc_bytes, (unsigned long long)after.kmalloc_bytes);
	return -1;
}

static struct mem_snapshot before_init;        /* (c) once init started */
static char init_path[RAMFS_PATH_MAX];          /* (c) */

int init_run(const struct dt_info *dt)
{
	static char cmdline[DT_BOOTARGS_MAX];
	static char *envp[] = { "HOME=/", "PATH=/", "TERM=linux", NULL };
	char *argv[INIT_ARGS_MAX];
	const char *path;
	int err;

	if (load_initramfs(dt))
		return EXIT_BAD_INPUT;
	strlcpy(cmdline, dt->bootargs, sizeof(cmdline));
	path = parse_cmdline(cmdline, argv);
	strlcpy(init_path, path, sizeof(init_path));
	printk("init: running %s\n", path);
	before_init = mem_snapshot();
	err = proc_start_init(path, argv, envp);
	if (err) {
		printk("init: %s could not be started (error %d)\n", path, err);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

void init_check_done(void)
{
	int status;

	if (!proc_all_done(&status))
		return;
	printk("init: %s exited with status %d\n", init_path, status);
	kernel_poweroff(leak_check(init_path, before_init) ? EXIT_LEAK : status);
}
