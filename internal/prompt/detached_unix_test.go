//go:build !windows

package prompt

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// A detached token command (the agent's) dies whole when its wait ends:
// no child of it keeps running, or keeps the agent's output open, after
// the agent stops.
func TestDetachedTokenCommandKilledWhole(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// The command starts a child that would wait for a minute, as a
	// hardware key waiting for a touch does.
	cmd := "sleep 60 & echo $! > " + pidFile + "; wait"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := TokenCommand{Command: cmd, Detached: true}.Code(ctx, &profile.Profile{Name: "base"})
		done <- err
	}()
	var pid int
	for i := 0; i < 200 && pid == 0; i++ {
		time.Sleep(10 * time.Millisecond)
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if pid == 0 {
		t.Fatal("the token command did not start its child")
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled token command gave a code")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Code did not return within 5s of the cancel")
	}
	for i := 0; i < 100; i++ {
		if syscall.Kill(pid, 0) != nil {
			return // gone
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Fatalf("the token command's child (pid %d) outlived it", pid)
}
