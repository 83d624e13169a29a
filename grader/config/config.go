// Package config reads grader.yaml: how each language is built and run,
// the default timeouts and limits, and the port policy.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/netlab-grader/grader/grader/spec"
	"gopkg.in/yaml.v3"
)

// Config is the decoded grader.yaml.
type Config struct {
	Python   string   `yaml:"python"`
	Runners  []Runner `yaml:"runners"`
	Timeouts Timeouts `yaml:"timeouts"`
	Limits   Limits   `yaml:"limits"`
	// Ports is "seed" (reference servers take the lab sheets' ports) or
	// "free" (any free port).
	Ports string `yaml:"ports"`
}

// Runner says how to build and run one language.
type Runner struct {
	Name  string            `yaml:"name"`
	Ext   []string          `yaml:"ext"`
	Build []string          `yaml:"build"`
	Run   []string          `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

// Timeouts are defaults an exercise may override.
type Timeouts struct {
	Build    spec.Duration `yaml:"build"`
	Scenario spec.Duration `yaml:"scenario"`
	Ready    spec.Duration `yaml:"ready"`
	Grace    spec.Duration `yaml:"grace"`
}

// Limits bound what a submission may produce.
type Limits struct {
	Output Size `yaml:"output"`
}

// Size is a byte count written as 1MiB, 512KiB or 4096.
type Size int64

// UnmarshalYAML parses sizes with KiB/MiB/GiB (or KB/MB/GB) suffixes.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*s = Size(v)
	return nil
}

// ParseSize reads "1MiB", "64KiB", "1000".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if strings.HasSuffix(t, u.suf) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suf)), u.m
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("cannot use %q as a size (want e.g. \"1MiB\", \"64KiB\", \"4096\")", s)
	}
	return v * mult, nil
}

// Parse decodes grader.yaml strictly; file names the source in errors.
func Parse(file string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if c.Ports == "" {
		c.Ports = "seed"
	}
	if c.Ports != "seed" && c.Ports != "free" {
		return nil, fmt.Errorf("%s: ports: got %q, want one of: seed, free", file, c.Ports)
	}
	if c.Python == "" || c.Python == "auto" {
		c.Python = autoPython()
	}
	for i, r := range c.Runners {
		if r.Name == "" || len(r.Ext) == 0 || len(r.Run) == 0 {
			return nil, fmt.Errorf("%s: runners[%d]: a runner needs name, ext and run", file, i)
		}
	}
	if c.Limits.Output <= 0 {
		c.Limits.Output = 1 << 20
	}
	return &c, nil
}

// autoPython prefers the system interpreter, which is where Debian's
// python3-crcmod, -pycryptodome and -rsa install and which starts fast;
// a python3 earlier on PATH may be a version-manager shim without them.
func autoPython() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// Load reads the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read configuration: %w", err)
	}
	return Parse(path, data)
}

// RunnerFor returns the runner for a file extension (with its dot).
func (c *Config) RunnerFor(ext string) (Runner, bool) {
	for _, r := range c.Runners {
		for _, e := range r.Ext {
			if strings.EqualFold(e, ext) {
				return r, true
			}
		}
	}
	return Runner{}, false
}

// Extensions lists every extension a runner handles, for error messages.
func (c *Config) Extensions() []string {
	var out []string
	for _, r := range c.Runners {
		out = append(out, r.Ext...)
	}
	return out
}

// Timeout values with built-in fallbacks.
func (c *Config) BuildTimeout() time.Duration { return c.Timeouts.Build.Std(60 * time.Second) }

// ScenarioTimeout is the default run timeout.
func (c *Config) ScenarioTimeout() time.Duration { return c.Timeouts.Scenario.Std(5 * time.Second) }

// ReadyTimeout bounds how long a server may take to listen.
func (c *Config) ReadyTimeout() time.Duration { return c.Timeouts.Ready.Std(5 * time.Second) }

// GraceTimeout is how long a server may take to finish after the steps.
func (c *Config) GraceTimeout() time.Duration { return c.Timeouts.Grace.Std(time.Second) }
