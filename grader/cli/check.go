package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/catalog"
	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/i18n"
	"github.com/netlab-grader/grader/grader/report"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

const checkExamples = `  grader check echo-tcp-server server.py
  grader check echo-tcp-client client.c --format json
  grader check udp-time solution/ --out report.txt
  grader check http-range get.py --format junit --out report.xml
  grader check http-range get.py --format html --out report.html
  grader check echo-udp-client Client.java --ports free
`

func (e *env) check(args []string) int {
	fs := newFlagSet(e, "check", "check EXERCISE SUBMISSION [flags]", checkExamples)
	var c common
	c.register(fs)
	format := fs.String("format", "text", "report `format`: "+strings.Join(report.Formats, ", "))
	out := fs.String("out", "", "write the report to `FILE` instead of stdout")
	runCmd := fs.String("run", "", "shell `CMD` that runs the submission instead of the language's runner (arguments are appended; {grader} is this grader, execute-only under the sandbox)")
	ports := fs.String("ports", "", "`policy` for reference server ports: seed (the lab sheet's fixed ports, default) or free")
	color := fs.String("color", "auto", "colour in text reports (other formats never): auto (on a terminal), always, never")
	showHidden := fs.Bool("show-hidden", false, "show the details of hidden scenarios (for teachers)")
	keep := fs.Bool("keep", false, "keep the work folder (printed on stderr) for debugging")
	lang := fs.String("lang", "", "report `language`: en or fr (default: from LC_ALL, LC_MESSAGES, LANG)")
	pcap := fs.String("pcap", "", "write each scenario's transcript to `DIR`/EXERCISE-SCENARIO.pcapng for Wireshark (synthesised packets)")
	box := sandboxFlag(fs)
	pos, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 2 {
		fmt.Fprintf(e.stderr, "grader check: want EXERCISE and SUBMISSION, got %d argument(s)\n", len(pos))
		fs.Usage()
		return ExitUsage
	}
	if !slices.Contains(report.Formats, *format) {
		return e.fail(usageErr("--format: got %q, want one of: %s", *format, strings.Join(report.Formats, ", ")))
	}
	if _, ok := i18n.Lookup(*lang); *lang != "" && !ok {
		return e.fail(usageErr("--lang: got %q, want en or fr", *lang))
	}
	if *ports != "" && *ports != "seed" && *ports != "free" {
		return e.fail(usageErr("--ports: got %q, want seed or free", *ports))
	}
	if *color != "auto" && *color != "always" && *color != "never" {
		return e.fail(usageErr("--color: got %q, want auto, always or never", *color))
	}
	cfg, err := e.loadConfig(&c)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	ex, err := catalog.LoadOne(grader.Files, "exercises", c.exercises, pos[0])
	if err != nil {
		var ps spec.Problems
		if errors.As(err, &ps) {
			return e.fail(err)
		}
		return e.fail(usageErr("%v", err))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	eng := &engine.Engine{Cfg: cfg}
	opts := engine.Options{Run: *runCmd, Ports: *ports, ShowHidden: *showHidden, Keep: *keep, PcapDir: *pcap, Log: e.logger(c.verbose)}
	if err := e.applySandbox(*box, &c, &opts); err != nil {
		return e.fail(err)
	}
	rep, err := eng.Check(ctx, ex, pos[1], opts)
	if err != nil {
		return e.fail(err)
	}
	l := i18n.Parse(*lang, e.getenv)
	if *format != "json" || *lang != "" {
		// JSON is machine input: localized only when asked for.
		i18n.Localize(rep, ex, l)
	}
	w := e.stdout
	var f *os.File
	if *out != "" {
		f, err = os.Create(*out)
		if err != nil {
			return e.fail(usageErr("--out: %v", err))
		}
		w = f
	}
	// Colour is for a person reading text on a terminal; other formats
	// are files and machine input, never painted.
	useColor := *format == "text" && (*color == "always" || *color == "auto" && *out == "" && isTerminal(e.stdout) && e.getenv("NO_COLOR") == "")
	if err := report.Write(w, *format, rep, report.TextOptions{Color: useColor, Verbose: c.verbose, Lang: l}); err != nil {
		return e.fail(err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stderr, "grader: report written to %s (score %d/%d)\n", *out, rep.Score, rep.MaxScore)
	}
	return exitFor(rep)
}

func exitFor(rep *result.Report) int {
	switch rep.Status {
	case result.Passed:
		return ExitPass
	case result.Error:
		return ExitGrader
	}
	return ExitFail
}
