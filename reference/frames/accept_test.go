package frames_test

import (
	"bytes"
	"crypto/aes"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

// The exercises' specs, as the lab sheets set them.
var (
	checksumSpec = frames.Spec{Kind: frames.KindChecksum, Message: "bonjour"}
	crcSpec      = frames.Spec{Kind: frames.KindCRC8, Message: "bonjour", CRC: frames.SeedCRC8}
	rc4Spec      = frames.Spec{Kind: frames.KindRC4, Message: "bonjour", Key: []byte("monsecret")}
	aesSpec      = frames.Spec{Kind: frames.KindAES, Message: "0123456789ABCDEF", Key: []byte("0123456789ABCDEF")}
	allSpecs     = map[string]frames.Spec{"checksum": checksumSpec, "crc8": crcSpec, "rc4": rc4Spec, "aes": aesSpec}
)

var _ = Describe("Accept", func() {
	// The frames the lab sheets' programs print.
	DescribeTable("takes both dialects of the lab sheets' programs",
		func(s frames.Spec, frame []byte, want frames.Dialect) {
			d, ok := frames.Accept(s, frame)
			Expect(ok).To(BeTrue())
			Expect(d).To(Equal(want))
			Expect(s.Frame(want)).To(Equal(frame), "Frame builds the same bytes")
		},
		Entry("checksum, C", checksumSpec, unhex("62 6f 6e 6a 6f 75 72 00 ff"), frames.WithNUL),
		Entry("checksum, Python", checksumSpec, []byte("bonjour\xff"), frames.WithoutNUL),
		Entry("CRC-8, C", crcSpec, unhex("62 6f 6e 6a 6f 75 72 00 e0"), frames.WithNUL),
		Entry("CRC-8, Python", crcSpec, []byte("bonjourd"), frames.WithoutNUL),
		Entry("CRC-8 with the zero CRC meaning the lab sheet's", frames.Spec{Kind: frames.KindCRC8, Message: "bonjour"}, []byte("bonjourd"), frames.WithoutNUL),
		Entry("RC4, C", rc4Spec, unhex("d6 9d 55 1e 59 5b 6b 5b"), frames.WithNUL),
		Entry("RC4, Python", rc4Spec, []byte("\xd6\x9dU\x1eY[k"), frames.WithoutNUL),
		Entry("AES, C and Python", aesSpec, unhex("10 8d 83 5d 0c ff d8 ba d5 85 fe 8b 42 94 c4 21 88"), frames.WithoutNUL),
	)

	It("takes an AES frame of the message with its NUL", func() {
		f, err := frames.AESFrame(aesSpec.Key, []byte("0123456789ABCDEF\x00"))
		Expect(err).NotTo(HaveOccurred())
		d, ok := frames.Accept(aesSpec, f)
		Expect(ok).To(BeTrue())
		Expect(d).To(Equal(frames.WithNUL))
	})

	It("takes an AES frame whatever its padding, as the C client's is stack garbage", func() {
		s := aesSpec
		s.Message = "bonjour"
		block := []byte("bonjour\x01\x02\x03\x04\x05\x06\x07\x08\x09")
		b, err := aes.NewCipher(s.Key)
		Expect(err).NotTo(HaveOccurred())
		b.Encrypt(block, block)
		_, ok := frames.Accept(s, append([]byte{7}, block...))
		Expect(ok).To(BeTrue())
	})

	It("rejects the C CRC-8 frame with any one bit flipped", func() {
		good := unhex("62 6f 6e 6a 6f 75 72 00 e0")
		for i := range good {
			for bit := range 8 {
				bad := bytes.Clone(good)
				bad[i] ^= 1 << bit
				_, ok := frames.Accept(crcSpec, bad)
				Expect(ok).To(BeFalse(), "byte %d bit %d: % x", i, bit, bad)
			}
		}
		_, ok := frames.Accept(crcSpec, unhex("62 6f 6e 6a 6f 75 72 00 e1"))
		Expect(ok).To(BeFalse(), "DESIGN.md's rejects-corrupted-frame")
	})

	It("rejects every frame of every kind and dialect with any one bit flipped, or cut, or extended", func() {
		for name, s := range allSpecs {
			for _, d := range []frames.Dialect{frames.WithNUL, frames.WithoutNUL} {
				good, err := s.Frame(d)
				Expect(err).NotTo(HaveOccurred())
				other := frames.WithNUL
				if d == frames.WithNUL {
					other = frames.WithoutNUL
				}
				otherFrame, err := s.Frame(other)
				Expect(err).NotTo(HaveOccurred())
				checked := len(good)
				if s.Kind == frames.KindAES {
					// A flipped ciphertext bit garbles its whole block, but
					// the padding is unchecked: a block holding one message
					// byte survives a flip one time in 256. Flip only the
					// length byte and blocks full of message.
					checked = 1 + int(good[0])/16*16
				}
				for i := range checked * 8 {
					bad := bytes.Clone(good)
					bad[i/8] ^= 1 << (i % 8)
					_, ok := frames.Accept(s, bad)
					Expect(ok).To(BeFalse(), "%s %v: bit %d", name, d, i)
				}
				for n := range len(good) {
					if bytes.Equal(good[:n], otherFrame) {
						continue // an RC4 C frame less its NUL is the Python frame
					}
					_, ok := frames.Accept(s, good[:n])
					Expect(ok).To(BeFalse(), "%s %v: cut to %d", name, d, n)
				}
				_, ok := frames.Accept(s, append(bytes.Clone(good), 0))
				Expect(ok).To(BeFalse(), "%s %v: one more byte", name, d)
			}
		}
	})

	It("takes only the dialect a spec requires", func() {
		s := crcSpec
		s.Dialect = frames.WithNUL
		_, ok := frames.Accept(s, []byte("bonjourd"))
		Expect(ok).To(BeFalse())
		d, ok := frames.Accept(s, unhex("62 6f 6e 6a 6f 75 72 00 e0"))
		Expect(ok).To(BeTrue())
		Expect(d).To(Equal(frames.WithNUL))
	})

	It("accepts nothing for an invalid spec", func() {
		s := rc4Spec
		s.Key = nil
		_, ok := frames.Accept(s, []byte("bonjour"))
		Expect(ok).To(BeFalse())
	})
})

var _ = Describe("Spec", func() {
	It("builds frames only in a chosen dialect", func() {
		_, err := crcSpec.Frame(frames.AnyDialect)
		Expect(err).To(MatchError(frames.ErrDialect))
	})

	It("validates the lab sheets' specs", func() {
		for name, s := range allSpecs {
			Expect(s.Validate()).To(Succeed(), name)
		}
	})

	DescribeTable("reports a spec that cannot describe a frame",
		func(s frames.Spec, want string) {
			err := s.Validate()
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(want))
		},
		Entry("no kind", frames.Spec{Message: "bonjour"}, "unknown kind"),
		Entry("RC4 without key", frames.Spec{Kind: frames.KindRC4, Message: "bonjour"}, "wrong key size"),
		Entry("AES with RC4's key", frames.Spec{Kind: frames.KindAES, Message: "x", Key: []byte("monsecret")}, "wrong key size"),
		Entry("AES message of 255 bytes plus NUL", frames.Spec{Kind: frames.KindAES, Message: string(make([]byte, 254)) + "x", Key: aesSpec.Key}, "too long"),
		Entry("message with its NUL", frames.Spec{Kind: frames.KindChecksum, Message: "bonjour\x00"}, "ends with NUL"),
		Entry("unknown dialect", frames.Spec{Kind: frames.KindChecksum, Message: "bonjour", Dialect: 7}, "unknown dialect"),
	)

	It("allows a 255-byte AES message without the NUL", func() {
		s := frames.Spec{Kind: frames.KindAES, Message: string(bytes.Repeat([]byte("x"), 255)), Key: aesSpec.Key, Dialect: frames.WithoutNUL}
		Expect(s.Validate()).To(Succeed())
	})

	It("names kinds and dialects", func() {
		Expect(frames.KindCRC8.String()).To(Equal("crc8"))
		Expect(frames.Kind(9).String()).To(Equal("Kind(9)"))
		Expect(frames.WithNUL.String()).To(Equal("with the trailing NUL (C)"))
		Expect(frames.WithoutNUL.String()).To(Equal("without the trailing NUL (Python)"))
	})
})
