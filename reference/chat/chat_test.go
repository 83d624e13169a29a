//go:debug rsa1024min=0

package chat_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/chat"
	"github.com/netlab-grader/grader/reference/frames"
)

// ioTimeout is a safety net on every client connection, so a broken peer
// fails a spec instead of hanging the suite; no spec waits on it.
const ioTimeout = 5 * time.Second

const (
	peerSays   = "bonjour du serveur"
	clientSays = "bonjour du client"
)

// Client keys, made once: 1024 bits for most specs, and the lab sheet's
// rsa.newkeys(512), allowed in this test binary by the go:debug line above.
var key1024, key512 *rsa.PrivateKey

var _ = BeforeSuite(func() {
	var err error
	key1024, err = rsa.GenerateKey(rand.Reader, 1024)
	Expect(err).NotTo(HaveOccurred())
	key512, err = rsa.GenerateKey(rand.Reader, 512)
	Expect(err).NotTo(HaveOccurred())
})

// start runs a peer on a loopback ephemeral port (a 1024-bit peer key
// unless cfg says otherwise), closed after the spec.
func start(cfg chat.Config) *chat.Server {
	GinkgoHelper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.Message == "" {
		cfg.Message = peerSays
	}
	if cfg.Bits == 0 {
		cfg.Bits = 1024
	}
	srv, err := chat.New(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(srv.Close)
	return srv
}

// client is the student's side of one connection.
type client struct {
	conn *net.TCPConn
	r    *bufio.Reader
	priv *rsa.PrivateKey
	peer *rsa.PublicKey
}

// dial connects to srv and reads the peer's public key, which the peer
// sends first; the client has sent nothing yet.
func dial(srv *chat.Server, priv *rsa.PrivateKey) *client {
	GinkgoHelper()
	c, err := net.Dial("tcp", srv.Addr().String())
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { _ = c.Close() })
	Expect(c.SetDeadline(time.Now().Add(ioTimeout))).To(Succeed())
	cl := &client{conn: c.(*net.TCPConn), r: bufio.NewReader(c), priv: priv}
	cl.peer, err = frames.ReadPublicKey(cl.r)
	Expect(err).NotTo(HaveOccurred())
	return cl
}

// handshake dials and sends the client's key as PKIX PEM.
func handshake(srv *chat.Server, priv *rsa.PrivateKey) *client {
	GinkgoHelper()
	cl := dial(srv, priv)
	Expect(frames.WritePublicKey(cl.conn, &priv.PublicKey)).To(Succeed())
	return cl
}

func (c *client) send(text string) {
	GinkgoHelper()
	Expect(frames.WriteMessage(c.conn, c.peer, []byte(text))).To(Succeed())
}

func (c *client) recv() string {
	GinkgoHelper()
	m, err := frames.ReadMessage(c.r, c.priv)
	Expect(err).NotTo(HaveOccurred())
	return string(m)
}

// hangUp half-closes the client's side and reads what the peer still
// sends until it hangs up too, so the peer's connection has ended (or is
// ending: Settle waits for it) when it returns.
func (c *client) hangUp() []byte {
	GinkgoHelper()
	Expect(c.conn.CloseWrite()).To(Succeed())
	rest, err := io.ReadAll(c.r)
	Expect(err).NotTo(HaveOccurred())
	return rest
}

