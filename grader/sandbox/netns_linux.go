package sandbox

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Available reports why the sandbox cannot be used here, or nil. It needs
// root (namespaces, mounts, changing uid); a trial unshare says whether
// the kernel allows them (a container may not).
func Available() error {
	if os.Geteuid() != 0 {
		return errors.New("needs root (namespaces and an unprivileged uid for the programs)")
	}
	ns, err := NewNetNS()
	if err != nil {
		return err
	}
	ns.Close()
	return nil
}

// NetNS is a network namespace held by one OS thread. Sockets created on
// that thread (listeners, dials) and processes started from it live in
// the namespace; Do runs a function there.
type NetNS struct {
	calls chan func()
	done  chan struct{}
}

// NewNetNS creates a network namespace with loopback up.
func NewNetNS() (*NetNS, error) {
	ns := &NetNS{calls: make(chan func()), done: make(chan struct{})}
	errc := make(chan error, 1)
	var hold func()
	hold = func() {
		runtime.LockOSThread()
		if syscall.Gettid() == os.Getpid() {
			// The main thread will not do: /proc/PID/net shows its
			// network, so the grader would see this namespace's network
			// as its own. Try again on another thread.
			runtime.UnlockOSThread()
			go hold()
			return
		}
		defer close(ns.done)
		// The thread goes back to the grader's network when the
		// namespace closes, and back to the runtime's pool: a thread
		// that ended would send its parent-death signal to every process
		// started from it, and before this goroutine locked it the
		// thread may have started another submission's compiler.
		home, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("could not open the grader's network namespace: %w", err)
			return
		}
		defer home.Close()
		leave := func() {
			// Should going home fail, the thread stays locked and ends
			// with this goroutine rather than serve the grader from the
			// wrong network.
			if unix.Setns(int(home.Fd()), unix.CLONE_NEWNET) == nil {
				runtime.UnlockOSThread()
			}
		}
		if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("could not create a network namespace: %w", err)
			return
		}
		if err := loopbackUp(); err != nil {
			leave()
			errc <- fmt.Errorf("could not bring loopback up in the network namespace: %w", err)
			return
		}
		errc <- nil
		for f := range ns.calls {
			f()
		}
		leave()
	}
	go hold()
	if err := <-errc; err != nil {
		<-ns.done
		return nil, err
	}
	return ns, nil
}

// Do runs f on the namespace's thread and waits for it. Goroutines f
// starts run elsewhere: only what f does itself is in the namespace.
func (ns *NetNS) Do(f func()) {
	finished := make(chan struct{})
	ns.calls <- func() {
		defer close(finished)
		f()
	}
	<-finished
}

// Close ends the thread; the namespace goes when its last socket and
// process have.
func (ns *NetNS) Close() {
	close(ns.calls)
	<-ns.done
}

// loopbackUp sets IFF_UP on lo with the SIOCSIFFLAGS ioctl.
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var req struct {
		name  [syscall.IFNAMSIZ]byte
		flags uint16
		_     [22]byte
	}
	copy(req.name[:], "lo")
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&req))); errno != 0 {
		return errno
	}
	req.flags |= syscall.IFF_UP | syscall.IFF_RUNNING
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&req))); errno != 0 {
		return errno
	}
	return nil
}
