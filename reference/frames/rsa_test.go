//go:debug rsa1024min=0

package frames_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

// newKey makes an RSA key of the given size; 512 bits is the lab sheet's
// rsa.newkeys(512), allowed in this test binary by the go:debug line above.
func newKey(bits int) *rsa.PrivateKey {
	GinkgoHelper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	Expect(err).NotTo(HaveOccurred())
	return k
}

// peer is one side of a chat: it sends its key and its lines while it
// reads the other side's key and lines, as the seed's two threads do.
func peer(conn net.Conn, priv *rsa.PrivateKey, lines []string) (got []string, err error) {
	defer GinkgoRecover()
	sent := make(chan error, 1)
	peerKey := make(chan *rsa.PublicKey, 1)
	go func() {
		defer GinkgoRecover()
		if err := frames.WritePublicKey(conn, &priv.PublicKey); err != nil {
			sent <- err
			return
		}
		pub := <-peerKey
		if pub == nil {
			sent <- fmt.Errorf("no peer key")
			return
		}
		for _, l := range lines {
			if err := frames.WriteMessage(conn, pub, []byte(l)); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	pub, err := frames.ReadPublicKey(conn)
	peerKey <- pub
	if err != nil {
		return nil, err
	}
	for range lines {
		m, err := frames.ReadMessage(conn, priv)
		if err != nil {
			return got, err
		}
		got = append(got, string(m))
	}
	return got, <-sent
}

var _ = Describe("RSA chat", func() {
	var alice, bob *rsa.PrivateKey

	BeforeEach(func() {
		alice, bob = newKey(2048), newKey(1024)
	})

	It("carries messages both ways at once over a synchronous pipe (full duplex)", func() {
		a, b := net.Pipe()
		DeferCleanup(a.Close)
		DeferCleanup(b.Close)
		deadline := time.Now().Add(10 * time.Second)
		Expect(a.SetDeadline(deadline)).To(Succeed())
		Expect(b.SetDeadline(deadline)).To(Succeed())

		aliceSays := []string{"hello", "你好", "how are you?"}
		bobSays := []string{"fine", "and you?", strings.Repeat("x", 117), "bye"}
		type result struct {
			got []string
			err error
		}
		fromBob := make(chan result, 1)
		go func() {
			got, err := peer(b, bob, bobSays[:3])
			fromBob <- result{got, err}
		}()
		// Alice reads three of Bob's lines while Bob reads three of hers.
		got, err := peer(a, alice, aliceSays)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(bobSays[:3]))
		r := <-fromBob
		Expect(r.err).NotTo(HaveOccurred())
		Expect(r.got).To(Equal(aliceSays))
	})

	It("works with the lab sheet's 512-bit keys", func() {
		small := newKey(512)
		var buf bytes.Buffer
		Expect(frames.WritePublicKey(&buf, &small.PublicKey)).To(Succeed())
		Expect(frames.WriteMessage(&buf, &small.PublicKey, []byte(strings.Repeat("y", 53)))).To(Succeed())
		pub, err := frames.ReadPublicKey(&buf)
		Expect(err).NotTo(HaveOccurred())
		Expect(pub.Equal(&small.PublicKey)).To(BeTrue())
		Expect(frames.ReadMessage(&buf, small)).To(Equal([]byte(strings.Repeat("y", 53))))
		err = frames.WriteMessage(&buf, &small.PublicKey, []byte(strings.Repeat("y", 54)))
		Expect(err).To(MatchError(frames.ErrMessageTooLong))
	})

	It("writes a PKIX PEM block and a 4-byte big-endian length", func() {
		var buf bytes.Buffer
		Expect(frames.WritePublicKey(&buf, &bob.PublicKey)).To(Succeed())
		Expect(buf.String()).To(HavePrefix("-----BEGIN PUBLIC KEY-----\n"))
		Expect(buf.String()).To(HaveSuffix("-----END PUBLIC KEY-----\n"))
		buf.Reset()
		Expect(frames.WriteMessage(&buf, &bob.PublicKey, []byte("hi"))).To(Succeed())
		Expect(buf.Len()).To(Equal(4 + 128))
		Expect(binary.BigEndian.Uint32(buf.Bytes())).To(Equal(uint32(128)))
	})

	It("reads a key without taking the bytes after it, from a plain or a buffered reader", func() {
		for _, wrap := range []func(io.Reader) io.Reader{
			func(r io.Reader) io.Reader { return io.MultiReader(r) }, // not an io.ByteReader
			func(r io.Reader) io.Reader { return bufio.NewReader(r) },
		} {
			var buf bytes.Buffer
			Expect(frames.WritePublicKey(&buf, &alice.PublicKey)).To(Succeed())
			Expect(frames.WriteMessage(&buf, &alice.PublicKey, []byte("next"))).To(Succeed())
			r := wrap(&buf)
			_, err := frames.ReadPublicKey(r)
			Expect(err).NotTo(HaveOccurred())
			Expect(frames.ReadMessage(r, alice)).To(Equal([]byte("next")))
			_, err = frames.ReadMessage(r, alice)
			Expect(err).To(Equal(io.EOF))
		}
	})

	It("reads the PKCS #1 \"RSA PUBLIC KEY\" that Python's rsa module saves, with CRLF and leading blank lines", func() {
		p := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&bob.PublicKey)})
		crlf := "\r\n\n" + strings.ReplaceAll(string(p), "\n", "\r\n") + "rest"
		r := strings.NewReader(crlf)
		pub, err := frames.ReadPublicKey(r)
		Expect(err).NotTo(HaveOccurred())
		Expect(pub.Equal(&bob.PublicKey)).To(BeTrue())
		rest, _ := io.ReadAll(r)
		Expect(string(rest)).To(Equal("rest"))
	})

	It("interoperates with the lab sheet's Python rsa module", func() {
		py := "/usr/bin/python3"
		if exec.Command(py, "-c", "import rsa").Run() != nil {
			Skip("needs /usr/bin/python3 with python3-rsa")
		}
		var ours bytes.Buffer
		Expect(frames.WritePublicKey(&ours, &alice.PublicKey)).To(Succeed())
		// Python reads our PKIX key, encrypts a line for us, and sends its
		// own key in PKCS #1, as rsa.PublicKey.save_pkcs1 does.
		cmd := exec.Command(py, "-c", `
import sys, struct, rsa
peer = rsa.PublicKey.load_pkcs1_openssl_pem(sys.stdin.buffer.read())
pub, priv = rsa.newkeys(512)
ct = rsa.encrypt("bonjour 你好".encode(), peer)
sys.stdout.buffer.write(pub.save_pkcs1() + struct.pack(">I", len(ct)) + ct)
`)
		cmd.Stdin = &ours
		out, err := cmd.Output()
		Expect(err).NotTo(HaveOccurred())
		r := bytes.NewReader(out)
		_, err = frames.ReadPublicKey(r)
		Expect(err).NotTo(HaveOccurred())
		Expect(frames.ReadMessage(r, alice)).To(Equal([]byte("bonjour 你好")))
	})

	Describe("bad input", func() {
		var keyPEM []byte
		var msg []byte

		BeforeEach(func() {
			var buf bytes.Buffer
			Expect(frames.WritePublicKey(&buf, &alice.PublicKey)).To(Succeed())
			keyPEM = bytes.Clone(buf.Bytes())
			buf.Reset()
			Expect(frames.WriteMessage(&buf, &alice.PublicKey, []byte("hello"))).To(Succeed())
			msg = bytes.Clone(buf.Bytes())
		})

		It("fails cleanly on a key cut anywhere", func() {
			for n := range len(keyPEM) {
				_, err := frames.ReadPublicKey(bytes.NewReader(keyPEM[:n]))
				Expect(err).To(HaveOccurred(), "cut at %d", n)
				Expect(err).To(Or(MatchError(frames.ErrShortFrame), MatchError(frames.ErrBadPEM)), "cut at %d", n)
			}
		})

		DescribeTable("refuses a bad key",
			func(input func([]byte) string, want error, why string) {
				_, err := frames.ReadPublicKey(strings.NewReader(input(keyPEM)))
				Expect(err).To(MatchError(want))
				Expect(err.Error()).To(ContainSubstring(why))
			},
			Entry("text before the block", func(k []byte) string { return "hello\n" + string(k) }, frames.ErrBadPEM, `got "hello\n"`),
			Entry("no newline after END", func(k []byte) string { return strings.TrimSuffix(string(k), "\n") + "\x00\x00" }, frames.ErrBadPEM, "must end with a newline"),
			Entry("an endless block", func(k []byte) string {
				return "-----BEGIN PUBLIC KEY-----\n" + strings.Repeat("QUFB\n", frames.MaxPublicKeyPEM)
			}, frames.ErrBadPEM, "no END line"),
			Entry("an endless line", func(k []byte) string { return strings.Repeat("-", 2*frames.MaxPublicKeyPEM) }, frames.ErrBadPEM, "no END line"),
			Entry("mismatched END", func(k []byte) string {
				return strings.Replace(string(k), "END PUBLIC KEY", "END RSA PUBLIC KEY", 1)
			}, frames.ErrBadPEM, "does not decode"),
			Entry("bad base64", func(k []byte) string { return strings.Replace(string(k), "M", "*", 1) }, frames.ErrBadPEM, "does not decode"),
			Entry("a certificate", func(k []byte) string {
				return strings.ReplaceAll(string(k), "PUBLIC KEY", "CERTIFICATE")
			}, frames.ErrBadPEM, `"CERTIFICATE" block`),
			Entry("garbage DER", func(k []byte) string {
				return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("nope")}))
			}, frames.ErrBadPEM, "asn1"),
		)

		It("fails cleanly on a message cut anywhere", func() {
			for n := 1; n < len(msg); n++ {
				_, err := frames.ReadMessage(bytes.NewReader(msg[:n]), alice)
				Expect(err).To(MatchError(frames.ErrShortFrame), "cut at %d", n)
			}
			_, err := frames.ReadMessage(bytes.NewReader(nil), alice)
			Expect(err).To(Equal(io.EOF))
		})

		It("refuses an oversized length without reading it", func() {
			r := io.MultiReader(bytes.NewReader([]byte{0, 0, 0x10, 0x01}), neverEnds{})
			_, err := frames.ReadMessage(r, alice)
			Expect(err).To(MatchError(frames.ErrMessageTooLong))
			_, err = frames.ReadMessage(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}), alice)
			Expect(err).To(MatchError(frames.ErrMessageTooLong))
		})

		It("refuses an empty message", func() {
			_, err := frames.ReadMessage(bytes.NewReader([]byte{0, 0, 0, 0}), alice)
			Expect(err).To(MatchError(frames.ErrFrameSize))
		})

		It("refuses a ciphertext of the wrong size, or for another key", func() {
			short := append([]byte{0, 0, 0, 3}, "abc"...)
			_, err := frames.ReadMessage(bytes.NewReader(short), alice)
			Expect(err).To(MatchError(frames.ErrFrameSize))
			_, err = frames.ReadMessage(bytes.NewReader(msg), bob)
			Expect(err).To(MatchError(frames.ErrFrameSize))
			var buf bytes.Buffer
			other := newKey(2048)
			Expect(frames.WriteMessage(&buf, &other.PublicKey, []byte("hello"))).To(Succeed())
			_, err = frames.ReadMessage(&buf, alice)
			Expect(err).To(MatchError(frames.ErrDecrypt))
		})
	})
})

// neverEnds would hang a reader that trusted a length field.
type neverEnds struct{}

func (neverEnds) Read(p []byte) (int, error) {
	defer GinkgoRecover()
	Fail("ReadMessage read past an oversized length field")
	return 0, io.EOF
}
