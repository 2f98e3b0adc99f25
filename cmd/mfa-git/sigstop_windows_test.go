package main

import "syscall"

// sigStop: Windows has no signal that freezes a process; the scripts that
// use it do not run there (see TestScript), and Process.Signal refuses it.
const sigStop = syscall.Signal(-1)
