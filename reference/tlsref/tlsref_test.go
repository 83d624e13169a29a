package tlsref_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing/fstest"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/tlsref"
)

var files = fstest.MapFS{
	"index.html": {Data: []byte("<!DOCTYPE html><title>t</title>\n")},
	"hello.txt":  {Data: []byte("Bonjour le monde\n")},
}

func start(cfg tlsref.Config) *tlsref.Server {
	GinkgoHelper()
	cfg.Addr = "127.0.0.1:0"
	cfg.HTTP.FS = files
	s, err := tlsref.New(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return s
}

// settle waits for every connection to end and returns the handshakes.
func settle(s *tlsref.Server) []tlsref.Handshake {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	Expect(s.Settle(ctx)).To(Succeed())
	return s.Handshakes()
}

// get sends one GET over TLS to addr and reads the answer until the
// server closes.
func get(addr string, cfg *tls.Config, path string) (string, error) {
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path)
	b, err := io.ReadAll(c)
	return string(b), err
}

func trusting(s *tlsref.Server) *tls.Config {
	return &tls.Config{RootCAs: s.CA().Pool(), ServerName: "localhost", NextProtos: []string{"http/1.1"}}
}

var _ = Describe("a trusted server", func() {
	It("serves a file to a client that trusts its CA and names localhost, and records the handshake", func() {
		s := start(tlsref.Config{})
		Expect(s.Variant()).To(Equal(tlsref.Trusted))
		resp, err := get(s.Addr().String(), trusting(s), "/hello.txt")
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HavePrefix("HTTP/1.1 200 OK\r\n"))
		Expect(resp).To(HaveSuffix("\r\n\r\nBonjour le monde\n"))

		hs := settle(s)
		Expect(hs).To(HaveLen(1))
		h := hs[0]
		Expect(h.Hello).To(BeTrue())
		Expect(h.SNI).To(Equal("localhost"))
		Expect(h.ALPN).To(Equal([]string{"http/1.1"}))
		Expect(h.Versions).To(ContainElements(uint16(tls.VersionTLS13), uint16(tls.VersionTLS12)))
		Expect(h.OfferedVersions()).To(HavePrefix("TLS 1.3, TLS 1.2"))
		Expect(h.Done).To(BeTrue())
		Expect(h.Version).To(Equal(uint16(tls.VersionTLS13)))
		Expect(h.Protocol).To(Equal("http/1.1"))
		Expect(h.Err).To(BeEmpty())
		Expect(h.Alert).To(BeEmpty())

		By("keeping the request, the decrypted bytes and, on the wire, only ciphertext")
		reqs := s.Requests()
		Expect(reqs).To(HaveLen(1))
		Expect(reqs[0].Path).To(Equal("/hello.txt"))
		Expect(reqs[0].Conn).To(Equal(h.Conn))
		Expect(string(s.Plaintext().Bytes(h.Conn, wire.C2S))).To(HavePrefix("GET /hello.txt HTTP/1.1\r\n"))
		Expect(string(s.Plaintext().Bytes(h.Conn, wire.S2C))).To(HaveSuffix("Bonjour le monde\n"))
		Expect(string(s.Transcript().Bytes(h.Conn, wire.C2S))).NotTo(ContainSubstring("GET /hello.txt"))
		Expect(string(s.Transcript().Bytes(h.Conn, wire.S2C))).NotTo(ContainSubstring("Bonjour"))

		By("keeping the TLS 1.3 secrets Wireshark needs")
		Expect(string(s.KeyLog())).To(ContainSubstring("CLIENT_HANDSHAKE_TRAFFIC_SECRET "))
		Expect(string(s.KeyLog())).To(ContainSubstring("CLIENT_TRAFFIC_SECRET_0 "))

		By("presenting a certificate for localhost, 127.0.0.1 and ::1 that the CA PEM verifies")
		blk, _ := pem.Decode(s.CAPEM())
		Expect(blk).NotTo(BeNil())
		ca, err := x509.ParseCertificate(blk.Bytes)
		Expect(err).NotTo(HaveOccurred())
		Expect(ca.IsCA).To(BeTrue())
		pool := x509.NewCertPool()
		pool.AddCert(ca)
		for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
			_, err := s.Certificate().Verify(x509.VerifyOptions{Roots: pool, DNSName: name})
			Expect(err).NotTo(HaveOccurred(), name)
		}
		Expect(tlsref.Names(s.Certificate())).To(Equal([]string{"localhost", "127.0.0.1", "::1"}))
		Expect(s.URL()).To(Equal("https://localhost:" + strconv.Itoa(s.Port())))
	})

	It("puts extra names on the certificate", func() {
		s := start(tlsref.Config{Names: []string{"www.coursera.org"}})
		_, err := s.Certificate().Verify(x509.VerifyOptions{Roots: s.CA().Pool(), DNSName: "www.coursera.org"})
		Expect(err).NotTo(HaveOccurred())
	})

	It("negotiates TLS 1.2 with a client that offers only TLS 1.2, and records that it sent no SNI", func() {
		s := start(tlsref.Config{})
		// Go, like OpenSSL, sends no SNI for an IP address.
		cfg := &tls.Config{RootCAs: s.CA().Pool(), ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12}
		resp, err := get(s.Addr().String(), cfg, "/")
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HavePrefix("HTTP/1.1 200 OK\r\n"))
		h := settle(s)[0]
		Expect(h.SNI).To(BeEmpty())
		Expect(h.ALPN).To(BeEmpty())
		Expect(h.Versions).To(Equal([]uint16{tls.VersionTLS12}))
		Expect(h.Version).To(Equal(uint16(tls.VersionTLS12)))
		Expect(string(s.KeyLog())).To(HavePrefix("CLIENT_RANDOM "))
	})

	It("also listens on ::1 at the same port, for clients that resolve localhost to it", func() {
		probe, err := net.Listen("tcp", "[::1]:0")
		if err != nil {
			Skip("no IPv6 loopback here: " + err.Error())
		}
		probe.Close()
		s := start(tlsref.Config{})
		resp, err := get(net.JoinHostPort("::1", strconv.Itoa(s.Port())), trusting(s), "/hello.txt")
		Expect(err).NotTo(HaveOccurred())
		Expect(resp).To(HaveSuffix("Bonjour le monde\n"))
		Expect(settle(s)[0].Done).To(BeTrue())
	})

	It("gives each server its own CA unless it is given one", func() {
		a, b := start(tlsref.Config{}), start(tlsref.Config{})
		Expect(a.CAPEM()).NotTo(Equal(b.CAPEM()))
		ca, err := tlsref.NewCA("shared")
		Expect(err).NotTo(HaveOccurred())
		c, d := start(tlsref.Config{CA: ca}), start(tlsref.Config{CA: ca, Variant: tlsref.Expired})
		Expect(c.CAPEM()).To(Equal(d.CAPEM()))
	})
})

