package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/spec"
)

// Speed targets live here, never in timed specs: `make bench` runs these.
// The target is ≤ 5 ms per scenario beyond the submission's own run; the
// overhead itself (grader time minus the program's own time) is what
// `go run ./grader/benchcmd` reports.

// repoRoot is the folder holding go.mod, found upwards from the package
// folder `go test` runs in.
func repoRoot(b *testing.B) string {
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Fatal("go.mod not found above the package folder")
		}
		dir = parent
	}
}

// BenchmarkCheck grades the compiled C fixtures with the engine in-process
// and reports "ms/scenario": the wall time of one Check minus its build
// step, divided by the number of scenarios run.
//
// The C compiler (≈0.5-1 s, part of `grader check` but not of a
// scenario) would drown the per-scenario cost, so the fixture is compiled
// once with the engine's own build step and grader.yaml's C runner is
// given a build that copies that binary; the run command ({bin})
// is unchanged. "build-ms/op" shows what the copy costs.
func BenchmarkCheck(b *testing.B) {
	root := repoRoot(b)
	cfg, err := config.Load(filepath.Join(root, "grader.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	exercises, err := spec.LoadFS(os.DirFS(root), "exercises")
	if err != nil {
		b.Fatal(err)
	}
	byID := map[string]*spec.Exercise{}
	for _, ex := range exercises {
		byID[ex.ID] = ex
	}
	for _, tc := range []struct{ exercise, fixture string }{
		{"echo-tcp-client", "fixtures/submissions/echo-tcp-client/c"},
		{"echo-tcp-server", "fixtures/submissions/echo-tcp-server/c"},
	} {
		b.Run(tc.exercise+"/c", func(b *testing.B) {
			ex := byID[tc.exercise]
			if ex == nil {
				b.Fatalf("exercise %s not found under %s/exercises", tc.exercise, root)
			}
			submission := filepath.Join(root, tc.fixture)
			eng := &engine.Engine{Cfg: prebuilt(b, cfg, submission)}
			opt := engine.Options{Ports: "free", TempDir: b.TempDir()}
			ctx := context.Background()
			grade := func() (scenarios int, build, total time.Duration) {
				t0 := time.Now()
				rep, err := eng.Check(ctx, ex, submission, opt)
				total = time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				for _, sc := range rep.Scenarios {
					if sc.Status != result.Passed {
						b.Fatalf("scenario %s: %s %s (the fixture must pass to be benchmarked)", sc.ID, sc.Status, sc.Reason)
					}
					if sc.ID == "build" {
						build += time.Duration(sc.DurationMS) * time.Millisecond
						continue
					}
					scenarios++
				}
				return scenarios, build, total
			}
			grade() // warm up: page cache, first fork of this process
			var n int
			var build, total time.Duration
			for b.Loop() {
				s, bd, td := grade()
				n, build, total = n+s, build+bd, total+td
			}
			if n > 0 {
				b.ReportMetric(float64(total-build)/float64(time.Millisecond)/float64(n), "ms/scenario")
				b.ReportMetric(float64(build)/float64(time.Millisecond)/float64(b.N), "build-ms/op")
			}
		})
	}
}

// prebuilt compiles submission once with cfg's runner and returns a copy
// of cfg whose runner "builds" by copying the binary.
func prebuilt(b *testing.B, cfg *config.Config, submission string) *config.Config {
	work := b.TempDir()
	prog, err := run.Prepare(cfg, submission, work, "")
	if err != nil {
		b.Fatal(err)
	}
	if !prog.NeedsBuild() {
		return cfg
	}
	res := prog.Compile(context.Background(), cfg.BuildTimeout(), int64(cfg.Limits.Output))
	if !res.OK {
		b.Fatalf("building %s failed: %s", submission, res.Output)
	}
	c := *cfg
	c.Runners = make([]config.Runner, len(cfg.Runners))
	copy(c.Runners, cfg.Runners)
	for i := range c.Runners {
		if c.Runners[i].Name == prog.Runner.Name {
			c.Runners[i].Build = []string{"cp", prog.Bin, "{bin}"}
		}
	}
	return &c
}
