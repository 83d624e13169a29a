package frames_test

import (
	"os/exec"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

var _ = Describe("Fernet", func() {
	// Printed in the lab sheet (seed 002): the key, and the token of
	// b"fluffy tail" made with it in 2019.
	const (
		seedKey   = "8jtTR9QcD-k3RO9Pcd5ePgmTu_itJQt9WKQPzqjrcoM="
		seedToken = "gAAAAABdlW033LxsrnmA2P0WzaS-wk1UKXA1IdyDpmHcV6yrE7H_ApmSK8KpCW-6jaODFaeTeDRKJMMsa_526koApx1suJ4_dQ=="
		// The lab sheet's example of a wrong key.
		zeroKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		// Made with /usr/bin/python3, python3-cryptography 38.0.4:
		// Fernet(pyKey).encrypt(b"The secretest message here").
		pyKey   = "hD7ff70HUNi9o_fT3lRyZ0rvilalXCjejpKjrnppfKw="
		pyToken = "gAAAAABrA6c-7PlC_inXvHS6noJ0L3gL3nLv-YIIb1naE9G4GPTFzHQRoi9j1liVMwgIKP-vpStPQtp3a4gMWTQr8go2oKcf1HGjkDK3WrE0n4ia9Lx5VPA="
	)

	It("decrypts the lab sheet's token", func() {
		Expect(frames.FernetDecrypt(seedKey, []byte(seedToken), 0)).To(Equal([]byte("fluffy tail")))
	})

	It("decrypts a token made by Python's cryptography.Fernet, trailing newline and all", func() {
		Expect(frames.FernetDecrypt(pyKey, []byte(pyToken+"\n"), 0)).To(Equal([]byte("The secretest message here")))
	})

	It("round-trips with a fresh key", func() {
		key, err := frames.NewFernetKey()
		Expect(err).NotTo(HaveOccurred())
		Expect(key).To(HaveLen(44))
		Expect(key).To(MatchRegexp(`^[A-Za-z0-9_-]{43}=$`))
		tok, err := frames.FernetEncrypt(key, []byte("the secret message"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(tok)).To(HavePrefix("gAAAAA"))
		Expect(frames.FernetDecrypt(key, tok, time.Minute)).To(Equal([]byte("the secret message")))
	})

	It("fails with the wrong key, saying so", func() {
		_, err := frames.FernetDecrypt(zeroKey, []byte(seedToken), 0)
		Expect(err).To(MatchError(frames.ErrDecrypt))
		Expect(err.Error()).To(ContainSubstring("signature does not match"))
		_, err = frames.FernetDecrypt(pyKey, []byte(seedToken), 0)
		Expect(err).To(MatchError(frames.ErrDecrypt))
	})

	It("refuses a token older than the ttl, saying so", func() {
		_, err := frames.FernetDecrypt(seedKey, []byte(seedToken), time.Hour)
		Expect(err).To(MatchError(frames.ErrDecrypt))
		Expect(err.Error()).To(ContainSubstring("expired"))
	})

	DescribeTable("refuses what is not a token",
		func(tok string, why string) {
			_, err := frames.FernetDecrypt(seedKey, []byte(tok), 0)
			Expect(err).To(MatchError(frames.ErrDecrypt))
			Expect(err.Error()).To(ContainSubstring(why))
		},
		Entry("empty", "", "not a Fernet token"),
		Entry("not base64", "not a token!", "not URL-safe base64"),
		Entry("standard base64 alphabet", strings.ReplaceAll(strings.ReplaceAll(seedToken, "-", "+"), "_", "/"), "not URL-safe base64"),
		Entry("too short", "gAAAAABdlW03", "not a Fernet token"),
		Entry("altered", seedToken[:20]+"A"+seedToken[21:], "signature does not match"),
	)

	It("refuses a key that is not 32 bytes of base64", func() {
		_, err := frames.FernetEncrypt("monsecret", []byte("x"))
		Expect(err).To(MatchError(frames.ErrKeySize))
		_, err = frames.FernetDecrypt("AAAA", []byte(seedToken), 0)
		Expect(err).To(MatchError(frames.ErrKeySize))
	})

	It("makes tokens Python's cryptography.Fernet decrypts", func() {
		py := "/usr/bin/python3"
		if exec.Command(py, "-c", "import cryptography.fernet").Run() != nil {
			Skip("needs /usr/bin/python3 with python3-cryptography")
		}
		tok, err := frames.FernetEncrypt(pyKey, []byte("from Go"))
		Expect(err).NotTo(HaveOccurred())
		out, err := exec.Command(py, "-c",
			"import sys; from cryptography.fernet import Fernet; sys.stdout.buffer.write(Fernet(sys.argv[1]).decrypt(sys.argv[2].encode(), ttl=60))",
			pyKey, string(tok)).Output()
		Expect(err).NotTo(HaveOccurred())
		Expect(string(out)).To(Equal("from Go"))
	})
})
