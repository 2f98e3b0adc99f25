package doctor

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestRemoteHelper(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake helper is a shell script; Windows finds only .exe files")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ours, other, empty := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Symlink(self, filepath.Join(ours, "git-remote-codecommit")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "git-remote-codecommit"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	sep := string(os.PathListSeparator)
	tests := []struct {
		path, status, detail string
	}{
		{ours, OK, "git runs mfa-git for codecommit:// URLs: " + filepath.Join(ours, "git-remote-codecommit")},
		{ours + sep + other, OK, "git runs mfa-git"},
		{other + sep + ours, Warn, "git runs " + filepath.Join(other, "git-remote-codecommit") + " for codecommit:// URLs, not mfa-git"},
		{empty, Skip, "git-remote-codecommit is not on PATH"},
	}
	for _, tt := range tests {
		t.Setenv("PATH", tt.path)
		c := RemoteHelper()
		if c.Status != tt.status || !strings.Contains(c.Detail, tt.detail) {
			t.Errorf("PATH=%s: %s %q, want %s %q", tt.path, c.Status, c.Detail, tt.status, tt.detail)
		}
		if c.Status != OK && c.Fix == "" {
			t.Errorf("PATH=%s: %s without a fix", tt.path, c.Status)
		}
	}
}
