package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/batch"
	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/report"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

const batchExamples = `  grader batch echo-tcp-client echo-tcp-server --submissions lab1/ --out grades/
  grader batch crc8-client --submissions lab2/ --jobs 4
  grader batch echo-tcp-client --submissions lab1/ --shard 2/3 --out shard-2/   # one CI job of three
  grader merge shard-1/ shard-2/ shard-3/ --out grades/

The submissions folder holds one folder, file or .zip per student, named
by the student id. For each exercise the grader uses the student's
<exercise>/ folder if there is one, else a file named <exercise>.*, else
the whole submission. Results are written as they finish; run the same
command again after an interruption and finished, unchanged work is kept.
`

func (e *env) batch(args []string) int {
	fs := newFlagSet(e, "batch", "batch EXERCISE... --submissions DIR [flags]", batchExamples)
	var c common
	c.register(fs)
	subs := fs.String("submissions", "", "`DIR` with one folder, file or .zip per student (required)")
	out := fs.String("out", "grader-out", "output `DIR`: results/, gradebook.csv, results.json, summary.csv")
	jobs := fs.Int("jobs", runtime.NumCPU(), "submissions graded at once")
	shard := fs.String("shard", "", "grade only shard `K/N` of the students (e.g. 2/3; in a Kubernetes Indexed Job: $((JOB_COMPLETION_INDEX+1))/N)")
	pcap := fs.String("pcap", "", "write each scenario's transcript to `DIR`/STUDENT-EXERCISE-SCENARIO.pcapng")
	ports := fs.String("ports", "free", "port `policy` for reference servers: free (default in batch: submissions run side by side) or seed; the sandbox always uses the seed ports, each submission in its own network")
	box := sandboxFlag(fs)
	exs, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(exs) == 0 || *subs == "" {
		fmt.Fprintln(e.stderr, "grader batch: want at least one EXERCISE and --submissions DIR")
		fs.Usage()
		return ExitUsage
	}
	o := batch.Options{Submissions: *subs, Out: *out, Jobs: *jobs, SpecBytes: map[string][]byte{}}
	if *shard != "" {
		k, n, err := batch.ParseShard(*shard)
		if err != nil {
			return e.fail(usageErr("%v", err))
		}
		o.ShardK, o.ShardN = k, n
	}
	if *ports != "free" && *ports != "seed" {
		return e.fail(usageErr("--ports: got %q, want free or seed", *ports))
	}
	cfg, err := e.loadConfig(&c)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	cat, err := e.loadCatalog(&c)
	if err != nil {
		return e.fail(err)
	}
	for _, id := range exs {
		ex, err := cat.Get(id)
		if err != nil {
			return e.fail(usageErr("%v", err))
		}
		o.Exercises = append(o.Exercises, ex)
		o.SpecBytes[id] = specBytes(ex, cat.Origin[id])
	}
	if info, err := os.Stat(*subs); err != nil || !info.IsDir() {
		return e.fail(usageErr("--submissions %q is not a folder", *subs))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o.Engine = &engine.Engine{Cfg: cfg}
	o.EngineOptions = engine.Options{Ports: *ports, PcapDir: *pcap, Log: e.logger(c.verbose)}
	if err := e.applySandbox(*box, &c, &o.EngineOptions, *subs, *out); err != nil {
		return e.fail(err)
	}
	o.Progress, o.TTY = e.stderr, isTerminal(e.stderr)
	outcomes, err := batch.Run(ctx, o)
	if err != nil && ctx.Err() == nil {
		return e.fail(err)
	}
	graderErrors := 0
	for _, oc := range outcomes {
		if oc.Err != nil && ctx.Err() == nil {
			fmt.Fprintf(e.stderr, "grader: %s %s: %v\n", oc.Student, oc.Exercise, oc.Err)
			graderErrors++
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "grader: interrupted; run the same command again to finish (finished results are kept)")
		return ExitGrader
	}
	return e.writeBatchOutputs(*out, graderErrors)
}

// writeBatchOutputs rebuilds gradebook and summaries from every stored
// result of the folder.
func (e *env) writeBatchOutputs(out string, graderErrors int) int {
	entries, err := batch.Collect(out)
	if err != nil {
		return e.fail(err)
	}
	if err := batch.WriteOutputs(out, entries); err != nil {
		return e.fail(err)
	}
	if err := writeClassReports(out, entries); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "%d results · gradebook: %s · report: %s\n\n", len(entries), filepath.Join(out, "gradebook.csv"), filepath.Join(out, "report.html"))
	batch.WriteSummary(e.stdout, batch.PassRates(entries), 15)
	if graderErrors > 0 {
		return ExitGrader
	}
	return ExitPass
}

// specBytes is the exercise file's content, part of the content hash.
func specBytes(ex *spec.Exercise, origin string) []byte {
	if origin == "built-in" {
		b, _ := grader.Files.ReadFile(ex.File)
		return b
	}
	b, _ := os.ReadFile(ex.File)
	return b
}

const mergeExamples = `  grader merge shard-1/ shard-2/ shard-3/ --out grades/
`

func (e *env) merge(args []string) int {
	fs := newFlagSet(e, "merge", "merge DIR... [--out DIR]", mergeExamples)
	out := fs.String("out", "grader-out", "`DIR` for the merged gradebook, results.json and summaries")
	dirs, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(dirs) == 0 {
		fmt.Fprintln(e.stderr, "grader merge: want the output folders of the shards")
		return ExitUsage
	}
	entries, err := batch.Collect(dirs...)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	if err := batch.WriteOutputs(*out, entries); err != nil {
		return e.fail(err)
	}
	if err := writeClassReports(*out, entries); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "%d results from %d folders · gradebook: %s\n", len(entries), len(dirs), filepath.Join(*out, "gradebook.csv"))
	return ExitPass
}

// classFormats are the whole-class reports batch and merge write beside
// the gradebook.
var classFormats = map[string]string{"html": "report.html", "junit": "junit.xml", "tap": "report.tap", "markdown": "report.md"}

// writeClassReports renders every student's results in each class format.
func writeClassReports(out string, entries []batch.Entry) error {
	reps := make([]*result.Report, 0, len(entries))
	for _, en := range entries {
		r := *en.Report
		r.Submission = en.Student
		reps = append(reps, &r)
	}
	for format, name := range classFormats {
		var b bytes.Buffer
		if err := report.WriteAll(&b, format, reps, report.TextOptions{}); err != nil {
			return fmt.Errorf("could not write %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
