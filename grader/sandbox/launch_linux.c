//go:build cgo

// The sandbox launcher in C. It runs as a constructor, before the Go
// runtime starts: a grader binary started as the launcher sets up the
// namespaces it was cloned into and executes the student's program
// without ever paying for the runtime and the grader's package
// initialisation (about 15 ms per program with the Go launcher, against
// about 1 ms here). It does exactly what Launch in launch_linux.go does,
// reads the same arguments (see Wrap) and fails the same way: a message
// on SetupFD and exit code 125. Any other start of the binary returns
// from here at once and Go starts as usual.

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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAUNCH_ARG "__sandbox-exec"
#define SETUP_FD 3
#define FAILED 125

// launch_fail reports a failed set-up on SETUP_FD (stderr when that is
// not open) and exits; the program never ran.
static void launch_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void launch_fail(const char *fmt, ...) {
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

// read_cmdline returns this process's arguments, NUL-separated, and their
// total length; NULL when /proc cannot tell.
static char *read_cmdline(size_t *len) {
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	for (;;) {
		if (buf == NULL) {
			close(fd);
			return NULL;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			char *bigger = realloc(buf, cap + 1);
			if (bigger == NULL) {
				free(buf);
			}
			buf = bigger;
		}
	}
	close(fd);
	if (buf != NULL) {
		buf[n] = 0;
	}
	*len = n;
	return buf;
}

// number parses a whole decimal argument.
static long long number(const char *name, const char *s) {
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != 0 || v < 0) {
		launch_fail("bad %s: got \"%s\", want a number", name, s);
	}
	return v;
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
		launch_fail("could not open the work folder: open %s: %s", work, strerror(errno));
	}
	const char *dirs[] = {"/tmp", "/var/tmp", "/dev/shm"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		const char *d = dirs[i];
		if (!is_dir(d)) {
			continue;
		}
		if (mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") != 0) {
			launch_fail("could not mount a private %s: %s", d, strerror(errno));
		}
		if (within(d, work)) {
			if (mkdir_all(work) != 0) {
				launch_fail("could not recreate the work folder: %s", strerror(errno));
			}
			char src[64];
			snprintf(src, sizeof src, "/proc/self/fd/%d", keep);
			if (mount(src, work, NULL, MS_BIND | MS_REC, NULL) != 0) {
				launch_fail("could not mount the work folder back: %s", strerror(errno));
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
		launch_fail("could not limit %s to %llu: %s", name, v, strerror(errno));
	}
}

// look_path finds file in PATH as Go's exec.LookPath does; file with a
// slash is used as it is.
static const char *look_path(const char *file, char *buf, size_t size) {
	if (strchr(file, '/') != NULL) {
		return file;
	}
	const char *path = getenv("PATH");
	if (path == NULL) {
		path = "";
	}
	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		// A relative entry (".", or empty) is refused, as Go refuses it.
		if (n > 0 && p[0] == '/' && n + 1 + strlen(file) < size) {
			memcpy(buf, p, n);
			buf[n] = '/';
			strcpy(buf + n + 1, file);
			struct stat st;
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0) {
				return buf;
			}
		}
		if (end == NULL) {
			break;
		}
		p = end;
	}
	launch_fail("exec: \"%s\": executable file not found in $PATH", file);
}

