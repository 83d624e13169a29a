package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/netlab-grader/grader/grader/batch"
	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/spec"
)

const interopExamples = `  grader interop --client echo-tcp-client --server echo-tcp-server --submissions lab1/
  grader interop --client crc8-client --server crc8-server --submissions lab2/ --out matrix.md

Every student's client runs against every student's server, the
reference server and the reference client included: the lab sheet's
cross-language robustness test, for the whole class. A cell passes when
the client exits 0 and prints what the client exercise expects.
`

func (e *env) interop(args []string) int {
	fs := newFlagSet(e, "interop", "interop --client EXERCISE --server EXERCISE --submissions DIR [flags]", interopExamples)
	var c common
	c.register(fs)
	clientID := fs.String("client", "", "the client `EXERCISE` (e.g. echo-tcp-client)")
	serverID := fs.String("server", "", "the server `EXERCISE` (e.g. echo-tcp-server)")
	subs := fs.String("submissions", "", "`DIR` with one folder per student")
	out := fs.String("out", "", "write the Markdown matrix to `FILE` as well")
	if _, err := e.parse(fs, args); err != nil {
		return flagExit(err)
	}
	if *clientID == "" || *serverID == "" || *subs == "" {
		fmt.Fprintln(e.stderr, "grader interop: want --client, --server and --submissions")
		fs.Usage()
		return ExitUsage
	}
	cfg, err := e.loadConfig(&c)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	cat, err := e.loadCatalog(&c)
	if err != nil {
		return e.fail(err)
	}
	cex, err := cat.Get(*clientID)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	sex, err := cat.Get(*serverID)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	if cex.Role != "client" || sex.Role != "server" {
		return e.fail(usageErr("--client must be a client exercise and --server a server exercise (got %s and %s)", cex.Role, sex.Role))
	}
	csc, ssc := firstWith(cex, func(s *spec.Scenario) bool { return s.Expect.Stdout != nil }), firstWith(sex, func(s *spec.Scenario) bool { return len(s.Steps) > 0 })
	if csc == nil || ssc == nil {
		return e.fail(usageErr("these exercises have no scenario to pair (a client scenario checking stdout, a server scenario with steps)"))
	}
	tmp, err := os.MkdirTemp("", "grader-interop-")
	if err != nil {
		return e.fail(err)
	}
	defer os.RemoveAll(tmp)
	students, err := batch.Discover(*subs, tmp)
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	ids := []string{cex.ID, sex.ID}
	var servers, clients []engine.Party
	for _, st := range students {
		if p := batch.SubmissionFor(st, sex.ID, ids); p != "" {
			servers = append(servers, engine.Party{ID: st.ID, Path: p})
		}
		if p := batch.SubmissionFor(st, cex.ID, ids); p != "" {
			clients = append(clients, engine.Party{ID: st.ID, Path: p})
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	eng := &engine.Engine{Cfg: cfg}
	cells, err := eng.Interop(ctx, cex, sex, csc, ssc, servers, clients, engine.Options{Log: e.logger(c.verbose)})
	if err != nil {
		return e.fail(err)
	}
	md := fmt.Sprintf("# %s × %s\n\nclient scenario %q, server scenario %q\n\n", cex.ID, sex.ID, csc.ID, ssc.ID) + engine.WriteMatrix(cells)
	failed := 0
	for _, c := range cells {
		if !c.OK {
			failed++
			md += fmt.Sprintf("\n- %s server × %s client: %s", c.Server, c.Client, c.Why)
		}
	}
	md += "\n"
	fmt.Fprint(e.stdout, md)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			return e.fail(err)
		}
	}
	if failed > 0 {
		return ExitFail
	}
	return ExitPass
}

func firstWith(ex *spec.Exercise, ok func(*spec.Scenario) bool) *spec.Scenario {
	for i := range ex.Scenarios {
		if ok(&ex.Scenarios[i]) {
			return &ex.Scenarios[i]
		}
	}
	return nil
}
