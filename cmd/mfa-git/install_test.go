//go:build !windows

// install.sh is a POSIX shell script, not shipped for Windows: Windows
// users install a release archive or use go install.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// TestInstallScriptVersion builds with ./install.sh, as a user in a
// checkout would, and checks that --version names the commit.
func TestInstallScriptVersion(t *testing.T) {
	t.Parallel()
	git := testenv.Require(t, "git")
	head, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	prefix := t.TempDir()
	cmd := exec.Command("sh", "../../install.sh", "--prefix", prefix)
	cmd.Env = append(os.Environ(), "HOME="+prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(prefix, "bin", "mfa-git"), "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("mfa-git --version: %v\n%s", err, out)
	}
	if want := "commit: " + strings.TrimSpace(string(head)); !strings.Contains(string(out), want) {
		t.Errorf("--version printed\n%s\nwant a line %q", out, want)
	}
	for _, f := range []string{"bin/git-credential-mfa-git", "share/man/man1/mfa-git.1", "share/bash-completion/completions/mfa-git", "share/fish/vendor_completions.d/mfa-git.fish"} {
		if _, err := os.Stat(filepath.Join(prefix, f)); err != nil {
			t.Errorf("install.sh did not install %s: %v", f, err)
		}
	}
}
