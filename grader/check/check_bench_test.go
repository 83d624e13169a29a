package check_test

import (
	"bytes"
	"testing"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/spec"
)

// Speed targets live here, never in timed specs: `make bench` runs these.

// stdout64K is 64 KiB of program output shaped like a chatty C client:
// "envoi : ..." / "reçu : ..." lines, with the line a check looks for at
// the very end, so a matcher has to scan all of it.
func stdout64K() []byte {
	var b bytes.Buffer
	line := []byte("envoi : bonjour\nreçu : bonjour OK\x00\n")
	for b.Len()+len(line) < 64<<10-32 {
		b.Write(line)
	}
	b.WriteString("reçu : merci pour tout OK\x00\n")
	for b.Len() < 64<<10 {
		b.WriteByte('.')
	}
	return b.Bytes()
}

func str(s string) *string { return &s }

// BenchmarkMatch evaluates typical stdout matchers on a 64 KiB output.
func BenchmarkMatch(b *testing.B) {
	out := stdout64K()
	cases := []struct {
		name string
		m    *spec.Match
		pass bool
	}{
		{"contains", &spec.Match{Contains: str("merci pour tout OK"), IgnoreNUL: true}, true},
		{"contains-ignore-case-trim", &spec.Match{Contains: str("MERCI POUR TOUT ok"), IgnoreNUL: true, IgnoreCase: true, Trim: true}, true},
		{"not-contains", &spec.Match{NotContains: str("segmentation fault")}, true},
		{"matches", &spec.Match{Matches: `merci pour tout\s+OK`, IgnoreNUL: true}, true},
		{"not-matches", &spec.Match{NotMatches: `(?m)^erreur`}, true},
		// A failing equals builds the full explanation (quote, diff).
		{"equals-fails", &spec.Match{Equals: str("bonjour OK"), IgnoreNUL: true, Trim: true}, false},
		{"contains-fails", &spec.Match{Contains: str("au revoir"), IgnoreNUL: true}, false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if c := check.Match("stdout", tc.m, out, "your program printed"); c.Passed != tc.pass {
				b.Fatalf("passed = %v, want %v: %s", c.Passed, tc.pass, c.Message)
			}
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				check.Match("stdout", tc.m, out, "your program printed")
			}
		})
	}
}

// BenchmarkHexDiff renders the hex view of a binary frame that differs:
// a 9-byte CRC-8 frame, and a 64 KiB buffer differing in the middle.
func BenchmarkHexDiff(b *testing.B) {
	frame := []byte("bonjour\x00\xe1")
	bad := []byte("bonjour\x00\xe2")
	big := make([]byte, 64<<10)
	for i := range big {
		big[i] = byte(i * 7)
	}
	bigBad := bytes.Clone(big)
	bigBad[len(bigBad)/2] ^= 0xff
	cases := []struct {
		name           string
		expected, got  []byte
		wantDifference bool
	}{
		{"frame-9B", frame, bad, true},
		{"missing-tail", frame, frame[:5], true},
		{"64KiB-middle", big, bigBad, true},
		{"64KiB-equal", big, bytes.Clone(big), false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if got := check.HexDiff(tc.expected, tc.got) != ""; got != tc.wantDifference {
				b.Fatalf("HexDiff reported a difference: %v, want %v", got, tc.wantDifference)
			}
			b.SetBytes(int64(len(tc.expected)))
			b.ReportAllocs()
			for b.Loop() {
				check.HexDiff(tc.expected, tc.got)
			}
		})
	}
}
