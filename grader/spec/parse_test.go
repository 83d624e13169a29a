package spec_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
)

// serverDoc is a valid server exercise exercising most fields.
const serverDoc = `id: demo-server
title: Demo TCP server
seed: 001.txt (Programme serveur)
role: server
run:
  port: 1234
  family: ipv4
  protocol: tcp
  timeout: 5s
  ready: 250ms
scenarios:
  - id: listens
    name: listens on its port
    points: 1
  - id: replies
    name: answers bonjour
    points: 4
    depends: [listens]
    network: {segment: 3, delay: 2ms}
    steps:
      - connect: tcp
      - send: {text: "bonjour\0"}
      - expect: {equals: "bonjour OK", ignore_nul: true, trim: true, timeout: 2s}
      - send: {hex: "62 6f"}
      - expect: {id: second, contains: "ok", ignore_case: true}
      - close: {}
    expect:
      stdout: {contains: "bonjour"}
      exit: 0
      hints: {step3: "Append OK to what you received."}
`

// clientDoc is a valid client exercise with every client-only expectation.
const clientDoc = `id: demo-client
title: Demo TCP client
role: client
servers:
  - {name: echo, kind: echo-tcp, port: 1234, family: ipv4}
scenarios:
  - id: exchange
    points: 2
    expect:
      connections: 1
      sent: {equals: "bonjour", ignore_nul: true}
      closed_by_client: true
      stdout: {id: out, contains: "bonjour OK"}
      stderr: {not_contains: "Traceback"}
      exit: 0
`

// pos returns the 1-based line and column of the first occurrence of
// marker in doc, so expectations follow the document, not magic numbers.
func pos(doc, marker string) (int, int) {
	GinkgoHelper()
	i := strings.Index(doc, marker)
	Expect(i).To(BeNumerically(">=", 0), "marker %q not in document", marker)
	line := strings.Count(doc[:i], "\n") + 1
	col := i - (strings.LastIndex(doc[:i], "\n") + 1) + 1
	return line, col
}

// problems parses doc and returns the problems it must produce.
func problems(doc string) spec.Problems {
	GinkgoHelper()
	ex, err := spec.Parse("ex.yaml", []byte(doc))
	Expect(err).To(HaveOccurred())
	Expect(ex).To(BeNil())
	var ps spec.Problems
	Expect(errors.As(err, &ps)).To(BeTrue(), "error is %T, want spec.Problems", err)
	Expect(ps).NotTo(BeEmpty())
	return ps
}

// only returns the single problem of doc.
func only(doc string) spec.Problem {
	GinkgoHelper()
	ps := problems(doc)
	Expect(ps).To(HaveLen(1), "problems: %v", ps)
	return ps[0]
}

// withField returns the problem reported for field.
func withField(ps spec.Problems, field string) spec.Problem {
	GinkgoHelper()
	for _, p := range ps {
		if p.Field == field {
			return p
		}
	}
	Fail(fmt.Sprintf("no problem for field %q in:\n%v", field, ps))
	return spec.Problem{}
}

// located asserts p is at the marker's position and formats as
// file:line:col: field: message.
func located(p spec.Problem, doc, marker string) {
	GinkgoHelper()
	line, col := pos(doc, marker)
	Expect(p.File).To(Equal("ex.yaml"))
	Expect([2]int{p.Line, p.Col}).To(Equal([2]int{line, col}), "problem %v, marker %q", p, marker)
	Expect(p.Error()).To(Equal(fmt.Sprintf("ex.yaml:%d:%d: %s: %s", line, col, p.Field, p.Msg)))
}

// server builds a minimal valid server exercise around scenario lines.
func server(scenarios string) string {
	return "id: demo\ntitle: Demo\nrole: server\nrun: {port: 1234}\nscenarios:\n" + scenarios
}

// client builds a minimal valid client exercise around scenario lines.
func client(scenarios string) string {
	return "id: demo\ntitle: Demo\nrole: client\nservers: [{name: echo, kind: echo-tcp}]\nscenarios:\n" + scenarios
}

