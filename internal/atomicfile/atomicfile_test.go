package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name string
		// setup makes the path to write and returns the file that must
		// hold the data afterwards.
		setup    func(t *testing.T, dir string) (path, holds string)
		wantMode os.FileMode
		wantLink bool
	}{
		{"new file", func(t *testing.T, dir string) (string, string) {
			p := filepath.Join(dir, "sub", "config")
			return p, p
		}, 0o600, false},
		{"existing file keeps its mode", func(t *testing.T, dir string) (string, string) {
			p := filepath.Join(dir, "config")
			must(t, os.WriteFile(p, []byte("old"), 0o640))
			must(t, os.Chmod(p, 0o640))
			return p, p
		}, 0o640, false},
		{"absolute link", func(t *testing.T, dir string) (string, string) {
			real := filepath.Join(dir, "dotfiles", "gitconfig")
			must(t, os.MkdirAll(filepath.Dir(real), 0o700))
			must(t, os.WriteFile(real, []byte("old"), 0o644))
			must(t, os.Chmod(real, 0o644))
			link := filepath.Join(dir, ".gitconfig")
			testenv.Symlink(t, real, link)
			return link, real
		}, 0o644, true},
		{"relative link to a link", func(t *testing.T, dir string) (string, string) {
			real := filepath.Join(dir, "dotfiles", "aws-config")
			must(t, os.MkdirAll(filepath.Dir(real), 0o700))
			must(t, os.WriteFile(real, []byte("old"), 0o600))
			testenv.Symlink(t, "dotfiles/aws-config", filepath.Join(dir, "mid"))
			link := filepath.Join(dir, "config")
			testenv.Symlink(t, "mid", link)
			return link, real
		}, 0o600, true},
		{"dangling link creates its target", func(t *testing.T, dir string) (string, string) {
			must(t, os.MkdirAll(filepath.Join(dir, "dotfiles"), 0o700))
			link := filepath.Join(dir, "credentials")
			testenv.Symlink(t, filepath.Join(dir, "dotfiles", "creds"), link)
			return link, filepath.Join(dir, "dotfiles", "creds")
		}, 0o600, true},
		// GNU stow: ~/.aws -> dotfiles/aws, dotfiles/aws/config ->
		// ../store/config. The kernel takes ".." in dotfiles/, not in ~.
		{"relative link under a symlinked folder", func(t *testing.T, dir string) (string, string) {
			real := filepath.Join(dir, "dotfiles", "store", "config")
			must(t, os.MkdirAll(filepath.Dir(real), 0o700))
			must(t, os.MkdirAll(filepath.Join(dir, "dotfiles", "aws"), 0o700))
			must(t, os.WriteFile(real, []byte("old"), 0o600))
			testenv.Symlink(t, "../store/config", filepath.Join(dir, "dotfiles", "aws", "config"))
			testenv.Symlink(t, "dotfiles/aws", filepath.Join(dir, ".aws"))
			return filepath.Join(dir, ".aws", "config"), real
		}, 0o600, true},
		{"relative link under two symlinked folders", func(t *testing.T, dir string) (string, string) {
			real := filepath.Join(dir, "d", "store", "config")
			must(t, os.MkdirAll(filepath.Dir(real), 0o700))
			must(t, os.MkdirAll(filepath.Join(dir, "d", "pkg", "aws"), 0o700))
			must(t, os.WriteFile(real, []byte("old"), 0o640))
			must(t, os.Chmod(real, 0o640))
			testenv.Symlink(t, "../../store/config", filepath.Join(dir, "d", "pkg", "aws", "config"))
			testenv.Symlink(t, "d/pkg", filepath.Join(dir, "pkg"))
			testenv.Symlink(t, "pkg/aws", filepath.Join(dir, ".aws"))
			return filepath.Join(dir, ".aws", "config"), real
		}, 0o640, true},
		{"dangling relative link under a symlinked folder", func(t *testing.T, dir string) (string, string) {
			must(t, os.MkdirAll(filepath.Join(dir, "dotfiles", "store"), 0o700))
			must(t, os.MkdirAll(filepath.Join(dir, "dotfiles", "aws"), 0o700))
			testenv.Symlink(t, "../store/credentials", filepath.Join(dir, "dotfiles", "aws", "credentials"))
			testenv.Symlink(t, "dotfiles/aws", filepath.Join(dir, ".aws"))
			return filepath.Join(dir, ".aws", "credentials"), filepath.Join(dir, "dotfiles", "store", "credentials")
		}, 0o600, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path, holds := tt.setup(t, dir)
			if err := Write(path, []byte("new\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(holds)
			must(t, err)
			if string(got) != "new\n" {
				t.Errorf("%s holds %q, want %q", holds, got, "new\n")
			}
			fi, err := os.Stat(holds)
			must(t, err)
			if want := testenv.Perm(tt.wantMode, false); fi.Mode().Perm() != want {
				t.Errorf("mode %o, want %o", fi.Mode().Perm(), want)
			}
			li, err := os.Lstat(path)
			must(t, err)
			if isLink := li.Mode()&os.ModeSymlink != 0; isLink != tt.wantLink {
				t.Errorf("%s is a link: %v, want %v", path, isLink, tt.wantLink)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(holds), ".mfa-git-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

func TestWriteRefusesLinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	testenv.Symlink(t, b, a)
	testenv.Symlink(t, a, b)
	if err := Write(a, []byte("x"), 0o600); err == nil {
		t.Fatal("Write through a link loop succeeded")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestWriteRefusesHardLinks: replacing a file that has another name
// (a hard link) would leave that name with the old bytes, a secret
// among them; Write refuses and changes nothing.
func TestWriteRefusesHardLinks(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "dotfiles-credentials")
	must(t, os.WriteFile(other, []byte("old key"), 0o600))
	path := filepath.Join(dir, "credentials")
	if err := os.Link(other, path); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	link := filepath.Join(dir, "via-symlink")
	testenv.Symlink(t, path, link)
	for _, p := range []string{path, link} {
		err := Write(p, []byte("new"), 0o600)
		var linked *LinkedError
		if !errors.As(err, &linked) || linked.Links != 2 || !strings.Contains(err.Error(), "has 2 links") {
			t.Errorf("Write(%s) = %v, want a LinkedError for 2 links", p, err)
		}
		for _, name := range []string{other, path} {
			if b, _ := os.ReadFile(name); string(b) != "old key" {
				t.Errorf("%s now holds %q", name, b)
			}
		}
		if err := CheckLinks(p); !errors.As(err, &linked) {
			t.Errorf("CheckLinks(%s) = %v", p, err)
		}
	}
	if err := CheckLinks(other + "-missing"); err != nil {
		t.Errorf("CheckLinks of a missing file = %v", err)
	}
}
