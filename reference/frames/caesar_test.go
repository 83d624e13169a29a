package frames_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

var _ = Describe("Caesar", func() {
	// The lab sheet's cipher: key 1, each letter shifted back by one,
	// spaces unchanged.
	It("encrypts as the lab sheet's substitution table does", func() {
		Expect(frames.Caesar("fluffy tail", frames.SeedCaesarShift)).To(Equal("ekteex szhk"))
		Expect(frames.Caesar("ekteex szhk", -frames.SeedCaesarShift)).To(Equal("fluffy tail"))
	})

	It("wraps around the alphabet and keeps the case", func() {
		Expect(frames.Caesar("abc XYZ", -1)).To(Equal("zab WXY"))
		Expect(frames.Caesar("xyz ABC", 3)).To(Equal("abc DEF"))
		Expect(frames.Caesar("Hello", 13)).To(Equal("Uryyb"))
	})

	It("leaves everything but ASCII letters alone", func() {
		Expect(frames.Caesar("été, 42 ans! ñ\n", 1)).To(Equal("éué, 42 bot! ñ\n"))
	})

	It("takes any shift, reduced mod 26", func() {
		Expect(frames.Caesar("Zebra", 26)).To(Equal("Zebra"))
		Expect(frames.Caesar("Zebra", 27)).To(Equal("Afcsb"))
		Expect(frames.Caesar("Zebra", -53)).To(Equal("Ydaqz"))
		for shift := -60; shift <= 60; shift++ {
			Expect(frames.Caesar(frames.Caesar("The Quick Brown Fox", shift), -shift)).To(Equal("The Quick Brown Fox"))
		}
	})
})