// settle waits for the peer's connections to end.
func settle(srv *chat.Server) {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	Expect(srv.Settle(ctx)).To(Succeed())
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

var _ = Describe("New", func() {
	It("needs a listen address", func() {
		_, err := chat.New(chat.Config{})
		Expect(err).To(MatchError(ContainSubstring("no listen address")))
	})

	It("reports an address it cannot listen on", func() {
		_, err := chat.New(chat.Config{Addr: "127.0.0.1:-1", Bits: 1024})
		Expect(err).To(HaveOccurred())
	})
})

var _ = Describe("Server", func() {
	Describe("a full exchange", func() {
		It("sends its PKIX key, speaks at once under the client's key and decrypts the client's messages", func() {
			t := wire.New()
			srv := start(chat.Config{Transcript: t})
			Expect(srv.Transcript()).To(BeIdenticalTo(t))
			cl := handshake(srv, key1024)
			Expect(cl.peer.N.BitLen()).To(Equal(1024))

			Expect(cl.recv()).To(Equal(peerSays))
			cl.send(clientSays)
			cl.send("encore un")
			Expect(cl.hangUp()).To(BeEmpty(), "the peer speaks once")
			settle(srv)

			Expect(string(srv.Decoded())).To(Equal(clientSays + "\nencore un\n"))
			Expect(srv.Notes()).To(BeEmpty())
			Expect(string(t.Bytes(0, wire.S2C))).To(HavePrefix("-----BEGIN PUBLIC KEY-----\n"))
			Expect(string(t.Bytes(0, wire.C2S))).To(HavePrefix("-----BEGIN PUBLIC KEY-----\n"))
			Expect(t.Conns()).To(HaveLen(1))
		})

		It("takes a 512-bit PKCS #1 RSA PUBLIC KEY, as Python's rsa.newkeys(512) and save_pkcs1() make it, with its default 2048-bit key", func() {
			srv, err := chat.New(chat.Config{Addr: "127.0.0.1:0", Message: peerSays})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(srv.Close)
			cl := dial(srv, key512)
			Expect(cl.peer.N.BitLen()).To(Equal(2048))
			_, err = cl.conn.Write(pemBlock("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&key512.PublicKey)))
			Expect(err).NotTo(HaveOccurred())

			var hdr [4]byte
			_, err = io.ReadFull(cl.r, hdr[:])
			Expect(err).NotTo(HaveOccurred())
			Expect(binary.BigEndian.Uint32(hdr[:])).To(BeEquivalentTo(64), "a ciphertext is as long as the client's 512-bit modulus")
			ct := make([]byte, 64)
			_, err = io.ReadFull(cl.r, ct)
			Expect(err).NotTo(HaveOccurred())
			//lint:ignore SA1019 the protocol is PKCS #1 v1.5, as the lab sheet's Python rsa module produces.
			pt, err := rsa.DecryptPKCS1v15(nil, key512, ct)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(pt)).To(Equal(peerSays))

			cl.send(clientSays)
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(string(srv.Decoded())).To(Equal(clientSays + "\n"))
			Expect(srv.Notes()).To(BeEmpty())
		})

		It("decodes messages however TCP segments them", func() {
			srv := start(chat.Config{WaitFirst: true})
			cl := dial(srv, key1024)
			var buf []byte
			w := &sliceWriter{&buf}
			// The key and the first message in one segment.
			Expect(frames.WritePublicKey(w, &key1024.PublicKey)).To(Succeed())
			Expect(frames.WriteMessage(w, cl.peer, []byte("un"))).To(Succeed())
			_, err := cl.conn.Write(buf)
			Expect(err).NotTo(HaveOccurred())
			Expect(cl.recv()).To(Equal(peerSays))
			// Two messages in one segment.
			buf = nil
			Expect(frames.WriteMessage(w, cl.peer, []byte("deux"))).To(Succeed())
			Expect(frames.WriteMessage(w, cl.peer, []byte("trois"))).To(Succeed())
			_, err = cl.conn.Write(buf)
			Expect(err).NotTo(HaveOccurred())
			// One message a byte at a time.
			buf = nil
			Expect(frames.WriteMessage(w, cl.peer, []byte("quatre"))).To(Succeed())
			for _, b := range buf {
				_, err = cl.conn.Write([]byte{b})
				Expect(err).NotTo(HaveOccurred())
			}
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(string(srv.Decoded())).To(Equal("un\ndeux\ntrois\nquatre\n"))
			Expect(srv.Notes()).To(BeEmpty())
		})

		It("signals Changed when it decrypts a message", func() {
			srv := start(chat.Config{})
			cl := handshake(srv, key1024)
			Expect(srv.Changed()).NotTo(Receive())
			cl.send(clientSays)
			Eventually(srv.Changed()).WithTimeout(ioTimeout).Should(Receive())
			Expect(string(srv.Decoded())).To(Equal(clientSays + "\n"))
		})

		It("serves clients at the same time, each under its own key", func() {
			srv := start(chat.Config{})
			a := handshake(srv, key1024)
			b := handshake(srv, key512)
			Expect(a.recv()).To(Equal(peerSays))
			Expect(b.recv()).To(Equal(peerSays))
			b.send("de b")
			a.send("de a")
			a.hangUp()
			b.hangUp()
			settle(srv)
			Expect(strings.Fields(string(srv.Decoded()))).To(HaveLen(4))
			Expect(strings.Split(strings.TrimSuffix(string(srv.Decoded()), "\n"), "\n")).To(ConsistOf("de a", "de b"))
		})
	})

	Describe("wait_first", func() {
		It("says nothing until the client's first message", func() {
			srv := start(chat.Config{WaitFirst: true})
			cl := handshake(srv, key1024)
			// The client hangs up without a message: the peer ends the
			// connection without having said a word.
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(srv.Decoded()).To(BeEmpty())
			Expect(srv.Notes()).To(BeEmpty())
		})

		It("speaks at once without it (the contrast)", func() {
			srv := start(chat.Config{})
			cl := handshake(srv, key1024)
			rest := cl.hangUp()
			m, err := frames.ReadMessage(bufio.NewReader(strings.NewReader(string(rest))), key1024)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(m)).To(Equal(peerSays))
		})

		It("answers the client's first message, once", func() {
			srv := start(chat.Config{WaitFirst: true})
			cl := handshake(srv, key1024)
			cl.send(clientSays)
			Expect(cl.recv()).To(Equal(peerSays))
			cl.send("encore un")
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(string(srv.Decoded())).To(Equal(clientSays + "\nencore un\n"))
		})
	})

	Describe("notes on protocol mistakes", func() {
		ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ecDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)

		DescribeTable("a client that sends something else than a PEM public key",
			func(sent []byte, detail string) {
				srv := start(chat.Config{})
				cl := dial(srv, key1024)
				_, err := cl.conn.Write(sent)
				Expect(err).NotTo(HaveOccurred())
				Expect(cl.hangUp()).To(BeEmpty(), "the peer hangs up without speaking")
				settle(srv)
				Expect(srv.Decoded()).To(BeEmpty())
				Expect(srv.Notes()).To(ConsistOf(SatisfyAll(
					ContainSubstring("could not read your public key"),
					ContainSubstring(detail))))
			},
			Entry("a line of text", []byte("voici ma clé\n"), "expected -----BEGIN PUBLIC KEY-----"),
			Entry("the seed's pickle, with the private key in it", []byte("\x80\x04\x95\xa0\x01\x00\x00\x00\x00\x00\x00]\x94(C@\x8c\nPrivateKey\x94"), "expected -----BEGIN PUBLIC KEY-----"),
			Entry("a length-prefixed message", []byte{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', '\n'}, "expected -----BEGIN PUBLIC KEY-----"),
			Entry("a certificate block", pemBlock("CERTIFICATE", []byte("not really")), `"CERTIFICATE" block`),
			Entry("an EC public key", pemBlock("PUBLIC KEY", ecDER), "not an RSA public key"),
			Entry("a key cut short", []byte("-----BEGIN PUBLIC KEY-----\nMIIBIjAN"), "ended inside the PEM public key"),
		)

		It("notes a client that hangs up before sending its key", func() {
			srv := start(chat.Config{})
			cl := dial(srv, key1024)
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			// chat.go means to say "your program closed the connection
			// before sending its public key" here, but frames.ReadPublicKey
			// never returns an error that is io.EOF; either way the note
			// is about the public key.
			Expect(srv.Notes()).To(ConsistOf(ContainSubstring("public key")))
		})

		It("explains a message that is not a ciphertext for its key", func() {
			srv := start(chat.Config{})
			cl := handshake(srv, key1024)
			Expect(cl.recv()).To(Equal(peerSays))
			msg := append([]byte{0, 0, 0, byte(len(clientSays))}, clientSays...)
			_, err := cl.conn.Write(msg)
			Expect(err).NotTo(HaveOccurred())
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(srv.Decoded()).To(BeEmpty())
			Expect(srv.Notes()).To(ConsistOf(SatisfyAll(
				ContainSubstring("could not read your message"),
				ContainSubstring("a 17-byte ciphertext, but this 1024-bit key's ciphertexts are 128 bytes"))))
		})

		It("explains a client key too small for its message", func() {
			srv := start(chat.Config{Message: strings.Repeat("x", 54)})
			cl := handshake(srv, key512)
			cl.send(clientSays)
			Expect(cl.hangUp()).To(BeEmpty())
			settle(srv)
			Expect(string(srv.Decoded())).To(Equal(clientSays + "\n"))
			Expect(srv.Notes()).To(ConsistOf(ContainSubstring("could not encrypt its message with your public key")))
		})
	})

	Describe("Settle", func() {
		It("returns at once when no client connected", func() {
			srv := start(chat.Config{})
			settle(srv)
		})

		It("returns once the client has closed its connection", func() {
			srv := start(chat.Config{})
			cl := handshake(srv, key1024)
			Expect(cl.recv()).To(Equal(peerSays))
			cl.send(clientSays)
			Expect(cl.conn.Close()).To(Succeed())
			settle(srv)
			Expect(string(srv.Decoded())).To(Equal(clientSays + "\n"))
		})

		It("returns ctx.Err() while a client stays open", func() {
			srv := start(chat.Config{})
			handshake(srv, key1024) // the peer sent its key: the connection is being served
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			Expect(srv.Settle(ctx)).To(MatchError(context.Canceled))

			ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			Expect(srv.Settle(ctx)).To(MatchError(context.DeadlineExceeded))
		})

		It("returns after Close", func() {
			srv := start(chat.Config{})
			handshake(srv, key1024)
			Expect(srv.Close()).To(Succeed())
			settle(srv)
		})
	})

	Describe("Close", func() {
		closes := func(srv *chat.Server) {
			GinkgoHelper()
			done := make(chan error, 1)
			go func() { done <- srv.Close() }()
			Eventually(done).WithTimeout(2 * time.Second).Should(Receive(Succeed()))
		}

		It("returns promptly with a client that says nothing", func() {
			srv := start(chat.Config{})
			dial(srv, key1024) // reads the peer's key, then stays silent
			closes(srv)
		})

		It("returns promptly with a client that never reads", func() {
			srv := start(chat.Config{})
			c, err := net.Dial("tcp", srv.Addr().String())
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(func() { _ = c.Close() })
			closes(srv)
		})

		It("returns promptly while the peer waits for a first message", func() {
			srv := start(chat.Config{WaitFirst: true})
			handshake(srv, key1024)
			closes(srv)
		})

		It("stops listening, and a second Close is harmless", func() {
			srv := start(chat.Config{})
			addr := srv.Addr().String()
			closes(srv)
			Expect(srv.Close()).To(Succeed())
			_, err := net.Dial("tcp", addr)
			Expect(err).To(HaveOccurred())
			Expect(errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "refused")).To(BeTrue())
		})
	})
})

// sliceWriter appends to a byte slice, to build one segment from several
// frames writes.
type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}
