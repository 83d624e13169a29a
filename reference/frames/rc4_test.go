package frames_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

var _ = Describe("RC4", func() {
	key := []byte("monsecret")

	It("matches the C seed's frame, NUL included", func() {
		Expect(frames.RC4(key, []byte("bonjour\x00"))).To(Equal(unhex("d6 9d 55 1e 59 5b 6b 5b")))
	})

	It("matches the Python seed's frame b'\\xd6\\x9dU\\x1eY[k'", func() {
		Expect(frames.RC4(key, []byte("bonjour"))).To(Equal([]byte("\xd6\x9dU\x1eY[k")))
	})

	It("decrypts with the same operation", func() {
		c, err := frames.RC4(key, []byte("merci pour tout"))
		Expect(err).NotTo(HaveOccurred())
		Expect(frames.RC4(key, c)).To(Equal([]byte("merci pour tout")))
	})

	It("refuses keys RC4 cannot take", func() {
		_, err := frames.RC4(nil, []byte("x"))
		Expect(err).To(MatchError(frames.ErrKeySize))
		_, err = frames.RC4(make([]byte, 257), []byte("x"))
		Expect(err).To(MatchError(frames.ErrKeySize))
	})
})
