package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
	"github.com/netlab-grader/grader/reference/httpd"
	"github.com/netlab-grader/grader/reference/wsecho"
)

const serveExamples = `  grader serve echo-tcp --port 1234      # then run your client against it
  grader serve echo-udp --port 1234 --host ::1
  grader serve udp-time --port 1060
  grader serve sink-tcp --port 1234     # shows, in hex, the frame your client sends
  grader serve ws --port 9527           # a WebSocket echo server (ws://127.0.0.1:9527/)
  grader serve http --root fixtures/www --port 8080   # the strict HTTP/1.1 file server
  grader serve http --root www --segment 7 --delay 2ms  # responses in 7-byte pieces
`

// serveKinds are the reference servers `grader serve` can run.
var serveKinds = []string{"echo-tcp", "echo-udp", "udp-time", "sink-tcp", "ws", "http"}

func (e *env) serve(args []string) int {
	fs := newFlagSet(e, "serve", "serve KIND [--port N] [--host ADDR] [--root DIR]  (KIND: echo-tcp, echo-udp, udp-time, sink-tcp, ws, http)", serveExamples)
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	host := fs.String("host", "127.0.0.1", "address to listen on")
	root := fs.String("root", "", "http: the directory to serve (required)")
	segment := fs.Int("segment", 0, "http: write responses in pieces of N bytes (0: whole)")
	delay := fs.Duration("delay", 0, "http: pause between pieces, e.g. 2ms")
	pos, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || !contains(serveKinds, pos[0]) {
		fmt.Fprintf(e.stderr, "grader serve: want one KIND of: %s\n", strings.Join(serveKinds, ", "))
		return ExitUsage
	}
	if pos[0] == "http" && *root == "" {
		fmt.Fprintln(e.stderr, "grader serve http: --root DIR is required (the files to serve, e.g. fixtures/www)")
		return ExitUsage
	}
	t := wire.New()
	cfg := echo.Config{Addr: net.JoinHostPort(*host, strconv.Itoa(*port)), Transcript: t}
	var srv interface {
		Addr() net.Addr
		Close() error
	}
	switch pos[0] {
	case "echo-tcp":
		srv, err = echo.NewTCP(cfg)
	case "echo-udp":
		srv, err = echo.NewUDP(cfg)
	case "sink-tcp":
		cfg.Reply = func([]byte) []byte { return nil }
		srv, err = echo.NewTCP(cfg)
	case "ws":
		srv, err = wsecho.New(wsecho.Config{Addr: cfg.Addr, Transcript: t})
	case "http":
		srv, err = httpd.New(httpd.Config{Addr: cfg.Addr, Root: *root, Transcript: t, Segment: *segment, Delay: *delay})
	case "udp-time":
		cfg.Reply = func(m []byte) []byte { return []byte(fmt.Sprintf("Your data was %d bytes long ", len(m))) }
		srv, err = echo.NewUDP(cfg)
	}
	if err != nil {
		if pos[0] == "http" {
			return e.fail(usageErr("could not start the HTTP server: %v", err))
		}
		return e.fail(usageErr("could not listen on %s: %v", cfg.Addr, err))
	}
	defer srv.Close()
	fmt.Fprintf(e.stdout, "%s listening on %s (Ctrl-C to stop)\n", pos[0], srv.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Show the exchange as it happens.
	seen := 0
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(e.stdout, "stopped")
			return ExitPass
		case <-tick.C:
			evs := t.Events()
			for _, ev := range evs[seen:] {
				fmt.Fprintf(e.stdout, "#%d %s %s  [%s]\n", ev.Conn, ev.Dir, check.Describe(ev.Data), check.Hex(ev.Data, 64))
			}
			seen = len(evs)
		}
	}
}
