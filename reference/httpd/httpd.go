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
// Content-Length framing. Configured, it also compresses text with gzip
// for clients that accept it, frames file responses with chunked
// transfer coding, answers redirects (301, 302...) and sets cookies, each
// by path. An adversarial mode writes every response in small segments
// with a delay between them.
package httpd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
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
	// Addr is the listen address, e.g. "127.0.0.1:0"; required unless
	// Listener is set.
	Addr string
	// Listener, when set, is served instead of listening on Addr (the TLS
	// reference server, package tlsref, listens itself).
	Listener net.Listener
	// MaxRecorded bounds the requests Requests keeps (default 65536): a
	// grading needs the first ones, and a long `grader serve` or a client
	// in a redirect loop must not grow memory without end. Past it,
	// requests are served and only counted (Unrecorded).
	MaxRecorded int
	// Upgrade, when set, turns every accepted (recorded) connection into
	// the one HTTP is served on, e.g. by a TLS handshake; an error ends
	// the connection. The connection it returns is closed after serving.
	Upgrade func(*wire.Conn) (*wire.Conn, error)
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
	// Now is the clock for the Date header and the Expires a Cache rule
	// computes; time.Now when nil (fix it and both are reproducible).
	Now func() time.Time

	// Gzip compresses text responses (text/*, JSON, JavaScript, SVG) for
	// a client whose Accept-Encoding accepts gzip: Content-Encoding: gzip,
	// the compressed Content-Length, and Vary: Accept-Encoding on every
	// answer about such a file. Ranges are always of the uncompressed file.
	Gzip bool
	// Chunked frames the file responses (200, 206) to HTTP/1.1 requests
	// with Transfer-Encoding: chunked instead of Content-Length, in
	// ChunkSize-byte chunks (DefaultChunkSize when 0); HTTP/1.0 clients,
	// which do not know chunked, still get Content-Length.
	Chunked   bool
	ChunkSize int
	// Redirects maps a request path ("/old") to the redirect GET and HEAD
	// are answered with, whether or not a file exists there.
	Redirects map[string]Redirect
	// Cache maps a path prefix ("/", "/free/") to the freshness sent with
	// every file and redirect under it; the longest prefix wins, and the
	// exact-path CacheControl and Expires above win over it.
	Cache map[string]CacheRule
	// SetCookie maps a path prefix to the Set-Cookie values sent with
	// every successful or redirect answer under it; the longest prefix
	// wins.
	SetCookie map[string][]string
}

// DefaultChunkSize is the chunk size of chunked responses when
// Config.ChunkSize is 0.
const DefaultChunkSize = 4096

// RedirectStatuses are the statuses a Redirect may have.
var RedirectStatuses = []int{301, 302, 303, 307, 308}

// Redirect is a configured redirect.
type Redirect struct {
	// Status is one of RedirectStatuses: 301 (moved permanently: a client
	// may remember the new address), 302 (found: temporary, keep asking
	// the old one), 303, 307, 308.
	Status int
	// Location is where to go: a path ("/new.html"), or a whole URL.
	Location string
	// Absolute turns a path Location into a whole URL on this server
	// ("http://127.0.0.1:PORT/new.html"), so a client must handle both
	// forms.
	Absolute bool
}

// CacheRule is the freshness information of the responses under a path
// prefix; nil fields are not sent.
type CacheRule struct {
	// MaxAge sends Cache-Control: max-age=N, in whole seconds.
	MaxAge *time.Duration
	// Expires sends Expires: the clock's now plus Expires (negative: a
	// date in the past, already stale).
	Expires *time.Duration
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
	// Status is the response's status code, Answer its headers (Date and
	// Server included), so a check can quote what the client was told.
	Status int
	Answer http.Header
	// Err says why the request was rejected (400, 431, 505...); empty
	// when it was well formed.
	Err string
	// Cookies are the name=value pairs of the request's Cookie headers,
	// in the order sent (a pair that is not name=value is kept with an
	// empty Name, so a malformed header is still visible).
	Cookies []Cookie
}

// Cookie is one name=value pair a client sent in a Cookie header.
type Cookie struct {
	Name, Value string
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

	mu sync.Mutex
	// reqs holds the recorded requests in blocks of reqBlock, so that
	// recording one never copies those before it (a keep-alive client
	// makes thousands a second).
	reqs [][]Request
	// unrecorded counts the requests past Config.MaxRecorded.
	unrecorded int
	// files keeps the content of the files served.
	files fileCache
}

// New starts listening and serving at once.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" && cfg.Listener == nil {
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
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = DefaultChunkSize
	}
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return nil, fmt.Errorf("httpd: %w", err)
		}
	}
	s := &Server{cfg: cfg, fsys: fsys, t: cfg.Transcript, conns: wire.NewTracker(), quit: make(chan struct{})}
	s.ln = s.conns.Listen(ln)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// checkConfig rejects redirects and path prefixes the server could not
// honour.
func checkConfig(cfg Config) error {
	for p, r := range cfg.Redirects {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("httpd: redirect path %q must start with /", p)
		}
		if !slices.Contains(RedirectStatuses, r.Status) {
			return fmt.Errorf("httpd: redirect %s has status %d, want one of %v", p, r.Status, RedirectStatuses)
		}
		if r.Location == "" {
			return fmt.Errorf("httpd: redirect %s has no Location", p)
		}
		if r.Absolute && !strings.HasPrefix(r.Location, "/") {
			return fmt.Errorf("httpd: redirect %s: only a path Location (%q) can be made absolute", p, r.Location)
		}
	}
	for p := range cfg.Cache {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("httpd: cache prefix %q must start with /", p)
		}
	}
	for p := range cfg.SetCookie {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("httpd: cookie prefix %q must start with /", p)
		}
	}
	return nil
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
			wc := c.(*wire.Conn)
			if s.cfg.Upgrade != nil {
				up, err := s.cfg.Upgrade(wc)
				if err != nil {
					return
				}
				defer up.Close()
				wc = up
			}
			s.serveConn(wc)
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
// their first bytes arrived. (A request is recorded once its response is
// written, and a client that reads a response on one connection and sends
// the next request on a new one can be heard before the first connection's
// goroutine records: recording order is not the client's order.)
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, b := range s.reqs {
		out = append(out, b...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Arrived < out[j].Arrived })
	return out
}

const reqBlock = 1024

// Unrecorded is the number of requests served past the recording limit.
func (s *Server) Unrecorded() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unrecorded
}

func (s *Server) record(r Request) {
	limit := s.cfg.MaxRecorded
	if limit <= 0 {
		limit = 64 * reqBlock
	}
	s.mu.Lock()
	if n := len(s.reqs); n > 0 && (n-1)*reqBlock+len(s.reqs[n-1]) >= limit {
		s.unrecorded++
		s.mu.Unlock()
		return
	}
	if n := len(s.reqs); n == 0 || len(s.reqs[n-1]) == reqBlock {
		s.reqs = append(s.reqs, make([]Request, 0, reqBlock))
	}
	last := &s.reqs[len(s.reqs)-1]
	*last = append(*last, r)
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
