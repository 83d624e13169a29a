package steps

import (
	"net"
	"syscall"

	"github.com/netlab-grader/grader/grader/wire"
)

// cork holds back partial segments (TCP_CORK) until the connection is
// half-closed, which sends the pending bytes together with the FIN.
func (s *Session) cork() {
	if s.proto != "tcp" || s.Network != nil && s.Network.Segment > 0 {
		return
	}
	wc, ok := s.conn.(*wire.Conn)
	if !ok {
		return
	}
	tc, ok := wc.Conn.(*net.TCPConn)
	if !ok {
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, 1)
	})
}
