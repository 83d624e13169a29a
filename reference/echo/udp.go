package echo

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// maxDatagram is the largest UDP payload over IPv4 or IPv6 without jumbograms.
const maxDatagram = 64 << 10

// UDPServer is a UDP echo server: one socket, one reply per datagram. Each
// distinct peer address gets its own transcript conn id, so a check can
// tell a client that used one socket from one that opened several.
type UDPServer struct {
	conn  *net.UDPConn
	spoof *net.UDPConn // nil unless Config.Spoof is set
	bait  []byte
	t     *wire.Transcript
	log   *slog.Logger
	reply func([]byte) []byte

	peers map[netip.AddrPort]int // used by the serve goroutine only

	mu sync.Mutex
	// sentinels holds, by source address (addrKey), the Settle datagrams
	// not reached yet.
	sentinels map[netip.AddrPort]*udpSentinel

	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// udpSentinel is the datagram one Settle call sends to learn when the
// serve loop has caught up.
type udpSentinel struct {
	token   [16]byte
	reached chan struct{} // closed when the serve loop reaches it
}

// NewUDP binds cfg.Addr immediately and serves in the background. With
// cfg.Spoof set it also binds a second socket on the same IP and another
// port, from which the bait datagram is sent.
func NewUDP(cfg Config) (*UDPServer, error) {
	if cfg.Addr == "" {
		return nil, errors.New("echo: udp: listen address required")
	}
	pc, err := net.ListenPacket("udp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("echo: udp: %w", err)
	}
	conn := pc.(*net.UDPConn)
	s := &UDPServer{
		conn:  conn,
		t:     transcript(cfg),
		log:   logger(cfg).With("server", "echo-udp", "addr", conn.LocalAddr().String()),
		reply: replier(cfg),
		peers: make(map[netip.AddrPort]int),
		done:  make(chan struct{}),

		sentinels: make(map[netip.AddrPort]*udpSentinel),
	}
	if cfg.Spoof != nil {
		local := conn.LocalAddr().(*net.UDPAddr)
		spoof, err := net.ListenUDP("udp", &net.UDPAddr{IP: local.IP, Zone: local.Zone})
		if err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("echo: udp: spoof socket: %w", err)
		}
		s.spoof = spoof
		s.bait = append([]byte(nil), cfg.Spoof...)
	}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Addr is the address the server receives on and replies from.
func (s *UDPServer) Addr() net.Addr { return s.conn.LocalAddr() }

// SpoofAddr is the address the spoof datagrams come from, nil without
// Config.Spoof; a correct client drops whatever arrives from it.
func (s *UDPServer) SpoofAddr() net.Addr {
	if s.spoof == nil {
		return nil
	}
	return s.spoof.LocalAddr()
}

// Transcript is where the server records every datagram both ways.
func (s *UDPServer) Transcript() *wire.Transcript { return s.t }

// Close closes the sockets and waits for the serving goroutine, so the
// transcript is final once Close returns. Later calls return nil.
func (s *UDPServer) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		var errs []error
		if err := s.conn.Close(); err != nil {
			errs = append(errs, err)
		}
		if s.spoof != nil {
			if err := s.spoof.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		s.wg.Wait()
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("echo: udp: close: %w", err)
		}
	})
	return s.closeErr
}

// serve answers datagrams until the socket is closed.
func (s *UDPServer) serve() {
	defer s.wg.Done()
	buf := make([]byte, maxDatagram)
	var backoff time.Duration
	for {
		n, from, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Unexpected but possibly transient: back off instead of
			// spinning on a persistent error.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("read failed", "err", err, "retry", backoff)
			if !wait(backoff, s.done) {
				return
			}
			continue
		}
		backoff = 0
		if s.sentinel(from, buf[:n]) {
			continue
		}
		// A copy, so a Reply func may keep the message.
		msg := append([]byte(nil), buf[:n]...)
		id := s.peer(from)
		s.t.Record(id, wire.C2S, msg)
		if s.spoof != nil {
			s.send(s.spoof, id, from, s.bait)
			// Two sockets may reach the client through different CPU
			// queues; a short gap makes sure the impostor arrives first,
			// as it would on a real network where it wins the race.
			if !wait(SpoofGap, s.done) {
				return
			}
		}
		s.send(s.conn, id, from, s.reply(msg))
	}
}

