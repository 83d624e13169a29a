// Package wsecho is the reference WebSocket echo server: the peer a
// student's WebSocket client talks to (ws-client exercise, `grader serve
// ws`), built on github.com/coder/websocket for the normal path, with a
// raw mode that answers the handshake with a wrong Sec-WebSocket-Accept so
// a client can be caught not checking it. Every byte is recorded.
package wsecho

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/netlab-grader/grader/grader/wire"
)

// Config configures the echo server.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0"; required.
	Addr       string
	Transcript *wire.Transcript
	// BadAccept answers every handshake with a wrong Sec-WebSocket-Accept
	// and then only records what the client sends.
	BadAccept bool
}

// Server is a listening WebSocket echo server.
type Server struct {
	cfg   Config
	ln    net.Listener
	t     *wire.Transcript
	srv   *http.Server
	conns *wire.Tracker
	wg    sync.WaitGroup
}

// New starts the server.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		return nil, errors.New("wsecho: no listen address")
	}
	if cfg.Transcript == nil {
		cfg.Transcript = wire.New()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("wsecho: %w", err)
	}
	s := &Server{cfg: cfg, t: cfg.Transcript, conns: wire.NewTracker()}
	s.ln = s.conns.Listen(ln)
	if cfg.BadAccept {
		s.wg.Add(1)
		go s.acceptRaw()
		return s, nil
	}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.echo),
		ReadHeaderTimeout: 5 * time.Second,
		ConnState:         s.track,
		// The handler needs its connection to report, once the WebSocket
		// it hijacked is over, that the connection has ended.
		ConnContext: func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.srv.Serve(wire.Listener{Listener: s.ln, T: s.t})
	}()
	return s, nil
}

// echo upgrades and sends every message back with its type.
func (s *Server) echo(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	if nc, ok := r.Context().Value(connKey{}).(net.Conn); ok {
		defer s.conns.Ended(nc)
	}
	defer c.CloseNow()
	c.SetReadLimit(16 << 20)
	ctx := r.Context()
	for {
		typ, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		// coder/websocket leaves UTF-8 to the application; RFC 6455 8.1
		// wants a text message that is not UTF-8 to fail the connection.
		if typ == websocket.MessageText && !utf8.Valid(msg) {
			_ = c.Close(websocket.StatusInvalidFramePayloadData, "text message is not valid UTF-8")
			return
		}
		if err := c.Write(ctx, typ, msg); err != nil {
			return
		}
	}
}

// acceptRaw serves connections by hand with a wrong accept key.
func (s *Server) acceptRaw() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		c := wire.Wrap(nc, s.t, wire.C2S)
		s.conns.Opened(c)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.conns.Ended(c)
			defer c.Close()
			req, err := http.ReadRequest(bufio.NewReader(c))
			if err != nil {
				return
			}
			_ = req
			_, _ = c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n"))
			buf := make([]byte, 4096)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		}()
	}
}

// track follows net/http's view of a connection; a hijacked one (the
// WebSocket) is ended by its handler.
func (s *Server) track(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		s.conns.Opened(c)
	case http.StateClosed:
		s.conns.Ended(c)
	}
}

// Addr is where the server listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Settle waits until every connection has ended; it gives up when ctx
// ends.
func (s *Server) Settle(ctx context.Context) error { return s.conns.Settle(ctx) }

// Close stops the server and waits for its goroutines.
func (s *Server) Close() error {
	s.conns.Close()
	var err error
	if s.srv != nil {
		err = s.srv.Close()
	} else {
		err = s.ln.Close()
	}
	s.wg.Wait()
	if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

type connKey struct{}
