package check

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// Subject words who produced the bytes in messages: "your server sent",
// "your program printed".
type Subject string

// Normalize applies the matcher's tolerances: NUL bytes dropped, white
// space trimmed, case folded.
func Normalize(m *spec.Match, b []byte) []byte {
	if m.IgnoreNUL {
		b = bytes.ReplaceAll(b, []byte{0}, nil)
	}
	if m.Trim {
		b = bytes.TrimSpace(b)
	}
	if m.IgnoreCase {
		b = asciiLower(b)
	}
	return b
}

// asciiLower folds A-Z only: Unicode folding would turn every invalid
// UTF-8 byte into U+FFFD and make different binary frames equal.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// Want returns the normalized bytes an equals/hex matcher expects, or nil.
func Want(m *spec.Match) []byte {
	var w []byte
	switch {
	case m.Equals != nil:
		w = []byte(*m.Equals)
	case m.Hex != "":
		w, _ = spec.DecodeHex(m.Hex)
	default:
		return nil
	}
	return Normalize(m, w)
}

// Complete reports whether data already satisfies the positive
// conditions, so a reader can stop waiting; Hopeless reports that more
// data can never make an equals matcher pass.
func Complete(m *spec.Match, data []byte) bool {
	n := Normalize(m, data)
	if w := Want(m); w != nil && !bytes.Equal(n, w) {
		return false
	}
	if m.Frame != nil && !frameComplete(m.Frame, data) {
		return false
	}
	if m.Fernet != nil {
		if ok, _, _ := fernetCheck(m.Fernet, data); !ok {
			return false
		}
	}
	if m.WS != nil {
		if _, ok := parseWS(data); !ok {
			return false
		}
	}
	if m.Upgrade != nil && upgradeLen(data) < 0 {
		return false
	}
	if m.HTTP != nil {
		if _, done := HTTPDone(m.HTTP, data); !done {
			return false
		}
	}
	if m.Closed {
		return false // only the end of the connection completes it
	}
	if m.Contains != nil && !bytes.Contains(n, Normalize(m, []byte(*m.Contains))) {
		return false
	}
	if m.Matches != "" {
		re, err := compile(m, m.Matches)
		if err != nil || !re.Match(n) {
			return false
		}
	}
	return m.NotContains == nil && m.NotMatches == ""
}

// Hopeless reports that no further bytes can make data pass an equals
// matcher: what arrived already differs from the expected text.
func Hopeless(m *spec.Match, data []byte) bool {
	w := Want(m)
	if w == nil {
		return false
	}
	n := Normalize(m, data)
	if m.Trim {
		// trailing space may still be trimmed later; compare what is settled
		n = bytes.TrimRight(n, " \t\r\n")
	}
	return !bytes.HasPrefix(w, n)
}

func compile(m *spec.Match, expr string) (*regexp.Regexp, error) {
	if m.IgnoreCase && !strings.HasPrefix(expr, "(?i)") {
		expr = "(?i)" + expr
	}
	return regexp.Compile(expr)
}

