package frames_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

var _ = Describe("Checksum", func() {
	It("is the lab sheet's sum mod 256 of bonjour, with or without the NUL", func() {
		Expect(frames.Checksum([]byte("bonjour"))).To(Equal(byte(0xff)))
		Expect(frames.Checksum([]byte("bonjour\x00"))).To(Equal(byte(0xff)))
	})

	It("wraps around 256", func() {
		Expect(frames.Checksum(nil)).To(Equal(byte(0)))
		Expect(frames.Checksum([]byte{0xff, 0x02})).To(Equal(byte(0x01)))
	})
})
