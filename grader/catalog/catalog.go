// Package catalog assembles the exercises a grader knows: those built into
// the binary, then any --exercises folders, which add to or override them
// (a teacher's private set with hidden scenarios).
package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/netlab-grader/grader/grader/spec"
)

// Catalog is the set of loaded exercises by id.
type Catalog struct {
	byID map[string]*spec.Exercise
	// Origin says where each exercise came from ("built-in" or a folder).
	Origin map[string]string
}

// Load reads the built-in exercises from fsys (under root) and then each
// folder in dirs. Spec problems in any file are returned together.
func Load(fsys fs.FS, root string, dirs []string) (*Catalog, error) {
	c := &Catalog{byID: map[string]*spec.Exercise{}, Origin: map[string]string{}}
	var probs spec.Problems
	add := func(exs []*spec.Exercise, err error, origin string) error {
		var ps spec.Problems
		if errors.As(err, &ps) {
			probs = append(probs, ps...)
		} else if err != nil {
			return err
		}
		for _, ex := range exs {
			c.byID[ex.ID] = ex
			c.Origin[ex.ID] = origin
		}
		return nil
	}
	if fsys != nil {
		exs, err := spec.LoadFS(fsys, root)
		if err := add(exs, err, "built-in"); err != nil {
			return nil, err
		}
	}
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("exercises folder %q: %w", d, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("exercises folder %q is not a folder", d)
		}
		exs, err := spec.LoadFS(os.DirFS(d), ".")
		for _, ex := range exs {
			ex.File = strings.TrimSuffix(d, "/") + "/" + ex.File
			ex.Dir = strings.TrimSuffix(d, "/") + "/" + ex.Dir
		}
		if ps := (spec.Problems{}); errors.As(err, &ps) {
			for i := range ps {
				ps[i].File = strings.TrimSuffix(d, "/") + "/" + ps[i].File
			}
			err = ps
		}
		if err := add(exs, err, d); err != nil {
			return nil, err
		}
	}
	if len(probs) > 0 {
		return c, probs
	}
	return c, nil
}

// LoadOne loads only exercise id, from the last of dirs that has it or
// else from fsys: grading one submission need not parse every exercise.
// When no source has it, it falls back to Load so the error can suggest
// close ids.
func LoadOne(fsys fs.FS, root string, dirs []string, id string) (*spec.Exercise, error) {
	if idRE().MatchString(id) {
		for i := len(dirs) - 1; i >= 0; i-- {
			d := strings.TrimSuffix(dirs[i], "/")
			if _, err := os.Stat(d + "/" + id + "/exercise.yaml"); err == nil {
				ex, err := loadFrom(os.DirFS(d), ".", id)
				if ex != nil {
					ex.File, ex.Dir = d+"/"+ex.File, d+"/"+ex.Dir
				}
				return ex, prefix(err, d)
			}
		}
		if fsys != nil {
			if _, err := fs.Stat(fsys, root+"/"+id+"/exercise.yaml"); err == nil {
				return loadFrom(fsys, root, id)
			}
		}
	}
	c, err := Load(fsys, root, dirs)
	if c == nil {
		return nil, err
	}
	return c.Get(id)
}

var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })

// loadFrom parses root/id/exercise.yaml and its README.md.
func loadFrom(fsys fs.FS, root, id string) (*spec.Exercise, error) {
	file := path.Join(root, id, "exercise.yaml")
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", file, err)
	}
	ex, err := spec.Parse(file, data)
	if err != nil {
		return nil, err
	}
	if ex.ID != id {
		return nil, spec.Problems{{File: file, Line: 1, Col: 1, Field: "id", Msg: fmt.Sprintf("must match the folder name (got %q, want %q)", ex.ID, id)}}
	}
	readme, err := fs.ReadFile(fsys, path.Join(root, id, "README.md"))
	if err != nil {
		return nil, spec.Problems{{File: path.Join(root, id, "README.md"), Msg: "missing: every exercise needs a statement for students"}}
	}
	ex.Statement = string(readme)
	return ex, nil
}

func prefix(err error, d string) error {
	var ps spec.Problems
	if errors.As(err, &ps) {
		for i := range ps {
			ps[i].File = d + "/" + ps[i].File
		}
		return ps
	}
	return err
}

// Get returns the exercise with id, or an error that suggests close ids.
func (c *Catalog) Get(id string) (*spec.Exercise, error) {
	if ex, ok := c.byID[id]; ok {
		return ex, nil
	}
	var near []string
	for k := range c.byID {
		if strings.Contains(k, id) || strings.Contains(id, k) || distance(k, id) <= 3 {
			near = append(near, k)
		}
	}
	sort.Strings(near)
	msg := fmt.Sprintf("no exercise %q", id)
	if len(near) > 0 {
		msg += " (did you mean " + strings.Join(near, ", ") + "?)"
	}
	return nil, errors.New(msg + "; `grader list` shows them all")
}

// All returns the exercises sorted by id.
func (c *Catalog) All() []*spec.Exercise {
	out := make([]*spec.Exercise, 0, len(c.byID))
	for _, ex := range c.byID {
		out = append(out, ex)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// distance is the Levenshtein distance, for suggestions.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
