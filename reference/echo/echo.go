// Package echo provides the reference echo servers of the lab exercises: a
// TCP server and a UDP server that answer each message with the message
// plus a suffix ("bonjour" → "bonjour OK"). Like net/http/httptest.Server
// they listen as soon as they are made, expose their address, record every
// byte in a wire.Transcript so checks can quote what crossed the network,
// and Close waits until every goroutine has finished.
//
// The seeds' clients come in two dialects: C clients send a trailing NUL
// byte ("bonjour\x00"), Python clients do not. The servers accept both and
// mirror the client, so each dialect gets back what it expects to read.
package echo

import (
	"bytes"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// DefaultSuffix is appended to each message when Config.Suffix is empty;
// it is what the lab statement asks for.
const DefaultSuffix = " OK"

// DefaultQuiet is how long the TCP server waits for more bytes before
// treating an unterminated message as complete when Config.Quiet is zero.
// Python clients send "bonjour" with no terminator, so silence is the only
// end-of-message marker they give; 30ms is long enough to join the pieces
// of one send on loopback and short enough not to slow a scenario down.
const DefaultQuiet = 30 * time.Millisecond

// SpoofGap separates an impostor datagram from the real reply that follows
// it, so the impostor is the first to arrive.
const SpoofGap = 5 * time.Millisecond

// MaxMessage caps the bytes the TCP server buffers for one message, so a
// client that streams without ever pausing or terminating cannot exhaust
// memory; when the cap is reached the server replies to what it has.
const MaxMessage = 64 << 10

// Config configures a TCP or UDP echo server.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0" or "[::1]:0"; required.
	Addr string
	// Transcript records every byte; if nil a new one is made.
	Transcript *wire.Transcript
	// Suffix is appended to each message before replying; default " OK".
	Suffix string
	// Reply, if set, replaces the suffix logic entirely (udp-time answers
	// "Your data was N bytes long "). It may keep msg.
	Reply func(msg []byte) []byte
	// Spoof, UDP only: before each real reply, send this datagram to the
	// client from a different UDP socket (another port on the same IP), to
	// test that a client ignores datagrams that do not come from the server.
	Spoof []byte
	// Segment, TCP only: if > 0, write replies in chunks of Segment bytes...
	Segment int
	// Delay ...with this delay between chunks (adversarial segmentation).
	Delay time.Duration
	// Quiet, TCP only: how long to wait for more bytes before an
	// unterminated message counts as complete; default DefaultQuiet.
	Quiet time.Duration
	// Log receives connection and error events; optional.
	Log *slog.Logger
}

// MirrorReply is the default reply: the message with trailing NUL bytes removed,
// plus suffix, plus a trailing NUL if and only if the client's message ended with NUL.
// A C client that sent "bonjour\x00" thus reads a C string back, and a Python
// client that sent "bonjour" reads no stray NUL.
func MirrorReply(msg []byte, suffix string) []byte {
	body := bytes.TrimRight(msg, "\x00")
	out := make([]byte, 0, len(body)+len(suffix)+1)
	out = append(out, body...)
	out = append(out, suffix...)
	if len(msg) > 0 && msg[len(msg)-1] == 0 {
		out = append(out, 0)
	}
	return out
}

// replier returns the reply function cfg asks for.
func replier(cfg Config) func([]byte) []byte {
	if cfg.Reply != nil {
		return cfg.Reply
	}
	suffix := cfg.Suffix
	if suffix == "" {
		suffix = DefaultSuffix
	}
	return func(msg []byte) []byte { return MirrorReply(msg, suffix) }
}

// logger returns cfg.Log, or a logger that discards, so the servers never
// need to check for nil.
func logger(cfg Config) *slog.Logger {
	if cfg.Log != nil {
		return cfg.Log
	}
	return slog.New(slog.DiscardHandler)
}

// transcript returns cfg.Transcript, or a new one.
func transcript(cfg Config) *wire.Transcript {
	if cfg.Transcript != nil {
		return cfg.Transcript
	}
	return wire.New()
}

// wait sleeps for d unless done is closed first; it reports whether the
// full delay elapsed. It keeps adversarial delays from holding up Close.
func wait(d time.Duration, done <-chan struct{}) bool {
	if d <= 0 {
		select {
		case <-done:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// settleTarget is the address Settle sends its sentinel to: the server's
// own address, with an unspecified IP ("0.0.0.0", "::") replaced by the
// loopback of the same family, which such a server also listens on.
func settleTarget(ip net.IP) net.IP {
	switch {
	case !ip.IsUnspecified():
		return ip
	case ip.To4() != nil:
		return net.IPv4(127, 0, 0, 1)
	default:
		return net.IPv6loopback
	}
}

// addrKey is a comparable form of a TCP or UDP address. IPv4-mapped IPv6
// addresses are unmapped and zones dropped, so the address a dual-stack
// socket reports for a peer equals the one the peer reports for itself.
func addrKey(a net.Addr) netip.AddrPort {
	var ap netip.AddrPort
	switch a := a.(type) {
	case *net.TCPAddr:
		ap = a.AddrPort()
	case *net.UDPAddr:
		ap = a.AddrPort()
	default:
		return netip.AddrPort{}
	}
	return keyOf(ap)
}

// keyOf normalises ap as addrKey does.
func keyOf(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port())
}
