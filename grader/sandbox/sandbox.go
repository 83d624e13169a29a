// Package sandbox confines student programs on Linux. A submission gets a
// network namespace of its own with only loopback (its reference servers
// live there too, so seed programs with fixed ports run side by side and
// nothing reaches outside the machine), and every program it runs gets
// its own pid and mount namespaces, private /tmp, hidden folders, a hosts
// file for the names the lab sheets hard-code, resource limits and an
// unprivileged uid.
//
// Built with cgo, Spawn does that set-up in a child cloned from the
// grader that shares its memory until it executes the program
// (spawn_linux.c): one exec per program, as without a sandbox. Built
// without cgo, programs start through a launcher, the grader binary
// itself started with LaunchArg, the Config and the program (Wrap): its
// Launch does the same set-up in Go, about 15 ms more per program.
package sandbox

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// LaunchArg is the first argument that makes the grader binary act as the
// launcher instead of the command-line tool.
const LaunchArg = "__sandbox-exec"

// Config is what the launcher sets up around one program.
type Config struct {
	// UID and GID the program runs as (never 0).
	UID int `json:"uid"`
	GID int `json:"gid"`
	// Work is the run's folder: kept visible (and writable) when /tmp is
	// replaced by a private tmpfs.
	Work string `json:"work"`
	// Hosts, when set, is a file bind-mounted over /etc/hosts.
	Hosts string `json:"hosts,omitempty"`
	// Hide lists folders replaced by an empty read-only tmpfs and files
	// replaced by /dev/null.
	Hide []string `json:"hide,omitempty"`
	// Limits are applied with setrlimit just before exec.
	Limits Limits `json:"limits"`
}

// Limits bound what a program may use. Zero means the system's default.
type Limits struct {
	// CPU is CPU time in seconds (SIGXCPU past it, SIGKILL a second
	// later): a spin loop is stopped even if wall-clock time is not.
	CPU int `json:"cpu,omitempty"`
	// Memory bounds the address space in bytes.
	Memory int64 `json:"memory,omitempty"`
	// Processes bounds the processes of the run's uid (fork bombs).
	Processes int `json:"processes,omitempty"`
	// FileSize bounds any file the program writes, in bytes.
	FileSize int64 `json:"file_size,omitempty"`
	// OpenFiles bounds the descriptors, sockets included.
	OpenFiles int `json:"open_files,omitempty"`
}

// DefaultLimits are the limits a sandboxed program gets unless the
// configuration says otherwise; CPU is set per run from its timeout.
var DefaultLimits = Limits{Memory: 4 << 30, Processes: 256, FileSize: 64 << 20, OpenFiles: 256}

// CPUFor is the CPU-seconds limit for a run with the given wall-clock
// timeout: twice the timeout, rounded up, plus one second. The wall clock
// decides for a program that waits or spins on one core; the CPU limit
// stops one that burns every core (a JVM's compiler and collector
// threads legitimately use more than one, so it is not the timeout).
func CPUFor(timeout time.Duration) int {
	return 2*int((timeout+time.Second-1)/time.Second) + 1
}

// Mode is the --sandbox setting.
type Mode string

// Modes of --sandbox.
const (
	Auto Mode = "auto"
	On   Mode = "on"
	Off  Mode = "off"
)

// ParseMode reads a --sandbox value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, On, Off:
		return m, nil
	}
	return "", fmt.Errorf("--sandbox: got %q, want auto, on or off", s)
}

// Resolve turns a mode into a decision: whether to sandbox, and when auto
// cannot, a one-line notice saying why (for the log). On fails when the
// sandbox is not available.
func Resolve(m Mode) (bool, string, error) {
	if m == Off {
		return false, "", nil
	}
	err := Available()
	switch {
	case err == nil:
		return true, "", nil
	case m == On:
		return false, "", fmt.Errorf("--sandbox on: %w", err)
	}
	return false, "sandbox off: " + err.Error(), nil
}

