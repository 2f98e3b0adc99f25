//go:build unix

package testenv

import (
	"testing"
	"time"
)

func TestLockRunExcludes(t *testing.T) {
	t.Setenv("MFA_GIT_TEST_ISOLATED", t.TempDir())
	release, err := LockRun("heavy", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file, so a second open in this
	// process waits as another process would.
	if r, err := LockRun("heavy", 100*time.Millisecond); err == nil {
		r()
		t.Fatal("took a lock that is held")
	}
	if r, err := LockRun("other", 100*time.Millisecond); err != nil {
		t.Fatalf("another name: %v", err)
	} else {
		r()
	}
	release()
	r, err := LockRun("heavy", time.Second)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	r()
}
