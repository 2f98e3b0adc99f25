package doctor

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Which git-remote-codecommit git finds first on PATH, as mfa-git is
// installed on each system: install.sh and Homebrew link it to mfa-git;
// on Windows the release archive and Scoop put a copy beside mfa-git.exe.
func TestRemoteHelper(t *testing.T) {
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe" // what exec.LookPath finds there
	}
	helper := "git-remote-codecommit" + exe
	write := func(path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// mfa-git's own folder, and the folders others install a helper to.
	home := t.TempDir()
	self := filepath.Join(home, "mfa-git"+exe)
	write(self)
	linked, other, empty := t.TempDir(), t.TempDir(), t.TempDir()
	if err := os.Link(self, filepath.Join(linked, helper)); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(other, helper))
	sep := string(os.PathListSeparator)
	type want struct{ status, detail string }
	ours := func(dir string) want {
		return want{OK, "git runs mfa-git for codecommit:// URLs: " + filepath.Join(dir, helper)}
	}
	notOurs := func(dir string) want {
		return want{Warn, "git runs " + filepath.Join(dir, helper) + " for codecommit:// URLs, not mfa-git"}
	}
	type test struct {
		name, path string
		want       want
	}
	tests := []test{
		{"the same file (a link)", linked, ours(linked)},
		{"the same file first", linked + sep + other, ours(linked)},
		{"another one first", other + sep + linked, notOurs(other)},
		{"none", empty, want{Skip, "git-remote-codecommit is not on PATH"}},
	}
	if runtime.GOOS == "windows" {
		// The copy beside mfa-git.exe, as the archive ships it.
		write(filepath.Join(home, helper))
		tests = append(tests, test{"the copy beside mfa-git.exe", home + sep + other, ours(home)})
	} else {
		// A symbolic link, as install.sh and Homebrew make; and another
		// helper in mfa-git's folder is not mfa-git.
		symlinked := t.TempDir()
		if err := os.Symlink(self, filepath.Join(symlinked, helper)); err != nil {
			t.Fatal(err)
		}
		write(filepath.Join(home, helper))
		tests = append(tests,
			test{"a symbolic link", symlinked, ours(symlinked)},
			test{"another file beside mfa-git", home, notOurs(home)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", tt.path)
			c := remoteHelper(self)
			if c.Status != tt.want.status || !strings.Contains(c.Detail, tt.want.detail) {
				t.Errorf("PATH=%s: %s %q, want %s %q", tt.path, c.Status, c.Detail, tt.want.status, tt.want.detail)
			}
			if c.Status != OK && c.Fix == "" {
				t.Errorf("PATH=%s: %s without a fix", tt.path, c.Status)
			}
		})
	}
}