// Match evaluates m against data and returns the check, named id. who
// says who produced the data ("your server sent").
func Match(id string, m *spec.Match, data []byte, who Subject) result.Check {
	c := result.Check{Name: id, Passed: true, Hint: m.Hint}
	n := Normalize(m, data)
	var fails []string
	var expected []string
	if w := Want(m); w != nil {
		expected = append(expected, Quote(w, 200))
		if !bytes.Equal(n, w) {
			fails = append(fails, fmt.Sprintf("%s %s, expected %s%s", who, Describe(data), Quote(w, 200), explainEquals(m, w, n, data)))
		}
	}
	if m.Frame != nil {
		ok, exp, msg := frameCheck(m.Frame, data, who)
		expected = append(expected, exp)
		if !ok {
			fails = append(fails, msg)
		}
	}
	if m.WS != nil {
		ok, exp, msg := wsCheck(m.WS, data)
		expected = append(expected, exp)
		if !ok {
			fails = append(fails, msg)
		}
	}
	if m.Upgrade != nil {
		ok, exp, msg := upgradeCheck(m.Upgrade, data)
		expected = append(expected, exp)
		if !ok {
			fails = append(fails, msg)
		}
	}
	if m.HTTP != nil {
		ok, exp, msg := httpCheck(m.HTTP, data)
		expected = append(expected, exp)
		if !ok {
			fails = append(fails, msg)
		}
	}
	if m.Fernet != nil {
		ok, exp, msg := fernetCheck(m.Fernet, data)
		expected = append(expected, exp)
		if !ok {
			fails = append(fails, msg)
		}
	}
	if m.Contains != nil {
		w := Normalize(m, []byte(*m.Contains))
		expected = append(expected, "contains "+Quote(w, 200))
		if !bytes.Contains(n, w) {
			fails = append(fails, fmt.Sprintf("%s %s, which does not contain %s%s", who, Describe(data), Quote(w, 200), explainContains(m, w, data)))
		}
	}
	if m.NotContains != nil {
		w := Normalize(m, []byte(*m.NotContains))
		expected = append(expected, "does not contain "+Quote(w, 200))
		if i := bytes.Index(n, w); i >= 0 {
			fails = append(fails, fmt.Sprintf("%s %s, which contains %s", who, Describe(data), Quote(w, 200)))
		}
	}
	for _, f := range []struct {
		expr string
		neg  bool
	}{{m.Matches, false}, {m.NotMatches, true}} {
		if f.expr == "" {
			continue
		}
		re, err := compile(m, f.expr)
		if err != nil {
			fails = append(fails, "the exercise's regular expression is invalid: "+err.Error())
			continue
		}
		if f.neg {
			expected = append(expected, "does not match /"+f.expr+"/")
			if loc := re.FindIndex(n); loc != nil {
				fails = append(fails, fmt.Sprintf("%s %s, where %s should not appear", who, Describe(data), Quote(n[loc[0]:loc[1]], 80)))
			}
		} else {
			expected = append(expected, "matches /"+f.expr+"/")
			if !re.Match(n) {
				fails = append(fails, fmt.Sprintf("%s %s, which does not match /%s/", who, Describe(data), f.expr))
			}
		}
	}
	c.Expected = strings.Join(expected, "; ")
	c.Actual = Describe(data)
	if len(fails) > 0 {
		c.Passed = false
		c.Message = strings.Join(fails, "; ")
		if m.Message != "" {
			c.Message = m.Message + ": " + c.Message
		}
	}
	return c
}

// explainEquals names the usual ways a reply is almost right.
func explainEquals(m *spec.Match, w, n, raw []byte) string {
	switch {
	case len(raw) == 0:
		return ""
	case bytes.HasPrefix(w, n):
		return fmt.Sprintf(": it stops after %d bytes, %s is missing", len(n), Quote(w[len(n):], 60))
	case bytes.HasPrefix(n, w):
		return fmt.Sprintf(": %d extra bytes after the expected text: %s", len(n)-len(w), Quote(n[len(w):], 60))
	case bytes.Equal(asciiLower(n), asciiLower(w)):
		return ": only the upper/lower case differs"
	case bytes.Equal(bytes.TrimSpace(n), bytes.TrimSpace(w)):
		return ": only leading or trailing white space differs"
	case !m.IgnoreNUL && bytes.Equal(bytes.ReplaceAll(n, []byte{0}, nil), bytes.ReplaceAll(w, []byte{0}, nil)):
		return ": only NUL bytes (\\0) differ"
	}
	if d := FirstDiff(w, n); d >= 0 && (m.Hex != "" || !isText(w) || !isText(n)) {
		return "\n" + HexDiff(w, n)
	}
	if d := FirstDiff(w, n); d > 0 {
		return fmt.Sprintf(": the first %d bytes match, then %s instead of %s", d, Quote(n[d:min(len(n), d+20)], 20), Quote(w[d:min(len(w), d+20)], 20))
	}
	return ""
}

func explainContains(m *spec.Match, w, raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	if bytes.Contains(asciiLower(raw), asciiLower(w)) && !m.IgnoreCase {
		return ": it is there with a different upper/lower case"
	}
	return ""
}

// isText reports whether b reads as text: valid UTF-8 without control
// bytes other than line breaks and tabs.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
