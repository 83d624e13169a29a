package steps

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/tlsref"
)

// TLSClient is how the grader plays a TLS client (`connect: tls`): it
// verifies the student's certificate against the CA the grader made and
// handed over, as any client that trusts that CA would, and words what
// it finds wrong instead of failing with Go's terse error.
type TLSClient struct {
	// CA is the authority the server's certificate must chain to.
	CA *x509.Certificate
	// ServerName is sent as SNI and must be on the certificate.
	ServerName string
	// KeyLog receives the session secrets (NSS key log format) so the
	// capture can be decrypted.
	KeyLog io.Writer
	// Files names the files the student was given, for hints
	// ("server-public-key.pem and server-private-key.pem").
	Files string
}

// handshakeTimeout bounds a TLS handshake with the student's server.
const handshakeTimeout = 3 * time.Second

// tlsOrdinal counts the `connect: tls` steps in steps: the last one's
// check is tls, tls2...
func tlsOrdinal(steps []spec.Step) string {
	n := 0
	for _, st := range steps {
		if st.Connect == "tls" {
			n++
		}
	}
	return spec.TLSStepCheckID(n)
}

// connectTLS connects over TCP and runs a TLS handshake that verifies
// the chain and the host name; it returns the check named id, and on
// success the session's connection carries the decrypted stream.
func (s *Session) connectTLS(ctx context.Context, id string) result.Check {
	c := result.Check{Name: id}
	if s.TLS == nil {
		c.Message = "the grader made no certificate authority for this exercise"
		return c
	}
	name := s.TLS.ServerName
	c.Expected = fmt.Sprintf("a TLS 1.2 or 1.3 handshake, with a certificate for %s signed by the grader's CA", name)
	if err := s.connect(ctx, "tcp"); err != nil {
		c.Message, c.Actual, c.Hint = err.Error(), s.Target.Listening, s.connectHint()
		return c
	}
	raw, _ := s.conn.(*wire.Conn)
	var verr error
	cfg := &tls.Config{
		ServerName: name,
		// Verified below, so the report can say what is wrong with the
		// certificate (chain, name, dates) rather than Go's first error.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			verr = verifyServer(cs.PeerCertificates, s.TLS.CA, name)
			return verr
		},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
		KeyLogWriter: s.TLS.KeyLog,
	}
	tc := tls.Client(s.conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	if err != nil {
		c.Actual = "handshake failed: " + err.Error()
		c.Message, c.Hint = s.handshakeProblem(err, verr, raw)
		s.closeConn()
		return c
	}
	st := tc.ConnectionState()
	c.Passed = true
	c.Actual = fmt.Sprintf("%s (%s); the server presented %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), tlsref.Describe(st.PeerCertificates[0]))
	s.conn = tc
	return c
}

// handshakeProblem words why a handshake failed, with a hint.
func (s *Session) handshakeProblem(err, verr error, raw *wire.Conn) (string, string) {
	files := s.TLS.Files
	if files == "" {
		files = "the certificate and key the grader gave"
	}
	var rh tls.RecordHeaderError
	var ne net.Error
	switch {
	case verr != nil:
		return verr.Error(), "Load " + files + " (load_cert_chain(certfile, keyfile)) instead of a certificate of your own: only those are signed by the CA the grader trusts, for " + s.TLS.ServerName + "."
	case errors.As(err, &rh) && raw != nil:
		first := firstLine(raw)
		return fmt.Sprintf("the server answered %s in clear text to a TLS ClientHello: it speaks plain TCP (plain HTTP?) on this port, not TLS", check.Quote(first, 80)),
			"Wrap the listening socket with TLS before accepting: ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(certfile, keyfile); sock = ctx.wrap_socket(sock, server_side=True)."
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("the server sent nothing in answer to the TLS ClientHello within %v: is it speaking TLS on this port?", handshakeTimeout),
			"A TLS server answers the ClientHello at once with its ServerHello and certificate: wrap the accepted socket (or the listening one) with ssl.SSLContext.wrap_socket(..., server_side=True)."
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection reset"):
		return "the server closed the connection during the TLS handshake", "Check the server's own error: a wrong key file, or a certificate and key that do not match, make its handshake fail."
	}
	msg := "the handshake failed: " + err.Error()
	if a, ok := strings.CutPrefix(err.Error(), "remote error: tls: "); ok {
		msg = fmt.Sprintf("the handshake failed: your server sent the alert `%s`", a)
	}
	return msg, "The server must accept TLS 1.2 or 1.3 and present the certificate the grader gave."
}

// firstLine reads what the server sent on raw (the transcript has it:
// the TLS layer read the first bytes) until its first line is complete or
// the server goes quiet.
func firstLine(raw *wire.Conn) []byte { return wire.FirstLine(raw, 300*time.Millisecond) }

// verifyServer checks the server's chain against ca and its name, and
// says everything that is wrong with the certificate at once.
func verifyServer(certs []*x509.Certificate, ca *x509.Certificate, name string) error {
	if len(certs) == 0 {
		return errors.New("the server presented no certificate")
	}
	leaf := certs[0]
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	var probs []string
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	switch {
	case err == nil:
	case errors.As(err, &ua):
		probs = append(probs, fmt.Sprintf("it is not signed by the grader's CA (%q), so no client that trusts that CA accepts it", ca.Subject.CommonName))
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		if time.Now().Before(leaf.NotBefore) {
			probs = append(probs, "it is not valid yet")
		} else {
			probs = append(probs, "it has expired")
		}
	default:
		probs = append(probs, err.Error())
	}
	if err := leaf.VerifyHostname(name); err != nil {
		probs = append(probs, fmt.Sprintf("it is not valid for %s, the name the client connected to", name))
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("the server presented %s: %s", tlsref.Describe(leaf), strings.Join(probs, "; and "))
}