// Wrap returns the argv that starts argv through the launcher self (the
// grader's executable) with c:
//
//	self LaunchArg UID GID CPU MEMORY PROCESSES FILESIZE OPENFILES WORK HOSTS NHIDE [HIDE...] -- PROGRAM [ARG...]
//
// Arguments, unlike an environment variable, carry any path and are read
// the same way by any launcher, one in C included. Paths must be
// absolute; HOSTS is empty when there is no hosts file.
func Wrap(self string, c Config, argv []string) ([]string, error) {
	c, err := c.clean()
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, errors.New("sandbox: no program to run")
	}
	l := c.Limits
	out := []string{self, LaunchArg,
		strconv.Itoa(c.UID), strconv.Itoa(c.GID),
		strconv.Itoa(l.CPU), strconv.FormatInt(l.Memory, 10), strconv.Itoa(l.Processes),
		strconv.FormatInt(l.FileSize, 10), strconv.Itoa(l.OpenFiles),
		c.Work, c.Hosts, strconv.Itoa(len(c.Hide))}
	out = append(out, c.Hide...)
	out = append(out, "--")
	return append(out, argv...), nil
}

// clean checks c before it is handed to a launcher: never uid 0, and
// absolute paths, cleaned (the C side compares them as strings).
func (c Config) clean() (Config, error) {
	if c.UID <= 0 || c.GID <= 0 {
		return c, fmt.Errorf("sandbox: refusing to run as uid %d gid %d", c.UID, c.GID)
	}
	abs := func(what, p string) (string, error) {
		if !filepath.IsAbs(p) {
			return "", fmt.Errorf("sandbox: the %s must be an absolute path, got %q", what, p)
		}
		return filepath.Clean(p), nil
	}
	var err error
	if c.Work, err = abs("work folder", c.Work); err != nil {
		return c, err
	}
	if c.Hosts != "" {
		if c.Hosts, err = abs("hosts file", c.Hosts); err != nil {
			return c, err
		}
	}
	hide := make([]string, len(c.Hide))
	for i, h := range c.Hide {
		if hide[i], err = abs("hidden folder", h); err != nil {
			return c, err
		}
	}
	c.Hide = hide
	return c, nil
}

// unwrap reads what follows LaunchArg in Wrap's argv: the Config and
// the program's argv.
func unwrap(args []string) (Config, []string, error) {
	const usage = "usage: " + LaunchArg + " UID GID CPU MEMORY PROCESSES FILESIZE OPENFILES WORK HOSTS NHIDE [HIDE...] -- PROGRAM [ARG...]"
	var c Config
	if len(args) < 12 {
		return c, nil, errors.New(usage)
	}
	var nums [7]int64
	names := [...]string{"uid", "gid", "cpu", "memory", "processes", "file size", "open files"}
	for i := range nums {
		v, err := strconv.ParseInt(args[i], 10, 64)
		if err != nil || v < 0 {
			return c, nil, fmt.Errorf("bad %s: got %q, want a number", names[i], args[i])
		}
		nums[i] = v
	}
	c.UID, c.GID = int(nums[0]), int(nums[1])
	c.Limits = Limits{CPU: int(nums[2]), Memory: nums[3], Processes: int(nums[4]), FileSize: nums[5], OpenFiles: int(nums[6])}
	c.Work, c.Hosts = args[7], args[8]
	n, err := strconv.Atoi(args[9])
	if err != nil || n < 0 || n > len(args)-12 {
		return c, nil, fmt.Errorf("bad hide count %q", args[9])
	}
	c.Hide = args[10 : 10+n]
	if args[10+n] != "--" {
		return c, nil, errors.New(usage)
	}
	if !filepath.IsAbs(c.Work) {
		return c, nil, fmt.Errorf("the work folder must be absolute, got %q", c.Work)
	}
	return c, args[11+n:], nil
}

// nextID hands out the uids of sandboxed runs: one per submission, so
// submissions graded side by side cannot read each other's folders, and
// a fork bomb counts against its own process limit only.
var nextID atomic.Int64

// firstID is the first uid handed out, far above any real account.
const firstID = 61000

// idSpan is how many uids are used before they are reused.
const idSpan = 4000

// NewID returns a uid (also used as gid) for one submission.
func NewID() int {
	seed := int64(0)
	if nextID.Load() == 0 {
		// Two graders running at once start at different places.
		seed = time.Now().UnixNano() % idSpan
		nextID.CompareAndSwap(0, seed)
	}
	return firstID + int(nextID.Add(1)%idSpan)
}

// Hosts returns a hosts file mapping names to loopback (IPv4 and IPv6).
func Hosts(names []string) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	for _, n := range names {
		b.WriteString("127.0.0.1\t" + n + "\n")
	}
	return b.String()
}

// SeedHosts are the host names the lab sheets' programs hard-code.
var SeedHosts = []string{"www.tcpipguide.com", "tcpipguide.com", "www.coursera.org", "coursera.org", "www.example.com", "example.com"}
