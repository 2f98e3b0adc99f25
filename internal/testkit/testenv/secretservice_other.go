//go:build !unix

package testenv

import (
	"testing"
	"time"
)

// holdSecretService: there is no Secret Service to share off Unix.
func holdSecretService(testing.TB) {}

// HoldHeavy: test.sh's run-wide locks exist only on Unix.
func HoldHeavy(testing.TB) {}

// LockRun: test.sh's run-wide locks exist only on Unix.
func LockRun(string, time.Duration) (release func(), err error) { return func() {}, nil }