// sentinel reports whether b from the address from is a Settle sentinel,
// telling its Settle call that every earlier datagram has been handled.
func (s *UDPServer) sentinel(from netip.AddrPort, b []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sentinels) == 0 {
		return false
	}
	key := keyOf(from)
	sn := s.sentinels[key]
	// The token guards against a student's socket that later binds the
	// port of a sentinel that was lost.
	if sn == nil || !bytes.Equal(b, sn.token[:]) {
		return false
	}
	delete(s.sentinels, key)
	close(sn.reached)
	return true
}

// Settle returns once the server has read, recorded and answered every
// datagram that reached its socket before Settle was called: the grader
// calls it after the student's process has exited, before evaluating
// checks, instead of sleeping.
//
// It sends a sentinel datagram, a random token, from a fresh socket of the
// server's IP family; the socket queues datagrams in arrival order, so when
// the serve loop reaches the sentinel (recognised by its source address
// and token, and neither recorded, answered nor counted as a peer) every
// earlier datagram has been handled. Settle returns ctx.Err() if ctx ends
// first, which happens too if the sentinel was lost because the receive
// buffer overflowed. After or during Close it returns nil. It is safe to
// call several times and concurrently.
func (s *UDPServer) Settle(ctx context.Context) error {
	if s.isClosed() {
		return nil
	}
	local := s.conn.LocalAddr().(*net.UDPAddr)
	target := &net.UDPAddr{IP: settleTarget(local.IP), Port: local.Port, Zone: local.Zone}
	sock, err := net.DialUDP("udp", nil, target)
	if err != nil {
		return fmt.Errorf("echo: udp: settle: %w", err)
	}
	defer func() { _ = sock.Close() }()

	sn := &udpSentinel{reached: make(chan struct{})}
	_, _ = rand.Read(sn.token[:]) // never fails, per crypto/rand
	key := addrKey(sock.LocalAddr())
	s.mu.Lock()
	s.sentinels[key] = sn
	s.mu.Unlock()
	// Left registered if Settle gives up early, unless it was never sent:
	// the serve loop must still recognise it when it gets to it.
	if _, err := sock.Write(sn.token[:]); err != nil {
		s.mu.Lock()
		delete(s.sentinels, key)
		s.mu.Unlock()
		if s.isClosed() {
			return nil
		}
		return fmt.Errorf("echo: udp: settle: %w", err)
	}

	select {
	case <-sn.reached:
		return nil
	default:
	}
	select {
	case <-sn.reached:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return nil
	}
}

// isClosed reports whether Close has started.
func (s *UDPServer) isClosed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// peer returns the transcript conn id of a peer address, opening one the
// first time the address is seen.
func (s *UDPServer) peer(from netip.AddrPort) int {
	if id, ok := s.peers[from]; ok {
		return id
	}
	// Unmapped, so an IPv4 client of a dual-stack socket reads as IPv4.
	remote := netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	id := s.t.Open("udp", s.conn.LocalAddr(), net.UDPAddrFromAddrPort(remote))
	s.peers[from] = id
	s.log.Debug("new peer", "conn", id, "remote", from.String())
	return id
}

// send writes one datagram from sock to the peer and records what was sent.
func (s *UDPServer) send(sock *net.UDPConn, id int, to netip.AddrPort, b []byte) {
	n, err := sock.WriteToUDPAddrPort(b, to)
	if err != nil {
		s.log.Debug("write failed", "conn", id, "err", err)
		return
	}
	s.t.Record(id, wire.S2C, b[:n])
}
