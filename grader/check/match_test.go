package check_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/spec"
)

func strp(s string) *string { return &s }

const who check.Subject = "your server sent"

var _ = Describe("Match on binary frames", func() {
	It("does not take two different non-UTF-8 bytes for a case difference", func() {
		c := check.Match("frame", &spec.Match{Hex: "62 e1"}, []byte{0x62, 0xe2}, who)
		Expect(c.Passed).To(BeFalse())
		Expect(c.Message).NotTo(ContainSubstring("upper/lower case"))
		Expect(c.Message).To(ContainSubstring("first difference at offset 1"))
	})

	It("keeps different bytes different under ignore_case", func() {
		c := check.Match("frame", &spec.Match{Hex: "62 e1", IgnoreCase: true}, []byte{0x62, 0xe2}, who)
		Expect(c.Passed).To(BeFalse())
	})
})

var _ = Describe("Match", func() {
	Describe("equals", func() {
		m := &spec.Match{Equals: strp("bonjour OK"), Hint: "Append OK."}

		It("passes on the exact bytes and records evidence", func() {
			c := check.Match("reply", m, []byte("bonjour OK"), who)
			Expect(c.Passed).To(BeTrue())
			Expect(c.Name).To(Equal("reply"))
			Expect(c.Message).To(BeEmpty())
			Expect(c.Expected).To(Equal("`bonjour OK`"))
			Expect(c.Actual).To(Equal("`bonjour OK` (10 bytes)"))
			Expect(c.Hint).To(Equal("Append OK."))
		})

		It("says which suffix is missing", func() {
			c := check.Match("reply", m, []byte("bonjour"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(Equal("your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing"))
			Expect(c.Hint).To(Equal("Append OK."))
		})

		It("counts and shows extra bytes", func() {
			c := check.Match("reply", m, []byte("bonjour OK\r\n"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HaveSuffix(": 2 extra bytes after the expected text: `\\r\\n`"))
		})

		It("names a difference of case only", func() {
			c := check.Match("reply", m, []byte("BONJOUR ok"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HaveSuffix(": only the upper/lower case differs"))
		})

		It("names a difference of surrounding white space only", func() {
			c := check.Match("reply", m, []byte(" bonjour OK "), who)
			Expect(c.Message).To(HaveSuffix(": only leading or trailing white space differs"))
		})

		It("names a difference of NUL bytes only", func() {
			c := check.Match("reply", m, []byte("bonjour\x00 OK"), who)
			Expect(c.Message).To(HaveSuffix(`: only NUL bytes (\0) differ`))
		})

		It("says where a text reply starts to differ", func() {
			c := check.Match("reply", m, []byte("bonsoir OK"), who)
			Expect(c.Message).To(HaveSuffix(": the first 3 bytes match, then `soir OK` instead of `jour OK`"))
		})

		It("says nothing was received, without a misleading explanation", func() {
			c := check.Match("reply", m, nil, who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(Equal("your server sent nothing, expected `bonjour OK`"))
			Expect(c.Actual).To(Equal("nothing"))
		})

		It("quotes a hostile reply so no escape byte reaches the message", func() {
			c := check.Match("reply", m, []byte("\x1b[2J\x1b[31mbonjour OK"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message + c.Actual).NotTo(ContainSubstring("\x1b"))
			Expect(c.Actual).To(ContainSubstring(`\x1b[2J`))
		})

		It("prefixes the exercise's own message", func() {
			mm := &spec.Match{Equals: strp("a"), Message: "the reply is wrong"}
			c := check.Match("reply", mm, []byte("b"), who)
			Expect(c.Message).To(HavePrefix("the reply is wrong: your server sent `b`"))
		})
	})

	Describe("hex", func() {
		m := &spec.Match{Hex: "62 6f 00 01"}

		It("passes on the same bytes", func() {
			c := check.Match("frame", m, []byte{0x62, 0x6f, 0x00, 0x01}, who)
			Expect(c.Passed).To(BeTrue())
			Expect(c.Expected).To(Equal("`bo\\0\\x01`"))
		})

		It("shows a hex diff for binary frames", func() {
			c := check.Match("frame", m, []byte{0x62, 0x6f, 0x00, 0x02}, who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HavePrefix("your server sent `bo\\0\\x02` (4 bytes), expected `bo\\0\\x01`\n"))
			Expect(c.Message).To(ContainSubstring("\nfirst difference at offset 3 (0x3): expected 0x01, got 0x02"))
			Expect(c.Message).To(ContainSubstring("expected 0000  62 6f 00 01"))
			Expect(c.Message).To(ContainSubstring("actual   0000  62 6f 00 02"))
			Expect(c.Message).To(ContainSubstring("^^"))
		})
	})

	Describe("contains and not_contains", func() {
		It("passes when the text is there", func() {
			c := check.Match("out", &spec.Match{Contains: strp("OK")}, []byte("bonjour OK\n"), "your program printed")
			Expect(c.Passed).To(BeTrue())
			Expect(c.Expected).To(Equal("contains `OK`"))
		})

		It("fails when it is not, noting a case difference", func() {
			c := check.Match("out", &spec.Match{Contains: strp("OK")}, []byte("bonjour ok\n"), "your program printed")
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(Equal("your program printed `bonjour ok\\n` (11 bytes), which does not contain `OK`: it is there with a different upper/lower case"))
		})

		It("fails plainly when the text is absent", func() {
			c := check.Match("out", &spec.Match{Contains: strp("OK")}, []byte("bye"), "your program printed")
			Expect(c.Message).To(Equal("your program printed `bye` (3 bytes), which does not contain `OK`"))
		})

		It("not_contains fails when the text appears", func() {
			m := &spec.Match{NotContains: strp("Traceback")}
			Expect(check.Match("err", m, []byte("all fine"), "your program printed").Passed).To(BeTrue())
			c := check.Match("err", m, []byte("Traceback (most recent call last)"), "your program printed")
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HaveSuffix("which contains `Traceback`"))
			Expect(c.Expected).To(Equal("does not contain `Traceback`"))
		})
	})

	Describe("matches and not_matches", func() {
		It("matches a regular expression", func() {
			m := &spec.Match{Matches: `^bonjour( OK)?$`}
			Expect(check.Match("x", m, []byte("bonjour OK"), who).Passed).To(BeTrue())
			c := check.Match("x", m, []byte("salut"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(Equal("your server sent `salut` (5 bytes), which does not match /^bonjour( OK)?$/"))
			Expect(c.Expected).To(Equal("matches /^bonjour( OK)?$/"))
		})

		It("not_matches quotes the part that should not appear", func() {
			m := &spec.Match{NotMatches: `(?i)\bok\b`}
			Expect(check.Match("x", m, []byte("rejected"), who).Passed).To(BeTrue())
			c := check.Match("x", m, []byte("frame Ok!"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HaveSuffix("where `Ok` should not appear"))
		})

		It("reports an invalid expression as the exercise's fault", func() {
			c := check.Match("x", &spec.Match{Matches: "(["}, []byte("a"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HavePrefix("the exercise's regular expression is invalid"))
		})
	})

	Describe("tolerances", func() {
		It("ignore_nul drops NUL bytes on both sides", func() {
			m := &spec.Match{Equals: strp("bonjour OK"), IgnoreNUL: true}
			Expect(check.Match("x", m, []byte("bonjour OK\x00"), who).Passed).To(BeTrue())
			Expect(check.Match("x", m, []byte("bon\x00jour OK"), who).Passed).To(BeTrue())
			Expect(check.Match("x", &spec.Match{Equals: strp("bonjour OK")}, []byte("bonjour OK\x00"), who).Passed).To(BeFalse())
		})

		It("trim ignores surrounding white space", func() {
			m := &spec.Match{Equals: strp("bonjour OK"), Trim: true}
			Expect(check.Match("x", m, []byte("  bonjour OK\r\n"), who).Passed).To(BeTrue())
			Expect(check.Match("x", m, []byte("bonjour  OK"), who).Passed).To(BeFalse())
		})

		It("ignore_case folds case for equals, contains and regular expressions", func() {
			Expect(check.Match("x", &spec.Match{Equals: strp("Bonjour ok"), IgnoreCase: true}, []byte("BONJOUR OK"), who).Passed).To(BeTrue())
			Expect(check.Match("x", &spec.Match{Contains: strp("OK"), IgnoreCase: true}, []byte("it is ok"), who).Passed).To(BeTrue())
			Expect(check.Match("x", &spec.Match{Matches: "^BONJOUR", IgnoreCase: true}, []byte("bonjour"), who).Passed).To(BeTrue())
			Expect(check.Match("x", &spec.Match{Matches: "^BONJOUR"}, []byte("bonjour"), who).Passed).To(BeFalse())
		})

		It("requires every condition given", func() {
			m := &spec.Match{Contains: strp("OK"), NotContains: strp("ERR"), Matches: "^bonjour"}
			Expect(check.Match("x", m, []byte("bonjour OK"), who).Passed).To(BeTrue())
			c := check.Match("x", m, []byte("ERR OK"), who)
			Expect(c.Passed).To(BeFalse())
			Expect(strings.Count(c.Message, "; ")).To(Equal(1), "two failures joined: %s", c.Message)
			Expect(c.Expected).To(Equal("contains `OK`; does not contain `ERR`; matches /^bonjour/"))
		})
	})
})

var _ = Describe("Complete", func() {
	It("waits for an equals matcher's whole text", func() {
		m := &spec.Match{Equals: strp("bonjour OK")}
		Expect(check.Complete(m, []byte("bonjour"))).To(BeFalse())
		Expect(check.Complete(m, []byte("bonjour OK"))).To(BeTrue())
		Expect(check.Complete(m, []byte("bonjour OK!"))).To(BeFalse())
	})

	It("is complete once contains and matches hold", func() {
		m := &spec.Match{Contains: strp("OK"), Matches: "^bon"}
		Expect(check.Complete(m, []byte("bon"))).To(BeFalse())
		Expect(check.Complete(m, []byte("bonjour OK"))).To(BeTrue())
	})

	It("applies the tolerances", func() {
		m := &spec.Match{Equals: strp("bonjour OK"), IgnoreNUL: true, Trim: true}
		Expect(check.Complete(m, []byte("bonjour OK\x00\n"))).To(BeTrue())
	})

	It("is never complete with a negative condition: absence needs the whole reply", func() {
		Expect(check.Complete(&spec.Match{NotContains: strp("x")}, []byte("abc"))).To(BeFalse())
		Expect(check.Complete(&spec.Match{NotMatches: "x"}, []byte("abc"))).To(BeFalse())
	})
})

var _ = Describe("Hopeless", func() {
	m := &spec.Match{Equals: strp("bonjour OK")}

	It("keeps hoping while what arrived is a prefix", func() {
		Expect(check.Hopeless(m, nil)).To(BeFalse())
		Expect(check.Hopeless(m, []byte("bon"))).To(BeFalse())
		Expect(check.Hopeless(m, []byte("bonjour OK"))).To(BeFalse())
	})

	It("gives up once the bytes differ or run past the end", func() {
		Expect(check.Hopeless(m, []byte("bx"))).To(BeTrue())
		Expect(check.Hopeless(m, []byte("bonjour OK!"))).To(BeTrue())
	})

	It("does not give up on trailing white space a trim may remove", func() {
		mt := &spec.Match{Equals: strp("bonjour OK"), Trim: true}
		Expect(check.Hopeless(mt, []byte("bonjour "))).To(BeFalse())
		Expect(check.Hopeless(mt, []byte("bonjour OK \r\n"))).To(BeFalse())
	})

	It("never gives up without an equals or hex matcher", func() {
		Expect(check.Hopeless(&spec.Match{Contains: strp("OK")}, []byte("anything"))).To(BeFalse())
	})

	It("compares hex matchers too", func() {
		mh := &spec.Match{Hex: "01 02 03"}
		Expect(check.Hopeless(mh, []byte{1, 2})).To(BeFalse())
		Expect(check.Hopeless(mh, []byte{1, 3})).To(BeTrue())
	})
})
