//go:build !linux

package engine

import (
	"net"
	"strconv"
)

// bindable reports whether port p can be bound on the wildcard address
// (best effort where raw sockets without SO_REUSEADDR are not at hand).
func bindable(proto string, p int) bool {
	addr := net.JoinHostPort("", strconv.Itoa(p))
	if proto == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}
