// Package wire records what crossed the network during a scenario: every
// byte, both ways, per connection, with its time. Checks and reports quote
// the transcript so feedback can say what the wire showed.
package wire

import (
	"net"
	"sync"
	"time"
)

// Direction says which way bytes travelled, from the exercise's point of
// view: C2S is client to server, S2C server to client, whoever the student
// plays.
type Direction string

// The two directions, spelled as in the JSON report.
const (
	C2S Direction = "c>s"
	S2C Direction = "s>c"
)

// Event is one read or write on one connection (or one datagram).
type Event struct {
	Conn int           `json:"conn"`
	Dir  Direction     `json:"dir"`
	T    time.Duration `json:"-"`
	Data []byte        `json:"-"`
}

// ConnInfo describes one recorded connection or datagram peer.
type ConnInfo struct {
	ID      int
	Network string // tcp, tcp6, udp, udp6
	Local   string
	Remote  string
	Opened  time.Duration
	Closed  time.Duration // zero while open
	// ClosedBy is "client", "server" or "" while open.
	ClosedBy string
}

// DefaultLimit caps how many bytes a transcript keeps in total; bytes past
// it are counted, not stored, so a flooding peer cannot exhaust memory.
const DefaultLimit = 4 << 20

// Transcript is safe for concurrent use by the goroutines of a reference
// server and the grader's steps.
type Transcript struct {
	mu      sync.Mutex
	start   time.Time
	limit   int
	stored  int
	dropped int64
	events  []Event
	conns   []ConnInfo
}

// New starts an empty transcript whose clock starts now.
func New() *Transcript {
	return &Transcript{start: time.Now(), limit: DefaultLimit}
}

// SetLimit changes the byte cap; n <= 0 means DefaultLimit.
func (t *Transcript) SetLimit(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n <= 0 {
		n = DefaultLimit
	}
	t.limit = n
}

// Open registers a new connection and returns its id (1, 2, ...).
func (t *Transcript) Open(network string, local, remote net.Addr) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	id := len(t.conns) + 1
	c := ConnInfo{ID: id, Network: network, Opened: time.Since(t.start)}
	if local != nil {
		c.Local = local.String()
	}
	if remote != nil {
		c.Remote = remote.String()
	}
	t.conns = append(t.conns, c)
	return id
}

// Closed marks conn as closed by "client" or "server" (the first call wins).
func (t *Transcript) Closed(conn int, by string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if conn < 1 || conn > len(t.conns) {
		return
	}
	c := &t.conns[conn-1]
	if c.Closed == 0 {
		c.Closed = time.Since(t.start)
		c.ClosedBy = by
	}
}

// Record appends bytes seen on conn in direction dir. Consecutive bytes in
// the same direction on the same connection are kept as separate events so
// segmentation stays visible.
func (t *Transcript) Record(conn int, dir Direction, b []byte) {
	if len(b) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	room := t.limit - t.stored
	if room <= 0 {
		t.dropped += int64(len(b))
		return
	}
	if len(b) > room {
		t.dropped += int64(len(b) - room)
		b = b[:room]
	}
	t.stored += len(b)
	t.events = append(t.events, Event{Conn: conn, Dir: dir, T: time.Since(t.start), Data: append([]byte(nil), b...)})
}

// Events returns a copy of every recorded event in order.
func (t *Transcript) Events() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Event(nil), t.events...)
}

// Conns returns a copy of the connection table.
func (t *Transcript) Conns() []ConnInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]ConnInfo(nil), t.conns...)
}

// Dropped reports how many bytes were past the cap and not stored.
func (t *Transcript) Dropped() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Bytes concatenates what went in direction dir on conn (conn 0: all
// connections, in order).
func (t *Transcript) Bytes(conn int, dir Direction) []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []byte
	for _, e := range t.events {
		if e.Dir == dir && (conn == 0 || e.Conn == conn) {
			out = append(out, e.Data...)
		}
	}
	return out
}

// Messages returns the payloads in direction dir on conn as recorded, one
// per read, write or datagram.
func (t *Transcript) Messages(conn int, dir Direction) [][]byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out [][]byte
	for _, e := range t.events {
		if e.Dir == dir && (conn == 0 || e.Conn == conn) {
			out = append(out, e.Data)
		}
	}
	return out
}
