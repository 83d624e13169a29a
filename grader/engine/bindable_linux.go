package engine

import "syscall"

// bindable reports whether a student could bind port p the way the
// seeds do: on the wildcard address and without SO_REUSEADDR, so a
// TIME_WAIT left on the port by an earlier run counts as taken (Go's own
// listeners set SO_REUSEADDR and would not notice it). The dual-stack
// IPv6 wildcard covers IPv4 too; without IPv6, the IPv4 one is used.
func bindable(proto string, p int) bool {
	typ := syscall.SOCK_STREAM
	if proto == "udp" {
		typ = syscall.SOCK_DGRAM
	}
	if fd, err := syscall.Socket(syscall.AF_INET6, typ|syscall.SOCK_CLOEXEC, 0); err == nil {
		defer syscall.Close(fd)
		_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, 0)
		return syscall.Bind(fd, &syscall.SockaddrInet6{Port: p}) == nil
	}
	fd, err := syscall.Socket(syscall.AF_INET, typ|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	return syscall.Bind(fd, &syscall.SockaddrInet4{Port: p}) == nil
}
