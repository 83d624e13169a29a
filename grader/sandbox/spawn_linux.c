//go:build cgo

// Spawn in C: the sandbox set-up of a program, done in a child cloned
// into new pid and mount namespaces that shares the grader's memory until
// it executes the program (as posix_spawn does). A run costs one exec,
// the program's, with nothing between the grader and it; builds without
// cgo start programs through the Go launcher instead (launch_linux.go),
// which does the same set-up and fails the same way: a message on
// SETUP_FD and exit code 125.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spawn_linux.h"

#define SETUP_FD 3
#define FAILED 125

// spawn_fail reports a failed set-up on SETUP_FD (stderr when that is
// not open) and exits; the program never ran.
static void spawn_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void spawn_fail(const char *fmt, ...) {
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t n = strlen(msg);
	if (write(SETUP_FD, msg, n) != (ssize_t)n) {
		dprintf(2, "grader sandbox: %s\n", msg);
	}
	_exit(FAILED);
}

// within reports whether path is dir or inside it (both absolute and
// clean, as Wrap makes them).
static int within(const char *dir, const char *path) {
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/') {
		return path[0] == '/';
	}
	return strncmp(dir, path, n) == 0 && (path[n] == 0 || path[n] == '/');
}

static int is_dir(const char *path) {
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

// mkdir_all creates path and its parents (mode 0755).
static int mkdir_all(const char *path) {
	char buf[PATH_MAX];
	if (strlen(path) >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
				return -1;
			}
			*p = c;
			if (c == 0) {
				return 0;
			}
		}
	}
}

// private_tmp replaces /tmp, /var/tmp and /dev/shm with empty tmpfs and
// puts work back where it was.
static void private_tmp(const char *work) {
	int keep = open(work, O_RDONLY | O_CLOEXEC);
	if (keep < 0) {
		spawn_fail("could not open the work folder: open %s: %s", work, strerror(errno));
	}
	const char *dirs[] = {"/tmp", "/var/tmp", "/dev/shm"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		const char *d = dirs[i];
		if (!is_dir(d)) {
			continue;
		}
		if (mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") != 0) {
			spawn_fail("could not mount a private %s: %s", d, strerror(errno));
		}
		if (within(d, work)) {
			if (mkdir_all(work) != 0) {
				spawn_fail("could not recreate the work folder: %s", strerror(errno));
			}
			char src[64];
			snprintf(src, sizeof src, "/proc/self/fd/%d", keep);
			if (mount(src, work, NULL, MS_BIND | MS_REC, NULL) != 0) {
				spawn_fail("could not mount the work folder back: %s", strerror(errno));
			}
		}
	}
	close(keep);
}

// limit sets one rlimit; zero leaves it alone.
static void limit(const char *name, int res, unsigned long long v) {
	if (v == 0) {
		return;
	}
	struct rlimit rl = {v, v};
	if (res == RLIMIT_CPU) {
		rl.rlim_max = v + 1; // SIGXCPU first, SIGKILL a second later
	}
	if (setrlimit(res, &rl) != 0) {
		spawn_fail("could not limit %s to %llu: %s", name, v, strerror(errno));
	}
}

