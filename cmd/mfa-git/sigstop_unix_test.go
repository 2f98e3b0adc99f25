//go:build unix

package main

import "syscall"

// sigStop freezes a process (the secretservice hang script command).
const sigStop = syscall.SIGSTOP
