package cli

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/sandbox"
)

// sandboxFlag registers --sandbox on a subcommand that runs submissions.
func sandboxFlag(fs *flag.FlagSet) *string {
	return fs.String("sandbox", "auto", "confine submissions: auto (on when running as root on Linux), on (fail if impossible), off")
}

// applySandbox decides --sandbox and fills the engine options: the
// launcher (this executable) and the folders programs must not see (the
// exercise folders, plus hide: fixtures, other submissions, outputs).
func (e *env) applySandbox(mode string, c *common, o *engine.Options, hide ...string) error {
	m, err := sandbox.ParseMode(mode)
	if err != nil {
		return usageErr("%v", err)
	}
	on, notice, err := sandbox.Resolve(m)
	if err != nil {
		return usageErr("%v", err)
	}
	if notice != "" {
		if o.Log != nil {
			o.Log.Info(notice)
		}
		return nil
	}
	if !on {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return usageErr("--sandbox: cannot find the grader's executable: %v", err)
	}
	o.Sandbox, o.Launcher = true, self
	dirs := append([]string(nil), c.exercises...)
	dirs = append(dirs, hide...)
	// Run from a checkout, the exercise and fixture folders are there too.
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, filepath.Join(wd, "exercises"), filepath.Join(wd, "fixtures"))
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if abs, err := filepath.Abs(d); err == nil {
			o.Hide = append(o.Hide, abs)
		}
	}
	return nil
}
