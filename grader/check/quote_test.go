package check_test

import (
	"bytes"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
)

// noRawControl asserts s contains no byte a terminal would interpret.
func noRawControl(s string, keep string) {
	GinkgoHelper()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 || c == 0x7f) && !strings.ContainsRune(keep, rune(c)) {
			Fail("raw control byte " + check.Hex([]byte{c}, 0) + " in " + check.Quote([]byte(s), 0))
		}
	}
}

var _ = Describe("Quote and Escape", func() {
	DescribeTable("make every byte visible",
		func(in []byte, want string) {
			Expect(check.Escape(in, 0)).To(Equal(want))
			Expect(check.Quote(in, 0)).To(Equal("`" + want + "`"))
		},
		Entry("plain text", []byte("bonjour OK"), "bonjour OK"),
		Entry("NUL as \\0", []byte("bonjour\x00"), `bonjour\0`),
		Entry("new line, return and tab", []byte("a\r\n\tb"), `a\r\n\tb`),
		Entry("ESC as \\x1b", []byte("\x1b[31mred"), `\x1b[31mred`),
		Entry("DEL", []byte{0x7f}, `\x7f`),
		Entry("invalid UTF-8 byte by byte", []byte{'a', 0xff, 0xc3}, `a\xff\xc3`),
		Entry("a backtick cannot end the quote", []byte("a`b"), "a\\`b"),
		Entry("a backslash is doubled", []byte(`a\b`), `a\\b`),
		Entry("printable UTF-8 stays", []byte("café 你好"), "café 你好"),
		Entry("C1 control (8-bit CSI)", []byte("\u009b31m"), `\x9b31m`),
		Entry("bidi override is not printed raw", []byte("a\u202eb"), `a\u202eb`),
	)

	It("never lets a raw escape byte through, whatever the input", func() {
		var all []byte
		for i := 0; i < 256; i++ {
			all = append(all, byte(i))
		}
		out := check.Escape(all, 0)
		Expect(out).NotTo(ContainSubstring("\x1b"))
		noRawControl(out, "")
		Expect(out).To(HavePrefix(`\0\x01\x02`))
	})

	It("truncates at max bytes with a marker counting the rest", func() {
		Expect(check.Quote([]byte("abcdefgh"), 3)).To(Equal("`abc…(5 more bytes)`"))
		Expect(check.Escape([]byte("abc"), 3)).To(Equal("abc"), "no marker when nothing is cut")
		Expect(check.Escape([]byte("abc"), 0)).To(Equal("abc"), "0 means no limit")
	})

	It("escapes an invalid sequence cut by truncation rather than printing half a rune", func() {
		out := check.Escape([]byte("é"), 1)
		Expect(out).To(Equal(`\xc3…(1 more bytes)`))
	})
})

var _ = Describe("Sanitize", func() {
	It("keeps new lines and tabs but escapes other control bytes", func() {
		out := check.Sanitize([]byte("line 1\n\tline 2\r\x1b[2Jgone\x00\x07"), 0)
		Expect(out).To(Equal("line 1\n\tline 2\\x0d\\x1b[2Jgone\\x00\\x07"))
		noRawControl(out, "\n\t")
	})

	It("escapes invalid UTF-8 and C1 controls, keeps printable text", func() {
		Expect(check.Sanitize([]byte{'o', 'k', 0xfe}, 0)).To(Equal(`ok\xfe`))
		Expect(check.Sanitize([]byte("\u009b"), 0)).To(Equal(`\x9b`))
		Expect(check.Sanitize([]byte("résumé: ok"), 0)).To(Equal("résumé: ok"))
	})

	It("truncates on a line of its own", func() {
		Expect(check.Sanitize([]byte("abcdef"), 4)).To(Equal("abcd\n…(2 more bytes)"))
	})
})

var _ = Describe("Describe", func() {
	It("says nothing for no bytes", func() {
		Expect(check.Describe(nil)).To(Equal("nothing"))
		Expect(check.Describe([]byte{})).To(Equal("nothing"))
	})

	It("quotes and counts the bytes", func() {
		Expect(check.Describe([]byte("x"))).To(Equal("`x` (1 byte)"))
		Expect(check.Describe([]byte("bonjour\x00"))).To(Equal("`bonjour\\0` (8 bytes)"))
	})

	It("shows the head and the tail of a long output and counts every byte", func() {
		b := append(bytes.Repeat([]byte("a"), 250), []byte("THE END")...)
		out := check.Describe(b)
		Expect(out).To(HaveSuffix("THE END` (257 bytes)"))
		Expect(out).To(ContainSubstring("…"))
		Expect(strings.Count(out, "a")).To(Equal(160 + 53))
	})

	It("shows a short output whole", func() {
		out := check.Describe(bytes.Repeat([]byte("a"), 240))
		Expect(strings.Count(out, "a")).To(Equal(240))
	})
})

var _ = Describe("Hex", func() {
	It("formats bytes as spaced pairs, cut at max", func() {
		Expect(check.Hex([]byte("bon"), 0)).To(Equal("62 6f 6e"))
		Expect(check.Hex([]byte("bonjour"), 2)).To(Equal("62 6f …(5 more)"))
	})
})
