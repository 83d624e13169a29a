package wire

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Listener wraps accepted connections with Wrap so a reference server
// built on net/http (or anything taking a net.Listener) records every
// byte into T.
type Listener struct {
	net.Listener
	T *Transcript
}

// Accept accepts and wraps a connection; the reading side is the server.
func (l Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return Wrap(c, l.T, C2S), nil
}

// Tracker follows a server's open connections so Settle can wait, by
// event and not by sleeping, until every client has gone and its bytes
// are recorded.
type Tracker struct {
	mu     sync.Mutex
	open   map[net.Conn]bool
	idle   *sync.Cond // on mu: a connection ended, a dial ended, or Close
	closed bool
	// closing is closed by Close.
	closing chan struct{}
	// ln is the listener Listen wrapped, where Settle dials its sentinel.
	ln net.Listener
	// dialing counts Settle dials whose sentinel is not registered yet:
	// until they are, Accept cannot tell a sentinel from a client.
	dialing int
	// sentinels are Settle's connections not accepted yet, by client
	// address, each closed when Accept reaches it.
	sentinels map[netip.AddrPort]chan struct{}
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	t := &Tracker{open: map[net.Conn]bool{}, sentinels: map[netip.AddrPort]chan struct{}{}, closing: make(chan struct{})}
	t.idle = sync.NewCond(&t.mu)
	return t
}

// Listen wraps the server's listener so Settle also sees the clients
// still in its accept queue: a client that connects, sends and exits at
// once may not have been accepted yet when the grader settles. Settle
// dials a sentinel connection, which the wrapped Accept recognises,
// closes and never returns; the queue is FIFO, so every client queued
// before it has been accepted (and Opened, when the server registers a
// connection before its next Accept, as net/http's Serve does) by then.
func (t *Tracker) Listen(ln net.Listener) net.Listener {
	t.mu.Lock()
	t.ln = ln
	t.mu.Unlock()
	return sentinelListener{Listener: ln, t: t}
}

type sentinelListener struct {
	net.Listener
	t *Tracker
}

// Accept returns the next client, skipping Settle's sentinels.
func (l sentinelListener) Accept() (net.Conn, error) {
	t := l.t
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := peerKey(c.RemoteAddr())
		t.mu.Lock()
		for t.dialing > 0 && !t.closed && t.sentinels[key] == nil {
			t.idle.Wait()
		}
		reached, ok := t.sentinels[key]
		if ok {
			delete(t.sentinels, key)
			close(reached)
		}
		t.mu.Unlock()
		if !ok {
			return c, nil
		}
		_ = c.Close()
	}
}

// peerKey is a comparable form of a TCP address: IPv4-mapped IPv6
// addresses are unmapped, so the address a dual-stack socket reports for
// a peer equals the one the peer reports for itself.
func peerKey(a net.Addr) netip.AddrPort {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
}

// sentinel dials the listener and waits until Accept has reached the
// connection; nil at once without a listener (Listen was not used) or
// after Close.
func (t *Tracker) sentinel(ctx context.Context) error {
	t.mu.Lock()
	if t.ln == nil || t.closed {
		t.mu.Unlock()
		return nil
	}
	if _, ok := t.ln.Addr().(*net.TCPAddr); !ok {
		t.mu.Unlock()
		return nil // only a TCP listener can be dialled here
	}
	t.dialing++
	ln := t.ln
	t.mu.Unlock()
	target := ln.Addr().String()
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		ip := net.IPv6loopback
		if ta.IP.To4() != nil {
			ip = net.IPv4(127, 0, 0, 1)
		}
		target = net.JoinHostPort(ip.String(), fmt.Sprint(ta.Port))
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", target)
	reached := make(chan struct{})
	t.mu.Lock()
	t.dialing--
	if err == nil {
		// Left registered if Settle gives up early: Accept must still
		// recognise the sentinel when it gets to it.
		t.sentinels[peerKey(nc.LocalAddr())] = reached
	}
	closed := t.closed
	t.idle.Broadcast()
	t.mu.Unlock()
	if err != nil {
		if closed {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("settle: %w", err)
	}
	defer nc.Close()
	select {
	case <-reached:
		return nil
	case <-t.closing:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Opened registers c.
func (t *Tracker) Opened(c net.Conn) {
	t.mu.Lock()
	t.open[c] = true
	t.mu.Unlock()
}

// Ended forgets c and wakes Settle.
func (t *Tracker) Ended(c net.Conn) {
	t.mu.Lock()
	delete(t.open, c)
	t.idle.Broadcast()
	t.mu.Unlock()
}

// Settle returns once every client that connected before it has been
// accepted (see Listen) and no connection is open (or Close was called),
// or ctx's error when it ends first.
func (t *Tracker) Settle(ctx context.Context) error {
	if err := t.sentinel(ctx); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		t.mu.Lock()
		for len(t.open) > 0 && !t.closed {
			t.idle.Wait()
		}
		t.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close ends every wait and makes the open connections' pending reads
// and writes fail at once.
func (t *Tracker) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		close(t.closing)
	}
	t.closed = true
	for c := range t.open {
		_ = c.SetDeadline(time.Now())
	}
	t.idle.Broadcast()
}
