package check

import (
	"fmt"
	"strings"
)

// FirstDiff returns the first offset where a and b differ, or -1 when they
// are equal. When one is a prefix of the other it is the shorter length.
func FirstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) == len(b) {
		return -1
	}
	return n
}

// HexDiff shows expected and actual as hex rows of 16 bytes around the
// first difference, with a caret under it: the view a student needs for a
// binary frame.
func HexDiff(expected, actual []byte) string {
	off := FirstDiff(expected, actual)
	if off < 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "first difference at offset %d (0x%x)", off, off)
	switch {
	case off >= len(actual):
		fmt.Fprintf(&sb, ": %d byte(s) missing from there on", len(expected)-off)
	case off >= len(expected):
		fmt.Fprintf(&sb, ": %d extra byte(s) from there on", len(actual)-off)
	default:
		fmt.Fprintf(&sb, ": expected 0x%02x, got 0x%02x", expected[off], actual[off])
	}
	row := off / 16 * 16
	start := max(row-16, 0)
	end := row + 32
	fmt.Fprintf(&sb, "\n  expected %s", hexRows(expected, start, end))
	fmt.Fprintf(&sb, "\n  actual   %s", hexRows(actual, start, end))
	col := (off - start) * 3
	fmt.Fprintf(&sb, "\n           %s^^", strings.Repeat(" ", col+len(fmt.Sprintf("%04x  ", start))))
	return sb.String()
}

func hexRows(b []byte, start, end int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%04x  ", start)
	for i := start; i < end && i < len(b); i++ {
		fmt.Fprintf(&sb, "%02x ", b[i])
	}
	if start >= len(b) {
		sb.WriteString("(nothing)")
	}
	return strings.TrimRight(sb.String(), " ")
}

// Hex formats bytes as "62 6f 6e".
func Hex(b []byte, max int) string {
	var sb strings.Builder
	for i, c := range b {
		if max > 0 && i >= max {
			fmt.Fprintf(&sb, " …(%d more)", len(b)-max)
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}
