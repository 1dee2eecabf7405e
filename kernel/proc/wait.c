/*
 * wait: wait4 and waitid, and the family calls (getppid, sessions and
 * process groups, user ids). Linux riscv64 numbers, errnos and status
 * encodings (docs/processes.md).
 *
 * A waiter scans its children under tasklist_lock; with nothing to
 * report it sleeps on its child_wait queue, which an exiting child (or a
 * child reparented to it as a zombie) wakes. Reaping takes the zombie
 * out of the family under the lock and frees it after it has left its
 * hart for the last time.
 */
#include <pagoda/errno.h>
#include <pagoda/hart.h>
#include <pagoda/proc.h>
#include <pagoda/signal.h>
#include <pagoda/syscall.h>
#include <pagoda/uaccess.h>
#include <string.h>

#define WNOHANG         0x00000001
#define WUNTRACED       0x00000002
#define WEXITED         0x00000004
#define WCONTINUED      0x00000008
#define WNOWAIT         0x01000000
#define __WNOTHREAD     0x20000000
#define __WALL          0x40000000
#define __WCLONE        0x80000000
#define P_ALL           0
#define P_PID           1
#define P_PGID          2
#define RUSAGE_SIZE     144

struct wait_req {
	int idtype;                     /* P_ALL, P_PID or P_PGID */
	int id;
	int options;
};

struct wait_result {
	int pid;
	int wstatus;
	u32 uid;                        /* the child's real uid */
};

static bool child_matches(const struct proc *c, const struct wait_req *w)
{
	if (w->idtype == P_PID)
		return c->pid == w->id;
	if (w->idtype == P_PGID)
		return c->pgid == w->id;
	return true;
}

/* A stopped or continued child that @w asks about: its status (Linux's
 * encoding: sig << 8 | 0x7f, or 0xffff), consumed unless WNOWAIT. (t) held. */
static bool stop_report(struct proc *c, const struct wait_req *w, struct wait_result *res)
{
	if (c->wait_report == WAIT_STOPPED && (w->options & WUNTRACED))
		res->wstatus = (c->stop_sig << 8) | 0x7f;
	else if (c->wait_report == WAIT_CONTINUED && (w->options & WCONTINUED))
		res->wstatus = 0xffff;
	else
		return false;
	res->pid = c->pid;
	res->uid = c->uid;
	if (!(w->options & WNOWAIT))
		c->wait_report = 0;
	return true;
}

/* A zombie child of the caller matching @w: 0 with *@res (reaped unless
 * WNOWAIT), -ECHILD (no child matches) or -EAGAIN (none has exited). */
static int scan_children(struct proc *p, const struct wait_req *w, struct wait_result *res,
			 struct proc **reaped)
{
	struct proc *c;
	bool any = false;

	assert_held(&tasklist_lock);
	for (c = p->children; c; c = c->sibling) {
		if (!child_matches(c, w))
			continue;
		any = true;
		if (!c->exited) {
			if (stop_report(c, w, res))
				return 0;
			continue;
		}
		if (!(w->options & WEXITED))
			continue;
		res->pid = c->pid;
		res->uid = c->uid;
		res->wstatus = c->exit_code;
		if (!(w->options & WNOWAIT)) {
			proc_unlink_child(c);
			*reaped = c;
		}
		return 0;
	}
	return any ? -EAGAIN : -ECHILD;
}

/* Wait as @w asks: 0 with *@res, 0 with res->pid 0 (WNOHANG, nothing
 * yet), -ECHILD, or -ERESTARTSYS (a signal came, and no child had
 * anything to report once more: a child that exits with the signal, as
 * its SIGCHLD, is reaped, not lost to EINTR). */
static int do_wait(const struct wait_req *w, struct wait_result *res)
{
	struct proc *p = current_proc(), *reaped = NULL;
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);
	bool interrupted = false;
	int r;

	for (;;) {
		r = scan_children(p, w, res, &reaped);
		if (r != -EAGAIN)
			break;
		if (w->options & WNOHANG) {
			res->pid = 0;
			r = 0;
			break;
		}
		if (interrupted) {
			r = -ERESTARTSYS;
			break;
		}
		interrupted = sched_sleep(&p->child_wait, &tasklist_lock, 0, SLEEP_INTR) == -EINTR;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	if (reaped) {
		proc_wait_off_cpu(reaped);
		proc_free(reaped);
	}
	proc_reap_dead();               /* children of a parent that lets them vanish */
	return r;
}

