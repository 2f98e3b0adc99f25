//go:build !windows

package prompt

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// testSecretVars must never reach a program mfa-git runs to ask for a code.
var testSecretVars = []string{"MFA_GIT_FILE_PASSPHRASE", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"}

// TestPromptChildrenGetNoSecrets runs an askpass program, a dialog and a
// token command that write their environment to a file, and checks that
// none of the secrets mfa-git holds is there.
func TestPromptChildrenGetNoSecrets(t *testing.T) {
	dir := t.TempDir()
	for _, k := range testSecretVars {
		t.Setenv(k, "SECRET-"+k)
	}
	t.Setenv("MFA_GIT_KEYRING", "file") // kept: an mfa-git inside needs it
	envFile := filepath.Join(dir, "env")
	prog := filepath.Join(dir, "ask")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nenv > "+envFile+"\necho 123456\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev"}
	for _, tc := range []struct {
		name string
		p    Prompter
	}{
		{"askpass", askpass{program: prog}},
		{"dialog", dialog{"zenity", func(string) []string { return []string{prog} }}},
		{"token command", TokenCommand{Command: prog}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(envFile)
			if code, err := tc.p.Code(context.Background(), p); err != nil || code != "123456" {
				t.Fatalf("Code: %q, %v", code, err)
			}
			env, err := os.ReadFile(envFile)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range testSecretVars {
				if strings.Contains(string(env), "SECRET-"+k) {
					t.Errorf("%s reached the %s", k, tc.name)
				}
			}
			if !strings.Contains(string(env), "MFA_GIT_KEYRING=file") {
				t.Errorf("MFA_GIT_KEYRING did not reach the %s", tc.name)
			}
		})
	}
}

// TestAskpassProgram checks where the askpass program comes from: never
// the repository's .git/config, never a relative path.
func TestAskpassProgram(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	home := t.TempDir()
	repo := t.TempDir()
	git := func(dir string, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git(repo, "init", "-q")
	git(repo, "config", "core.askPass", "/repo/evil-askpass")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_DIR", filepath.Join(repo, ".git"))
	t.Chdir(repo)
	for _, tc := range []struct {
		name, gitAskpass, global, sshAskpass string
		want, err                            string
	}{
		{"repository's core.askPass ignored", "", "", "", "", ""},
		{"repository's core.askPass ignored, SSH_ASKPASS used", "", "", "/usr/bin/ssh-askpass", "/usr/bin/ssh-askpass", ""},
		{"global core.askPass used", "", "/home/askpass", "", "/home/askpass", ""},
		{"GIT_ASKPASS first", "/ide/askpass", "/home/askpass", "", "/ide/askpass", ""},
		{"bare name on PATH", "ssh-askpass", "", "", "ssh-askpass", ""},
		{"relative GIT_ASKPASS", "./askpass.sh", "", "", "", `GIT_ASKPASS is the relative path "./askpass.sh"`},
		{"relative GIT_ASKPASS in a folder", "bin/askpass", "", "", "", "GIT_ASKPASS is the relative path"},
		{"relative core.askPass", "", "tools/askpass", "", "", "core.askPass is the relative path"},
		{"relative SSH_ASKPASS", "", "", "../askpass", "", "SSH_ASKPASS is the relative path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(home, ".gitconfig"))
			if tc.global != "" {
				git(home, "config", "--global", "core.askPass", tc.global)
			}
			t.Setenv("HOME", home)
			t.Setenv("GIT_ASKPASS", tc.gitAskpass)
			t.Setenv("SSH_ASKPASS", tc.sshAskpass)
			got, err := askpassProgram()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %q, %v; want error %q", got, err, tc.err)
				}
				if h := hint.Of(err); !strings.Contains(h, "absolute path") {
					t.Errorf("hint %q", h)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
