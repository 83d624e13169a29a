package tlsref

import (
	"errors"
	"net"
	"strconv"
	"sync"
)

// listen listens on addr and, when addr is on 127.0.0.1, also on [::1] at
// the same port when it can: the client is told to connect to
// "localhost", which many systems resolve to ::1 first, and a C client
// that tries only the first address getaddrinfo returns must still meet
// the server. The second listener is best effort (no IPv6, port taken).
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(addr)
	if host != "127.0.0.1" {
		return ln, nil
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(port)))
	if err != nil {
		return ln, nil
	}
	return newMulti(ln, ln6), nil
}

// multi accepts from several listeners as one; its Addr is the first's.
type multi struct {
	lns   []net.Listener
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex
	err   error
}

func newMulti(lns ...net.Listener) *multi {
	m := &multi{lns: lns, conns: make(chan net.Conn), done: make(chan struct{})}
	for _, ln := range lns {
		go m.loop(ln)
	}
	return m
}

func (m *multi) loop(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			m.mu.Lock()
			if m.err == nil {
				m.err = err
			}
			m.mu.Unlock()
			_ = m.Close()
			return
		}
		select {
		case m.conns <- c:
		case <-m.done:
			_ = c.Close()
			return
		}
	}
}

// Accept returns the next connection from any listener.
func (m *multi) Accept() (net.Conn, error) {
	select {
	case c := <-m.conns:
		return c, nil
	case <-m.done:
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.err != nil && !errors.Is(m.err, net.ErrClosed) {
			return nil, m.err
		}
		return nil, net.ErrClosed
	}
}

// Close closes every listener.
func (m *multi) Close() error {
	m.once.Do(func() {
		close(m.done)
		for _, ln := range m.lns {
			_ = ln.Close()
		}
	})
	return nil
}

// Addr is the first listener's address.
func (m *multi) Addr() net.Addr { return m.lns[0].Addr() }
