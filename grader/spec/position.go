package spec

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// path addresses a node in the YAML tree: string keys and int indices.
type fieldPath []any

func (p fieldPath) String() string {
	var b strings.Builder
	for _, e := range p {
		switch v := e.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		case int:
			b.WriteString("[" + strconv.Itoa(v) + "]")
		}
	}
	return b.String()
}

func (p fieldPath) with(e ...any) fieldPath {
	out := make(fieldPath, 0, len(p)+len(e))
	return append(append(out, p...), e...)
}

// locate returns the node at p, or the deepest ancestor that exists, so a
// missing field is reported where it should have been.
func locate(root *yaml.Node, p fieldPath) *yaml.Node {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, e := range p {
		if n == nil {
			return nil
		}
		switch v := e.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return n
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == v {
					next = n.Content[i+1]
					if next.Kind == yaml.ScalarNode || next.Kind == yaml.AliasNode {
						// point at the value of a scalar field
						return valueOrKey(n.Content[i], next, p, e)
					}
				}
			}
			if next == nil {
				return n
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || v >= len(n.Content) {
				return n
			}
			n = n.Content[v]
		}
	}
	return n
}

func valueOrKey(key, val *yaml.Node, p fieldPath, last any) *yaml.Node {
	if p[len(p)-1] == last {
		return val
	}
	return key
}

// findScalar finds the first scalar on line whose value is v, and the key
// it sits under, for turning yaml.v3's "line N: cannot unmarshal" into a
// column and a field name.
func findScalar(n *yaml.Node, line int, v string) (val *yaml.Node, key string) {
	if n == nil {
		return nil, ""
	}
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			if r, k := findScalar(c, line, v); r != nil {
				return r, k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if c.Line == line && (v == "" || c.Value == v) && c.Kind != yaml.MappingNode {
				return c, k.Value
			}
			if r, kk := findScalar(c, line, v); r != nil {
				return r, kk
			}
		}
	}
	return nil, ""
}

// findCollection finds a mapping or sequence value starting on line and
// the key it sits under, for "cannot unmarshal !!map into string".
func findCollection(n *yaml.Node, line int) (val *yaml.Node, key string) {
	if n == nil {
		return nil, ""
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, c := n.Content[i], n.Content[i+1]
			if c.Line == line && (c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode) {
				return c, k.Value
			}
		}
	}
	for _, c := range n.Content {
		if r, k := findCollection(c, line); r != nil {
			return r, k
		}
	}
	return nil, ""
}

// findKey finds a mapping key named k on line.
func findKey(n *yaml.Node, line int, k string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Line == line && n.Content[i].Value == k {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if r := findKey(c, line, k); r != nil {
			return r
		}
	}
	return nil
}
