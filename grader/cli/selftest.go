package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/selftest"
)

const selftestExamples = `  grader selftest                        # every exercise with fixtures
  grader selftest echo-tcp-server udp-time
  grader selftest --fixtures fixtures/submissions --jobs 4
  grader selftest --format json          # one JSON verdict per fixture and line
`

func (e *env) selftest(args []string) int {
	fs := newFlagSet(e, "selftest", "selftest [EXERCISE...] [flags]", selftestExamples)
	var c common
	c.register(fs)
	fixtures := fs.String("fixtures", filepath.Join("fixtures", "submissions"), "`DIR` holding <exercise>/<fixture>/expect.yaml")
	box := sandboxFlag(fs)
	jobs := fs.Int("jobs", runtime.NumCPU(), "fixtures graded at once")
	format := fs.String("format", "text", "`FORMAT` of the verdicts: text, or json (one object per fixture and line; the tally then goes to stderr)")
	only, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	show, tally := selftest.Print, e.stdout
	switch *format {
	case "text":
	case "json":
		show, tally = selftest.PrintJSON, e.stderr
	default:
		return e.fail(usageErr("--format: got %q, want text or json", *format))
	}
	cfg, err := e.loadConfig(&c)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	cat, err := e.loadCatalog(&c)
	if err != nil {
		return e.fail(err)
	}
	for _, id := range only {
		if _, err := cat.Get(id); err != nil {
			return e.fail(usageErr("%v", err))
		}
	}
	fx, err := selftest.Discover(*fixtures, only)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	if len(fx) == 0 {
		return e.fail(usageErr("no fixtures found in %s", *fixtures))
	}
	// Exercises with no fixture at all are not proven: say so.
	have := map[string]bool{}
	for _, f := range fx {
		have[f.Exercise] = true
	}
	missing := 0
	for _, ex := range cat.All() {
		if (len(only) == 0 || contains(only, ex.ID)) && !have[ex.ID] {
			if *format == "json" {
				selftest.PrintJSON(e.stdout, selftest.Outcome{Fixture: selftest.Fixture{Exercise: ex.ID}, Problems: []string{"no fixtures"}})
			} else {
				fmt.Fprintf(e.stdout, "FAIL %-44s no fixtures\n", ex.ID)
			}
			missing++
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	self, _ := os.Executable()
	opts := engine.Options{Ports: "free", Log: e.logger(c.verbose)}
	if err := e.applySandbox(*box, &c, &opts, *fixtures); err != nil {
		return e.fail(err)
	}
	r := &selftest.Runner{Engine: &engine.Engine{Cfg: cfg}, Catalog: cat, Jobs: *jobs, Options: opts, Self: self}
	outs := r.Run(ctx, fx, func(o selftest.Outcome) { show(e.stdout, o) })
	failed := missing
	for _, o := range outs {
		if !o.OK {
			failed++
		}
	}
	fmt.Fprintf(tally, "selftest: %d passed, %d failed\n", len(outs)+missing-failed, failed)
	if failed > 0 {
		return ExitFail
	}
	return ExitPass
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
