package main

import (
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// sandboxlifetime DURATION: sessions the sandbox issues from now on last
// DURATION (0: as long as asked).
func cmdSandboxLifetime(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: sandboxlifetime duration")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	sb(ts).SetSessionLifetime(d)
}
