package sandbox

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Cloneflags are the namespaces a sandboxed program is started in: its
// own pid namespace (when its first process dies, the kernel kills every
// process left in it, daemons included) and its own mount namespace.
const Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNS

// SetupFD is the descriptor on which Spawn's child or the launcher
// reports a failed set-up to the grader. It is closed when the program
// starts, so nothing the program does can write there.
const SetupFD = 3

// init runs the launcher as early as the binary allows: Go initialises
// packages in import-path order once their imports are ready, so this
// package (which imports only the standard library) comes before the
// grader's heavier packages, whose set-up a sandboxed program should not
// pay for at every start.
func init() {
	if len(os.Args) > 1 && os.Args[1] == LaunchArg {
		os.Exit(Launch(os.Args[2:], os.Stderr))
	}
}

// Launch is the launcher's main, used when the binary is built without
// cgo (Spawn does the same set-up otherwise): args are what follows
// LaunchArg in Wrap's argv. It returns only on failure, with the exit
// code to use; the reason goes to SetupFD, or stderr when that is closed.
func Launch(args []string, stderr io.Writer) int {
	// The grader reads failures on SetupFD; the program never gets it.
	syscall.CloseOnExec(SetupFD)
	report := os.NewFile(SetupFD, "sandbox-setup")
	fail := func(format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		if _, err := fmt.Fprint(report, msg); err != nil {
			fmt.Fprintln(stderr, "grader sandbox: "+msg)
		}
		return 125
	}
	c, argv, err := unwrap(args)
	if err != nil {
		return fail("%v", err)
	}
	if c.UID <= 0 || c.GID <= 0 {
		return fail("refusing to run as uid %d", c.UID)
	}
	// Started with Cloneflags, the launcher is pid 1 of a new pid and
	// mount namespace; anywhere else its mounts would change the whole
	// machine's view, so it refuses.
	if os.Getpid() != 1 {
		return fail("not started in namespaces of its own (pid %d, want 1): refusing to mount anything", os.Getpid())
	}
	if err := setup(c); err != nil {
		return fail("%v", err)
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fail("%v", err)
	}
	err = syscall.Exec(path, argv, os.Environ())
	return fail("could not start %s: %v", argv[0], err)
}

// setup runs in the new namespaces, as root, before the program.
func setup(c Config) error {
	// Nothing mounted here may leak back to the host.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("could not make the mounts private: %w", err)
	}
	// A /proc of this pid namespace: the program sees its own processes,
	// not the grader's command lines.
	if err := syscall.Mount("proc", "/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("could not mount /proc: %w", err)
	}
	// The hosts file may be under /tmp, which is about to be replaced.
	var hosts *os.File
	if c.Hosts != "" {
		f, err := os.Open(c.Hosts)
		if err != nil {
			return fmt.Errorf("could not open the hosts file: %w", err)
		}
		defer f.Close()
		hosts = f
	}
	if err := privateTmp(c.Work); err != nil {
		return err
	}
	for _, h := range c.Hide {
		fi, err := os.Stat(h)
		if err != nil || within(c.Work, h) {
			continue
		}
		switch {
		case fi.IsDir():
			err = syscall.Mount("tmpfs", h, "tmpfs", syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV, "size=4k,mode=755")
		case fi.Mode().IsRegular():
			err = syscall.Mount("/dev/null", h, "", syscall.MS_BIND, "")
		}
		if err != nil {
			return fmt.Errorf("could not hide %s: %w", h, err)
		}
	}
	if hosts != nil {
		if err := syscall.Mount(fmt.Sprintf("/proc/self/fd/%d", hosts.Fd()), "/etc/hosts", "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("could not mount the hosts file: %w", err)
		}
	}
	if err := limit(c.Limits); err != nil {
		return err
	}
	if err := syscall.Setgroups(nil); err != nil {
		return fmt.Errorf("could not drop groups: %w", err)
	}
	if err := syscall.Setgid(c.GID); err != nil {
		return fmt.Errorf("could not set gid %d: %w", c.GID, err)
	}
	if err := syscall.Setuid(c.UID); err != nil {
		return fmt.Errorf("could not set uid %d: %w", c.UID, err)
	}
	// Changing uid cleared the parent-death signal: set it again, so the
	// program (and with it the whole pid namespace) dies with the grader.
	const prSetPdeathsig = 1
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetPdeathsig, uintptr(syscall.SIGKILL), 0); errno != 0 {
		return fmt.Errorf("could not set the parent-death signal: %w", errno)
	}
	return nil
}

// privateTmp replaces /tmp, /var/tmp and /dev/shm with empty tmpfs, so a
// program can neither read other runs' files nor leave any behind, and
// then puts work back where it was.
func privateTmp(work string) error {
	keep, err := os.Open(work)
	if err != nil {
		return fmt.Errorf("could not open the work folder: %w", err)
	}
	defer keep.Close()
	for _, d := range []string{"/tmp", "/var/tmp", "/dev/shm"} {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		if err := syscall.Mount("tmpfs", d, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "size=64m,mode=1777"); err != nil {
			return fmt.Errorf("could not mount a private %s: %w", d, err)
		}
		if within(d, work) {
			if err := os.MkdirAll(work, 0o755); err != nil {
				return fmt.Errorf("could not recreate the work folder: %w", err)
			}
			src := fmt.Sprintf("/proc/self/fd/%d", keep.Fd())
			if err := syscall.Mount(src, work, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
				return fmt.Errorf("could not mount the work folder back: %w", err)
			}
		}
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// limit applies l with setrlimit; zero fields are left alone.
func limit(l Limits) error {
	set := func(name string, res int, v uint64) error {
		if v == 0 {
			return nil
		}
		hard := v
		if res == syscall.RLIMIT_CPU {
			hard = v + 1 // SIGXCPU first, SIGKILL a second later
		}
		if err := syscall.Setrlimit(res, &syscall.Rlimit{Cur: v, Max: hard}); err != nil {
			return fmt.Errorf("could not limit %s to %d: %w", name, v, err)
		}
		return nil
	}
	const rlimitNproc = 6
	for _, x := range []struct {
		name string
		res  int
		v    uint64
	}{
		{"CPU seconds", syscall.RLIMIT_CPU, uint64(l.CPU)},
		{"address space", syscall.RLIMIT_AS, uint64(l.Memory)},
		{"processes", rlimitNproc, uint64(l.Processes)},
		{"file size", syscall.RLIMIT_FSIZE, uint64(l.FileSize)},
		{"open files", syscall.RLIMIT_NOFILE, uint64(l.OpenFiles)},
		{"core size", syscall.RLIMIT_CORE, 0},
	} {
		if err := set(x.name, x.res, x.v); err != nil {
			return err
		}
	}
	// No core files, whatever the system's default.
	return syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
}
