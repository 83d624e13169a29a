// Package batch grades a class: every student's submission against every
// named exercise, in parallel, each isolated in its own folders and ports,
// writing each result as soon as it is known so an interrupted batch
// resumes where it stopped and never grades unchanged work twice. It
// writes the gradebook, the per-check pass rates that show what the class
// missed, and can grade a deterministic shard of the class for CI matrices
// and Kubernetes Indexed Jobs.
package batch

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Student is one entry of the submissions folder: a folder, a file or a
// .zip, named by the student id.
type Student struct {
	ID   string
	Path string // a folder or a file (a .zip is extracted to a folder)
}

// Limits on a zipped submission, so a zip bomb cannot fill the disk.
const (
	maxZipFiles = 2000
	maxZipBytes = 64 << 20
)

// Discover lists the students in dir, sorted by id. Zips are extracted
// under tmp; a zip that cannot be, within the limits, stays the student's
// submission as it is (graded as one the grader cannot run).
func Discover(dir, tmp string) ([]Student, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("could not read the submissions folder: %w", err)
	}
	var out []Student
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		switch {
		case e.IsDir():
			out = append(out, Student{ID: name, Path: p})
		case e.Type().IsRegular() && strings.EqualFold(filepath.Ext(name), ".zip"):
			id := strings.TrimSuffix(name, filepath.Ext(name))
			dst := filepath.Join(tmp, "zip-"+id)
			if err := unzip(p, dst); err != nil {
				// One student's bad zip (a zip bomb, a path out of the
				// folder) must not stop the class's grading: what was
				// extracted goes, and the zip itself is graded, which
				// fails as a submission the grader cannot run.
				_ = os.RemoveAll(dst)
				out = append(out, Student{ID: id, Path: p})
				continue
			}
			out = append(out, Student{ID: id, Path: unwrap(dst)})
		case e.Type().IsRegular():
			out = append(out, Student{ID: strings.TrimSuffix(name, filepath.Ext(name)), Path: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	for i := 1; i < len(out); i++ {
		if out[i].ID == out[i-1].ID {
			return nil, fmt.Errorf("two submissions for student %q (%s and %s)", out[i].ID, out[i-1].Path, out[i].Path)
		}
	}
	return out, nil
}

// unzip extracts a submission safely: no absolute or parent paths, no
// links, bounded size and count.
func unzip(src, dst string) error {
	r, err := zip.OpenReader(src)
	if err != nil {
		return fmt.Errorf("not a readable zip: %w", err)
	}
	defer r.Close()
	if len(r.File) > maxZipFiles {
		return fmt.Errorf("the zip holds %d files (at most %d)", len(r.File), maxZipFiles)
	}
	var total int64
	for _, f := range r.File {
		name := filepath.Clean(f.Name)
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("the zip entry %q points outside the submission", f.Name)
		}
		if f.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		p := filepath.Join(dst, name)
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		w, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			rc.Close()
			return err
		}
		n, err := io.Copy(w, io.LimitReader(rc, maxZipBytes-total+1))
		rc.Close()
		w.Close()
		if err != nil {
			return err
		}
		total += n
		if total > maxZipBytes {
			return fmt.Errorf("the zip expands to more than %d MiB", maxZipBytes>>20)
		}
	}
	return nil
}

// unwrap returns the single folder a zip was made of ("alice/..."), or
// dir itself.
func unwrap(dir string) string {
	ents, err := os.ReadDir(dir)
	if err == nil && len(ents) == 1 && ents[0].IsDir() {
		return filepath.Join(dir, ents[0].Name())
	}
	return dir
}

// SubmissionFor picks what to grade for one exercise of a batch: the
// student's <exercise>/ folder, else a file named <exercise>.*; when the
// student organised the work by exercise but has nothing for this one, ""
// (no submission); else the whole submission.
func SubmissionFor(s Student, exercise string, batch []string) string {
	info, err := os.Stat(s.Path)
	if err != nil || !info.IsDir() {
		return s.Path
	}
	// Links are not followed: a student's echo-tcp-client.py that points
	// at /etc/shadow, or an exercise folder that points at another
	// student's, would otherwise be copied and graded as theirs.
	find := func(ex string) string {
		if fi, err := os.Lstat(filepath.Join(s.Path, ex)); err == nil && fi.IsDir() {
			return filepath.Join(s.Path, ex)
		}
		if m, _ := filepath.Glob(filepath.Join(s.Path, ex+".*")); len(m) == 1 {
			if fi, err := os.Lstat(m[0]); err == nil && fi.Mode().IsRegular() {
				return m[0]
			}
		}
		return ""
	}
	if p := find(exercise); p != "" {
		return p
	}
	for _, other := range batch {
		if other != exercise && find(other) != "" {
			return ""
		}
	}
	return s.Path
}

// Hash fingerprints a submission's content (names and bytes of its
// regular files, links not followed) together with the exercise's spec,
// so a result is reused only when neither changed.
func Hash(path string, specBytes []byte) (string, error) {
	h := sha256.New()
	h.Write(specBytes)
	h.Write([]byte{0})
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", filepath.Base(path))
		if _, err := io.Copy(h, io.LimitReader(f, maxZipBytes)); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", rel)
		_, err = io.Copy(h, io.LimitReader(f, maxZipBytes))
		h.Write([]byte{0})
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
