package wire

import (
	"errors"
	"io"
	"net"
	"sync"
)

// Conn wraps a net.Conn and records every byte read and written into a
// Transcript. ReadDir names the direction of bytes the wrapper reads: a
// reference server reads C2S, the grader playing the client reads S2C.
type Conn struct {
	net.Conn
	T       *Transcript
	ID      int
	ReadDir Direction
	// Side is "server" or "client": who closes when Close is called.
	Side string
	once sync.Once
}

// Wrap registers c in t and returns the recording connection.
func Wrap(c net.Conn, t *Transcript, readDir Direction) *Conn {
	side := "server"
	if readDir == S2C {
		side = "client"
	}
	return &Conn{Conn: c, T: t, ID: t.Open(c.LocalAddr().Network(), c.LocalAddr(), c.RemoteAddr()), ReadDir: readDir, Side: side}
}

func (c *Conn) writeDir() Direction {
	if c.ReadDir == C2S {
		return S2C
	}
	return C2S
}

// Read records what it reads; io.EOF marks the connection closed by the peer.
func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.T.Record(c.ID, c.ReadDir, p[:n])
	if err != nil && n == 0 && isEOF(err) {
		peer := "client"
		if c.Side == "client" {
			peer = "server"
		}
		c.T.Closed(c.ID, peer)
	}
	return n, err
}

// Write records what was actually written.
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.T.Record(c.ID, c.writeDir(), p[:n])
	return n, err
}

// CloseWrite half-closes a TCP connection (sends FIN) and records this
// side as the one that closed.
func (c *Conn) CloseWrite() error {
	cw, ok := c.Conn.(interface{ CloseWrite() error })
	if !ok {
		return errors.New("not a TCP connection")
	}
	c.T.Closed(c.ID, c.Side)
	return cw.CloseWrite()
}

// Close records who closed.
func (c *Conn) Close() error {
	c.once.Do(func() { c.T.Closed(c.ID, c.Side) })
	return c.Conn.Close()
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF)
}
