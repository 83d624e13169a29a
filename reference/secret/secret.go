// Package secret is the reference "secret server" of seed 002: an HTTP
// server (port 5683 in the lab sheet) whose page / is a secret message
// encrypted with Fernet under a shared SECRET_KEY. A student's client must
// fetch it and decrypt it. Every byte is recorded in a transcript.
package secret

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/frames"
)

// Config configures a secret server.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0"; required.
	Addr       string
	Transcript *wire.Transcript
	// Key is the Fernet key (URL-safe base64 of 32 bytes), as SECRET_KEY.
	Key string
	// Message is the secret ("fluffy tail" in the lab sheet).
	Message string
}

// Server serves the encrypted secret.
type Server struct {
	cfg   Config
	ln    net.Listener
	srv   *http.Server
	t     *wire.Transcript
	conns *wire.Tracker
	done  chan struct{}
}

// New starts listening and serving.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		return nil, errors.New("secret: no listen address")
	}
	if _, err := frames.FernetEncrypt(cfg.Key, []byte("check")); err != nil {
		return nil, fmt.Errorf("secret: the key is not a Fernet key: %w", err)
	}
	if cfg.Transcript == nil {
		cfg.Transcript = wire.New()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	s := &Server{cfg: cfg, t: cfg.Transcript, conns: wire.NewTracker(), done: make(chan struct{})}
	s.ln = s.conns.Listen(ln)
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.serveSecret)
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ConnState:         s.track,
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(wire.Listener{Listener: s.ln, T: s.t})
	}()
	return s, nil
}

// serveSecret answers GET / with a fresh token (Fernet tokens carry a
// timestamp and a random IV, so two fetches never look the same).
func (s *Server) serveSecret(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	tok, err := frames.FernetEncrypt(s.cfg.Key, []byte(s.cfg.Message))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(tok)
}

func (s *Server) track(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		s.conns.Opened(c)
	case http.StateClosed, http.StateHijacked:
		s.conns.Ended(c)
	}
}

// Addr is where the server listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Settle waits until every connection has been closed (the client has
// exited), so the transcript is complete; it gives up when ctx ends.
func (s *Server) Settle(ctx context.Context) error { return s.conns.Settle(ctx) }

// Close stops the server and waits for it.
func (s *Server) Close() error {
	s.conns.Close()
	err := s.srv.Close()
	<-s.done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
