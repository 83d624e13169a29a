package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
	"github.com/netlab-grader/grader/reference/httpd"
	"github.com/netlab-grader/grader/reference/tlsref"
	"github.com/netlab-grader/grader/reference/wsecho"
)

const serveExamples = `  grader serve echo-tcp --port 1234      # then run your client against it
  grader serve echo-udp --port 1234 --host ::1
  grader serve udp-time --port 1060
  grader serve sink-tcp --port 1234     # shows, in hex, the frame your client sends
  grader serve ws --port 9527           # a WebSocket echo server (ws://127.0.0.1:9527/)
  grader serve http --root fixtures/www --port 8080   # the strict HTTP/1.1 file server
  grader serve http --root www --segment 7 --delay 2ms  # responses in 7-byte pieces
  grader serve https --port 8443        # HTTPS (the built-in pages unless --root), with a CA made for the run
  grader serve https --variant expired  # a certificate a verifying client must refuse
`

// serveKinds are the reference servers `grader serve` can run.
var serveKinds = []string{"echo-tcp", "echo-udp", "udp-time", "sink-tcp", "ws", "http", "https"}

func (e *env) serve(args []string) int {
	fs := newFlagSet(e, "serve", "serve KIND [--port N] [--host ADDR] [--root DIR]  (KIND: echo-tcp, echo-udp, udp-time, sink-tcp, ws, http, https)", serveExamples)
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	host := fs.String("host", "127.0.0.1", "address to listen on")
	root := fs.String("root", "", "http: the directory to serve (required)")
	segment := fs.Int("segment", 0, "http: write responses in pieces of N bytes (0: whole)")
	delay := fs.Duration("delay", 0, "http: pause between pieces, e.g. 2ms")
	caFile := fs.String("ca", "", "https: `FILE` to write the CA certificate to, for curl --cacert or SSL_CERT_FILE (default: grader-ca-PORT.pem in the temporary folder)")
	keylog := fs.String("keylog", "", "https: append the TLS session secrets to `FILE` (NSS key log format, for Wireshark)")
	variant := fs.String("variant", "trusted", "https: the certificate presented: trusted, untrusted (another CA), wrong-name, expired")
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
	var https *tlsref.Server
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
	case "https":
		if https, err = startHTTPS(cfg.Addr, *root, *variant, *keylog, httpd.Config{Transcript: t, Segment: *segment, Delay: *delay}); err == nil {
			srv = https
		}
	case "udp-time":
		cfg.Reply = func(m []byte) []byte { return []byte(fmt.Sprintf("Your data was %d bytes long ", len(m))) }
		srv, err = echo.NewUDP(cfg)
	}
	if err != nil {
		if pos[0] == "http" || pos[0] == "https" {
			return e.fail(usageErr("could not start the %s server: %v", strings.ToUpper(pos[0]), err))
		}
		return e.fail(usageErr("could not listen on %s: %v", cfg.Addr, err))
	}
	defer srv.Close()
	fmt.Fprintf(e.stdout, "%s listening on %s (Ctrl-C to stop)\n", pos[0], srv.Addr())
	shown := t
	if https != nil {
		// The wire holds TLS records: show the decrypted exchange and
		// each handshake instead.
		shown = https.Plaintext()
		if *caFile == "" {
			*caFile = filepath.Join(os.TempDir(), fmt.Sprintf("grader-ca-%d.pem", https.Port()))
		}
		if err := os.WriteFile(*caFile, https.CAPEM(), 0o644); err != nil {
			return e.fail(usageErr("could not write the CA certificate: %v", err))
		}
		fmt.Fprintf(e.stdout, "%s (certificate: %s) · CA certificate written to %s\n", https.URL()+"/", https.Variant(), *caFile)
		fmt.Fprintf(e.stdout, "try: curl --cacert %s %s/   or   SSL_CERT_FILE=%s HOST=%s PORT=%d python3 client.py\n", *caFile, https.URL(), *caFile, https.HostName(), https.Port())
	}
	handshakes := 0
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
			if https != nil {
				handshakes = printHandshakes(e.stdout, https, handshakes)
			}
			evs := shown.Events()
			for _, ev := range evs[seen:] {
				fmt.Fprintf(e.stdout, "#%d %s %s  [%s]\n", ev.Conn, ev.Dir, check.Describe(ev.Data), check.Hex(ev.Data, 64))
			}
			seen = len(evs)
		}
	}
}

// startHTTPS starts the TLS reference server for `grader serve https`,
// serving root or, without it, the built-in pages.
func startHTTPS(addr, root, variant, keylog string, hc httpd.Config) (*tlsref.Server, error) {
	if !contains(tlsVariants(), variant) {
		return nil, fmt.Errorf("--variant %q: want one of %s", variant, strings.Join(tlsVariants(), ", "))
	}
	if root != "" {
		hc.Root = root
	} else {
		www, err := fs.Sub(grader.Files, "fixtures/www")
		if err != nil {
			return nil, err
		}
		hc.FS = www
	}
	cfg := tlsref.Config{Addr: addr, Variant: tlsref.Variant(variant), HTTP: hc}
	if h, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() && !ip.IsUnspecified() {
			cfg.Names = []string{h}
		}
	}
	if keylog != "" {
		f, err := os.OpenFile(keylog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, err
		}
		cfg.KeyLog = f // closed when the command exits
	}
	return tlsref.New(cfg)
}

func tlsVariants() []string {
	var out []string
	for _, v := range tlsref.Variants {
		out = append(out, string(v))
	}
	return out
}

// printHandshakes prints the handshakes that ended since the first
// `from`, in order, and returns how many are printed.
func printHandshakes(w io.Writer, s *tlsref.Server, from int) int {
	hs := s.Handshakes()
	for ; from < len(hs); from++ {
		h := hs[from]
		switch {
		case h.Done:
			fmt.Fprintf(w, "#%d TLS: SNI %q, offered %s, ALPN %v: %s negotiated\n", h.Conn, h.SNI, h.OfferedVersions(), h.ALPN, tls.VersionName(h.Version))
		case len(h.Plain) > 0:
			fmt.Fprintf(w, "#%d not TLS: the client sent %s in clear text (answered 400)\n", h.Conn, check.Quote(h.Plain, 80))
		case h.Err != "":
			fmt.Fprintf(w, "#%d TLS handshake failed: SNI %q, offered %s: %s\n", h.Conn, h.SNI, h.OfferedVersions(), h.Err)
		default:
			return from // still going: print it when it ends
		}
	}
	return from
}
