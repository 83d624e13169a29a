// Package tlsref is the reference HTTPS server of the TLS exercises
// (`grader serve https`, the https* server kinds): the strict HTTP/1.1
// file server of package httpd behind TLS 1.2 and 1.3, with a
// certificate from a certificate authority made for the run, so a
// student's client can be pointed at that CA (a PEM file) instead of the
// system's trust store.
//
// It exists to grade what a TLS client decides, so it records for every
// connection what the handshake showed: the server name the client sent
// (SNI), the ALPN protocols and TLS versions it offered, the version
// negotiated, and why the handshake failed: the alert the client sent
// when it refused the certificate ("unknown certificate authority"), or
// the plain text it sent when it did not speak TLS at all (a plain HTTP
// request to the TLS port, answered with 400 as net/http does). Its "bad"
// variants present a certificate a careful client must refuse: one from a
// CA the client was never given, one for another name, one that has
// expired. The session secrets are kept in the NSS key log format, so a
// capture of the scenario can be decrypted in Wireshark.
//
// Every byte on the wire (ciphertext) goes into the httpd transcript, and
// the decrypted bytes into a second one, Plaintext.
package tlsref

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/httpd"
)

// Variant selects the certificate the server presents.
type Variant string

// The variants: Trusted is the good server; the others present a
// certificate a client that verifies must refuse.
const (
	// Trusted: a certificate for the server's names, signed by the CA the
	// client is given.
	Trusted Variant = "trusted"
	// Untrusted: a certificate for the right names, signed by another CA
	// the client never heard of.
	Untrusted Variant = "untrusted"
	// WrongName: a certificate signed by the client's CA, but for
	// WrongHost only.
	WrongName Variant = "wrong-name"
	// Expired: a certificate for the right names, signed by the client's
	// CA, whose validity ended the day before.
	Expired Variant = "expired"
)

// Variants lists every variant.
var Variants = []Variant{Trusted, Untrusted, WrongName, Expired}

// Host is the name a client is told to connect to: the certificates are
// for it, so a client that sends it as SNI and checks it finds it there.
const Host = "localhost"

// DefaultNames are the names of a trusted certificate.
var DefaultNames = []string{Host, "127.0.0.1", "::1"}

// WrongHost is the only name of the WrongName variant's certificate (the
// .example top-level domain is reserved and never resolves).
const WrongHost = "wrong-name.example"

// DefaultHandshakeTimeout bounds a handshake.
const DefaultHandshakeTimeout = 5 * time.Second

// Config configures a server.
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:0"; required. On
	// 127.0.0.1 the server also listens on [::1] at the same port when it
	// can, since "localhost" may resolve to either.
	Addr string
	// Variant is the certificate presented; Trusted when empty.
	Variant Variant
	// Names are added to DefaultNames on the certificate (not for
	// WrongName).
	Names []string
	// CA is the authority a client is told to trust; a fresh one when nil.
	CA *CA
	// HTTP configures the file server behind TLS; its Addr, Listener and
	// Upgrade are set by New.
	HTTP httpd.Config
	// KeyLog, when set, also receives the session secrets as they are
	// made (KeyLog() returns them all anyway).
	KeyLog io.Writer
	// HandshakeTimeout bounds a handshake; DefaultHandshakeTimeout when 0.
	HandshakeTimeout time.Duration
}

// Handshake is what one connection showed of its TLS handshake.
type Handshake struct {
	// Conn is the transcript's connection id.
	Conn int
	// Hello is set when a ClientHello arrived; SNI, ALPN and Versions are
	// what it offered (Versions in the client's order of preference).
	Hello    bool
	SNI      string
	ALPN     []string
	Versions []uint16
	// Done is set when the handshake completed: the client accepted the
	// certificate. Version, CipherSuite and Protocol (ALPN) were then
	// negotiated.
	Done        bool
	Version     uint16
	CipherSuite uint16
	Protocol    string
	// Err is why the handshake failed; Alert the alert the client sent
	// to abort it ("unknown certificate authority"), when it did.
	Err   string
	Alert string
	// Plain is the start of what the client sent when it did not speak
	// TLS at all (a request in clear text).
	Plain []byte
}

// OfferedVersions names the versions the client offered ("TLS 1.3, TLS 1.2").
func (h Handshake) OfferedVersions() string {
	var out []string
	for _, v := range h.Versions {
		out = append(out, tls.VersionName(v))
	}
	return strings.Join(out, ", ")
}

// Server is a listening reference HTTPS server.
type Server struct {
	http    *httpd.Server
	cfg     Config
	ca      *CA
	leaf    *Leaf
	base    *tls.Config
	plain   *wire.Transcript
	keylog  wire.SyncBuffer
	timeout time.Duration

	mu sync.Mutex
	hs []*Handshake
}

