//go:build !windows

package main

import (
	"fmt"
	"os"
	"syscall"
)

// restartWith replaces this process with a fresh run of the same command
// line, with env added to the environment.
func restartWith(env string) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart with %s: %w", env, err)
	}
	return fmt.Errorf("restart with %s: %w", env, syscall.Exec(exe, os.Args, append(os.Environ(), env)))
}