// setup runs in the new namespaces, as root, before the program: the
// same steps as setup in launch_linux.go. It returns only on success.
static void setup(const struct config *c) {
	if (c->uid <= 0 || c->gid <= 0) {
		spawn_fail("refusing to run as uid %lld", c->uid);
	}
	if (c->work[0] != '/') {
		spawn_fail("the work folder must be absolute, got \"%s\"", c->work);
	}
	// Cloned into new namespaces, the child is pid 1 of a new pid and
	// mount namespace; anywhere else its mounts would change the whole
	// machine's view, so it refuses.
	if (getpid() != 1) {
		spawn_fail("not started in namespaces of its own (pid %d, want 1): refusing to mount anything", (int)getpid());
	}
	// Nothing mounted here may leak back to the host.
	if (mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		spawn_fail("could not make the mounts private: %s", strerror(errno));
	}
	// A /proc of this pid namespace: the program sees its own processes,
	// not the grader's command lines.
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
		spawn_fail("could not mount /proc: %s", strerror(errno));
	}
	// The hosts file may be under /tmp, which is about to be replaced.
	int hostsfd = -1;
	if (c->hosts[0] != 0) {
		hostsfd = open(c->hosts, O_RDONLY | O_CLOEXEC);
		if (hostsfd < 0) {
			spawn_fail("could not open the hosts file: open %s: %s", c->hosts, strerror(errno));
		}
	}
	private_tmp(c->work);
	for (long long i = 0; i < c->nhide; i++) {
		struct stat st;
		if (stat(c->hide[i], &st) != 0 || within(c->work, c->hide[i])) {
			continue;
		}
		int err = 0;
		if (S_ISDIR(st.st_mode)) {
			err = mount("tmpfs", c->hide[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=755");
		} else if (S_ISREG(st.st_mode)) {
			err = mount("/dev/null", c->hide[i], NULL, MS_BIND, NULL);
		}
		if (err != 0) {
			spawn_fail("could not hide %s: %s", c->hide[i], strerror(errno));
		}
	}
	if (hostsfd >= 0) {
		char src[64];
		snprintf(src, sizeof src, "/proc/self/fd/%d", hostsfd);
		if (mount(src, "/etc/hosts", NULL, MS_BIND, NULL) != 0) {
			spawn_fail("could not mount the hosts file: %s", strerror(errno));
		}
		close(hostsfd);
	}
	limit("CPU seconds", RLIMIT_CPU, (unsigned long long)c->cpu);
	limit("address space", RLIMIT_AS, (unsigned long long)c->memory);
	limit("processes", RLIMIT_NPROC, (unsigned long long)c->processes);
	limit("file size", RLIMIT_FSIZE, (unsigned long long)c->filesize);
	limit("open files", RLIMIT_NOFILE, (unsigned long long)c->openfiles);
	// No core files, whatever the system's default.
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		spawn_fail("could not limit core size to 0: %s", strerror(errno));
	}
	// Raw system calls, not libc's wrappers: in a clone that shares the
	// grader's memory, those would signal the grader's threads to change
	// their ids too (and mark them in memory they are still using).
	if (syscall(SYS_setgroups, 0, NULL) != 0) {
		spawn_fail("could not drop groups: %s", strerror(errno));
	}
	if (syscall(SYS_setresgid, (gid_t)c->gid, (gid_t)c->gid, (gid_t)c->gid) != 0) {
		spawn_fail("could not set gid %lld: %s", c->gid, strerror(errno));
	}
	if (syscall(SYS_setresuid, (uid_t)c->uid, (uid_t)c->uid, (uid_t)c->uid) != 0) {
		spawn_fail("could not set uid %lld: %s", c->uid, strerror(errno));
	}
	// Changing uid cleared the parent-death signal: set it again, so the
	// program (and with it the whole pid namespace) dies with the grader.
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
		spawn_fail("could not set the parent-death signal: %s", strerror(errno));
	}
}

// spawn_child runs in the clone, on its own stack, until execve. It uses
// system calls, thin libc wrappers and formatting into stack buffers
// only: the memory is the grader's, whose other threads keep running
// (no malloc, no stdio lock, no libc function that talks to threads).
static int spawn_child(void *arg) {
	struct grader_spawn *s = arg;
	// The handlers are a copy of the grader's: back to the defaults.
	for (int sig = 1; sig < 65; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL) {
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = SIG_DFL;
			sigaction(sig, &sa, NULL);
		}
	}
	// Descriptors 0-3 from the caller's, whatever numbers those have.
	int high[4];
	for (int i = 0; i < 4; i++) {
		high[i] = fcntl(s->fds[i], F_DUPFD_CLOEXEC, 10);
		if (high[i] < 0) {
			_exit(FAILED);
		}
	}
	for (int i = 0; i < 4; i++) {
		if (dup2(high[i], i) < 0) {
			_exit(FAILED);
		}
	}
	// The grader reads failures on SETUP_FD; the program never gets it,
	// nor any other descriptor of the grader.
	fcntl(SETUP_FD, F_SETFD, FD_CLOEXEC);
#ifdef SYS_close_range
	syscall(SYS_close_range, 4U, ~0U, 0U);
#endif
	if (setpgid(0, 0) != 0) {
		spawn_fail("could not start a process group: %s", strerror(errno));
	}
	setup(&s->c);
	if (s->dir[0] != 0 && chdir(s->dir) != 0) {
		spawn_fail("could not enter %s: %s", s->dir, strerror(errno));
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(s->path, s->argv, s->envp);
	spawn_fail("could not start %s: %s", s->argv[0], strerror(errno));
}

// grader_spawn starts s and returns the child's pid, or -errno when no
// child could be made. A failure after that is reported on the set-up
// pipe, as the Go launcher reports it.
int grader_spawn(struct grader_spawn *s) {
	const size_t size = 256 * 1024;
	void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		return -errno;
	}
	// No handler of the grader may run in the child before it resets
	// them: every signal waits until the clone has executed or exited.
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int pid = clone(spawn_child, (char *)stack + size, CLONE_VM | CLONE_VFORK | CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, s);
	int err = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	munmap(stack, size);
	return pid < 0 ? -err : pid;
}
