package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/config"
)

// UsageError is a problem with what the user asked for (a missing file,
// an extension no runner knows); the command exits 2 for it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Program is a submission resolved to a runner, copied into a private
// folder where it is built and from which it runs.
type Program struct {
	// Submission is the path the user gave.
	Submission string
	Runner     config.Runner
	// Src is the private copy of the submission; Main the entry file in it.
	Src     string
	Main    string
	Sources []string
	Bin     string
	Build   string
	Class   string
	python  string
	custom  []string
}

// Limits on what is copied from a submission folder, so a huge or
// malicious folder cannot fill the disk.
const (
	maxFiles = 2000
	maxBytes = 64 << 20
)

// Prepare copies the submission into work/src and picks its runner. run,
// when not empty, is a shell command that replaces the runner's.
func Prepare(cfg *config.Config, submission, work, run string) (*Program, error) {
	info, err := os.Stat(submission)
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("submission %q: %v", submission, unwrapPath(err))}
	}
	p := &Program{Submission: submission, Src: filepath.Join(work, "src"), Build: filepath.Join(work, "build"), python: cfg.Python}
	p.Bin = filepath.Join(p.Build, "prog")
	if err := os.MkdirAll(p.Build, 0o755); err != nil {
		return nil, fmt.Errorf("could not create build folder: %w", err)
	}
	if err := copySubmission(submission, info, p.Src); err != nil {
		return nil, err
	}
	if run != "" {
		p.custom = []string{"/bin/sh", "-c", run}
		p.Runner = config.Runner{Name: "custom", Run: p.custom}
		if !info.IsDir() {
			p.Main = filepath.Join(p.Src, filepath.Base(submission))
		}
		return p, nil
	}
	files, err := listFiles(p.Src)
	if err != nil {
		return nil, err
	}
	var ext string
	if !info.IsDir() {
		ext = filepath.Ext(submission)
		p.Main = filepath.Join(p.Src, filepath.Base(submission))
	} else {
		ext, err = dominantExt(cfg, files, submission)
		if err != nil {
			return nil, err
		}
	}
	r, ok := cfg.RunnerFor(ext)
	if !ok {
		return nil, &UsageError{Msg: fmt.Sprintf("submission %q: no runner for extension %q (known: %s); use --run \"CMD\" to say how to run it", submission, ext, strings.Join(cfg.Extensions(), " "))}
	}
	p.Runner = r
	for _, f := range files {
		if slices.ContainsFunc(r.Ext, func(e string) bool { return strings.EqualFold(filepath.Ext(f), e) }) {
			p.Sources = append(p.Sources, f)
		}
	}
	if p.Main == "" {
		p.Main, err = pickMain(r, p.Sources, submission)
		if err != nil {
			return nil, err
		}
	}
	if r.Name == "java" {
		p.Class = javaMainClass(p.Sources)
	}
	return p, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func copySubmission(src string, info fs.FileInfo, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fmt.Errorf("could not create %s: %w", dst, err)
	}
	if !info.IsDir() {
		return copyFile(src, filepath.Join(dst, filepath.Base(src)), info.Mode())
	}
	n, total := 0, int64(0)
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "__pycache__" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		// Links could point anywhere on the grader's machine: not followed.
		if !d.Type().IsRegular() || d.Name() == "expect.yaml" {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n++
		total += fi.Size()
		if n > maxFiles || total > maxBytes {
			return &UsageError{Msg: fmt.Sprintf("submission %q is too large (more than %d files or %d MiB)", src, maxFiles, maxBytes>>20)}
		}
		return copyFile(path, filepath.Join(dst, rel), fi.Mode())
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("could not read submission: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm()|0o600)
	if err != nil {
		return fmt.Errorf("could not copy submission: %w", err)
	}
	if _, err := io.Copy(out, io.LimitReader(in, maxBytes)); err != nil {
		out.Close()
		return fmt.Errorf("could not copy submission: %w", err)
	}
	return out.Close()
}

func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, path)
		}
		return err
	})
	slices.Sort(out)
	return out, err
}

// dominantExt picks the language of a folder: the extension with a runner
// that has the most files.
func dominantExt(cfg *config.Config, files []string, sub string) (string, error) {
	count := map[string]int{}
	for _, f := range files {
		e := strings.ToLower(filepath.Ext(f))
		if _, ok := cfg.RunnerFor(e); ok {
			count[e]++
		}
	}
	best, n := "", 0
	for _, e := range cfg.Extensions() {
		if count[e] > n {
			best, n = e, count[e]
		}
	}
	if best == "" {
		return "", &UsageError{Msg: fmt.Sprintf("submission %q has no source file the grader can run (known: %s); use --run \"CMD\"", sub, strings.Join(cfg.Extensions(), " "))}
	}
	return best, nil
}

var mainNames = []string{"main", "index", "server", "client", "Main"}

