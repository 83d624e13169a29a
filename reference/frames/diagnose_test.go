package frames_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

// catalogue returns the catalogue entry with that name.
func catalogue(name string) frames.CRC8Params {
	for _, p := range frames.CRC8Catalogue {
		if p.Name == name {
			return p
		}
	}
	Fail("no catalogue entry " + name)
	return frames.CRC8Params{}
}

// withCheck returns msg followed by f(over), the check byte computed over
// over (which may differ from msg).
func withCheck(msg, over string, f func([]byte) byte) []byte {
	return append([]byte(msg), f([]byte(over)))
}

func rc4(key, msg string) []byte {
	GinkgoHelper()
	c, err := frames.RC4([]byte(key), []byte(msg))
	Expect(err).NotTo(HaveOccurred())
	return c
}

func aesFrame(key, msg string) []byte {
	GinkgoHelper()
	f, err := frames.AESFrame([]byte(key), []byte(msg))
	Expect(err).NotTo(HaveOccurred())
	return f
}

// ecb encrypts already padded plaintext block by block.
func ecb(key string, plain []byte) []byte {
	GinkgoHelper()
	b, err := aes.NewCipher([]byte(key))
	Expect(err).NotTo(HaveOccurred())
	out := make([]byte, len(plain))
	for i := 0; i < len(plain); i += 16 {
		b.Encrypt(out[i:i+16], plain[i:i+16])
	}
	return out
}

func pkcs7(msg string) []byte {
	k := 16 - len(msg)%16
	return append([]byte(msg), bytes.Repeat([]byte{byte(k)}, k)...)
}

func zeroPad(msg string) []byte {
	return append([]byte(msg), make([]byte, (16-len(msg)%16)%16)...)
}

func cbc(key string, iv, plain []byte) []byte {
	GinkgoHelper()
	b, err := aes.NewCipher([]byte(key))
	Expect(err).NotTo(HaveOccurred())
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, plain)
	return out
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func with(s frames.Spec, edit func(*frames.Spec)) frames.Spec {
	edit(&s)
	return s
}

