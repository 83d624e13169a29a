// Package httpd is the reference HTTP/1.1 static file server the HTTP
// exercises grade against (`grader serve http`). It parses requests itself
// on top of a net.Listener instead of using net/http's server, so that
// net/http's leniency never decides a grade: the request line and headers
// are checked strictly, every request is recorded with its connection, its
// arrival time and its raw bytes, bare-LF line endings are served but
// flagged, and pipelined requests are noticed. Every byte both ways goes
// into a wire.Transcript.
//
// It serves GET, HEAD and OPTIONS (405 for any other method), byte ranges
// (single, open-ended, suffix, multipart/byteranges, 416, If-Range), the
// validators Last-Modified and a strong ETag (304 and 412), per-path
// Cache-Control and Expires, and persistent connections with
// Content-Length framing. An adversarial mode writes every response in
// small segments with a delay between them.
package httpd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// MaxHead bounds a request's line and headers; a longer head is answered
// with 431 and the connection is closed.
const MaxHead = 64 << 10

// MaxBody bounds a request body (read and discarded: no method served here
// takes one); a larger Content-Length is answered with 413.
const MaxBody = 1 << 20

// DefaultIdle is how long a connection may stay silent, between requests
// or in the middle of one, before the server closes it.
const DefaultIdle = 5 * time.Second

// ServerName is the value of the Server header.
const ServerName = "netlab-grader"

// Config configures a server.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0"; required.
	Addr string
	// Root is the directory served; FS, when set, is served instead.
	Root string
	FS   fs.FS
	// Transcript records every byte; a new one when nil.
	Transcript *wire.Transcript
	// ModTime, when set, is every file's modification time (Last-Modified,
	// If-Modified-Since...), so tests and exercises are deterministic.
	ModTime time.Time
	// Segment > 0 writes every response in Segment-byte writes, with Delay
	// between them (adversarial network mode).
	Segment int
	Delay   time.Duration
	// Idle is how long a silent connection is kept; DefaultIdle when 0.
	Idle time.Duration
	// CacheControl maps a request path ("/index.html") to the Cache-Control
	// value sent with it; Expires maps a path to the Expires date sent.
	CacheControl map[string]string
	Expires      map[string]time.Time
	// Now is the clock for the Date header; time.Now when nil.
	Now func() time.Time
}

// Request is one request as the server saw it.
type Request struct {
	// Conn is the transcript's connection id (1, 2, ...).
	Conn int
	// Method, Target and Proto are the request line's three parts as sent
	// (empty when the line could not be split).
	Method, Target, Proto string
	// Path is the decoded, cleaned path of Target.
	Path   string
	Header http.Header
	// Raw is every byte of the request: head and body.
	Raw []byte
	// BareLF is set when at least one line ended with LF alone, not CRLF.
	BareLF bool
	// Pipelined is set when the request's first byte arrived before the
	// previous response on the connection was completely written (before
	// its last write began: the client could not have read it all).
	Pipelined bool
	// Arrived is when the request's first byte arrived, Done when its
	// response was completely written, both since the transcript started.
	Arrived, Done time.Duration
	// Status is the response's status code.
	Status int
	// Err says why the request was rejected (400, 431, 505...); empty
	// when it was well formed.
	Err string
}

// Server is a listening reference HTTP server.
type Server struct {
	cfg   Config
	fsys  fs.FS
	ln    net.Listener
	t     *wire.Transcript
	conns *wire.Tracker
	quit  chan struct{}
	wg    sync.WaitGroup

	mu   sync.Mutex
	reqs []Request
}

// New starts listening and serving at once.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		return nil, errors.New("httpd: no listen address")
	}
	fsys := cfg.FS
	if fsys == nil {
		if cfg.Root == "" {
			return nil, errors.New("httpd: no root directory")
		}
		st, err := os.Stat(cfg.Root)
		if err != nil {
			return nil, fmt.Errorf("httpd: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("httpd: %s is not a directory", cfg.Root)
		}
		fsys = os.DirFS(cfg.Root)
	}
	if cfg.Transcript == nil {
		cfg.Transcript = wire.New()
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("httpd: %w", err)
	}
	s := &Server{cfg: cfg, fsys: fsys, ln: ln, t: cfg.Transcript, conns: wire.NewTracker(), quit: make(chan struct{})}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *Server) accept() {
	defer s.wg.Done()
	l := wire.Listener{Listener: s.ln, T: s.t}
	for {
		c, err := l.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		s.conns.Opened(c)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.conns.Ended(c)
			defer c.Close()
			s.serveConn(c.(*wire.Conn))
		}()
	}
}

// Addr is where the server listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is "http://" + Addr.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Transcript is the server's transcript.
func (s *Server) Transcript() *wire.Transcript { return s.t }

// Requests returns a copy of every request recorded so far, in the order
// their responses were written.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	s.mu.Unlock()
}

// Settle waits until every connection has ended (the client has gone and
// the server has finished), so Requests and the transcript are complete;
// it gives up when ctx ends.
func (s *Server) Settle(ctx context.Context) error { return s.conns.Settle(ctx) }

// Close stops the server, cuts the open connections and waits for every
// goroutine.
func (s *Server) Close() error {
	err := s.ln.Close()
	close(s.quit)
	s.conns.Close()
	s.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// since is t relative to the transcript's start.
func (s *Server) since(t time.Time) time.Duration { return t.Sub(s.t.Start()) }
