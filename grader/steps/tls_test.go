package steps_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/steps"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/tlsref"
)

// tlsServer is a student's HTTPS server: it presents leaf and answers
// one request with "fluffy tail".
func tlsServer(leaf *tlsref.Leaf) int {
	GinkgoHelper()
	port, _ := tcpServer(func(c net.Conn) []byte {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{leaf.TLS}})
		_ = tc.SetDeadline(time.Now().Add(ioLimit))
		if tc.Handshake() != nil {
			return nil
		}
		line, _ := bufio.NewReader(tc).ReadString('\n')
		_, _ = io.WriteString(tc, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nfluffy tail")
		_ = tc.Close()
		return []byte(line)
	})
	return port
}

func tlsSession(ca *tlsref.CA, port int, keylog io.Writer) *steps.Session {
	return &steps.Session{T: wire.New(), Target: steps.Target{Host: "127.0.0.1", Port: port},
		TLS: &steps.TLSClient{CA: ca.Cert, ServerName: "localhost", KeyLog: keylog, Files: "server-public-key.pem and server-private-key.pem"}}
}

var tlsSteps = []spec.Step{
	connect("tls"),
	send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
	expect(spec.Match{Contains: textp("fluffy tail")}),
	closeStep(),
}

func runTLS(sess *steps.Session) []result.Check {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return sess.Run(ctx, tlsSteps)
}

var _ = Describe("connect: tls", func() {
	var ca *tlsref.CA
	BeforeEach(func() {
		var err error
		ca, err = tlsref.NewCA("grader CA")
		Expect(err).NotTo(HaveOccurred())
	})
	now := time.Now()

	It("verifies the certificate the grader's CA signed, then talks through TLS", func() {
		leaf, err := ca.Issue(tlsref.DefaultNames, now.Add(-time.Hour), now.Add(time.Hour))
		Expect(err).NotTo(HaveOccurred())
		var keylog bytes.Buffer
		sess := tlsSession(ca, tlsServer(leaf), &keylog)
		checks := runTLS(sess)
		Expect(checks).To(HaveLen(2))
		Expect(checks[0].Name).To(Equal("tls"))
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(checks[0].Actual).To(HavePrefix("TLS 1.3 (TLS_"))
		Expect(checks[0].Actual).To(ContainSubstring("a certificate for localhost, 127.0.0.1, ::1 issued by \"grader CA\""))
		Expect(checks[1].Passed).To(BeTrue(), checks[1].Message)
		Expect(keylog.String()).To(ContainSubstring("CLIENT_TRAFFIC_SECRET_0 "))
		By("recording only ciphertext on the wire")
		Expect(string(sess.T.Bytes(0, wire.C2S))).NotTo(ContainSubstring("GET /"))
	})

	DescribeTable("says what is wrong with the certificate, and stops",
		func(issue func() *tlsref.Leaf, says ...string) {
			sess := tlsSession(ca, tlsServer(issue()), nil)
			checks := runTLS(sess)
			Expect(checks).To(HaveLen(1))
			Expect(checks[0].Name).To(Equal("tls"))
			Expect(checks[0].Passed).To(BeFalse())
			for _, s := range says {
				Expect(checks[0].Message).To(ContainSubstring(s))
			}
			Expect(checks[0].Hint).To(ContainSubstring("server-public-key.pem and server-private-key.pem"))
		},
		Entry("its own CA, for its own name", func() *tlsref.Leaf {
			own, err := tlsref.NewCA("my own CA")
			Expect(err).NotTo(HaveOccurred())
			l, err := own.Issue([]string{"my-site.com"}, now.Add(-time.Hour), now.Add(time.Hour))
			Expect(err).NotTo(HaveOccurred())
			return l
		}, `the server presented a certificate for my-site.com issued by "my own CA"`, `it is not signed by the grader's CA ("grader CA")`, "; and it is not valid for localhost"),
		Entry("the right CA, another name", func() *tlsref.Leaf {
			l, err := ca.Issue([]string{"www.example.org"}, now.Add(-time.Hour), now.Add(time.Hour))
			Expect(err).NotTo(HaveOccurred())
			return l
		}, "a certificate for www.example.org", ": it is not valid for localhost, the name the client connected to"),
		Entry("expired", func() *tlsref.Leaf {
			l, err := ca.Issue(tlsref.DefaultNames, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
			Expect(err).NotTo(HaveOccurred())
			return l
		}, ": it has expired"),
	)

	It("recognises a plain HTTP server on the TLS port by its answer in clear text", func() {
		port, _ := tcpServer(func(c net.Conn) []byte {
			buf := make([]byte, 1024)
			_ = c.SetDeadline(time.Now().Add(ioLimit))
			n, _ := c.Read(buf)
			_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			drain(c)
			return buf[:n]
		})
		checks := runTLS(tlsSession(ca, port, nil))
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(Equal("the server answered `HTTP/1.1 400 Bad Request\\r\\n` in clear text to a TLS ClientHello: it speaks plain TCP (plain HTTP?) on this port, not TLS"))
		Expect(checks[0].Hint).To(ContainSubstring("wrap_socket(sock, server_side=True)"))
	})

	It("gives up on a server that never answers the ClientHello", func() {
		port, _ := tcpServer(func(c net.Conn) []byte {
			drain(c)
			return nil
		})
		checks := runTLS(tlsSession(ca, port, nil))
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Message).To(HavePrefix("the server sent nothing in answer to the TLS ClientHello within 3s"))
	})

	It("names the check of a second connect: tls tls2", func() {
		leaf, err := ca.Issue(tlsref.DefaultNames, now.Add(-time.Hour), now.Add(time.Hour))
		Expect(err).NotTo(HaveOccurred())
		sess := tlsSession(ca, tlsServer(leaf), nil)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		checks := sess.Run(ctx, append(append([]spec.Step{}, tlsSteps...), tlsSteps...))
		Expect(checks).To(HaveLen(4))
		Expect([]string{checks[0].Name, checks[2].Name}).To(Equal([]string{"tls", "tls2"}))
		for _, c := range checks {
			Expect(c.Passed).To(BeTrue(), c.Message)
		}
	})
})
