//go:build !linux

package main

import (
	"os/exec"
	"time"
)

// browserCmd leaves the command as it is: outside Linux, the browser is
// stopped by chromedp alone.
func browserCmd(*exec.Cmd) {}

// killBrowserGroup does nothing outside Linux.
func killBrowserGroup(int, time.Duration) error { return nil }