var _ = Describe("Diagnose", func() {
	const (
		rc4Key = "monsecret"
		aesKey = "0123456789ABCDEF"
		aesMsg = "0123456789ABCDEF"
	)
	seed := frames.SeedCRC8.Sum
	smbus := catalogue("CRC-8").Sum
	dallas := catalogue("CRC-8/MAXIM-DOW (Dallas)").Sum
	sae := catalogue("CRC-8/SAE-J1850 (SAE)").Sum
	bonjourAES := with(aesSpec, func(s *frames.Spec) { s.Message = "bonjour" })
	longAES := with(aesSpec, func(s *frames.Spec) { s.Message = "Hello from the AES lab, 33 bytes!" })
	iv := []byte("an IV, 16 bytes!")

	It("says nothing about a correct frame, or for an invalid spec", func() {
		Expect(frames.Diagnose(crcSpec, unhex("62 6f 6e 6a 6f 75 72 00 e0"))).To(BeNil())
		Expect(frames.Diagnose(aesSpec, aesFrame(aesKey, aesMsg))).To(BeNil())
		Expect(frames.Diagnose(frames.Spec{Kind: frames.KindRC4, Message: "x"}, []byte("x"))).To(BeNil())
	})

	DescribeTable("names the mistake",
		func(s frames.Spec, got []byte, want ...string) {
			Expect(frames.Diagnose(s, got)).To(Equal(want), "frame % x", got)
		},

		Entry("nothing sent", crcSpec, []byte{}, frames.HintNothingSent),
		Entry("NUL missing where required", with(crcSpec, func(s *frames.Spec) { s.Dialect = frames.WithNUL }),
			[]byte("bonjourd"), "the trailing NUL is missing"),
		Entry("NUL extra where not wanted", with(rc4Spec, func(s *frames.Spec) { s.Dialect = frames.WithoutNUL }),
			rc4(rc4Key, "bonjour\x00"), "the trailing NUL is extra"),
		Entry("hex text", crcSpec, []byte("62 6f 6e 6a 6f 75 72 00 e0\n"), frames.HintHexText),
		Entry("hex text, AES", aesSpec, []byte("108d835d0cffd8bad585fe8b4294c42188"), frames.HintHexText),

		// Checksum and CRC-8.
		Entry("check byte missing, C", crcSpec, []byte("bonjour\x00"), "the check byte is missing"),
		Entry("check byte missing, Python", checksumSpec, []byte("bonjour"), "the check byte is missing"),
		Entry("CRC-8 with 0x07, C", crcSpec, withCheck("bonjour\x00", "bonjour\x00", smbus),
			"this is CRC-8 with polynomial 0x07, not 0x1D"),
		Entry("CRC-8 with 0x07, Python", crcSpec, withCheck("bonjour", "bonjour", smbus),
			"this is CRC-8 with polynomial 0x07, not 0x1D"),
		Entry("Dallas/Maxim", crcSpec, withCheck("bonjour", "bonjour", dallas),
			"this is CRC-8/MAXIM-DOW (Dallas) with polynomial 0x31, not 0x1D"),
		Entry("SAE-J1850: same polynomial, other init and xorout", crcSpec, withCheck("bonjour\x00", "bonjour\x00", sae),
			"this is CRC-8/SAE-J1850 (SAE): init 0xFF, xorout 0xFF, not init 0x00, xorout 0x00"),
		Entry("the lab sheet's CRC where another was asked", with(crcSpec, func(s *frames.Spec) { s.CRC = catalogue("CRC-8") }),
			withCheck("bonjour", "bonjour", seed), "this is CRC-8/GSM-A with polynomial 0x1D, not 0x07"),
		Entry("CRC without the NUL that was sent", crcSpec, withCheck("bonjour\x00", "bonjour", seed),
			"CRC computed without the trailing NUL"),
		Entry("CRC over the NUL that was not sent", crcSpec, withCheck("bonjour", "bonjour\x00", seed),
			"CRC computed over the NUL that was not sent"),
		Entry("checksum for a CRC", crcSpec, withCheck("bonjour\x00", "bonjour", frames.Checksum),
			"this is a checksum (sum mod 256), not a CRC-8"),
		Entry("CRC for a checksum, C", checksumSpec, unhex("62 6f 6e 6a 6f 75 72 00 e0"),
			"this is a CRC-8, not a checksum (sum mod 256)"),
		Entry("CRC for a checksum, Python", checksumSpec, []byte("bonjourd"),
			"this is a CRC-8, not a checksum (sum mod 256)"),
		Entry("another CRC-8 for a checksum", checksumSpec, withCheck("bonjour", "bonjour", smbus),
			"this is a CRC-8, not a checksum (sum mod 256)"),
		Entry("complemented checksum", checksumSpec, []byte("bonjour\x00\x00"), frames.HintChecksumComplemented),
		Entry("negated checksum", checksumSpec, []byte("bonjour\x00\x01"), frames.HintChecksumNegated),
		Entry("check byte first", crcSpec, cat([]byte{0xe0}, []byte("bonjour\x00")), frames.HintCheckFirst),
		Entry("data reversed", crcSpec, withCheck("\x00ruojnob", "bonjour\x00", seed), "byte order reversed"),
		Entry("data reversed, CRC over it", crcSpec, withCheck("ruojnob", "ruojnob", seed), "byte order reversed"),
		Entry("whole frame reversed", crcSpec, unhex("e0 00 72 75 6f 6a 6e 6f 62"), "byte order reversed"),
		Entry("wrong check byte", crcSpec, []byte("bonjour\x00\x12"), "the check byte is 0x12, expected 0xe0"),
		Entry("other text, consistent", crcSpec, withCheck("hello", "hello", seed),
			`the frame carries "hello", not "bonjour" (its check byte is right for that text)`),
		Entry("other text, inconsistent", checksumSpec, []byte("hello!"),
			`the data is "hello", not "bonjour", and the check byte fits neither`),

		// RC4.
		Entry("RC4 plaintext", rc4Spec, []byte("bonjour\x00"), "plaintext sent unencrypted"),
		Entry("RC4 wrong key", rc4Spec, rc4("secret", "bonjour\x00"), "wrong key: the first keystream byte differs"),
		Entry("RC4 key with its NUL", rc4Spec, rc4("monsecret\x00", "bonjour\x00"),
			"wrong key: the first keystream byte differs", "the key was used with its trailing NUL"),
		Entry("RC4 other text", rc4Spec, rc4(rc4Key, "Bonjour"), `the message is "Bonjour", not "bonjour"`),
		Entry("RC4 newline", rc4Spec, rc4(rc4Key, "bonjour\n"), "1 extra byte after the message: 0a"),
		Entry("RC4 NUL then CR LF", rc4Spec, rc4(rc4Key, "bonjour\x00\r\n"), "2 extra bytes after the message and its NUL: 0d 0a"),
		Entry("RC4 cut short", rc4Spec, rc4(rc4Key, "bonj"), "the message is cut short: 4 of 7 bytes"),

		// AES.
		Entry("AES length byte missing", aesSpec, aesFrame(aesKey, aesMsg)[1:], "the length byte is missing"),
		Entry("AES PKCS#7, extra block", aesSpec, cat([]byte{16}, ecb(aesKey, pkcs7(aesMsg))),
			"PKCS#7 padding where zeros were expected"),
		Entry("AES PKCS#7, no length byte", aesSpec, ecb(aesKey, pkcs7(aesMsg)),
			"the length byte is missing", "PKCS#7 padding where zeros were expected"),
		Entry("AES PKCS#7 counted in the length", bonjourAES, cat([]byte{16}, ecb(aesKey, pkcs7("bonjour"))),
			"PKCS#7 padding where zeros were expected", "the length byte counts the padded size"),
		Entry("AES length counts the padding", bonjourAES, cat([]byte{16}, ecb(aesKey, zeroPad("bonjour"))),
			"the length byte counts the padded size"),
		Entry("AES wrong length", bonjourAES, cat([]byte{9}, ecb(aesKey, zeroPad("bonjour"))),
			"the length byte is 9, but the message is 7 bytes"),
		Entry("AES extra block", aesSpec, cat(aesFrame(aesKey, aesMsg), ecb(aesKey, make([]byte, 16))),
			"1 extra block after the message"),
		Entry("AES wrong key", aesSpec, aesFrame("FEDCBA9876543210", aesMsg), "wrong key: the blocks decrypt to garbage"),
		Entry("AES other text", aesSpec, aesFrame(aesKey, "0123456789abcdef"),
			`the message is "0123456789abcdef", not "0123456789ABCDEF"`),
		Entry("AES plaintext", aesSpec, cat([]byte{16}, []byte(aesMsg)), "plaintext sent unencrypted"),
		Entry("CBC with the IV first", aesSpec, cat([]byte{16}, iv, cbc(aesKey, iv, []byte(aesMsg))),
			"ECB expected, got CBC (an IV is prepended)"),
		Entry("CBC with a zero IV", longAES, cat([]byte{33}, cbc(aesKey, make([]byte, 16), zeroPad(longAES.Message))),
			"ECB expected, got CBC"),
		Entry("AES frame cut", aesSpec, aesFrame(aesKey, aesMsg)[:10],
			"the frame is not 1 length byte plus whole 16-byte blocks (got 10 bytes)"),
		Entry("AES frame and a newline", aesSpec, cat(aesFrame(aesKey, aesMsg), []byte("\n")),
			"1 extra byte after the blocks: 0a"),
		Entry("AES 4-byte length", aesSpec, cat([]byte{0, 0, 0, 16}, aesFrame(aesKey, aesMsg)[1:]),
			"the length is sent in 4 bytes; the frame has a single length byte"),
		Entry("AES length byte only", aesSpec, []byte{16}, "only the length byte was sent, no blocks"),
		Entry("AES nothing fits", aesSpec, cat([]byte{200}, aesFrame("FEDCBA9876543210", aesMsg)[1:]),
			"the blocks do not decrypt to the message, and the length byte 200 does not fit 1 block"),
	)
})
