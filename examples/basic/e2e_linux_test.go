//go:build linux

package main

import (
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// browserCmd starts the browser in a process group of its own, which its
// helper processes (zygotes, renderers, GPU and network services) join,
// and has the kernel kill it if the test process dies.
func browserCmd(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killBrowserGroup kills whatever is left of the process group of the
// browser whose process id is pid, and waits until it is empty or timeout
// has passed.
func killBrowserGroup(pid int, timeout time.Duration) error {
	if pid <= 0 {
		return nil
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Kill(-pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return nil // no process left in the group
		}
		if err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes of group %d still exist after %v", pid, timeout)
		}
		time.Sleep(20 * time.Millisecond) // polling: there is no event to wait for
	}
}
