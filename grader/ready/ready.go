// Package ready tells when a student's server is ready without touching
// it: a seed server accepts exactly one client and exits, so probing it
// with a connection would use up the only one it serves. On Linux the
// grader reads /proc/net for a socket owned by the submission's processes.
package ready

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Socket is a listening TCP socket or a bound UDP socket of the submission.
type Socket struct {
	Proto string // tcp or udp
	Addr  netip.AddrPort
	Inode uint64
}

// IPv6 reports whether the socket is an IPv6 one (it may also accept IPv4
// unless bound to a specific IPv6 address).
func (s Socket) IPv6() bool { return s.Addr.Addr().Is6() && !s.Addr.Addr().Is4In6() }

// ErrUnsupported means /proc/net is not available: the caller falls back
// to retrying its first connection.
var ErrUnsupported = errors.New("socket readiness needs /proc/net (Linux)")

// Supported reports whether /proc/net can be read here.
func Supported() bool {
	_, err := os.Stat("/proc/net/tcp")
	return err == nil
}

// Procs tells Wait where to look: Main is the program's pid (0 once it
// has exited), All every process of the run (a full /proc scan, costlier),
// Gone whether nothing of the run is left.
type Procs struct {
	Main func() int
	All  func() []int
	Gone func() bool
}

// Wait polls until a process of the run owns a socket of proto, the run is
// gone, or ctx ends. The program itself is looked at on every poll: it is
// the usual listener and costs one folder read, so polls are frequent
// (every 250 µs while most servers get ready, backing off to 1 ms after
// fastFor) and the grader sees a server listen within a fraction of a
// millisecond. The whole process tree, for a server that forks or
// daemonizes, costs a /proc scan and is looked at every 16 ms.
func Wait(ctx context.Context, proto string, p Procs) ([]Socket, error) {
	if !Supported() {
		return nil, ErrUnsupported
	}
	delay := 250 * time.Microsecond
	begun := time.Now()
	lastFull := begun
	for {
		var pids []int
		if m := p.Main(); m > 0 && time.Since(lastFull) < fullScanEvery {
			pids = []int{m}
		} else {
			pids = p.All()
			lastFull = time.Now()
		}
		socks, err := Find(proto, pids)
		if err != nil {
			return nil, err
		}
		if len(socks) > 0 {
			return socks, nil
		}
		if p.Main() == 0 && p.Gone() {
			return nil, errExited
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		if time.Since(begun) > fastFor {
			delay = min(delay*2, time.Millisecond)
		}
	}
}

// fastFor is how long Wait polls at its fastest: a compiled or Python
// server listens within this on an idle machine.
const fastFor = 20 * time.Millisecond

// fullScanEvery is how often Wait looks beyond the program itself.
const fullScanEvery = 16 * time.Millisecond

var errExited = errors.New("the program exited before it listened")

// IsExited reports whether Wait gave up because the program ended.
func IsExited(err error) bool { return errors.Is(err, errExited) }

// Find returns the sockets of proto (tcp: listening; udp: bound to a
// port) owned by any of pids.
func Find(proto string, pids []int) ([]Socket, error) {
	inodes := map[uint64]bool{}
	// The tables are read through a process that owns a socket, so they
	// are those of its network namespace (a sandboxed run has its own).
	owner := 0
	for _, pid := range pids {
		ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
		if err != nil {
			continue // gone, or not ours to read
		}
		for _, e := range ents {
			l, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + e.Name())
			if err != nil || !strings.HasPrefix(l, "socket:[") {
				continue
			}
			if n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]"), 10, 64); err == nil {
				inodes[n] = true
				if owner == 0 {
					owner = pid
				}
			}
		}
	}
	if len(inodes) == 0 {
		return nil, nil
	}
	var out []Socket
	for _, f := range []string{proto, proto + "6"} {
		socks, err := parse("/proc/"+strconv.Itoa(owner)+"/net/"+f, proto)
		if err != nil {
			continue
		}
		for _, s := range socks {
			if inodes[s.Inode] {
				out = append(out, s)
				delete(inodes, s.Inode)
			}
		}
		if len(inodes) == 0 {
			break // every socket of the run is accounted for
		}
	}
	return out, nil
}

// parse reads one /proc/net table and keeps TCP sockets in LISTEN (0A)
// and UDP sockets bound to a port (state 07, local port != 0).
func parse(file, proto string) ([]Socket, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Socket
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	state := " 0A "
	if proto == "udp" {
		state = " 07 "
	}
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		// Busy machines have hundreds of TIME_WAIT lines: skip them before
		// splitting.
		if !strings.Contains(sc.Text(), state) {
			continue
		}
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 {
			continue
		}
		st := fs[3]
		if proto == "tcp" && st != "0A" || proto == "udp" && st != "07" {
			continue
		}
		ap, err := parseAddr(fs[1])
		if err != nil || ap.Port() == 0 {
			continue
		}
		ino, err := strconv.ParseUint(fs[9], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, Socket{Proto: proto, Addr: ap, Inode: ino})
	}
	return out, sc.Err()
}

// parseAddr decodes the kernel's hex "0100007F:04D2" (IPv4, host byte
// order per 32-bit word) or its 32-hex-digit IPv6 form.
func parseAddr(s string) (netip.AddrPort, error) {
	host, port, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, fmt.Errorf("bad address %q", s)
	}
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil {
		return netip.AddrPort{}, err
	}
	raw, err := hex.DecodeString(host)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, fmt.Errorf("bad address %q", s)
	}
	// each 32-bit word is in host (little-endian) order
	for i := 0; i < len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	a, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(a, uint16(p)), nil
}
