// Package grader bundles the default configuration and the exercises into
// the binary, so an installed grader works from any directory.
package grader

import "embed"

// Files holds grader.yaml, exercises/*/{exercise.yaml,README.md} and
// fixtures/www, the pages the reference HTTP server serves.
//
//go:embed grader.yaml exercises/*/exercise.yaml exercises/*/README.md fixtures/www
var Files embed.FS
