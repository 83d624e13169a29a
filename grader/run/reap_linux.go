package run

import (
	"os"
	"os/signal"
	"syscall"
)

// reapAdopted runs for the life of the grader once it adopts orphans:
// every SIGCHLD, it reaps the zombies among its children that os/exec
// does not wait for (adopted daemons and the leftovers of killed groups),
// so none stays in the process table.
func reapAdopted() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGCHLD)
	go func() {
		for range ch {
			reapZombies()
		}
	}()
}

// reapZombies waits for every zombie child the grader did not start
// itself.
func reapZombies() {
	self := os.Getpid()
	table := snapshot()
	started.Lock()
	defer started.Unlock()
	for _, p := range table {
		if p.ppid == self && p.zombie && !started.pids[p.pid] {
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(p.pid, &ws, syscall.WNOHANG, nil)
		}
	}
}
