//go:build !windows

package child

import (
	"errors"
	"os/exec"
	"slices"
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

func TestEnviron(t *testing.T) {
	in := []string{"PATH=/bin", "AWS_PROFILE=x", "AWS_SESSION_TOKEN=t", "MFA_GIT_FILE_PASSPHRASE=p", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=eu-west-1"}
	want := []string{"PATH=/bin", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=eu-west-1"}
	if got := Environ(in); !slices.Equal(got, want) {
		t.Errorf("Environ = %q, want %q", got, want)
	}
	// A prompt child keeps mfa-git's settings and the profile; only secrets go.
	want = []string{"PATH=/bin", "AWS_PROFILE=x", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=eu-west-1"}
	if got := WithoutSecrets(in); !slices.Equal(got, want) {
		t.Errorf("WithoutSecrets = %q, want %q", got, want)
	}
}
