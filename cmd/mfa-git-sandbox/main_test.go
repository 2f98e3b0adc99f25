//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary runs the real main when asked, so the signal arrives at
// a separate process, as it does for a person pressing Ctrl-C.
func TestMain(m *testing.M) {
	if os.Getenv("MFA_GIT_SANDBOX_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestSignalRemovesTempDir: Ctrl-C (SIGINT) and SIGTERM stop the sandbox
// and remove the temporary folder it made, and never a --dir it was given.
func TestSignalRemovesTempDir(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sig      syscall.Signal
		ownDir   bool // pass --dir
		wantGone bool
	}{
		{"SIGINT", syscall.SIGINT, false, true},
		{"SIGTERM", syscall.SIGTERM, false, true},
		{"SIGTERM with --dir", syscall.SIGTERM, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			tmp := filepath.Join(work, "tmp")
			os.Mkdir(tmp, 0o700)
			envFile := filepath.Join(work, "env")
			args := []string{"--env-file", envFile}
			given := filepath.Join(work, "mine")
			if tc.ownDir {
				os.Mkdir(given, 0o700)
				args = append(args, "--dir", given)
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "MFA_GIT_SANDBOX_TEST_MAIN=1", "TMPDIR="+tmp)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			dir := waitSandboxDir(t, envFile)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("sandbox folder: %v", err)
			}
			cmd.Process.Signal(tc.sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("sandbox exited with %v after %v", err, tc.sig)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("sandbox still running 10s after %v", tc.sig)
			}
			_, err := os.Stat(dir)
			if gone := os.IsNotExist(err); gone != tc.wantGone {
				t.Errorf("after %v: folder %s gone=%v, want %v", tc.sig, dir, gone, tc.wantGone)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("left in TMPDIR: %v", left)
			}
		})
	}
}

func waitSandboxDir(t *testing.T, envFile string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if f, err := os.Open(envFile); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "SANDBOX_DIR="); ok {
					f.Close()
					return v
				}
			}
			f.Close()
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the sandbox did not start within 20s")
	return ""
}
