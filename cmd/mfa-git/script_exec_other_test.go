//go:build !linux

package main

import "github.com/rogpeppe/go-internal/testscript"

// ctrlc needs Linux's pseudo-terminals.
func cmdCtrlC(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("ctrlc needs Linux: guard it with [linux]")
}
