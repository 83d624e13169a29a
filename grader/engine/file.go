package engine

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// fileCheck compares a file the program wrote with a page of
// fixtures/www, and names the usual mistake of a download: the HTTP
// headers left at the start, or a cut one byte off.
func fileCheck(f *spec.FileExpect, dir string) result.Check {
	if f.Absent {
		return absentCheck(f, dir)
	}
	c := result.Check{Name: "file", Hint: f.Hint}
	want, err := grader.Files.ReadFile("fixtures/www/" + f.Www)
	if err != nil {
		c.Message = "the exercise names a page that does not exist: " + f.Www
		return c
	}
	c.Expected = fmt.Sprintf("%s, %d bytes, equal to /%s", f.Path, len(want), f.Www)
	got, err := os.ReadFile(filepath.Join(dir, f.Path))
	if err != nil {
		c.Actual = "no file"
		c.Message = fmt.Sprintf("your program did not write %s in its working folder", f.Path)
		return c
	}
	c.Actual = fmt.Sprintf("%d bytes", len(got))
	if bytes.Equal(got, want) {
		c.Passed = true
		return c
	}
	msg := fmt.Sprintf("%s holds %d bytes, expected the %d bytes of /%s", f.Path, len(got), len(want), f.Www)
	switch i := bytes.Index(got, want); {
	case bytes.HasPrefix(got, []byte("HTTP/")) && i > 0:
		msg += fmt.Sprintf(": the file starts with %s, the response's headers (%d bytes): strip everything up to and including the blank line (\\r\\n\\r\\n)", check.Quote(got[:min(len(got), 17)], 20), i)
	case bytes.HasPrefix(got, []byte("HTTP/")):
		msg += fmt.Sprintf(": the file starts with %s: strip the response's headers, up to and including the blank line (\\r\\n\\r\\n)", check.Quote(got[:min(len(got), 17)], 20))
	case i > 0:
		msg += fmt.Sprintf(": the page starts at offset %d, after %s", i, check.Describe(got[:i]))
	case len(got) > 0 && bytes.Index(want, got[:min(len(got), 64)]) > 0:
		msg += fmt.Sprintf(": the file misses the first %d byte(s) of the page (an off-by-one after \\r\\n\\r\\n?)", bytes.Index(want, got[:min(len(got), 64)]))
	default:
		msg += "\n" + check.HexDiff(want, got)
	}
	c.Message = msg
	return c
}
