package batch

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
)

// Entry is one stored result.
type Entry struct {
	Student  string         `json:"student"`
	Exercise string         `json:"exercise"`
	Report   *result.Report `json:"report"`
}

// Collect reads every stored result under the given output folders (one
// batch, or the shards of one), sorted by student then exercise. A
// student graded in two folders keeps the last folder's result.
func Collect(outs ...string) ([]Entry, error) {
	byKey := map[string]Entry{}
	for _, out := range outs {
		root := ResultDir(out)
		students, err := os.ReadDir(root)
		if err != nil {
			return nil, fmt.Errorf("no results in %s: %w", out, err)
		}
		for _, s := range students {
			if !s.IsDir() {
				continue
			}
			files, err := filepath.Glob(filepath.Join(root, s.Name(), "*.json"))
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				// only results whose hash was written are complete
				if _, err := os.Stat(strings.TrimSuffix(f, ".json") + ".sha256"); err != nil {
					continue
				}
				rep, err := readReport(f)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
				ex := strings.TrimSuffix(filepath.Base(f), ".json")
				byKey[s.Name()+"\x00"+ex] = Entry{Student: s.Name(), Exercise: ex, Report: rep}
			}
		}
	}
	out := make([]Entry, 0, len(byKey))
	for _, e := range byKey {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Student != out[j].Student {
			return out[i].Student < out[j].Student
		}
		return out[i].Exercise < out[j].Exercise
	})
	return out, nil
}

// WriteGradebook writes the CSV: one row per student, one column per
// exercise (score), then the total and the maximum. It depends only on
// the results, so shards merged give the same bytes as one run.
func WriteGradebook(w io.Writer, entries []Entry) error {
	var students, exercises []string
	seenS, seenE := map[string]bool{}, map[string]bool{}
	score := map[string]*result.Report{}
	for _, e := range entries {
		if !seenS[e.Student] {
			seenS[e.Student] = true
			students = append(students, e.Student)
		}
		if !seenE[e.Exercise] {
			seenE[e.Exercise] = true
			exercises = append(exercises, e.Exercise)
		}
		score[e.Student+"\x00"+e.Exercise] = e.Report
	}
	sort.Strings(students)
	sort.Strings(exercises)
	cw := csv.NewWriter(w)
	_ = cw.Write(append(append([]string{"student"}, exercises...), "total", "max"))
	for _, s := range students {
		row := []string{s}
		total, maxTotal := 0, 0
		for _, ex := range exercises {
			r := score[s+"\x00"+ex]
			if r == nil {
				row = append(row, "")
				continue
			}
			row = append(row, strconv.Itoa(r.Score))
			total += r.Score
			maxTotal += r.MaxScore
		}
		row = append(row, strconv.Itoa(total), strconv.Itoa(maxTotal))
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// CheckRate is how a check fared across the class.
type CheckRate struct {
	Exercise string  `json:"exercise"`
	Scenario string  `json:"scenario"`
	Check    string  `json:"check"`
	Passed   int     `json:"passed"`
	Total    int     `json:"total"`
	Rate     float64 `json:"pass_rate"`
}

// PassRates lists every check that ran, with how many students passed it,
// the most failed first: the concepts the class missed.
func PassRates(entries []Entry) []CheckRate {
	idx := map[string]*CheckRate{}
	var order []string
	for _, e := range entries {
		for _, s := range e.Report.Scenarios {
			for _, c := range s.Checks {
				k := e.Exercise + "/" + s.ID + "/" + c.Name
				r := idx[k]
				if r == nil {
					r = &CheckRate{Exercise: e.Exercise, Scenario: s.ID, Check: c.Name}
					idx[k] = r
					order = append(order, k)
				}
				r.Total++
				if c.Passed {
					r.Passed++
				}
			}
		}
	}
	out := make([]CheckRate, 0, len(order))
	for _, k := range order {
		r := idx[k]
		r.Rate = float64(r.Passed) / float64(r.Total)
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rate != out[j].Rate {
			return out[i].Rate < out[j].Rate
		}
		a, b := out[i].Exercise+out[i].Scenario+out[i].Check, out[j].Exercise+out[j].Scenario+out[j].Check
		return a < b
	})
	return out
}

// WriteSummary prints the pass rates as a table a teacher reads.
func WriteSummary(w io.Writer, rates []CheckRate, limit int) {
	fmt.Fprintf(w, "%-6s %-9s %s\n", "passed", "students", "check (most failed first)")
	for i, r := range rates {
		if limit > 0 && i >= limit {
			fmt.Fprintf(w, "… %d more in summary.csv\n", len(rates)-limit)
			break
		}
		fmt.Fprintf(w, "%5.0f%% %4d/%-4d %s/%s/%s\n", 100*r.Rate, r.Passed, r.Total, r.Exercise, r.Scenario, r.Check)
	}
}

// WriteOutputs writes gradebook.csv, results.json, summary.csv and
// summary.txt into out from the entries.
func WriteOutputs(out string, entries []Entry) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	if err := WriteGradebook(&b, entries); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(out, "gradebook.csv"), []byte(b.String())); err != nil {
		return err
	}
	js, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(out, "results.json"), append(js, '\n')); err != nil {
		return err
	}
	rates := PassRates(entries)
	var cb strings.Builder
	cw := csv.NewWriter(&cb)
	_ = cw.Write([]string{"exercise", "scenario", "check", "passed", "total", "pass_rate"})
	for _, r := range rates {
		_ = cw.Write([]string{r.Exercise, r.Scenario, r.Check, strconv.Itoa(r.Passed), strconv.Itoa(r.Total), strconv.FormatFloat(r.Rate, 'f', 3, 64)})
	}
	cw.Flush()
	if err := writeAtomic(filepath.Join(out, "summary.csv"), []byte(cb.String())); err != nil {
		return err
	}
	var sb strings.Builder
	WriteSummary(&sb, rates, 0)
	return writeAtomic(filepath.Join(out, "summary.txt"), []byte(sb.String()))
}
