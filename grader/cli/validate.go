package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netlab-grader/grader/grader/catalog"
	"github.com/netlab-grader/grader/grader/spec"
)

const validateExamples = `  grader validate                      # the built-in exercises
  grader validate exercises/           # a folder of <id>/exercise.yaml
  grader validate exercises/http-get/exercise.yaml
`

func (e *env) validate(args []string) int {
	fs := newFlagSet(e, "validate", "validate [PATH...]", validateExamples)
	pos, err := e.parse(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) == 0 {
		cat, err := e.loadCatalog(&common{})
		if err != nil {
			return e.fail(err)
		}
		fmt.Fprintf(e.stdout, "%d built-in exercises are valid\n", len(cat.All()))
		return ExitPass
	}
	var probs spec.Problems
	n := 0
	for _, p := range pos {
		info, err := os.Stat(p)
		if err != nil {
			return e.fail(usageErr("%s: %v", p, err))
		}
		if info.IsDir() {
			if _, err := os.Stat(filepath.Join(p, "exercise.yaml")); err == nil {
				// a single exercise folder
				cat, err := catalog.Load(nil, "", []string{filepath.Dir(filepath.Clean(p))})
				if collect(&probs, err) != nil {
					return e.fail(err)
				}
				if cat != nil {
					n++
				}
				continue
			}
			cat, err := catalog.Load(nil, "", []string{p})
			if collect(&probs, err) != nil {
				return e.fail(err)
			}
			if cat != nil {
				n += len(cat.All())
			}
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return e.fail(usageErr("%v", err))
		}
		_, err = spec.Parse(p, data)
		if collect(&probs, err) != nil {
			return e.fail(err)
		}
		n++
	}
	if len(probs) > 0 {
		return e.fail(probs)
	}
	fmt.Fprintf(e.stdout, "ok: %d exercise file(s) valid\n", n)
	return ExitPass
}

// collect appends spec problems to probs and returns any other error.
func collect(probs *spec.Problems, err error) error {
	var ps spec.Problems
	if errors.As(err, &ps) {
		*probs = append(*probs, ps...)
		return nil
	}
	return err
}
