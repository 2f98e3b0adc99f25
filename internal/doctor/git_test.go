//go:build !windows

package doctor

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
)

// A git that hangs (a credential helper or a network file system holding
// a config file) costs each check its deadline, not forever.
func TestGitChecksHaveADeadline(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	env := Env{GitTimeout: 200 * time.Millisecond, SetupHint: "mfa-git setup"}
	u, _ := url.Parse(DefaultURL)
	for _, tc := range []struct {
		name  string
		check func() Check
	}{
		{"git", func() Check { return checkGit(context.Background(), env) }},
		{"helper chain", func() Check { return checkHelperChain(context.Background(), u, env) }},
		{"useHttpPath", func() Check { return checkUseHTTPPath(context.Background(), u, env) }},
	} {
		start := time.Now()
		c := tc.check()
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %s", tc.name, d)
		}
		if c.Status == OK || !strings.Contains(c.Detail, "did not finish within 200ms") {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
}

// doctor's output is pasted into bug reports: a URL's user information
// (a user name, a password or token) is never shown.
func TestShowURL(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"https://AKIAIOSFODNN7EXAMPLE:s3cret@git-codecommit.us-east-1.amazonaws.com/v1/repos/app", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app"},
		{"https://bob@git.example.com/v1/repos/app", "https://git.example.com/v1/repos/app"},
		{"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app"},
		{"https://bob:s3cret%zz@host/x", "https://host/x"},
		{"https://bob:s3cret@ho st/x?a@b", "https://ho st/x?a@b"},
		{"not a url", "not a url"},
	} {
		if got := gitcred.ShowURL(tc.raw); got != tc.want {
			t.Errorf("gitcred.ShowURL(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
	// Run with an unparsable URL holding a password: the check line does
	// not show it.
	cs := Run(context.Background(), Env{URL: "https://bob:s3cret%zz@git-codecommit.us-east-1.amazonaws.com/v1/repos/app"})
	for _, c := range cs {
		if strings.Contains(c.Detail+c.Fix, "s3cret") || strings.Contains(c.Detail+c.Fix, "bob") {
			t.Errorf("check shows the URL's user information: %+v", c)
		}
	}
}
