// Package check evaluates typed matchers against what a program printed or
// sent, and words the verdict so it teaches: what was seen (quoted, with
// control bytes made visible), what was expected, and the likely mistake.
package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote renders bytes as readable text between backticks: printable text
// as is, NUL as \0, other control bytes and invalid UTF-8 as \xNN, so
// terminal escapes a student prints can never reach the reader's terminal.
// At most max bytes are shown.
func Quote(b []byte, max int) string {
	return "`" + Escape(b, max) + "`"
}

// Escape is Quote without the backticks.
func Escape(b []byte, max int) string {
	var sb strings.Builder
	shown := b
	if max > 0 && len(b) > max {
		shown = b[:max]
	}
	for len(shown) > 0 {
		r, size := utf8.DecodeRune(shown)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, "\\x%02x", shown[0])
		case r == 0:
			sb.WriteString(`\0`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '`':
			sb.WriteString("\\`")
		case r == '\\':
			sb.WriteString(`\\`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || !unicode.IsPrint(r) && r != ' ':
			if r < 0x100 {
				fmt.Fprintf(&sb, "\\x%02x", r)
			} else {
				fmt.Fprintf(&sb, "\\u%04x", r)
			}
		default:
			sb.WriteRune(r)
		}
		shown = shown[size:]
	}
	if max > 0 && len(b) > max {
		fmt.Fprintf(&sb, "…(%d more bytes)", len(b)-max)
	}
	return sb.String()
}

// Describe is a quoted excerpt with its size: `bonjour\0` (8 bytes).
func Describe(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	unit := "bytes"
	if len(b) == 1 {
		unit = "byte"
	}
	if len(b) > 240 {
		// the end of a long output is often where the answer is
		return fmt.Sprintf("`%s…%s` (%d %s)", Escape(b[:160], 0), Escape(b[len(b)-60:], 0), len(b), unit)
	}
	return fmt.Sprintf("%s (%d %s)", Quote(b, 0), len(b), unit)
}

// Sanitize makes program output safe to print in a terminal report:
// newlines and tabs stay, every other control byte is escaped.
func Sanitize(b []byte, max int) string {
	var sb strings.Builder
	shown := b
	if max > 0 && len(b) > max {
		shown = b[:max]
	}
	for len(shown) > 0 {
		r, size := utf8.DecodeRune(shown)
		switch {
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, "\\x%02x", shown[0])
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&sb, "\\x%02x", r)
		case !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&sb, "\\u%04x", r)
		default:
			sb.WriteRune(r)
		}
		shown = shown[size:]
	}
	if max > 0 && len(b) > max {
		fmt.Fprintf(&sb, "\n…(%d more bytes)", len(b)-max)
	}
	return sb.String()
}