var _ = Describe("Parse", func() {
	It("decodes a valid server exercise with every field typed", func() {
		ex, err := spec.Parse("exercises/demo-server/exercise.yaml", []byte(serverDoc))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.ID).To(Equal("demo-server"))
		Expect(ex.Title).To(Equal("Demo TCP server"))
		Expect(ex.Role).To(Equal("server"))
		Expect(ex.File).To(Equal("exercises/demo-server/exercise.yaml"))
		Expect(ex.Dir).To(Equal("exercises/demo-server"))
		Expect(ex.Run.Port).To(Equal(1234))
		Expect(ex.Run.Family).To(Equal("ipv4"))
		Expect(ex.Run.Timeout.Std(0)).To(Equal(5 * time.Second))
		Expect(ex.Run.Ready.Std(0)).To(Equal(250 * time.Millisecond))
		Expect(ex.Run.Grace.Std(time.Second)).To(Equal(time.Second), "unset durations fall back to the default")

		Expect(ex.Scenarios).To(HaveLen(2))
		sc := ex.Scenarios[1]
		Expect(sc.ID).To(Equal("replies"))
		Expect(sc.Points).To(Equal(4))
		Expect(sc.Depends).To(Equal([]string{"listens"}))
		Expect(sc.Network.Segment).To(Equal(3))
		Expect(time.Duration(sc.Network.Delay)).To(Equal(2 * time.Millisecond))
		Expect(sc.Steps).To(HaveLen(6))
		Expect(sc.Steps[0].Connect).To(Equal("tcp"))
		Expect(sc.Steps[1].Send.Bytes()).To(Equal([]byte("bonjour\x00")), "YAML's \\0 escape is a NUL byte")
		Expect(sc.Steps[2].Expect.IgnoreNUL).To(BeTrue())
		Expect(sc.Steps[2].Expect.Timeout.Std(0)).To(Equal(2 * time.Second))
		Expect(sc.Steps[3].Send.Bytes()).To(Equal([]byte("bo")))
		Expect(sc.Steps[5].Close).NotTo(BeNil())
		Expect(*sc.Expect.Exit).To(Equal(0))
		Expect(sc.Expect.Hints).To(HaveKeyWithValue("step3", "Append OK to what you received."))
	})

	It("decodes a valid client exercise", func() {
		ex, err := spec.Parse("ex.yaml", []byte(clientDoc))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Servers).To(HaveLen(1))
		Expect(ex.Servers[0].Kind).To(Equal("echo-tcp"))
		e := ex.Scenarios[0].Expect
		Expect(*e.Connections).To(Equal(1))
		Expect(*e.ClosedByClient).To(BeTrue())
		Expect(*e.Sent.Equals).To(Equal("bonjour"))
		Expect(*e.Stderr.NotContains).To(Equal("Traceback"))
	})

	Describe("problems, each as file:line:col: field: message", func() {
		It("reports an unknown field at its key and lists the allowed fields", func() {
			doc := server("  - id: s\n    pionts: 3\n")
			p := only(doc)
			located(p, doc, "pionts")
			Expect(p.Field).To(Equal("pionts"))
			Expect(p.Msg).To(HavePrefix(`unknown field (got "pionts"), want one of: `))
			for _, f := range []string{"id", "name", "points", "depends", "steps", "expect", "hint"} {
				Expect(p.Msg).To(MatchRegexp(`[ ,]%s(,|$)`, f))
			}
		})

		It("lists the fields of the nested type for an unknown field in a matcher", func() {
			doc := client("  - id: s\n    expect:\n      stdout: {contians: x}\n")
			p := withField(problems(doc), "contians")
			located(p, doc, "contians")
			Expect(p.Msg).To(ContainSubstring("want one of: id, equals, hex, contains, not_contains, matches, not_matches"))
		})

		It("reports a wrong type at the value, quoting it and naming the type", func() {
			doc := server("  - id: s\n    points: abc\n")
			p := only(doc)
			located(p, doc, "abc")
			Expect(p.Field).To(Equal("points"))
			Expect(p.Msg).To(Equal(`wrong type (got "abc", want an integer)`))
			Expect(p.Error()).To(ContainSubstring(`points: wrong type (got "abc", want an integer)`))
		})

		It("names booleans and lists in wrong-type messages", func() {
			doc := server("  - id: s\n    hidden: maybe\n    depends: listens\n")
			ps := problems(doc)
			located(withField(ps, "hidden"), doc, "maybe")
			Expect(withField(ps, "hidden").Msg).To(ContainSubstring("want true or false"))
			Expect(withField(ps, "depends").Msg).To(ContainSubstring("want a list"))
		})

		It("reports a bad duration at its value with an example", func() {
			doc := server("  - id: s\n    timeout: 5 seconds\n")
			p := only(doc)
			located(p, doc, "5 seconds")
			Expect(p.Field).To(Equal("timeout"))
			Expect(p.Msg).To(ContainSubstring(`"5 seconds"`))
			Expect(p.Msg).To(ContainSubstring(`"5s"`))
		})

		It("rejects a negative duration", func() {
			doc := server("  - id: s\n    timeout: -1s\n")
			Expect(only(doc).Msg).To(ContainSubstring(`cannot use "-1s" as a duration`))
		})

		It("reports an invalid role listing client and server", func() {
			doc := strings.Replace(server("  - id: s\n"), "role: server", "role: admin", 1)
			p := only(doc)
			located(p, doc, "admin")
			Expect(p.Field).To(Equal("role"))
			Expect(p.Msg).To(Equal(`got "admin", want one of: client, server, exec`))
		})

		It("reports a duplicate scenario id at the second one", func() {
			doc := server("  - id: same\n  - id: other\n  - id: same # again\n")
			p := only(doc)
			located(p, doc, "same # again")
			Expect(p.Field).To(Equal("scenarios[2].id"))
			Expect(p.Msg).To(Equal(`duplicate scenario id "same" (first at scenarios[0])`))
		})

		It("reports a dependency on an unknown id, listing the earlier ones", func() {
			doc := server("  - id: first\n  - id: second\n    depends: [first, nowhere]\n")
			p := only(doc)
			located(p, doc, "nowhere")
			Expect(p.Field).To(Equal("scenarios[1].depends[1]"))
			Expect(p.Msg).To(Equal(`got "nowhere", want the id of an earlier scenario (first)`))
		})

		It("reports a dependency on a later scenario", func() {
			doc := server("  - id: first\n    depends: [second]\n  - id: second\n")
			p := only(doc)
			located(p, doc, "second]")
			Expect(p.Msg).To(ContainSubstring(`got "second", want the id of an earlier scenario (none yet)`))
		})

		It("reports a step with two actions at the step", func() {
			doc := server("  - id: s\n    steps:\n      - {connect: tcp, close: {}}\n")
			p := only(doc)
			located(p, doc, "{connect")
			Expect(p.Field).To(Equal("scenarios[0].steps[0]"))
			Expect(p.Msg).To(Equal("a step has exactly one of: connect, send, expect, close, browser (got 2)"))
		})

		It("reports a send before any connect, and again after a close", func() {
			doc := server("  - id: s\n    steps:\n      - send: {text: a}\n      - connect: tcp\n      - close: {}\n      - send: {text: b}\n")
			ps := problems(doc)
			Expect(ps).To(HaveLen(2))
			located(ps[0], doc, "{text: a}")
			Expect(ps[0].Field).To(Equal("scenarios[0].steps[0].send"))
			Expect(ps[0].Msg).To(Equal("send before any connect step"))
			located(ps[1], doc, "{text: b}")
			Expect(ps[1].Field).To(Equal("scenarios[0].steps[3].send"))
		})

		It("reports an invalid connect protocol", func() {
			doc := server("  - id: s\n    steps:\n      - connect: sctp\n")
			p := only(doc)
			located(p, doc, "sctp")
			Expect(p.Msg).To(Equal(`got "sctp", want one of: tcp, udp, tls`))
		})

		It("reports an invalid regular expression at the pattern", func() {
			doc := client("  - id: s\n    expect:\n      stdout: {matches: \"([a-z\"}\n")
			p := only(doc)
			located(p, doc, `"([a-z"`)
			Expect(p.Field).To(Equal("scenarios[0].expect.stdout.matches"))
			Expect(p.Msg).To(HavePrefix(`got "([a-z": not a valid regular expression`))
		})

		It("reports bad hex in a send and in a matcher", func() {
			doc := server("  - id: s\n    steps:\n      - connect: tcp\n      - send: {hex: \"62 zz\"}\n      - expect: {hex: \"6\"}\n")
			ps := problems(doc)
			Expect(ps).To(HaveLen(2))
			located(ps[0], doc, `"62 zz"`)
			Expect(ps[0].Field).To(Equal("scenarios[0].steps[1].send.hex"))
			Expect(ps[0].Msg).To(HavePrefix(`got "62 zz": `))
			Expect(ps[0].Msg).To(ContainSubstring("invalid byte"))
			located(ps[1], doc, `"6"`)
			Expect(ps[1].Field).To(Equal("scenarios[0].steps[2].expect.hex"))
			Expect(ps[1].Msg).To(ContainSubstring("odd length"))
		})

		It("reports a payload with both text and hex, or neither", func() {
			doc := server("  - id: s\n    steps:\n      - connect: tcp\n      - send: {text: a, hex: \"62\"}\n      - send: {}\n")
			ps := problems(doc)
			Expect(ps).To(HaveLen(2))
			for _, p := range ps {
				Expect(p.Msg).To(Equal("give exactly one of text, hex, frame, ws, upgrade or http"))
			}
		})

		It("reports an empty matcher", func() {
			doc := client("  - id: s\n    expect:\n      stdout: {trim: true}\n")
			p := only(doc)
			located(p, doc, "{trim")
			Expect(p.Field).To(Equal("scenarios[0].expect.stdout"))
			Expect(p.Msg).To(ContainSubstring("a matcher needs at least one of: equals, hex, contains"))
		})

		It("reports equals together with hex", func() {
			doc := client("  - id: s\n    expect:\n      stdout: {equals: a, hex: \"61\"}\n")
			Expect(only(doc).Msg).To(Equal("give equals or hex, not both"))
		})

		It("reports steps in a client exercise", func() {
			doc := client("  - id: s\n    steps:\n      - connect: tcp\n    expect: {exit: 0}\n")
			p := only(doc)
			located(p, doc, "- connect")
			Expect(p.Field).To(Equal("scenarios[0].steps"))
			Expect(p.Msg).To(ContainSubstring(`they need role: server (got "client")`))
		})

		It("reports sent, connections and closed_by_client in a server exercise", func() {
			doc := server("  - id: s\n    expect:\n      sent: {contains: x}\n      connections: 1\n      closed_by_client: true\n")
			ps := problems(doc)
			Expect(ps).To(HaveLen(3))
			located(withField(ps, "scenarios[0].expect.sent"), doc, "{contains")
			Expect(withField(ps, "scenarios[0].expect.sent").Msg).To(ContainSubstring("only a client exercise"))
			located(withField(ps, "scenarios[0].expect.connections"), doc, "1\n")
			Expect(withField(ps, "scenarios[0].expect.connections").Msg).To(ContainSubstring("count connections"))
			Expect(withField(ps, "scenarios[0].expect.closed_by_client").Msg).To(ContainSubstring("who closed"))
		})

		It("reports hints naming an unknown check, listing the checks", func() {
			doc := server("  - id: s\n    steps:\n      - connect: tcp\n      - expect: {contains: x}\n    expect:\n      hints: {step2: fine, nope: \"No such check.\"}\n")
			p := only(doc)
			located(p, doc, `"No such check."`)
			Expect(p.Field).To(Equal("scenarios[0].expect.hints.nope"))
			Expect(p.Msg).To(Equal(`no check is named "nope" (checks: ready, step2)`))
		})

		It("reports two expect steps with the same id", func() {
			doc := server("  - id: s\n    steps:\n      - connect: tcp\n      - expect: {id: reply, contains: a}\n      - expect: {id: reply, contains: b}\n")
			Expect(only(doc).Msg).To(Equal(`two checks are named "reply"; give the expect steps distinct ids`))
		})

		It("reports a client scenario that checks nothing", func() {
			doc := client("  - id: s\n    points: 1\n")
			p := only(doc)
			Expect(p.Field).To(Equal("scenarios[0].expect"))
			Expect(p.Msg).To(ContainSubstring("the scenario checks nothing"))
		})

		It("reports out-of-range ports, exit codes and negative points", func() {
			doc := strings.Replace(server("  - id: s\n    points: -1\n    expect: {exit: 300}\n"), "port: 1234", "port: 70000", 1)
			ps := problems(doc)
			Expect(ps).To(HaveLen(3))
			located(withField(ps, "run.port"), doc, "70000")
			Expect(withField(ps, "run.port").Msg).To(Equal("got 70000, want a port from 1 to 65535"))
			Expect(withField(ps, "scenarios[0].points").Msg).To(Equal("got -1, want 0 or more"))
			Expect(withField(ps, "scenarios[0].expect.exit").Msg).To(Equal("got 300, want an exit code from 0 to 255"))
		})

		It("reports a client exercise without reference servers and a spoof without a UDP server", func() {
			doc := "id: demo\ntitle: Demo\nrole: client\nscenarios:\n  - id: s\n    network: {spoof: x}\n    expect: {exit: 0}\n"
			ps := problems(doc)
			Expect(withField(ps, "servers").Msg).To(ContainSubstring("needs at least one reference server"))
			Expect(withField(ps, "scenarios[0].network.spoof").Msg).To(ContainSubstring("needs a UDP reference server"))
		})

		It("reports ids that are not lowercase words", func() {
			doc := strings.Replace(server("  - id: Bad_Id\n"), "id: demo", "id: Demo", 1)
			ps := problems(doc)
			Expect(ps).To(HaveLen(2))
			located(withField(ps, "id"), doc, "Demo\n")
			Expect(withField(ps, "id").Msg).To(Equal(`got "Demo", want lowercase letters, digits and dashes`))
			located(withField(ps, "scenarios[0].id"), doc, "Bad_Id")
		})

		It("reports missing id, title and scenarios", func() {
			ps := problems("role: server\n")
			Expect(withField(ps, "id").Msg).To(HavePrefix("missing"))
			Expect(withField(ps, "title").Msg).To(HavePrefix("missing"))
			Expect(withField(ps, "scenarios").Msg).To(HavePrefix("missing"))
		})

		It("reports a YAML syntax error with its line", func() {
			doc := "id: demo\ntitle: Demo: with a colon\nrole: server\n"
			p := only(doc)
			Expect(p.Line).To(Equal(2))
			Expect(p.Field).To(BeEmpty())
			Expect(p.Msg).To(HavePrefix("invalid YAML: "))
			Expect(p.Error()).To(MatchRegexp(`^ex\.yaml:2:\d+: invalid YAML: mapping values are not allowed`))
		})

		DescribeTable("reports an empty file without a position",
			func(doc string) {
				p := only(doc)
				Expect(p.Line).To(Equal(0))
				Expect(p.Error()).To(Equal("ex.yaml: the file is empty (want an exercise: id, role, scenarios)"))
			},
			Entry("no bytes", ""),
			Entry("only a comment", "# nothing yet\n"),
		)

		It("collects every problem of a file in one run, sorted by line", func() {
			doc := "id: demo\ntitle: Demo\nrole: server\nscenarios:\n" +
				"  - id: dup\n    timeout: soon\n" +
				"  - id: dup\n    points: many\n" +
				"    steps:\n      - send: {hex: \"xyz\"}\n" +
				"    colour: red\n"
			ps := problems(doc)
			Expect(len(ps)).To(BeNumerically(">=", 5))
			for i := 1; i < len(ps); i++ {
				a, b := ps[i-1], ps[i]
				Expect(a.Line < b.Line || a.Line == b.Line && a.Col <= b.Col).To(BeTrue(), "problems out of order:\n%v", ps)
			}
			text := ps.Error()
			Expect(strings.Split(text, "\n")).To(HaveLen(len(ps)))
			for _, want := range []string{"timeout: cannot use \"soon\"", "duplicate scenario id", "points: wrong type (got \"many\"", "send before any connect", "colour: unknown field"} {
				Expect(text).To(ContainSubstring(want))
			}
		})
	})

	Describe("CheckIDs", func() {
		It("lists a server scenario's checks in report order", func() {
			ex, err := spec.Parse("ex.yaml", []byte(serverDoc))
			Expect(err).NotTo(HaveOccurred())
			Expect(ex.Scenarios[0].CheckIDs("server")).To(Equal([]string{"ready"}))
			Expect(ex.Scenarios[1].CheckIDs("server")).To(Equal([]string{"ready", "step3", "second", "stdout", "exit"}))
		})

		It("lists a client scenario's checks in report order, with custom ids", func() {
			ex, err := spec.Parse("ex.yaml", []byte(clientDoc))
			Expect(err).NotTo(HaveOccurred())
			Expect(ex.Scenarios[0].CheckIDs("client")).To(Equal([]string{"connections", "sent", "closed", "out", "stderr", "exit"}))
		})

		It("names expect steps step<N>, 1-based, unless they have an id", func() {
			Expect(spec.StepCheckID(0, &spec.Match{})).To(Equal("step1"))
			Expect(spec.StepCheckID(4, &spec.Match{})).To(Equal("step5"))
			Expect(spec.StepCheckID(4, &spec.Match{ID: "reply"})).To(Equal("reply"))
		})
	})

	DescribeTable("DecodeHex accepts the usual spellings",
		func(in string) {
			b, err := spec.DecodeHex(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(b).To(Equal([]byte("bo")))
		},
		Entry("spaces", "62 6f"),
		Entry("colons", "62:6f"),
		Entry("0x prefixes", "0x62 0x6f"),
		Entry("upper-case 0X", "0X62 0X6F"),
		Entry("packed", "626f"),
		Entry("new lines and tabs", "62\n\t6f"),
	)

	DescribeTable("DecodeHex rejects what is not hex",
		func(in string) {
			_, err := spec.DecodeHex(in)
			Expect(err).To(HaveOccurred())
		},
		Entry("odd length", "626"),
		Entry("not a digit", "6g"),
	)

	It("returns a payload's bytes from text or hex", func() {
		t := "a\x00b"
		Expect(spec.Payload{Text: &t}.Bytes()).To(Equal([]byte{'a', 0, 'b'}))
		Expect(spec.Payload{Hex: "0x00 ff"}.Bytes()).To(Equal([]byte{0, 0xff}))
	})
})