// launch is the launcher's main: args are what follows LAUNCH_ARG.
static void launch(int argc, char **args) {
	// The grader reads failures on SETUP_FD; the program never gets it.
	fcntl(SETUP_FD, F_SETFD, FD_CLOEXEC);
	// uid gid cpu memory processes filesize openfiles work hosts nhide hide... -- argv...
	if (argc < 12) {
		launch_fail("usage: %s UID GID CPU MEMORY PROCESSES FILESIZE OPENFILES WORK HOSTS NHIDE [HIDE...] -- PROGRAM [ARG...]", LAUNCH_ARG);
	}
	long long uid = number("uid", args[0]), gid = number("gid", args[1]);
	long long cpu = number("cpu", args[2]), memory = number("memory", args[3]);
	long long processes = number("processes", args[4]), filesize = number("file size", args[5]);
	long long openfiles = number("open files", args[6]);
	const char *work = args[7], *hosts = args[8];
	long long nhide = number("hide count", args[9]);
	if (nhide > argc - 12) {
		launch_fail("bad hide count %lld", nhide);
	}
	char **hide = args + 10;
	if (strcmp(args[10 + nhide], "--") != 0 || 11 + nhide >= argc) {
		launch_fail("usage: %s ... -- PROGRAM [ARG...]", LAUNCH_ARG);
	}
	char **argv = args + 11 + nhide;
	if (uid <= 0 || gid <= 0) {
		launch_fail("refusing to run as uid %lld", uid);
	}
	if (work[0] != '/') {
		launch_fail("the work folder must be absolute, got \"%s\"", work);
	}
	// Started with Cloneflags, the launcher is pid 1 of a new pid and
	// mount namespace; anywhere else its mounts would change the whole
	// machine's view, so it refuses.
	if (getpid() != 1) {
		launch_fail("not started in namespaces of its own (pid %d, want 1): refusing to mount anything", (int)getpid());
	}
	// Nothing mounted here may leak back to the host.
	if (mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		launch_fail("could not make the mounts private: %s", strerror(errno));
	}
	// A /proc of this pid namespace: the program sees its own processes,
	// not the grader's command lines.
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
		launch_fail("could not mount /proc: %s", strerror(errno));
	}
	// The hosts file may be under /tmp, which is about to be replaced.
	int hostsfd = -1;
	if (hosts[0] != 0) {
		hostsfd = open(hosts, O_RDONLY | O_CLOEXEC);
		if (hostsfd < 0) {
			launch_fail("could not open the hosts file: open %s: %s", hosts, strerror(errno));
		}
	}
	private_tmp(work);
	for (long long i = 0; i < nhide; i++) {
		if (!is_dir(hide[i]) || within(work, hide[i])) {
			continue;
		}
		if (mount("tmpfs", hide[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=755") != 0) {
			launch_fail("could not hide %s: %s", hide[i], strerror(errno));
		}
	}
	if (hostsfd >= 0) {
		char src[64];
		snprintf(src, sizeof src, "/proc/self/fd/%d", hostsfd);
		if (mount(src, "/etc/hosts", NULL, MS_BIND, NULL) != 0) {
			launch_fail("could not mount the hosts file: %s", strerror(errno));
		}
		close(hostsfd);
	}
	limit("CPU seconds", RLIMIT_CPU, (unsigned long long)cpu);
	limit("address space", RLIMIT_AS, (unsigned long long)memory);
	limit("processes", RLIMIT_NPROC, (unsigned long long)processes);
	limit("file size", RLIMIT_FSIZE, (unsigned long long)filesize);
	limit("open files", RLIMIT_NOFILE, (unsigned long long)openfiles);
	// No core files, whatever the system's default.
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		launch_fail("could not limit core size to 0: %s", strerror(errno));
	}
	if (setgroups(0, NULL) != 0) {
		launch_fail("could not drop groups: %s", strerror(errno));
	}
	if (setgid((gid_t)gid) != 0) {
		launch_fail("could not set gid %lld: %s", gid, strerror(errno));
	}
	if (setuid((uid_t)uid) != 0) {
		launch_fail("could not set uid %lld: %s", uid, strerror(errno));
	}
	// Changing uid cleared the parent-death signal: set it again, so the
	// program (and with it the whole pid namespace) dies with the grader.
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
		launch_fail("could not set the parent-death signal: %s", strerror(errno));
	}
	char found[PATH_MAX];
	const char *path = look_path(argv[0], found, sizeof found);
	execv(path, argv);
	launch_fail("could not start %s: %s", argv[0], strerror(errno));
}

__attribute__((constructor)) static void grader_sandbox_launcher(void) {
	size_t len;
	char *cmd = read_cmdline(&len);
	if (cmd == NULL) {
		return;
	}
	size_t first = strlen(cmd) + 1;
	if (first >= len || strcmp(cmd + first, LAUNCH_ARG) != 0) {
		free(cmd);
		return;
	}
	int argc = 0;
	for (size_t i = 0; i < len; i++) {
		if (cmd[i] == 0) {
			argc++;
		}
	}
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	if (argv == NULL) {
		launch_fail("out of memory");
	}
	for (size_t i = 0, k = 0; i < len && k < (size_t)argc; k++) {
		argv[k] = cmd + i;
		i += strlen(cmd + i) + 1;
	}
	launch(argc - 2, argv + 2);
}
