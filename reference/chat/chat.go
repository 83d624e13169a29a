// Package chat is the reference peer of the RSA chat exercise (seed 003,
// port 4396): it speaks the language-neutral protocol of reference/frames
// (a PEM public key each way, then length-prefixed RSA PKCS #1 v1.5
// ciphertexts in both directions at once), records every byte in a
// transcript and every message it could decrypt, so checks can say both
// what crossed the wire and what it meant.
package chat

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/frames"
)

// Config configures a chat peer.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0"; required.
	Addr       string
	Transcript *wire.Transcript
	// Message is what the peer says to each client.
	Message string
	// WaitFirst makes the peer speak only after the client's first
	// message; otherwise it speaks as soon as it has the client's key,
	// while the client may be speaking too (full duplex).
	WaitFirst bool
	// Bits is the size of the peer's key (default 2048).
	Bits int
}

// Server is a listening chat peer.
type Server struct {
	cfg  Config
	ln   net.Listener
	t    *wire.Transcript
	priv *rsa.PrivateKey
	mu   sync.Mutex
	// received are the client messages decrypted, in order.
	received [][]byte
	// notes explain what went wrong in the protocol, for feedback.
	notes   []string
	conns   map[net.Conn]bool
	wg      sync.WaitGroup
	changed chan struct{}
	active  int
	idle    *sync.Cond
	closed  bool
}

// New generates the peer's key and starts listening.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		return nil, errors.New("chat: no listen address")
	}
	if cfg.Bits == 0 {
		cfg.Bits = 2048
	}
	if cfg.Transcript == nil {
		cfg.Transcript = wire.New()
	}
	priv, err := rsa.GenerateKey(rand.Reader, cfg.Bits)
	if err != nil {
		return nil, fmt.Errorf("chat: could not generate a key: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("chat: %w", err)
	}
	s := &Server{cfg: cfg, ln: ln, t: cfg.Transcript, priv: priv, conns: map[net.Conn]bool{}, changed: make(chan struct{}, 1)}
	s.idle = sync.NewCond(&s.mu)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is where the peer listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Transcript is the wire record.
func (s *Server) Transcript() *wire.Transcript { return s.t }

// Decoded returns the client's messages as the peer decrypted them, one
// per line.
func (s *Server) Decoded() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []byte
	for _, m := range s.received {
		out = append(append(out, m...), '\n')
	}
	return out
}

// Notes explain protocol failures ("the client's public key could not be
// read: ...").
func (s *Server) Notes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.notes...)
}

// Changed is signalled whenever a message is decrypted.
func (s *Server) Changed() <-chan struct{} { return s.changed }

func (s *Server) note(format string, args ...any) {
	s.mu.Lock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.active++
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) serve(nc net.Conn) {
	defer s.wg.Done()
	c := wire.Wrap(nc, s.t, wire.C2S)
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, nc)
		s.active--
		s.idle.Broadcast()
		s.mu.Unlock()
	}()
	if err := frames.WritePublicKey(c, &s.priv.PublicKey); err != nil {
		return
	}
	r := bufio.NewReader(c)
	if _, err := r.Peek(1); err != nil {
		if !s.isClosed() {
			s.note("your program closed the connection before sending its public key")
		}
		return
	}
	pub, err := frames.ReadPublicKey(r)
	if err != nil {
		if !s.isClosed() {
			s.note("the peer could not read your public key: %v", err)
		}
		return
	}
	var wmu sync.Mutex
	say := func() {
		wmu.Lock()
		defer wmu.Unlock()
		if err := frames.WriteMessage(c, pub, []byte(s.cfg.Message)); err != nil {
			s.note("the peer could not encrypt its message with your public key: %v", err)
		}
	}
	spoke := false
	if !s.cfg.WaitFirst {
		say()
		spoke = true
	}
	for {
		m, err := frames.ReadMessage(r, s.priv)
		if err != nil {
			if !errors.Is(err, io.EOF) && !s.isClosed() {
				s.note("the peer could not read your message: %v", err)
			}
			return
		}
		s.mu.Lock()
		s.received = append(s.received, m)
		s.mu.Unlock()
		select {
		case s.changed <- struct{}{}:
		default:
		}
		if !spoke {
			say()
			spoke = true
		}
	}
}

// isClosed reports whether Close has begun: errors after it are the
// grader's doing, not the student's.
func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Settle waits until every connection has ended (the client closed it),
// so the checks see every message; it gives up when ctx ends.
func (s *Server) Settle(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.mu.Lock()
		for s.active > 0 && !s.closed {
			s.idle.Wait()
		}
		s.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		s.idle.Broadcast()
		s.mu.Unlock()
		return ctx.Err()
	}
}

// Close stops listening, closes the connections and waits for them.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for c := range s.conns {
		_ = c.SetDeadline(time.Now())
	}
	s.idle.Broadcast()
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}
