//go:build !windows

package main

import (
	"os"
	"syscall"
)

// freeze stops p without ending it, as a hung daemon would be.
func freeze(p *os.Process) error { return p.Signal(syscall.SIGSTOP) }
