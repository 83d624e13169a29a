package frames_test

import (
	"bytes"
	"crypto/aes"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

var _ = Describe("AES frames", func() {
	key := []byte("0123456789ABCDEF")

	It("match the lab sheet's frame", func() {
		Expect(frames.AESFrame(key, []byte("0123456789ABCDEF"))).To(Equal(
			unhex("10 8d 83 5d 0c ff d8 ba d5 85 fe 8b 42 94 c4 21 88")))
	})

	// Made with the lab sheet's Python AESencode (PyCryptodome, ECB, zero
	// padding).
	DescribeTable("match the lab sheet's Python AESencode",
		func(msg, frame string) {
			Expect(frames.AESFrame(key, []byte(msg))).To(Equal(unhex(frame)))
			Expect(frames.AESUnframe(key, unhex(frame))).To(Equal([]byte(msg)))
		},
		Entry("one short block", "bonjour", "07 16 e1 e8 26 e9 f5 48 4d bd 51 ac 14 76 65 00 e0"),
		Entry("three blocks", "Hello from the AES lab, 33 bytes!",
			"21 7c 99 8c 89 d6 04 9a 58 bf a9 ac 2c 6e 2d f3 d9 e8 25 19 03 a2 33 ec aa f4 ab 47 90 72 d2 b2 7b 5e b4 64 2b 89 37 68 07 4f e8 93 c7 31 2d 46 dc"),
	)

	It("round-trip every length from 0 to 255", func() {
		for n := 0; n <= 255; n++ {
			msg := bytes.Repeat([]byte{'a' + byte(n%26)}, n)
			f, err := frames.AESFrame(key, msg)
			Expect(err).NotTo(HaveOccurred())
			Expect(f[0]).To(Equal(byte(n)))
			Expect((len(f) - 1) % 16).To(BeZero())
			Expect(len(f) - 1).To(Equal((n + 15) / 16 * 16))
			Expect(frames.AESUnframe(key, f)).To(Equal(msg), "length %d", n)
		}
	})

	It("frame the empty message as a lone length byte", func() {
		Expect(frames.AESFrame(key, nil)).To(Equal([]byte{0}))
		Expect(frames.AESUnframe(key, []byte{0})).To(BeEmpty())
	})

	It("decode whatever the padding holds, as the lab sheet's C client pads with stack garbage", func() {
		block := []byte("bonjour\xde\xad\xbe\xef\x01\x02\x03\x04\x05")
		b, err := aes.NewCipher(key)
		Expect(err).NotTo(HaveOccurred())
		b.Encrypt(block, block)
		Expect(frames.AESUnframe(key, append([]byte{7}, block...))).To(Equal([]byte("bonjour")))
	})

	It("refuse a message over 255 bytes", func() {
		_, err := frames.AESFrame(key, make([]byte, 256))
		Expect(err).To(MatchError(frames.ErrMessageTooLong))
	})

	It("refuse a key AES cannot take", func() {
		_, err := frames.AESFrame([]byte("monsecret"), []byte("x"))
		Expect(err).To(MatchError(frames.ErrKeySize))
		_, err = frames.AESUnframe([]byte("monsecret"), []byte{0})
		Expect(err).To(MatchError(frames.ErrKeySize))
	})

	DescribeTable("refuse malformed frames",
		func(frame []byte, want error) {
			_, err := frames.AESUnframe(key, frame)
			Expect(err).To(MatchError(want))
		},
		Entry("empty", []byte{}, frames.ErrShortFrame),
		Entry("body not whole blocks", append([]byte{7}, make([]byte, 15)...), frames.ErrFrameSize),
		Entry("too few blocks for the length", append([]byte{17}, make([]byte, 16)...), frames.ErrFrameSize),
		Entry("more blocks than the length needs", append([]byte{7}, make([]byte, 32)...), frames.ErrFrameSize),
		Entry("blocks after a zero length", append([]byte{0}, make([]byte, 16)...), frames.ErrFrameSize),
		Entry("a length but no blocks", []byte{7}, frames.ErrFrameSize),
	)
})
