//go:build !windows

package doctor

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The git commands doctor runs to read git's settings never see a
// secret of the environment: the file keyring's passphrase, AWS keys.
func TestGitSeesNoSecrets(t *testing.T) {
	bin := t.TempDir()
	seen := filepath.Join(t.TempDir(), "env")
	os.WriteFile(filepath.Join(bin, "git"), []byte("#!/bin/sh\nenv >>'"+seen+"'\necho git version 2.45.0\n"), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("MFA_GIT_FILE_PASSPHRASE", "hunter2-passphrase")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "session-token-value")
	u, _ := url.Parse(DefaultURL)
	env := Env{SetupHint: "mfa-git setup"}
	checkGit(context.Background(), env)
	checkHelperChain(context.Background(), u, env)
	checkUseHTTPPath(context.Background(), u, env)
	b, err := os.ReadFile(seen)
	if err != nil || !strings.Contains(string(b), "PATH=") {
		t.Fatalf("the fake git did not run: %v", err)
	}
	for _, secret := range []string{"hunter2-passphrase", "wJalrXUtnFEMI", "session-token-value"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("git's environment holds %q", secret)
		}
	}
}
