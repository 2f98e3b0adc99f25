//go:build !windows

package profile

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// With HOME unset, empty or relative, the AWS files are the user's (from
// the user database), never .aws/ in the current folder.
func TestDefaultFilesWithoutHome(t *testing.T) {
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, ".aws"), 0o700)
	os.WriteFile(filepath.Join(repo, ".aws", "config"), []byte("[profile base]\nmfa_process = touch pwned\n"), 0o600)
	t.Chdir(repo)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	for _, home := range []string{"", ".", "repo"} {
		t.Setenv("HOME", home)
		f, err := DefaultFiles()
		want := Files{filepath.Join(u.HomeDir, ".aws", "config"), filepath.Join(u.HomeDir, ".aws", "credentials")}
		if err != nil || f != want {
			t.Errorf("HOME=%q: %+v, %v; want %+v", home, f, err, want)
		}
	}
}

// A relative AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE would name the
// repository's file: refused with a hint.
func TestDefaultFilesRelative(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "config")
	for _, tc := range []struct{ config, creds, err string }{
		{".aws-config", "", `AWS_CONFIG_FILE=".aws-config" is not an absolute path`},
		{"sub/config", abs, `AWS_CONFIG_FILE="sub/config" is not an absolute path`},
		{"../config", abs, `AWS_CONFIG_FILE="../config"`},
		{abs, "creds", `AWS_SHARED_CREDENTIALS_FILE="creds" is not an absolute path`},
		{"", "./credentials", `AWS_SHARED_CREDENTIALS_FILE="./credentials"`},
		{abs, abs, ""},
	} {
		t.Setenv("AWS_CONFIG_FILE", tc.config)
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", tc.creds)
		_, err := DefaultFiles()
		if tc.err == "" {
			if err != nil {
				t.Errorf("%q, %q: %v", tc.config, tc.creds, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(hint.Of(err), "absolute path") {
			t.Errorf("%q, %q: %v (hint %q); want error %q", tc.config, tc.creds, err, hint.Of(err), tc.err)
		}
	}
}
