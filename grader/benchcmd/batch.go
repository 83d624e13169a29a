package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// batchTarget is the bound on batch wall time over the ideal.
const batchTarget = 1.15

// batchThroughput grades a class of identical compiled submissions with
// `grader batch --jobs NumCPU` and compares the wall time with the ideal:
// the CPU time the submissions themselves used (builds and runs, as the
// reports' cpu_ms give it) spread over every core.
func (b *bench) batchThroughput() {
	const students = 24
	fixture := filepath.Join(b.root, "fixtures", "submissions", "echo-tcp-client", "c")
	tmp, err := os.MkdirTemp("", "grader-bench-batch-")
	if err != nil {
		b.fail("batch throughput: %v", err)
		return
	}
	defer os.RemoveAll(tmp)
	class := filepath.Join(tmp, "class")
	if err := os.MkdirAll(class, 0o755); err != nil {
		b.fail("batch throughput: %v", err)
		return
	}
	for i := 0; i < students; i++ {
		if err := exec.Command("cp", "-r", fixture, filepath.Join(class, fmt.Sprintf("s%02d", i))).Run(); err != nil {
			b.fail("batch throughput: %v", err)
			return
		}
	}
	out := filepath.Join(tmp, "out")
	t0 := time.Now()
	if _, _, err := b.exec(5*time.Minute, "batch", "echo-tcp-client", "--submissions", class, "--out", out, "--jobs", strconv.Itoa(runtime.NumCPU())); err != nil {
		b.fail("batch throughput: %v", err)
		return
	}
	wall := time.Since(t0)
	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		b.fail("batch throughput: %v", err)
		return
	}
	var entries []struct {
		Report struct {
			Scenarios []struct {
				CPUMS int64 `json:"cpu_ms"`
			} `json:"scenarios"`
		} `json:"report"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		b.fail("batch throughput: %v", err)
		return
	}
	var cpu time.Duration
	for _, e := range entries {
		for _, s := range e.Report.Scenarios {
			cpu += time.Duration(s.CPUMS) * time.Millisecond
		}
	}
	ideal := cpu / time.Duration(runtime.NumCPU())
	b.printf("Batch throughput: %d copies of %s, --jobs %d\n", students, "echo-tcp-client/c", runtime.NumCPU())
	b.printf("  wall %v; the submissions' own CPU (builds and runs) %v; ideal = CPU / %d cores = %v\n", wall.Round(time.Millisecond), cpu, runtime.NumCPU(), ideal)
	if ideal <= 0 {
		b.summary = append(b.summary, "batch throughput: the submissions used no measurable CPU")
		return
	}
	ratio := float64(wall) / float64(ideal)
	verdict := "ok"
	if ratio > batchTarget {
		verdict = "over target"
	}
	b.printf("  ratio wall / ideal = %.2f× (target ≤ %.2f×)\n\n", ratio, batchTarget)
	b.summary = append(b.summary, fmt.Sprintf("batch throughput: %.2f× the ideal (target ≤ %.2f×) %s", ratio, batchTarget, verdict))
}

// fail reports a measurement that could not be made.
func (b *bench) fail(format string, args ...any) {
	b.printf("  "+format+"\n\n", args...)
	b.failed = true
}