var _ = Describe("the bad variants", func() {
	DescribeTable("present a certificate a verifying client refuses, and record the alert it sent",
		func(v tlsref.Variant, refused func(error) bool, cert func(s *tlsref.Server)) {
			s := start(tlsref.Config{Variant: v})
			Expect(s.Variant()).To(Equal(v))
			_, err := get(s.Addr().String(), trusting(s), "/hello.txt")
			var ve *tls.CertificateVerificationError
			Expect(errors.As(err, &ve)).To(BeTrue(), "want a verification error, got %v", err)
			Expect(refused(ve.Err)).To(BeTrue(), "got %v", ve.Err)
			cert(s)

			hs := settle(s)
			Expect(hs).To(HaveLen(1))
			Expect(hs[0].Hello).To(BeTrue())
			Expect(hs[0].SNI).To(Equal("localhost"))
			Expect(hs[0].Done).To(BeFalse())
			Expect(hs[0].Alert).To(Equal("bad certificate"))
			Expect(hs[0].Err).To(ContainSubstring("remote error"))
			Expect(s.Requests()).To(BeEmpty())

			By("letting a client that skips verification through: what the exercises must catch")
			resp, err := get(s.Addr().String(), &tls.Config{InsecureSkipVerify: true}, "/hello.txt")
			Expect(err).NotTo(HaveOccurred())
			Expect(resp).To(HaveSuffix("Bonjour le monde\n"))
			Expect(settle(s)[1].Done).To(BeTrue())
		},
		Entry("untrusted: signed by another CA", tlsref.Untrusted,
			func(err error) bool { return errors.As(err, new(x509.UnknownAuthorityError)) },
			func(s *tlsref.Server) {
				c := s.Certificate()
				Expect(tlsref.Names(c)).To(ContainElement("localhost"))
				Expect(c.Issuer.CommonName).NotTo(Equal(s.CA().Cert.Subject.CommonName))
				Expect(c.Issuer.CommonName).To(HavePrefix("untrusted CA "))
			}),
		Entry("wrong name: for wrong-name.example only", tlsref.WrongName,
			func(err error) bool { return errors.As(err, new(x509.HostnameError)) },
			func(s *tlsref.Server) {
				c := s.Certificate()
				Expect(tlsref.Names(c)).To(Equal([]string{tlsref.WrongHost}))
				_, err := c.Verify(x509.VerifyOptions{Roots: s.CA().Pool(), DNSName: tlsref.WrongHost})
				Expect(err).NotTo(HaveOccurred(), "signed by the trusted CA")
				Expect(tlsref.Describe(c)).To(HavePrefix("a certificate for wrong-name.example issued by \"netlab-grader CA "))
			}),
		Entry("expired: valid until yesterday", tlsref.Expired,
			func(err error) bool {
				var ie x509.CertificateInvalidError
				return errors.As(err, &ie) && ie.Reason == x509.Expired
			},
			func(s *tlsref.Server) {
				c := s.Certificate()
				Expect(c.NotAfter).To(BeTemporally("<", time.Now()))
				_, err := c.Verify(x509.VerifyOptions{Roots: s.CA().Pool(), DNSName: "localhost", CurrentTime: c.NotAfter.Add(-time.Hour)})
				Expect(err).NotTo(HaveOccurred(), "signed by the trusted CA, for localhost")
			}),
	)
})

