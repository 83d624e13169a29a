package wire

import (
	"bytes"
	"sync"
	"time"
)

// FirstLine reads on c (recording, as always) until what the peer sent in
// c's read direction holds a complete first line, the peer goes quiet for
// wait, or it closes; it returns that line with its "\n", or all there
// is. A TLS endpoint uses it to quote the clear-text request or answer
// that arrived instead of a handshake: the TLS layer has already read
// (and so recorded) the first bytes.
func FirstLine(c *Conn, wait time.Duration) []byte {
	deadline := time.Now().Add(wait)
	buf := make([]byte, 4096)
	for !bytes.Contains(c.T.Bytes(c.ID, c.ReadDir), []byte("\n")) {
		_ = c.SetReadDeadline(deadline)
		if _, err := c.Read(buf); err != nil {
			break
		}
	}
	got := c.T.Bytes(c.ID, c.ReadDir)
	if i := bytes.IndexByte(got, '\n'); i >= 0 {
		got = got[:i+1]
	}
	return got
}

// SyncBuffer is a bytes.Buffer that concurrent writers may share, such as
// the handshakes of several TLS connections writing one key log.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// Bytes returns a copy of what was written.
func (s *SyncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}
