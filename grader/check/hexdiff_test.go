package check_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
)

// lines splits a HexDiff into its header, expected, actual and caret lines.
func lines(d string) (head, exp, act, caret string) {
	GinkgoHelper()
	ls := strings.Split(d, "\n")
	Expect(ls).To(HaveLen(4), "hex diff:\n%s", d)
	Expect(ls[1]).To(HavePrefix("  expected "))
	Expect(ls[2]).To(HavePrefix("  actual   "))
	Expect(strings.TrimLeft(ls[3], " ")).To(Equal("^^"))
	return ls[0], ls[1], ls[2], ls[3]
}

// byteSeq returns n bytes 0, 1, 2...
func byteSeq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

var _ = Describe("FirstDiff", func() {
	DescribeTable("finds the first differing offset",
		func(a, b string, want int) {
			Expect(check.FirstDiff([]byte(a), []byte(b))).To(Equal(want))
		},
		Entry("equal", "abc", "abc", -1),
		Entry("both empty", "", "", -1),
		Entry("differ at 2", "abc", "abd", 2),
		Entry("differ at 0", "abc", "xbc", 0),
		Entry("b is longer", "ab", "abc", 2),
		Entry("a is longer", "abc", "ab", 2),
		Entry("one empty", "", "a", 0),
	)
})

var _ = Describe("HexDiff", func() {
	It("is empty when the bytes are equal", func() {
		Expect(check.HexDiff([]byte{1, 2}, []byte{1, 2})).To(BeEmpty())
	})

	It("reports the offset, both bytes and puts the caret under the difference", func() {
		head, exp, act, caret := lines(check.HexDiff([]byte{0x62, 0x6f, 0x00, 0xe1}, []byte{0x62, 0x6f, 0x00, 0xe2}))
		Expect(head).To(Equal("first difference at offset 3 (0x3): expected 0xe1, got 0xe2"))
		Expect(exp).To(Equal("  expected 0000  62 6f 00 e1"))
		Expect(act).To(Equal("  actual   0000  62 6f 00 e2"))
		Expect(strings.Index(caret, "^^")).To(Equal(strings.Index(exp, "e1")))
	})

	It("aligns the caret far into a long frame, showing the row before", func() {
		exp := byteSeq(64)
		act := byteSeq(64)
		act[40] = 0xff
		head, e, a, caret := lines(check.HexDiff(exp, act))
		Expect(head).To(Equal("first difference at offset 40 (0x28): expected 0x28, got 0xff"))
		Expect(e).To(HavePrefix("  expected 0010  10 11 "), "rows start one row before the difference")
		Expect(a).To(ContainSubstring(" ff "))
		at := strings.Index(caret, "^^")
		Expect(e[at : at+2]).To(Equal("28"))
		Expect(a[at : at+2]).To(Equal("ff"))
	})

	It("reports bytes missing from the actual frame", func() {
		head, _, act, caret := lines(check.HexDiff([]byte("abcd"), []byte("ab")))
		Expect(head).To(Equal("first difference at offset 2 (0x2): 2 byte(s) missing from there on"))
		Expect(act).To(Equal("  actual   0000  61 62"))
		Expect(strings.Index(caret, "^^")).To(Equal(len("  expected 0000  61 62 ")))
	})

	It("reports extra bytes in the actual frame", func() {
		head, exp, act, _ := lines(check.HexDiff([]byte("ab"), []byte("abcde")))
		Expect(head).To(Equal("first difference at offset 2 (0x2): 3 extra byte(s) from there on"))
		Expect(exp).To(Equal("  expected 0000  61 62"))
		Expect(act).To(Equal("  actual   0000  61 62 63 64 65"))
	})

	It("says nothing arrived when the actual frame is empty", func() {
		head, _, act, _ := lines(check.HexDiff([]byte{1, 2}, nil))
		Expect(head).To(ContainSubstring("2 byte(s) missing"))
		Expect(act).To(Equal("  actual   0000  (nothing)"))
	})
})
