package engine

import (
	"context"
	"os"
	"strconv"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/ready"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/wire"
)

// Party is one side of an interop run: a student's submission, or the
// reference (Path empty).
type Party struct {
	ID   string
	Path string
}

// Cell is the outcome of one client against one server.
type Cell struct {
	Server, Client string
	OK             bool
	Why            string
}

// Reference names the grader's own side in a matrix.
const Reference = "reference"

// Interop runs every client against every server, the seeds' robustness
// test class-wide: the client exercise's scenario gives the client's
// arguments and what its output must show; the server exercise's scenario
// is what the reference client plays. The reference server (the client
// exercise's first reference server) and the reference client are added
// as a row and a column.
func (e *Engine) Interop(ctx context.Context, clientEx, serverEx *spec.Exercise, clientSc, serverSc *spec.Scenario, servers, clients []Party, opt Options) ([]Cell, error) {
	work, err := os.MkdirTemp(opt.TempDir, "grader-interop-")
	if err != nil {
		return nil, &GraderError{err}
	}
	defer os.RemoveAll(work)
	opt.Ports = "free"
	build := func(p Party, role string) (*run.Program, string) {
		dir := work + "/" + role + "-" + p.ID
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err.Error()
		}
		prog, err := run.Prepare(e.Cfg, p.Path, dir, "")
		if err != nil {
			return nil, err.Error()
		}
		if prog.NeedsBuild() {
			if b := prog.Compile(ctx, e.Cfg.BuildTimeout(), int64(e.Cfg.Limits.Output)); !b.OK {
				return nil, "does not build"
			}
		}
		return prog, ""
	}
	type built struct {
		Party
		prog *run.Program
		why  string
	}
	var srv, cli []built
	for _, p := range servers {
		prog, why := build(p, "server")
		srv = append(srv, built{p, prog, why})
	}
	for _, p := range clients {
		prog, why := build(p, "client")
		cli = append(cli, built{p, prog, why})
	}
	var cells []Cell
	// The reference server against each client.
	for _, c := range cli {
		cell := Cell{Server: Reference, Client: c.ID}
		if c.prog == nil {
			cell.Why = "client " + c.why
		} else {
			r := result.Scenario{}
			dir, _ := os.MkdirTemp(work, "run-")
			e.clientScenario(ctx, clientEx, clientSc, c.prog, dir, clientEx.Run.Timeout.Std(e.Cfg.ScenarioTimeout()), nil, opt, wire.New(), &r)
			cell.OK, cell.Why = r.Status == result.Passed, firstFailure(r)
		}
		cells = append(cells, cell)
	}
	for _, s := range srv {
		// The reference client against this server.
		cell := Cell{Server: s.ID, Client: Reference}
		if s.prog == nil {
			cell.Why = "server " + s.why
		} else {
			r := result.Scenario{}
			dir, _ := os.MkdirTemp(work, "run-")
			e.serverScenario(ctx, serverEx, serverSc, s.prog, dir, serverEx.Run.Timeout.Std(e.Cfg.ScenarioTimeout()), nil, opt, wire.New(), &r)
			cell.OK, cell.Why = r.Status == result.Passed, firstFailure(r)
		}
		cells = append(cells, cell)
		for _, c := range cli {
			cells = append(cells, e.pair(ctx, serverEx, clientEx, clientSc, s.ID, s.prog, s.why, c.ID, c.prog, c.why, work))
		}
	}
	return cells, nil
}

func firstFailure(r result.Scenario) string {
	for _, c := range r.Checks {
		if !c.Passed {
			return c.Name + ": " + c.Message
		}
	}
	if r.Status != result.Passed {
		return r.Status + " " + r.Reason
	}
	return ""
}

