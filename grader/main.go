//go:debug rsa1024min=0

// Command grader grades network-programming lab exercises: it starts
// reference servers or plays the reference client, runs a student's
// program against the exercise's scenarios and reports a score with
// feedback. See `grader --help`.
package main

import (
	"os"

	"github.com/netlab-grader/grader/grader/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
