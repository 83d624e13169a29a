// Package sandbox confines student programs on Linux. A submission gets a
// network namespace of its own with only loopback (its reference servers
// live there too, so seed programs with fixed ports run side by side and
// nothing reaches outside the machine), and every program it runs is
// started through a launcher that gives it its own pid and mount
// namespaces, private /tmp, hidden folders, a hosts file for the names
// the lab sheets hard-code, resource limits and an unprivileged uid.
//
// The launcher is the grader binary itself, started with LaunchArg as its
// first argument: Launch does the set-up inside the new namespaces and
// then executes the program.
package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// LaunchArg is the first argument that makes the grader binary act as the
// launcher instead of the command-line tool.
const LaunchArg = "__sandbox-exec"

// configVar carries the launcher's Config in its environment; the
// launcher removes it before it executes the program.
const configVar = "GRADER_SANDBOX"

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
	// Hide lists folders replaced by an empty read-only tmpfs.
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

// encode returns the environment entry carrying c.
func (c Config) encode() (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return configVar + "=" + string(b), nil
}

// Wrap returns the argv and extra environment that start argv through the
// launcher self (the grader's executable) with c.
func Wrap(self string, c Config, argv []string) ([]string, string, error) {
	if c.UID <= 0 || c.GID <= 0 {
		return nil, "", fmt.Errorf("sandbox: refusing to run as uid %d gid %d", c.UID, c.GID)
	}
	kv, err := c.encode()
	if err != nil {
		return nil, "", err
	}
	return append([]string{self, LaunchArg, "--"}, argv...), kv, nil
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
