//go:build !windows

package profile

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
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
