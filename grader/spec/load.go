package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Parse decodes and validates one exercise file. file is used in messages
// only. On failure the error is a Problems listing everything found.
func Parse(file string, data []byte) (*Exercise, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{syntaxProblem(file, data, err)}
	}
	if len(root.Content) == 0 {
		return nil, Problems{{File: file, Msg: "the file is empty (want an exercise: id, role, scenarios)"}}
	}
	var ex Exercise
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var probs Problems
	if err := dec.Decode(&ex); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, Problems{{File: file, Msg: err.Error()}}
		}
		for _, msg := range te.Errors {
			probs = append(probs, typeProblem(file, &root, msg))
		}
	}
	ex.File = file
	ex.Dir = path.Dir(file)
	// After a duplicate key yaml.v3 stops decoding: validating the half
	// decoded exercise would only invent "missing" fields.
	if !slices.ContainsFunc(probs, func(p Problem) bool { return strings.HasPrefix(p.Msg, "duplicate key") }) {
		probs = append(probs, validate(&ex, &root)...)
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool {
			if probs[i].Line != probs[j].Line {
				return probs[i].Line < probs[j].Line
			}
			return probs[i].Col < probs[j].Col
		})
		return nil, probs
	}
	return &ex, nil
}

var lineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`) })

// readerErrRE matches yaml.v3's errors about a character it cannot read.
var readerErrRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`UTF-8|UTF-16|Unicode|surrogate|control characters`) })

// syntaxProblem turns a YAML syntax error into a Problem. yaml.v3 counts
// lines from 0 and prints no line for the first one, nor for a character
// it cannot read (of which it knows only the offset): those are located
// here, so that every syntax problem points at a line.
func syntaxProblem(file string, data []byte, err error) Problem {
	m := lineRE().FindStringSubmatch(err.Error())
	if m == nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		p := Problem{File: file, Line: 1, Col: 1, Msg: "invalid YAML: " + msg}
		if readerErrRE().MatchString(msg) {
			p.Line, p.Col = badChar(data)
		}
		return p
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	return Problem{File: file, Line: line, Col: col, Msg: "invalid YAML: " + m[3]}
}

// badChar is the line and column (in characters, from 1) of the first
// byte of data that is not UTF-8 or not a character YAML allows (YAML
// 1.2 5.1), or 1, 1 when there is none (a UTF-16 file).
func badChar(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return line, col
		case r == '\t' || r == '\r' || r == 0x85:
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 || 0xd800 <= r && r < 0xe000 || r == 0xfffe || r == 0xffff:
			return line, col
		}
		i += n
		col++
	}
	return 1, 1
}

var (
	unknownRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^field (\S+) not found in type (\S+)$`) })
	unmarshalRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$") })
	alreadyRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`) })
)

// types maps the Go type names yaml.v3 prints to the types, so an unknown
// field can be answered with the fields that are allowed.
var types = map[string]reflect.Type{}

func init() {
	for _, v := range []any{Exercise{}, Run{}, Server{}, Scenario{}, Network{}, Step{}, Payload{}, Match{}, Expect{}, Frame{}, Peer{}, StopWhen{}, FernetMatch{}, WSFrame{}, Upgrade{}, WSClientExpect{}, Browser{}, RequestMatch{}, FileExpect{}, Redirect{}, CacheRule{}} {
		t := reflect.TypeOf(v)
		types[t.String()] = t
	}
}

func fieldsOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func typeProblem(file string, root *yaml.Node, msg string) Problem {
	m := lineRE().FindStringSubmatch(msg)
	if m == nil {
		return Problem{File: file, Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	text := m[3]
	p := Problem{File: file, Line: line, Col: 1, Msg: text}
	if u := unknownRE().FindStringSubmatch(text); u != nil {
		p.Field = u[1]
		p.Msg = fmt.Sprintf("unknown field (got %q)", u[1])
		if t, ok := types[u[2]]; ok {
			p.Msg += ", want one of: " + strings.Join(fieldsOf(t), ", ")
		}
		if k := findKey(root, line, u[1]); k != nil {
			p.Col = k.Column
		}
		return p
	}
	if u := unmarshalRE().FindStringSubmatch(text); u != nil {
		val, key := findScalar(root, line, u[2])
		if u[2] == "" {
			val, key = findCollection(root, line)
		}
		if val != nil {
			p.Col = val.Column
		}
		p.Field = key
		got := u[2]
		if got == "" {
			got = strings.TrimPrefix(u[1], "!!")
		}
		p.Msg = fmt.Sprintf("wrong type (got %q, want %s)", got, friendlyType(u[3]))
		return p
	}
	if u := alreadyRE().FindStringSubmatch(text); u != nil {
		p.Field = u[1]
		p.Msg = fmt.Sprintf("duplicate key (first at line %s)", u[2])
		if k := findKey(root, line, u[1]); k != nil {
			p.Col = k.Column
		}
		return p
	}
	// our own UnmarshalYAML errors ("cannot use ... as a duration")
	if val, key := findScalar(root, line, ""); val != nil {
		p.Col, p.Field = val.Column, key
	}
	return p
}

func friendlyType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "spec."):
		return "a mapping (" + strings.ToLower(strings.TrimPrefix(t, "spec.")) + ")"
	case t == "int":
		return "an integer"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	}
	return t
}

// LoadFS loads every <dir>/exercise.yaml under root in fsys, with the
// README.md beside it as the statement. Problems in all files are
// collected and returned together.
func LoadFS(fsys fs.FS, root string) ([]*Exercise, error) {
	var out []*Exercise
	var probs Problems
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("could not read exercises from %s: %w", root, err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		file := path.Join(root, e.Name(), "exercise.yaml")
		data, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("could not read %s: %w", file, err)
		}
		ex, err := Parse(file, data)
		var ps Problems
		if errors.As(err, &ps) {
			probs = append(probs, ps...)
			continue
		} else if err != nil {
			return nil, err
		}
		if ex.ID != e.Name() {
			probs = append(probs, Problem{File: file, Line: 1, Col: 1, Field: "id", Msg: fmt.Sprintf("must match the folder name (got %q, want %q)", ex.ID, e.Name())})
			continue
		}
		if readme, err := fs.ReadFile(fsys, path.Join(root, e.Name(), "README.md")); err == nil {
			ex.Statement = string(readme)
		} else {
			probs = append(probs, Problem{File: path.Join(root, e.Name(), "README.md"), Msg: "missing: every exercise needs a statement for students"})
			continue
		}
		out = append(out, ex)
	}
	if len(probs) > 0 {
		return out, probs
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
