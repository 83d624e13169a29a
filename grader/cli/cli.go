// Package cli is the grader command: it parses the command line, loads the
// configuration and exercises, calls the engine and writes reports. Main
// is the whole program, so tests run it in-process with their own streams.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/catalog"
	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/sandbox"
	"github.com/netlab-grader/grader/grader/spec"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitPass   = 0 // every check passed
	ExitFail   = 1 // some check failed
	ExitUsage  = 2 // bad command line, missing file, invalid spec
	ExitGrader = 3 // the grader itself failed: never the student's fault
)

// Version is set at build time with -ldflags "-X ...cli.Version=...".
var Version = "dev"

const usage = `grader: grades network-programming lab exercises

Usage:
  grader check EXERCISE SUBMISSION [flags]   grade one submission
  grader batch EXERCISE... --submissions DIR grade a class (resumable, shardable)
  grader merge DIR...                        join the outputs of batch shards
  grader interop --client EX --server EX --submissions DIR
                                             every student client × every student server
  grader list                                list the exercises
  grader show EXERCISE                       print an exercise's statement
  grader validate [PATH...]                  check exercise files for mistakes
  grader selftest [EXERCISE...]              prove exercises against fixtures
  grader serve KIND [--port N]               run a reference server (echo-tcp, echo-udp, udp-time, sink-tcp, ws, http, https)
  grader version

Examples:
  grader check echo-tcp-server server.py
  grader check echo-tcp-client client.c --format json --out result.json
  grader check udp-time prog/ --run "python3 prog/main.py"
  grader show echo-udp-client
  grader validate exercises/
  grader batch echo-tcp-client --submissions class/ --out grades/
  grader serve echo-tcp --port 1234

Exit codes: 0 all checks passed, 1 some check failed, 2 usage or spec
error, 3 the grader itself failed. Reports go to stdout, logs to stderr.
Run "grader COMMAND --help" for a command's flags.
`

// env is the environment lookup Main was given.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// Main runs the grader with args (without the program name) and returns
// the exit code.
func Main(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "check":
		return e.check(rest)
	case "list":
		return e.list(rest)
	case "show":
		return e.show(rest)
	case "validate":
		return e.validate(rest)
	case "selftest":
		return e.selftest(rest)
	case "batch":
		return e.batch(rest)
	case "merge":
		return e.merge(rest)
	case "interop":
		return e.interop(rest)
	case "serve":
		return e.serve(rest)
	case sandbox.LaunchArg:
		// The grader started itself to launch a sandboxed program.
		return sandbox.Launch(rest, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "grader", Version)
		return ExitPass
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			return Main([]string{rest[0], "--help"}, stdout, stderr, getenv)
		}
		fmt.Fprint(stdout, usage)
		return ExitPass
	}
	fmt.Fprintf(stderr, "grader: unknown command %q\n\n%s", cmd, usage)
	return ExitUsage
}

// common are the flags every grading command shares.
type common struct {
	exercises multiFlag
	config    string
	verbose   bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.Var(&c.exercises, "exercises", "folder of extra exercises (`DIR`/<id>/exercise.yaml); repeatable; overrides built-in ones with the same id")
	fs.StringVar(&c.config, "config", "", "grader configuration `FILE` (default: built in; also GRADER_CONFIG)")
	fs.BoolVar(&c.verbose, "v", false, "verbose: debug logs on stderr, passing checks and full transcripts in text reports")
}

func (e *env) logger(verbose bool) *slog.Logger {
	lvl := slog.LevelWarn
	if verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lvl}))
}

func (e *env) loadConfig(c *common) (*config.Config, error) {
	path := c.config
	if path == "" {
		path = e.getenv("GRADER_CONFIG")
	}
	if path != "" {
		return config.Load(path)
	}
	data, err := grader.Files.ReadFile("grader.yaml")
	if err != nil {
		return nil, err
	}
	return config.Parse("grader.yaml (built in)", data)
}

func (e *env) loadCatalog(c *common) (*catalog.Catalog, error) {
	return catalog.Load(grader.Files, "exercises", c.exercises)
}

// fail prints err and maps it to an exit code.
func (e *env) fail(err error) int {
	var ps spec.Problems
	var ue *run.UsageError
	var cu *usageError
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			fmt.Fprintln(e.stderr, p.Error())
		}
		fmt.Fprintf(e.stderr, "grader: %d problem(s) in exercise files\n", len(ps))
		return ExitUsage
	case errors.As(err, &ue), errors.As(err, &cu):
		fmt.Fprintln(e.stderr, "grader:", err)
		return ExitUsage
	}
	fmt.Fprintln(e.stderr, "grader: internal error (not your program's fault):", err)
	return ExitGrader
}

// usageError is a command-line mistake (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usageErr formats a command-line mistake.
func usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// parse parses flags that may stand before, between or after positional
// arguments: the standard flag package stops at the first positional, so
// parsing resumes after each one. "--" ends flag parsing.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			// asked for: help is the output, not an error message
			fs.SetOutput(e.stdout)
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(e *env, name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: grader %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		if examples != "" {
			fmt.Fprintf(fs.Output(), "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// flagExit maps a flag parsing error to an exit code (help is success).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitPass
	}
	return ExitUsage
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
