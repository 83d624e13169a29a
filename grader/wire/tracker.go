package wire

import (
	"context"
	"net"
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
	idle   *sync.Cond
	closed bool
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	t := &Tracker{open: map[net.Conn]bool{}}
	t.idle = sync.NewCond(&t.mu)
	return t
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

// Settle returns once no connection is open (or Close was called), or
// ctx's error when it ends first.
func (t *Tracker) Settle(ctx context.Context) error {
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
	t.closed = true
	for c := range t.open {
		_ = c.SetDeadline(time.Now())
	}
	t.idle.Broadcast()
}