// New makes the certificates, starts listening and serving at once.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		return nil, errors.New("tlsref: no listen address")
	}
	if cfg.Variant == "" {
		cfg.Variant = Trusted
	}
	ca := cfg.CA
	if ca == nil {
		var err error
		if ca, err = NewCA("netlab-grader CA " + randomTag()); err != nil {
			return nil, err
		}
	}
	leaf, err := issue(ca, cfg.Variant, cfg.Names)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, ca: ca, leaf: leaf, plain: wire.New(), timeout: cfg.HandshakeTimeout}
	if s.timeout <= 0 {
		s.timeout = DefaultHandshakeTimeout
	}
	var kl io.Writer = &s.keylog
	if cfg.KeyLog != nil {
		kl = io.MultiWriter(&s.keylog, cfg.KeyLog)
	}
	s.base = &tls.Config{
		Certificates: []tls.Certificate{leaf.TLS},
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   tls.VersionTLS13,
		NextProtos:   []string{"http/1.1"},
		KeyLogWriter: kl,
	}
	ln, err := listen(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("tlsref: %w", err)
	}
	hc := cfg.HTTP
	hc.Addr, hc.Listener, hc.Upgrade = "", ln, s.upgrade
	if s.http, err = httpd.New(hc); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("tlsref: %w", err)
	}
	return s, nil
}

// issue makes the certificate a variant presents.
func issue(ca *CA, v Variant, extra []string) (*Leaf, error) {
	now := time.Now()
	names := append(append([]string(nil), DefaultNames...), extra...)
	switch v {
	case Trusted:
		return ca.Issue(names, now.Add(-time.Hour), now.Add(7*24*time.Hour))
	case Untrusted:
		other, err := NewCA("untrusted CA " + randomTag())
		if err != nil {
			return nil, err
		}
		return other.Issue(names, now.Add(-time.Hour), now.Add(7*24*time.Hour))
	case WrongName:
		return ca.Issue([]string{WrongHost}, now.Add(-time.Hour), now.Add(7*24*time.Hour))
	case Expired:
		return ca.Issue(names, now.Add(-30*24*time.Hour), now.Add(-24*time.Hour))
	}
	return nil, fmt.Errorf("tlsref: unknown variant %q", v)
}

// upgrade runs the TLS handshake on an accepted connection and records
// what it showed.
func (s *Server) upgrade(c *wire.Conn) (*wire.Conn, error) {
	h := &Handshake{Conn: c.ID}
	s.mu.Lock()
	s.hs = append(s.hs, h)
	s.mu.Unlock()
	cfg := s.base.Clone()
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		s.mu.Lock()
		h.Hello = true
		h.SNI = hello.ServerName
		h.ALPN = append([]string(nil), hello.SupportedProtos...)
		h.Versions = append([]uint16(nil), hello.SupportedVersions...)
		s.mu.Unlock()
		return nil, nil
	}
	tc := tls.Server(c, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		var plain []byte
		var rh tls.RecordHeaderError
		if errors.As(err, &rh) && rh.Conn != nil {
			plain = s.answerPlain(c, rh)
		}
		msg, alert := err.Error(), alertOf(err)
		if alert == "" {
			// OpenSSL aborts a TLS 1.3 handshake with an alert in clear
			// text (its handshake write key is not in use yet), which Go
			// tries to decrypt ("bad record MAC"): read it off the wire.
			if alert = clearAlert(c.T.Bytes(c.ID, wire.C2S)); alert != "" {
				msg = "remote error: tls: " + alert
			}
		}
		s.mu.Lock()
		h.Err, h.Alert, h.Plain = msg, alert, plain
		s.mu.Unlock()
		return nil, err
	}
	st := tc.ConnectionState()
	s.mu.Lock()
	h.Done, h.Version, h.CipherSuite, h.Protocol = true, st.Version, st.CipherSuite, st.NegotiatedProtocol
	s.mu.Unlock()
	return &wire.Conn{Conn: tc, T: s.plain, ID: c.ID, ReadDir: wire.C2S, Side: "server"}, nil
}

// plainWait bounds how long the server waits for the rest of a plain-text
// request's first line, to quote it.
const plainWait = 300 * time.Millisecond

