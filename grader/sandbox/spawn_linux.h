// Shared by spawn_linux.c and cgo_linux.go: what Spawn sets up around a
// program.

#ifndef GRADER_SPAWN_LINUX_H
#define GRADER_SPAWN_LINUX_H

// config is what is set up around one program (Config in Go).
struct config {
	long long uid, gid, cpu, memory, processes, filesize, openfiles;
	const char *work, *hosts;
	char **hide;
	long long nhide;
};

// grader_spawn describes one sandboxed start without a launcher.
struct grader_spawn {
	struct config c;
	const char *path; // the program, resolved by the caller
	char **argv, **envp;
	const char *dir;
	int fds[4]; // stdin, stdout, stderr, and the set-up pipe (SETUP_FD)
};

int grader_spawn(struct grader_spawn *s);

#endif
