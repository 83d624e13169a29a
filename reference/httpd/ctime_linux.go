package httpd

import (
	"syscall"
	"time"
)

// changeTime is a file's status change time: a file replaced in place
// with the same size and modification time still gets a new one.
func changeTime(st *syscall.Stat_t) time.Time { return time.Unix(st.Ctim.Sec, st.Ctim.Nsec) }