var _ = Describe("a client that does not speak TLS", func() {
	It("gets net/http's 400 in clear text, and its request line is recorded", func() {
		s := start(tlsref.Config{})
		c, err := net.DialTimeout("tcp", s.Addr().String(), 2*time.Second)
		Expect(err).NotTo(HaveOccurred())
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = io.WriteString(c, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
		Expect(err).NotTo(HaveOccurred())
		b, _ := io.ReadAll(c)
		Expect(string(b)).To(HavePrefix("HTTP/1.0 400 Bad Request\r\n"))
		Expect(string(b)).To(HaveSuffix("Client sent an HTTP request to an HTTPS server.\n"))
		h := settle(s)[0]
		Expect(h.Hello).To(BeFalse())
		Expect(h.Done).To(BeFalse())
		Expect(string(h.Plain)).To(Equal("GET /hello.txt HTTP/1.1\r\n"))
		Expect(h.Err).To(ContainSubstring("does not look like a TLS handshake"))
		Expect(s.Requests()).To(BeEmpty())
	})
})

var _ = Describe("OpenSSL clients", func() {
	It("curl downloads with --cacert, refuses without it, and the server hears OpenSSL's alert", func() {
		if _, err := exec.LookPath("curl"); err != nil {
			Skip("curl is not installed")
		}
		s := start(tlsref.Config{})
		ca := filepath.Join(GinkgoT().TempDir(), "ca.pem")
		Expect(os.WriteFile(ca, s.CAPEM(), 0o644)).To(Succeed())
		out, err := exec.Command("curl", "-sS", "--cacert", ca, s.URL()+"/hello.txt").CombinedOutput()
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(string(out)).To(Equal("Bonjour le monde\n"))

		cmd := exec.Command("curl", "-sS", s.URL()+"/hello.txt")
		cmd.Env = append(os.Environ(), "CURL_CA_BUNDLE=", "SSL_CERT_FILE=/nonexistent")
		out, err = cmd.CombinedOutput()
		var ee *exec.ExitError
		Expect(errors.As(err, &ee)).To(BeTrue(), string(out))
		Expect(ee.ExitCode()).To(Equal(60), string(out)) // peer certificate cannot be authenticated
		hs := settle(s)
		Expect(hs).To(HaveLen(2))
		Expect(hs[0].Done).To(BeTrue())
		Expect(hs[0].SNI).To(Equal("localhost"))
		Expect(hs[1].Done).To(BeFalse())
		Expect(hs[1].Alert).To(Equal("unknown certificate authority"))
	})

	DescribeTable("Python's ssl.create_default_context() refuses each bad variant",
		func(v tlsref.Variant, alert, says string) {
			py := "/usr/bin/python3"
			if _, err := os.Stat(py); err != nil {
				Skip("no " + py)
			}
			s := start(tlsref.Config{Variant: v})
			ca := filepath.Join(GinkgoT().TempDir(), "ca.pem")
			Expect(os.WriteFile(ca, s.CAPEM(), 0o644)).To(Succeed())
			prog := `import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
c = ctx.wrap_socket(socket.create_connection(("localhost", int(sys.argv[2]))), server_hostname="localhost")
`
			out, err := exec.Command(py, "-c", prog, ca, strconv.Itoa(s.Port())).CombinedOutput()
			Expect(err).To(HaveOccurred(), string(out))
			Expect(string(out)).To(ContainSubstring(says))
			h := settle(s)[0]
			Expect(h.SNI).To(Equal("localhost"))
			Expect(h.Done).To(BeFalse())
			Expect(h.Alert).To(Equal(alert), h.Err)
		},
		Entry("untrusted", tlsref.Untrusted, "unknown certificate authority", "unable to get local issuer certificate"),
		Entry("wrong name", tlsref.WrongName, "bad certificate", "Hostname mismatch"),
		Entry("expired", tlsref.Expired, "expired certificate", "certificate has expired"),
	)
})
