// Package grader bundles the default configuration and the exercises into
// the binary, so an installed grader works from any directory.
package grader

import "embed"

// Files holds grader.yaml and exercises/*/{exercise.yaml,README.md}.
//
//go:embed grader.yaml exercises/*/exercise.yaml exercises/*/README.md
var Files embed.FS
