//go:build !windows

package child

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRunStatus(t *testing.T) {
	for _, tc := range []struct {
		name  string
		argv  []string
		code  int
		start bool // a StartError
	}{
		{"success", []string{"true"}, 0, false},
		{"exit status", []string{"sh", "-c", "exit 3"}, 3, false},
		{"killed by a signal", []string{"sh", "-c", "kill -TERM $$"}, 128 + 15, false},
		{"not found", []string{"/nonexistent/mfa-git-test"}, -1, true},
	} {
		code, err := Run(exec.Command(tc.argv[0], tc.argv[1:]...), false)
		var se *StartError
		if code != tc.code || errors.As(err, &se) != tc.start {
			t.Errorf("%s: %d, %v; want %d (start error %v)", tc.name, code, err, tc.code, tc.start)
		}
	}
}

func TestWithoutSecrets(t *testing.T) {
	in := []string{"PATH=/bin", "AWS_PROFILE=x", "AWS_SESSION_TOKEN=t", "MFA_GIT_FILE_PASSPHRASE=p", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=eu-west-1"}
	// A prompt child keeps mfa-git's settings and the profile; only secrets go.
	want := []string{"PATH=/bin", "AWS_PROFILE=x", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=eu-west-1"}
	if got := WithoutSecrets(in); !slices.Equal(got, want) {
		t.Errorf("WithoutSecrets = %q, want %q", got, want)
	}
}

// TestProgram runs real programs: their exit status comes back, and a
// program that is not there is ErrNotFound, unlike one that cannot run.
func TestProgram(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "not-executable")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		argv     []string
		code     int
		out      string
		err      string
		notFound bool
	}{
		{name: "its status and environment", argv: []string{"sh", "-c", "echo $X; exit 4"}, code: 4, out: "from-env\n"},
		{name: "not on PATH", argv: []string{"mfa-git-no-such-program"}, code: -1, err: "command not found: mfa-git-no-such-program", notFound: true},
		{name: "no such file", argv: []string{filepath.Join(dir, "missing")}, code: -1, err: "command not found: ", notFound: true},
		{name: "not executable", argv: []string{notExec}, code: -1, err: "start " + notExec + ": "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code, err := Program(tc.argv, []string{"PATH=" + os.Getenv("PATH"), "X=from-env"}, nil, &out, io.Discard)
			if code != tc.code || out.String() != tc.out {
				t.Errorf("Program = %d, %q; want %d, %q", code, out.String(), tc.code, tc.out)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) || errors.Is(err, ErrNotFound) != tc.notFound {
				t.Errorf("error %v, want %q (not found: %v)", err, tc.err, tc.notFound)
			}
		})
	}
}