func pickMain(r config.Runner, sources []string, sub string) (string, error) {
	if len(sources) == 1 {
		return sources[0], nil
	}
	if r.Build != nil {
		return "", nil // compiled languages build every source
	}
	for _, n := range mainNames {
		for _, s := range sources {
			if strings.TrimSuffix(filepath.Base(s), filepath.Ext(s)) == n && filepath.Dir(s) == filepath.Dir(sources[0]) {
				return s, nil
			}
		}
	}
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = filepath.Base(s)
	}
	return "", &UsageError{Msg: fmt.Sprintf("submission %q has several %s files (%s) and none is named main: rename the entry point or pass the file itself", sub, r.Name, strings.Join(names, ", "))}
}

var javaMainRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`public\s+static\s+void\s+main\s*\(`) })
var javaPkgRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*package\s+([\w.]+)\s*;`) })

func javaMainClass(sources []string) string {
	for _, s := range sources {
		b, err := os.ReadFile(s)
		if err != nil || !javaMainRE().Match(b) {
			continue
		}
		cls := strings.TrimSuffix(filepath.Base(s), ".java")
		if m := javaPkgRE().FindSubmatch(b); m != nil {
			cls = string(m[1]) + "." + cls
		}
		return cls
	}
	return "Main"
}

// NeedsBuild reports whether the runner has a build step.
func (p *Program) NeedsBuild() bool { return len(p.Runner.Build) > 0 && p.custom == nil }

// BuildResult is the outcome of compiling.
type BuildResult struct {
	Command  []string
	OK       bool
	TimedOut bool
	// ExitCode and Signal say how the compiler ended (Signal "" unless
	// a signal killed it).
	ExitCode int
	Signal   string
	Output   string
	Duration time.Duration
	CPU      time.Duration
}

// Compile runs the build step under timeout.
func (p *Program) Compile(ctx context.Context, timeout time.Duration, outputCap int64) BuildResult {
	argv := p.expand(p.Runner.Build, nil)
	proc, err := Start(Spec{Argv: argv, Dir: p.Src, Env: Environ(p.Build, p.Runner.Env), OutputCap: outputCap})
	if err != nil {
		return BuildResult{Command: argv, Output: err.Error()}
	}
	var res Result
	select {
	case <-ctx.Done():
		res = proc.Stop()
	case <-proc.Done():
		res = proc.Wait(0)
	case <-time.After(timeout):
		res = proc.Wait(0)
	}
	out := string(res.Stdout) + string(res.Stderr)
	return BuildResult{Command: argv, OK: res.ExitCode == 0 && !res.TimedOut, TimedOut: res.TimedOut, ExitCode: res.ExitCode, Signal: res.Signal, Output: out, Duration: res.Duration, CPU: res.CPU}
}

// Command returns the argv that runs the program with args.
func (p *Program) Command(args []string) []string {
	if p.custom != nil {
		// The custom command gets the arguments as "$@" (appended unless
		// the command places them itself).
		script := p.custom[2]
		if !strings.Contains(script, "$@") && !strings.Contains(script, "$*") {
			script += ` "$@"`
		}
		return append([]string{p.custom[0], p.custom[1], script, "grader-run"}, args...)
	}
	return append(p.expand(p.Runner.Run, nil), args...)
}

// Env is the runner's extra environment.
func (p *Program) Env() map[string]string { return p.Runner.Env }

func (p *Program) expand(tmpl []string, _ map[string]string) []string {
	var out []string
	for _, t := range tmpl {
		if t == "{sources}" {
			out = append(out, p.Sources...)
			continue
		}
		if t == "{linebuf_c}" {
			out = append(out, p.linebuf())
			continue
		}
		r := strings.NewReplacer("{main}", p.Main, "{bin}", p.Bin, "{build}", p.Build, "{class}", p.Class, "{python}", p.python, "{src}", p.Src)
		out = append(out, r.Replace(t))
	}
	return out
}

// linebufSource makes a C program's stdout line-buffered from its first
// instruction, as a terminal would: a server the grader stops still shows
// what it printed, and printf output interleaves with the wire as the
// student expects. Linked into C builds through {linebuf_c}.
const linebufSource = `#include <stdio.h>
__attribute__((constructor)) static void grader_linebuf(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
}
`

// linebuf writes the line-buffering object's source into the build folder
// and returns its path.
func (p *Program) linebuf() string {
	f := filepath.Join(p.Build, "grader_linebuf.c")
	if _, err := os.Stat(f); err != nil {
		_ = os.WriteFile(f, []byte(linebufSource), 0o644)
	}
	return f
}

// LookPath reports whether the runner's tools exist, so a missing
// compiler is the grader's environment problem, not the student's.
func (p *Program) LookPath() error {
	for _, tmpl := range [][]string{p.Runner.Build, p.Runner.Run} {
		argv := p.expand(tmpl, nil)
		if len(argv) == 0 || p.custom != nil || strings.HasPrefix(argv[0], "/") && strings.HasPrefix(argv[0], p.Build) {
			continue
		}
		if _, err := exec.LookPath(argv[0]); err != nil {
			return fmt.Errorf("the %s runner needs %q, which is not installed: %w", p.Runner.Name, argv[0], err)
		}
	}
	return nil
}
