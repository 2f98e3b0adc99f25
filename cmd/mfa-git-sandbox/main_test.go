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

	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
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

// --sign-in leaves a HOME where the AWS CLI finds the SSO profile signed
// in: its sso-session's token in ~/.aws/sso/cache, and the profile's
// services section pointing at the sandbox. Without a .aws folder to put
// the caches in, it refuses to start.
func TestSignIn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		awsDir  string // under the test's HOME
		wantErr string // on stderr, with exit status 1
		wantARN string // the CLI's caller for PROFILE-sso
	}{
		{name: "a .aws folder", awsDir: ".aws", wantARN: sandbox.SSOAssumedRoleARN(sandbox.Account, sandbox.SSOPermissionSet, sandbox.SSOUser)},
		{name: "another folder", awsDir: "aws-files", wantErr: "mfa-git-sandbox: error: --sign-in needs --write-aws-files to name a .aws folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			envFile := filepath.Join(t.TempDir(), "env")
			cmd := exec.Command(os.Args[0], "--write-aws-files", filepath.Join(home, tc.awsDir), "--sign-in", "--env-file", envFile)
			cmd.Env = append(os.Environ(), "MFA_GIT_SANDBOX_TEST_MAIN=1")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if tc.wantErr != "" {
				err := cmd.Run()
				if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), tc.wantErr) {
					t.Fatalf("exit %d (%v), stderr %q; want 1 and %q", code, err, stderr.String(), tc.wantErr)
				}
				if _, err := os.Stat(filepath.Join(home, tc.awsDir)); !os.IsNotExist(err) {
					t.Fatalf("it wrote %s before refusing", tc.awsDir)
				}
				return
			}
			awsCLI := testenv.Require(t, "aws")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
			waitSandboxDir(t, envFile)
			aws := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "sandbox-sso", "--output", "text", "--query", "Arn")
			aws.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
			out, err := aws.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != tc.wantARN {
				t.Fatalf("aws --profile sandbox-sso: %v\n%s\nwant %s", err, out, tc.wantARN)
			}
		})
	}
}