// pair runs one student client against one student server.
func (e *Engine) pair(ctx context.Context, serverEx, clientEx *spec.Exercise, clientSc *spec.Scenario, sid string, sprog *run.Program, swhy, cid string, cprog *run.Program, cwhy, work string) Cell {
	cell := Cell{Server: sid, Client: cid}
	switch {
	case sprog == nil:
		cell.Why = "server " + swhy
		return cell
	case cprog == nil:
		cell.Why = "client " + cwhy
		return cell
	}
	proto := serverEx.Run.Protocol
	if proto == "" {
		proto = "tcp"
	}
	host := loopback(serverEx.Run.Family)
	port, err := freePort(proto, host)
	if err != nil {
		cell.Why = err.Error()
		return cell
	}
	sdir, _ := os.MkdirTemp(work, "srv-")
	v, env := vars(host, port, nil, sdir)
	sp, err := run.Start(run.Spec{Argv: sprog.Command(expand(serverEx.Run.Args, v)), Dir: sdir, Env: e.environ(serverEx, sprog, sdir, env), OutputCap: int64(e.Cfg.Limits.Output)})
	if err != nil {
		cell.Why = err.Error()
		return cell
	}
	defer sp.Cleanup()
	rctx, cancel := context.WithTimeout(ctx, e.Cfg.ReadyTimeout())
	socks, err := ready.Wait(rctx, proto, ready.Procs{Main: sp.MainPid, All: sp.Pids, Gone: sp.Gone})
	cancel()
	if err != nil && err != ready.ErrUnsupported {
		cell.Why = "the server did not listen"
		return cell
	}
	if len(socks) > 0 {
		port = int(pick(socks, port, serverEx.Run.Family).Addr.Port())
	}
	cdir, _ := os.MkdirTemp(work, "cli-")
	cv, cenv := vars(host, port, nil, cdir)
	args := clientEx.Run.Args
	if clientSc.Args != nil {
		args = clientSc.Args
	}
	cp, err := run.Start(run.Spec{Argv: cprog.Command(expand(args, cv)), Dir: cdir, Env: e.environ(clientEx, cprog, cdir, cenv), OutputCap: int64(e.Cfg.Limits.Output)})
	if err != nil {
		cell.Why = err.Error()
		return cell
	}
	defer cp.Cleanup()
	res := cp.WaitContext(ctx, clientEx.Run.Timeout.Std(e.Cfg.ScenarioTimeout()))
	switch {
	case res.TimedOut:
		cell.Why = "the client did not finish"
	case res.Crashed():
		cell.Why = "the client crashed: " + res.Signal
	case res.ExitCode != 0:
		cell.Why = "the client exited with code " + strconv.Itoa(res.ExitCode)
	case clientSc.Expect.Stdout != nil:
		c := check.Match("stdout", clientSc.Expect.Stdout, res.Stdout, "the client printed")
		cell.OK, cell.Why = c.Passed, c.Message
	default:
		cell.OK = true
	}
	return cell
}

// WriteMatrix prints the matrix as Markdown: servers as rows, clients as
// columns.
func WriteMatrix(cells []Cell) string {
	var rows, cols []string
	seenR, seenC := map[string]bool{}, map[string]bool{}
	at := map[string]Cell{}
	for _, c := range cells {
		if !seenR[c.Server] {
			seenR[c.Server] = true
			rows = append(rows, c.Server)
		}
		if !seenC[c.Client] {
			seenC[c.Client] = true
			cols = append(cols, c.Client)
		}
		at[c.Server+"\x00"+c.Client] = c
	}
	out := "| server \\ client |"
	sep := "|---|"
	for _, c := range cols {
		out += " " + c + " |"
		sep += "---|"
	}
	out += "\n" + sep + "\n"
	for _, r := range rows {
		out += "| " + r + " |"
		for _, c := range cols {
			cell, ok := at[r+"\x00"+c]
			switch {
			case !ok:
				out += "  |"
			case cell.OK:
				out += " ✅ |"
			default:
				out += " ❌ |"
			}
		}
		out += "\n"
	}
	return out
}
