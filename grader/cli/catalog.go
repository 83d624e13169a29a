package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/netlab-grader/grader/grader/spec"
)

func (e *env) list(args []string) int {
	fs := newFlagSet(e, "list", "list [flags]", "  grader list\n  grader list --exercises private/\n")
	var c common
	c.register(fs)
	if _, err := e.parse(fs, args); err != nil {
		return flagExit(err)
	}
	cat, err := e.loadCatalog(&c)
	if err != nil {
		return e.fail(err)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "EXERCISE\tROLE\tPOINTS\tTITLE")
	for _, ex := range cat.All() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", ex.ID, ex.Role, points(ex), ex.Title)
	}
	_ = tw.Flush()
	return ExitPass
}

func points(ex *spec.Exercise) int {
	n := 0
	for _, s := range ex.Scenarios {
		n += s.Points
	}
	return n
}

func (e *env) show(args []string) int {
	fs := newFlagSet(e, "show", "show EXERCISE [flags]", "  grader show echo-tcp-server\n")
	var c common
	c.register(fs)
	pos, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "grader show: want one EXERCISE id (see `grader list`)")
		return ExitUsage
	}
	cat, err := e.loadCatalog(&c)
	if err != nil {
		return e.fail(err)
	}
	ex, err := cat.Get(pos[0])
	if err != nil {
		return e.fail(usageErr("%v", err))
	}
	fmt.Fprint(e.stdout, strings.TrimRight(ex.Statement, "\n")+"\n")
	return ExitPass
}
