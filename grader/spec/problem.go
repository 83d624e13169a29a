package spec

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong in a spec file, located precisely enough for
// an editor to jump to it.
type Problem struct {
	File  string
	Line  int
	Col   int
	Field string
	Msg   string
}

// Error formats the problem as file:line:col: field: message.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, max(p.Col, 1))
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one or more files; it is an error so
// a loader can return all of them at once.
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}