/* wait4(pid, wstatus, options, rusage) */
SYSCALL(wait4)
{
	int pid = (int)a0, options = (int)a2;
	struct wait_req w = { P_ALL, 0, options | WEXITED };	/* WUNTRACED is WSTOPPED */
	struct wait_result res = { 0, 0, 0 };
	static const u8 zero[RUSAGE_SIZE];
	int r;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0)
		w = (struct wait_req){ P_PID, pid, w.options };
	else if (pid == 0)
		w = (struct wait_req){ P_PGID, current_proc()->pgid, w.options };
	else if (pid < -1)
		w = (struct wait_req){ P_PGID, -pid, w.options };
	r = do_wait(&w, &res);
	if (r)
		return r;
	if (res.pid && a1 && copy_to_user((void *)a1, &res.wstatus, sizeof(int)))
		return -EFAULT;
	if (res.pid && a3 && copy_to_user((void *)a3, zero, sizeof(zero)))
		return -EFAULT;
	return res.pid;
}

/* The siginfo waitid fills: signo, errno, code, then pid, uid, status. */
struct waitid_info {
	int signo, errno_, code, pad;
	int pid;
	u32 uid;
	int status;
	u8 rest[128 - 28];
};

/* si_code and si_status for a wait status. */
static void wstatus_to_info(int ws, int *code, int *status)
{
	if (ws == 0xffff) {
		*code = CLD_CONTINUED;
		*status = SIGCONT;
	} else if ((ws & 0xff) == 0x7f) {
		*code = CLD_STOPPED;
		*status = (ws >> 8) & 0xff;
	} else if (ws & 0x7f) {
		*code = CLD_KILLED;
		*status = ws & 0x7f;
	} else {
		*code = CLD_EXITED;
		*status = (ws >> 8) & 0xff;
	}
}

/* waitid(idtype, id, infop, options, rusage) */
SYSCALL(waitid)
{
	int options = (int)a3;
	struct wait_req w = { (int)a0, (int)a1, options };
	struct wait_result res = { 0, 0, 0 };
	struct waitid_info info;
	static const u8 zero[RUSAGE_SIZE];
	int r;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED |
			__WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	if (w.idtype == P_PGID && w.id == 0)
		w.id = current_proc()->pgid;
	if ((w.idtype != P_ALL && w.idtype != P_PID && w.idtype != P_PGID) ||
	    (w.idtype != P_ALL && w.id < 0) || (w.idtype == P_PID && w.id == 0))
		return -EINVAL;
	r = do_wait(&w, &res);
	if (r)
		return r;
	memset(&info, 0, sizeof(info));
	if (res.pid) {
		info.signo = SIGCHLD;
		info.pid = res.pid;
		info.uid = res.uid;
		wstatus_to_info(res.wstatus, &info.code, &info.status);
	}
	if (a2 && copy_to_user((void *)a2, &info, sizeof(info)))
		return -EFAULT;
	if (a4 && copy_to_user((void *)a4, zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

/* ---- the family ------------------------------------------------------------ */

SYSCALL(getppid)
{
	struct proc *p = current_proc();
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);
	int ppid = p->parent ? p->parent->pid : 0;

	spin_unlock_irqrestore(&tasklist_lock, irq);
	return ppid;
}

/* A session or group @id exists among the living: (t) held. */
static bool group_exists(int pgid, int sid)
{
	int pid;

	for (pid = 1; pid < PID_MAX; pid++) {
		struct proc *t = proc_find(pid);

		if (t && (pgid < 0 || t->pgid == pgid) && (sid < 0 || t->sid == sid))
			return true;
	}
	return false;
}

SYSCALL(setsid)
{
	struct proc *p = current_proc();
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);
	long r = -EPERM;

	if (!group_exists(p->pid, -1)) {        /* not a group leader already */
		p->sid = p->pgid = p->pid;
		r = p->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

/* setpgid(pid, pgid): the caller or one of its children, within its session. */
SYSCALL(setpgid)
{
	struct proc *p = current_proc(), *t;
	int pid = (int)a0 ? (int)a0 : p->pid, pgid = (int)a1;
	unsigned long irq;
	long r = 0;

	if (pgid < 0)
		return -EINVAL;
	irq = spin_lock_irqsave(&tasklist_lock);
	t = proc_find(pid);
	if (!pgid)
		pgid = pid;
	if (!t || (t != p && t->parent != p))
		r = -ESRCH;
	else if (t->sid == t->pid || t->sid != p->sid)
		r = -EPERM;
	else if (pgid != t->pid && !group_exists(pgid, p->sid))
		r = -EPERM;
	else
		t->pgid = pgid;
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

static long get_id(int pid, bool session)
{
	unsigned long irq = spin_lock_irqsave(&tasklist_lock);
	struct proc *t = pid ? proc_find(pid) : current_proc();
	long r = !t || t->exited ? -ESRCH : session ? t->sid : t->pgid;

	spin_unlock_irqrestore(&tasklist_lock, irq);
	return r;
}

SYSCALL(getpgid)
{
	return get_id((int)a0, false);
}

SYSCALL(getsid)
{
	return get_id((int)a0, true);
}
