package engine

import (
	"context"
	"io/fs"

	"errors"
	"fmt"
	grader "github.com/netlab-grader/grader"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/chat"
	"github.com/netlab-grader/grader/reference/echo"
	"github.com/netlab-grader/grader/reference/httpd"
	"github.com/netlab-grader/grader/reference/secret"
	"github.com/netlab-grader/grader/reference/wsecho"
)

// refServer is a running reference server.
type refServer interface {
	Addr() net.Addr
	Settle(ctx context.Context) error
	Close() error
}

// wwwModTime is the modification time the reference HTTP server gives
// every page, so validators and conditional requests are reproducible:
// the Last-Modified the lab sheet shows for its image (seed 000, V).
var wwwModTime = time.Date(2004, time.June, 7, 0, 26, 52, 0, time.UTC)

// peer is a reference server that understands what it receives (the chat
// peer): it decodes the client's messages and explains protocol errors.
type peer interface {
	Decoded() []byte
	Notes() []string
	Changed() <-chan struct{}
}

// started is a reference server with the name the exercise gave it.
type started struct {
	name string
	srv  refServer
	// note tells the student something about where it listens
	// ("port 1234 was busy, so the server listens on 40123").
	note string
}

// loopback returns the loopback address of a family.
func loopback(family string) string {
	if family == "ipv6" {
		return "::1"
	}
	return "127.0.0.1"
}

// startServers starts the exercise's reference servers for one scenario,
// all recording into t.
func startServers(ex *spec.Exercise, sc *spec.Scenario, ports string, t *wire.Transcript) ([]started, error) {
	var out []started
	list := ex.Servers
	if sc.Target != "" {
		list = nil
		for _, s := range ex.Servers {
			if s.Name == sc.Target {
				if s.Port == 0 && len(ex.Servers) > 0 {
					s.Port = ex.Servers[0].Port
				}
				list = append(list, s)
			}
		}
	}
	for _, s := range list {
		srv, note, err := startServer(s, sc, ports, t)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("could not start reference server %q: %w", s.Name, err)
		}
		out = append(out, started{name: s.Name, srv: srv, note: note})
	}
	return out, nil
}

func startServer(s spec.Server, sc *spec.Scenario, ports string, t *wire.Transcript) (refServer, string, error) {
	host := loopback(s.Family)
	try := func(port int) (refServer, error) {
		cfg := echo.Config{Addr: net.JoinHostPort(host, strconv.Itoa(port)), Transcript: t}
		if s.Suffix != nil {
			cfg.Suffix = *s.Suffix
		}
		if n := sc.Network; n != nil {
			cfg.Segment, cfg.Delay = n.Segment, time.Duration(n.Delay)
			if n.Spoof != nil {
				cfg.Spoof = []byte(*n.Spoof)
			}
		}
		switch s.Kind {
		case "echo-tcp":
			return echo.NewTCP(cfg)
		case "echo-udp":
			return echo.NewUDP(cfg)
		case "http":
			www, err := fs.Sub(grader.Files, "fixtures/www")
			if err != nil {
				return nil, err
			}
			hc := httpd.Config{Addr: cfg.Addr, Transcript: t, FS: www, ModTime: wwwModTime, Idle: time.Duration(s.Idle), Segment: cfg.Segment, Delay: cfg.Delay}
			s.ApplyHTTP(&hc)
			return httpd.New(hc)
		case "https", "https-untrusted", "https-wrong-name", "https-expired":
			return startHTTPS(s, cfg, t)
		case "fernet-http":
			return secret.New(secret.Config{Addr: cfg.Addr, Transcript: t, Key: s.Key, Message: s.Message})
		case "ws-echo", "ws-bad-accept":
			return wsecho.New(wsecho.Config{Addr: cfg.Addr, Transcript: t, BadAccept: s.Kind == "ws-bad-accept"})
		case "rsa-chat":
			return chat.New(chat.Config{Addr: cfg.Addr, Transcript: t, Message: s.Message, WaitFirst: sc.Peer != nil && sc.Peer.WaitFirst})
		case "sink-tcp":
			cfg.Reply = func([]byte) []byte { return nil }
			return echo.NewTCP(cfg)
		case "udp-time":
			cfg.Reply = func(msg []byte) []byte {
				return []byte(fmt.Sprintf("Your data was %d bytes long ", len(msg)))
			}
			return echo.NewUDP(cfg)
		}
		return nil, fmt.Errorf("unknown server kind %q (want one of: %s)", s.Kind, strings.Join(spec.ServerKinds, ", "))
	}
	if ports == "seed" && s.Port > 0 {
		srv, err := try(s.Port)
		if err == nil {
			return srv, "", nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) && !errors.Is(err, syscall.EACCES) {
			return nil, "", err
		}
		srv, err2 := try(0)
		if err2 != nil {
			return nil, "", err2
		}
		_, p, _ := net.SplitHostPort(srv.Addr().String())
		return srv, fmt.Sprintf("port %d was busy on this machine, so the reference server listened on %s: a program that ignores PORT could not reach it", s.Port, p), nil
	}
	srv, err := try(0)
	return srv, "", err
}

func closeAll(ss []started) {
	for _, s := range ss {
		_ = s.srv.Close()
	}
}

// freePort picks a port for a student server to bind. It is chosen
// below the kernel's ephemeral range, so no outgoing connection can take
// it between the check and the student's bind(), and never twice by this
// process while a scenario may still use it.
func freePort(proto, host string) (int, error) {
	lo, hi := portRange()
	for range 200 {
		p := lo + rand.IntN(hi-lo)
		if !reserve(p) {
			continue
		}
		if bindable(proto, p) {
			return p, nil
		}
	}
	return 0, errors.New("no free port below the ephemeral range after 200 tries")
}

var (
	reservedMu sync.Mutex
	reserved   = map[int]time.Time{}
)

// reserve marks p as handed out for a minute; false if it already is.
func reserve(p int) bool {
	reservedMu.Lock()
	defer reservedMu.Unlock()
	if t, ok := reserved[p]; ok && time.Since(t) < time.Minute {
		return false
	}
	reserved[p] = time.Now()
	return true
}

// portRange is the range below the kernel's ephemeral ports.
func portRange() (int, int) {
	lo, hi := 20000, 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if start, err := strconv.Atoi(f[0]); err == nil && start > 12000 {
				lo, hi = 10000, start
			}
		}
	}
	return lo, hi
}
