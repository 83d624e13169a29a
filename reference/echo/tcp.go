package echo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// TCPServer is a TCP echo server listening on a local address. Each
// connection is served by its own goroutine until the client closes it or
// the server is closed; every read and write is recorded in the transcript,
// connection ids following accept order.
type TCPServer struct {
	ln      net.Listener
	t       *wire.Transcript
	log     *slog.Logger
	reply   func([]byte) []byte
	segment int
	delay   time.Duration
	quiet   time.Duration

	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	mu     sync.Mutex
	cond   *sync.Cond // on mu; signalled when dialing drops or Close starts
	closed bool
	// conns maps each open connection to a channel closed once its serve
	// goroutine has finished with it.
	conns map[*wire.Conn]chan struct{}
	// dialing counts Settle dials whose sentinel is not registered yet;
	// while it is non-zero, the accept loop cannot tell a sentinel it has
	// accepted from a student's connection, so it waits.
	dialing int
	// sentinels holds the Settle connections not accepted yet.
	sentinels map[tcpPair]*tcpSentinel
}

// tcpPair identifies a connection by its two ends.
type tcpPair struct{ server, client netip.AddrPort }

// tcpSentinel is the connection one Settle call dials to learn when the
// accept loop has caught up.
type tcpSentinel struct {
	reached chan struct{} // closed when the accept loop reaches it
	// before holds the done channels of the connections open when the
	// sentinel was reached; written before reached is closed.
	before []chan struct{}
}

// NewTCP listens on cfg.Addr immediately and serves in the background, so
// the address is ready to hand to a student's client when it returns.
func NewTCP(cfg Config) (*TCPServer, error) {
	if cfg.Addr == "" {
		return nil, errors.New("echo: tcp: listen address required")
	}
	if cfg.Segment < 0 {
		return nil, fmt.Errorf("echo: tcp: negative segment size %d", cfg.Segment)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("echo: tcp: %w", err)
	}
	quiet := cfg.Quiet
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	s := &TCPServer{
		ln:      ln,
		t:       transcript(cfg),
		log:     logger(cfg).With("server", "echo-tcp", "addr", ln.Addr().String()),
		reply:   replier(cfg),
		segment: cfg.Segment,
		delay:   cfg.Delay,
		quiet:   quiet,
		done:    make(chan struct{}),
		conns:   make(map[*wire.Conn]chan struct{}),

		sentinels: make(map[tcpPair]*tcpSentinel),
	}
	s.cond = sync.NewCond(&s.mu)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is the address the server listens on, with the port the kernel
// chose when Config.Addr asked for port 0.
func (s *TCPServer) Addr() net.Addr { return s.ln.Addr() }

// Transcript is where the server records every byte it reads and writes.
func (s *TCPServer) Transcript() *wire.Transcript { return s.t }

// Close stops accepting, closes the open connections, including those
// whose client went silent, and waits for every goroutine to return, so
// the transcript is final once Close returns. Later calls return nil.
func (s *TCPServer) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		s.cond.Broadcast()
		conns := make([]*wire.Conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()

		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = fmt.Errorf("echo: tcp: close listener: %w", err)
		}
		for _, c := range conns {
			_ = c.Close()
		}
		s.wg.Wait()
	})
	return s.closeErr
}

// accept hands each new connection to its own goroutine. Wrapping happens
// here, not in the goroutine, so transcript ids follow accept order.
func (s *TCPServer) accept() {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Transient failures such as running out of file descriptors:
			// back off like net/http rather than spin or give up.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("accept failed", "err", err, "retry", backoff)
			if !wait(backoff, s.done) {
				return
			}
			continue
		}
		backoff = 0
		c, done, ok := s.track(nc)
		if !ok {
			_ = nc.Close()
			if done {
				return
			}
			continue
		}
		go s.serve(c)
	}
}

// track registers a new connection unless it is a Settle sentinel or the
// server is closing; wg.Add happens under the lock so it cannot race with
// Close's Wait. When it returns !ok the caller closes nc, and stops if
// done is set.
func (s *TCPServer) track(nc net.Conn) (c *wire.Conn, done, ok bool) {
	key := tcpPair{server: addrKey(nc.LocalAddr()), client: addrKey(nc.RemoteAddr())}
	s.mu.Lock()
	defer s.mu.Unlock()
	// A Settle dial may complete its handshake, and so be accepted,
	// before Settle has learnt its local address and registered it: until
	// every pending dial has registered, nc could be a sentinel.
	for s.dialing > 0 && !s.closed && s.sentinels[key] == nil {
		s.cond.Wait()
	}
	if sn := s.sentinels[key]; sn != nil {
		delete(s.sentinels, key)
		// Every connection queued before the sentinel has been accepted
		// and handed to its goroutine: those are the ones Settle waits for.
		sn.before = make([]chan struct{}, 0, len(s.conns))
		for _, ch := range s.conns {
			sn.before = append(sn.before, ch)
		}
		close(sn.reached)
		return nil, s.closed, false
	}
	if s.closed {
		return nil, true, false
	}
	c = wire.Wrap(nc, s.t, wire.C2S)
	s.conns[c] = make(chan struct{})
	s.wg.Add(1)
	s.log.Debug("accepted", "conn", c.ID, "remote", nc.RemoteAddr().String())
	return c, false, true
}

