package check

import (
	"fmt"
	"strings"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/reference/frames"
)

// frameCheck evaluates a frame matcher: the bytes must be a correct frame
// of the lab sheet's format in an allowed dialect. A wrong frame gets a
// hex diff against the closest correct one and the heuristics' names for
// the likely mistake.
func frameCheck(f *spec.Frame, data []byte, who Subject) (ok bool, expected, message string) {
	fs := f.FrameSpec()
	expected = describeFrame(f)
	if _, ok := frames.Accept(fs, data); ok {
		return true, expected, ""
	}
	want := closestFrame(fs, data)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s, which is not %s", who, Describe(data), expected)
	if hints := frames.Diagnose(fs, data); len(hints) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(hints, "; "))
	}
	if want != nil && len(data) > 0 {
		b.WriteString("\n" + HexDiff(want, data))
	}
	return false, expected, b.String()
}

// closestFrame is the correct frame (of the allowed dialects) sharing the
// longest prefix with data: the one to diff against.
func closestFrame(fs frames.Spec, data []byte) []byte {
	var best []byte
	bestN := -1
	for _, d := range []frames.Dialect{frames.WithNUL, frames.WithoutNUL} {
		if fs.Dialect != frames.AnyDialect && fs.Dialect != d {
			continue
		}
		w, err := fs.Frame(d)
		if err != nil {
			continue
		}
		n := FirstDiff(w, data)
		if n < 0 {
			n = len(w)
		}
		// the longest common prefix wins; on a tie, the frame of the same
		// length (the dialect the student most likely meant)
		if n > bestN || n == bestN && len(w) == len(data) {
			best, bestN = w, n
		}
	}
	return best
}

// describeFrame words what a frame matcher expects, with the frame's hex.
func describeFrame(f *spec.Frame) string {
	fs := f.FrameSpec()
	var what string
	switch f.Kind {
	case "checksum":
		what = fmt.Sprintf("%q followed by its checksum (sum mod 256)", f.Message)
	case "crc8":
		p := fs.CRC
		if p == (frames.CRC8Params{}) {
			p = frames.SeedCRC8
		}
		what = fmt.Sprintf("%q followed by its CRC-8 (poly 0x%02X, init 0x%02X)", f.Message, p.Poly, p.Init)
	case "rc4":
		what = fmt.Sprintf("%q encrypted with RC4, key %q", f.Message, f.Key)
	case "aes":
		what = fmt.Sprintf("a length byte and %q in AES-128-ECB zero-padded blocks, key %q", f.Message, f.Key)
	default:
		what = f.Kind + " frame"
	}
	var ex []string
	for _, d := range []frames.Dialect{frames.WithNUL, frames.WithoutNUL} {
		if fs.Dialect != frames.AnyDialect && fs.Dialect != d {
			continue
		}
		if w, err := fs.Frame(d); err == nil {
			label := "C, with the NUL"
			if d == frames.WithoutNUL {
				label = "Python, without"
			}
			ex = append(ex, fmt.Sprintf("%s (%s)", Hex(w, 40), label))
		}
	}
	if len(ex) > 0 {
		what += ": " + strings.Join(ex, " or ")
	}
	return what
}

// frameComplete reports whether data already is a correct frame.
func frameComplete(f *spec.Frame, data []byte) bool {
	_, ok := frames.Accept(f.FrameSpec(), data)
	return ok
}
