package spec_test

import (
	"errors"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
)

// What FuzzParse found, pinned to exact messages (its inputs are also in
// testdata/fuzz/FuzzParse).
var _ = Describe("Parse on what the fuzzer found", func() {
	DescribeTable("points every YAML syntax problem at a line and column",
		func(doc, want string) {
			_, err := spec.Parse("ex.yaml", []byte(doc))
			Expect(err).To(MatchError(want))
		},
		// yaml.v3 prints no line for its first one (it counts from 0).
		Entry("an error on the first line", `"`, "ex.yaml:1:1: invalid YAML: found unexpected end of stream"),
		// yaml.v3 knows only the offset of a character it cannot read.
		Entry("a control character", "id: a\ntitle: b\nrole: cl\x01ient\n", "ex.yaml:3:9: invalid YAML: control characters are not allowed"),
		Entry("a byte that is not UTF-8", "id: a\ntitle: é\xff\n", "ex.yaml:2:9: invalid YAML: invalid leading UTF-8 octet"),
	)

	It("lists the problems of hints shared through an alias in the same order every time", func() {
		doc := []byte("scenarios: [{id: a, expect: {hints: &h {x: 1, y: 2}}}, {id: b, expect: {hints: *h}}]\n")
		_, first := spec.Parse("ex.yaml", doc)
		Expect(first.Error()).To(HaveSuffix("ex.yaml:1:73: scenarios[1].expect.hints.x: no check is named \"x\" (checks: )\n" +
			"ex.yaml:1:73: scenarios[1].expect.hints.y: no check is named \"y\" (checks: )"))
		for range 20 {
			_, again := spec.Parse("ex.yaml", doc)
			Expect(again.Error()).To(Equal(first.Error()))
		}
	})
})

// FuzzParse feeds arbitrary bytes to Parse, the loader of every
// exercise.yaml (a teacher's --exercises folder included): it must never
// panic, it returns an exercise or Problems and never both, every problem
// names its file and says something, every problem but the empty file's
// points at a line an editor can jump to, and the same bytes always give
// the same answer (grader validate must not reorder its messages between
// runs).
func FuzzParse(f *testing.F) {
	// Small documents: the fuzzer mutates (and minimizes) them quickly;
	// the real exercises are proven by the catalog's specs.
	f.Add([]byte(serverDoc))
	f.Add([]byte(clientDoc))
	f.Add([]byte(""))
	f.Add([]byte("id: x\n\tid: y\n"))
	f.Add([]byte("id: a\nid: b\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("scenarios: [{id: a, expect: {hints: &h {x: 1, y: 2}}}, {id: b, expect: {hints: *h}}]\n"))
	const file = "exercises/fuzz/exercise.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := spec.Parse(file, data)
		if (ex == nil) == (err == nil) {
			t.Fatalf("Parse returned exercise %v and error %v: want exactly one", ex != nil, err)
		}
		if err == nil {
			if ex.File != file {
				t.Fatalf("exercise File %q, want %q", ex.File, file)
			}
			if ex.ID == "" || ex.Title == "" || len(ex.Scenarios) == 0 {
				t.Fatalf("a valid exercise without id, title or scenarios: %+v", ex)
			}
		} else {
			var ps spec.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %v (%T) is not a list of Problems", err, err)
			}
			for _, p := range ps {
				if p.File != file || p.Msg == "" {
					t.Fatalf("problem without a file or a message: %#v", p)
				}
				// Only a file with no document at all (blank, comments,
				// "---") has no line to point at.
				if p.Line <= 0 && !strings.HasPrefix(p.Msg, "the file is empty") {
					t.Fatalf("problem without a line: %q", p.Error())
				}
			}
		}
		ex2, err2 := spec.Parse(file, data)
		if (ex2 == nil) != (ex == nil) || errString(err) != errString(err2) {
			t.Fatalf("two parses of the same bytes differ:\n%v\n----\n%v", err, err2)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