// answerPlain answers a client that sent plain text where a ClientHello
// belonged: a request in clear text gets net/http's 400 (so the client
// sees why), and the start of what it sent is returned for feedback.
func (s *Server) answerPlain(c *wire.Conn, rh tls.RecordHeaderError) []byte {
	if looksLikeHTTP(rh.RecordHeader[:]) {
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = io.WriteString(c, "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
	}
	got := wire.FirstLine(c, plainWait)
	return got[:min(len(got), 200)]
}

// looksLikeHTTP is net/http's test of a TLS record header that is in fact
// the start of an HTTP request.
func looksLikeHTTP(hdr []byte) bool {
	switch string(hdr) {
	case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO", "DELET", "CONNE", "PATCH":
		return true
	}
	return false
}

// alertOf extracts the alert the peer sent from a handshake error
// ("remote error: tls: bad certificate" → "bad certificate").
func alertOf(err error) string {
	const p = "remote error: tls: "
	msg := err.Error()
	if i := strings.Index(msg, p); i >= 0 {
		return msg[i+len(p):]
	}
	return ""
}

// clearAlert finds an alert record in clear text among the records a
// client sent and names it ("unknown certificate authority").
func clearAlert(b []byte) string {
	for len(b) >= 5 {
		n := int(b[3])<<8 | int(b[4])
		if len(b) < 5+n {
			return ""
		}
		if b[0] == 21 && n == 2 {
			return AlertName(b[6])
		}
		b = b[5+n:]
	}
	return ""
}

// alertNames are the TLS alerts (RFC 8446 6), worded as Go's crypto/tls
// words them in its errors.
var alertNames = map[byte]string{
	0: "close notify", 10: "unexpected message", 20: "bad record MAC", 21: "decryption failed", 22: "record overflow",
	30: "decompression failure", 40: "handshake failure", 42: "bad certificate", 43: "unsupported certificate",
	44: "revoked certificate", 45: "expired certificate", 46: "unknown certificate", 47: "illegal parameter",
	48: "unknown certificate authority", 49: "access denied", 50: "error decoding message", 51: "error decrypting message",
	60: "export restriction", 70: "protocol version not supported", 71: "insufficient security level", 80: "internal error",
	86: "inappropriate fallback", 90: "user canceled", 100: "no renegotiation", 109: "missing extension",
	110: "unsupported extension", 111: "certificate unobtainable", 112: "unrecognized name",
	113: "bad certificate status response", 114: "bad certificate hash value", 115: "unknown PSK identity",
	116: "certificate required", 120: "no application protocol", 121: "encrypted client hello required",
}

// AlertName names a TLS alert by its number.
func AlertName(code byte) string {
	if n, ok := alertNames[code]; ok {
		return n
	}
	return fmt.Sprintf("alert(%d)", code)
}

// Addr is where the server listens (its IPv4 address).
func (s *Server) Addr() net.Addr { return s.http.Addr() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.http.Addr().(*net.TCPAddr).Port }

// HostName is the name a client must connect to: Host.
func (s *Server) HostName() string { return Host }

// URL is "https://localhost:PORT".
func (s *Server) URL() string { return "https://" + net.JoinHostPort(Host, strconv.Itoa(s.Port())) }

// Variant is the certificate variant presented.
func (s *Server) Variant() Variant { return s.cfg.Variant }

// CA is the authority a client is told to trust (for Untrusted, not the
// one that signed the certificate presented).
func (s *Server) CA() *CA { return s.ca }

// CAPEM is the CA's certificate in PEM, the file to hand to a client.
func (s *Server) CAPEM() []byte { return s.ca.PEM() }

// Certificate is the certificate the server presents.
func (s *Server) Certificate() *x509.Certificate { return s.leaf.Cert }

// HTTP is the file server behind TLS (its requests).
func (s *Server) HTTP() *httpd.Server { return s.http }

// Requests are the HTTP requests received inside TLS.
func (s *Server) Requests() []httpd.Request { return s.http.Requests() }

// Transcript records the bytes on the wire (TLS records).
func (s *Server) Transcript() *wire.Transcript { return s.http.Transcript() }

// Plaintext records the decrypted bytes, with the wire transcript's
// connection ids.
func (s *Server) Plaintext() *wire.Transcript { return s.plain }

// KeyLog is every session secret so far in the NSS key log format
// (Wireshark: Preferences, Protocols, TLS, (Pre)-Master-Secret log).
func (s *Server) KeyLog() []byte { return s.keylog.Bytes() }

// Handshakes returns a copy of what every connection showed so far, in
// the order connections were accepted.
func (s *Server) Handshakes() []Handshake {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Handshake, len(s.hs))
	for i, h := range s.hs {
		out[i] = *h
	}
	return out
}

// Settle waits until every connection has ended, so Handshakes, Requests
// and the transcripts are complete; it gives up when ctx ends.
func (s *Server) Settle(ctx context.Context) error { return s.http.Settle(ctx) }

// Close stops the server and cuts the open connections.
func (s *Server) Close() error { return s.http.Close() }

// randomTag is a short random suffix that tells one run's CA from
// another's.
func randomTag() string {
	n, err := serialNumber()
	if err != nil {
		return "0"
	}
	return strconv.FormatUint(n.Uint64()%1e8, 16)
}
