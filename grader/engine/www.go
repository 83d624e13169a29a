package engine

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	grader "github.com/netlab-grader/grader"
)

// stageWww copies fixtures/www into the folder sub of dir before a
// student's file server starts (run.www), every file and folder dated
// wwwModTime like the reference server's pages: the grader knows each
// byte the server must send and the Last-Modified it should give, so
// conditional requests are reproducible. Nothing is done when sub is empty.
func stageWww(sub, dir string) error {
	if sub == "" {
		return nil
	}
	root := filepath.Join(dir, filepath.FromSlash(sub))
	var dirs []string
	err := fs.WalkDir(grader.Files, "fixtures/www", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("fixtures/www", filepath.FromSlash(p))
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			dirs = append(dirs, dst)
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(grader.Files, p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
		return os.Chtimes(dst, wwwModTime, wwwModTime)
	})
	// a folder's time changes as files land in it: date them last
	for i := len(dirs) - 1; err == nil && i >= 0; i-- {
		err = os.Chtimes(dirs[i], wwwModTime, wwwModTime)
	}
	if err != nil {
		return fmt.Errorf("could not copy the files to serve into %s: %w", sub, err)
	}
	return nil
}