// forget closes c, drops it from the open set and tells Settle it is done.
func (s *TCPServer) forget(c *wire.Conn) {
	s.mu.Lock()
	done := s.conns[c]
	delete(s.conns, c)
	s.mu.Unlock()
	_ = c.Close()
	close(done)
	s.log.Debug("closed", "conn", c.ID)
}

// Settle returns once the server has read and recorded everything that
// clients sent on the connections they opened before Settle was called and
// have since closed: the grader calls it after the student's process has
// exited, before evaluating checks, instead of sleeping.
//
// It dials a sentinel connection, which the accept loop recognises by its
// address pair and neither records nor serves. The listen queue is FIFO,
// so once the sentinel is accepted every connection queued before it has
// been accepted; Settle then waits for each of those to finish: the
// client's EOF (or an error, or the server closing it) has been read, and
// the bytes pending at that point were answered and recorded.
//
// A connection its client keeps open (a grandchild process still alive)
// never finishes, so Settle returns ctx.Err() when ctx ends first. After
// or during Close it returns nil: Close itself makes the transcript final.
// It is safe to call several times and concurrently.
func (s *TCPServer) Settle(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.dialing++
	s.mu.Unlock()

	local := s.ln.Addr().(*net.TCPAddr)
	target := &net.TCPAddr{IP: settleTarget(local.IP), Port: local.Port, Zone: local.Zone}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", target.String())

	sn := &tcpSentinel{reached: make(chan struct{})}
	s.mu.Lock()
	s.dialing--
	if err == nil {
		// Left registered if Settle gives up early: the accept loop must
		// still recognise the sentinel when it gets to it.
		s.sentinels[tcpPair{server: addrKey(nc.RemoteAddr()), client: addrKey(nc.LocalAddr())}] = sn
	}
	s.cond.Broadcast()
	s.mu.Unlock()
	if err != nil {
		select {
		case <-s.done:
			return nil
		default:
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("echo: tcp: settle: %w", err)
	}
	defer func() { _ = nc.Close() }()

	if err := s.await(ctx, sn.reached); err != nil || s.isClosed() {
		return err
	}
	for _, ch := range sn.before {
		if err := s.await(ctx, ch); err != nil || s.isClosed() {
			return err
		}
	}
	return nil
}

// await waits for ch to close, for ctx to end (ctx.Err()) or for Close
// to start (nil). A closed ch wins over an ended ctx.
func (s *TCPServer) await(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	default:
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return nil
	}
}

// isClosed reports whether Close has started.
func (s *TCPServer) isClosed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// serve frames messages on one connection and answers each. A message is
// complete when the bytes gathered so far end with NUL (C clients) or
// '\n', or, ending with neither (Python clients), when nothing more
// arrives within the quiet period. The quiet wait is a read deadline, so a
// message that keeps arriving is never cut by a timer.
func (s *TCPServer) serve(c *wire.Conn) {
	defer s.wg.Done()
	defer s.forget(c)
	buf := make([]byte, 4096)
	var pending []byte
	for {
		var deadline time.Time
		if len(pending) > 0 {
			deadline = time.Now().Add(s.quiet)
		}
		if err := c.SetReadDeadline(deadline); err != nil {
			return
		}
		room := min(len(buf), MaxMessage-len(pending))
		n, err := c.Read(buf[:room])
		if n > 0 {
			pending = append(pending, buf[:n]...)
			if last := pending[len(pending)-1]; last == 0 || last == '\n' || len(pending) >= MaxMessage {
				if !s.answer(c, pending) {
					return
				}
				// A fresh slice, so a Reply func may keep the message.
				pending = nil
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, os.ErrDeadlineExceeded):
			if len(pending) > 0 {
				if !s.answer(c, pending) {
					return
				}
				pending = nil
			}
		case errors.Is(err, io.EOF):
			// The client half-closed or closed: answer what it left
			// behind if it can still read, then close our side.
			if len(pending) > 0 {
				s.answer(c, pending)
			}
			return
		case errors.Is(err, syscall.ECONNRESET):
			// The client closed with our reply still unread (a client
			// that sends and exits), which makes its kernel reset rather
			// than end the stream: the bytes it sent were all read before
			// this error, and it was still the client that closed.
			s.t.Closed(c.ID, "client")
			return
		default:
			select {
			case <-s.done:
			default:
				s.log.Debug("read failed", "conn", c.ID, "err", err)
			}
			return
		}
	}
}

// answer writes the reply to msg, in Segment-byte writes Delay apart when
// segmentation is on, so that clients which assume one recv returns one
// whole message fail visibly. It reports whether the connection is still
// usable.
func (s *TCPServer) answer(c *wire.Conn, msg []byte) bool {
	out := s.reply(msg)
	if len(out) == 0 {
		return true // a sink: nothing to answer
	}
	if s.segment <= 0 || len(out) <= s.segment {
		if _, err := c.Write(out); err != nil {
			s.log.Debug("write failed", "conn", c.ID, "err", err)
			return false
		}
		return true
	}
	for len(out) > 0 {
		n := min(s.segment, len(out))
		if _, err := c.Write(out[:n]); err != nil {
			s.log.Debug("write failed", "conn", c.ID, "err", err)
			return false
		}
		out = out[n:]
		if len(out) > 0 && !wait(s.delay, s.done) {
			return false
		}
	}
	return true
}
