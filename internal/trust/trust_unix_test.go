//go:build !windows

package trust

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// TestCheck builds a tree for each case and checks which path, if any,
// Check blames, and that the hint fixes that path.
func TestCheck(t *testing.T) {
	testenv.RequireRoot(t, "give files to another user")
	other := testenv.OtherUID
	type tree func(t *testing.T, d string) (path string)
	file := func(t *testing.T, path string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(path, []byte("[default]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		must(t, os.Chmod(path, mode))
	}
	dir := func(t *testing.T, path string, mode os.FileMode) {
		t.Helper()
		must(t, os.Mkdir(path, 0o700))
		must(t, os.Chmod(path, mode))
	}
	cases := []struct {
		name  string
		make  tree
		blame string // "" when trusted; else the path (relative to d) blamed
		why   string // part of the reason
		fix   string // part of the hint
	}{
		{"private file", func(t *testing.T, d string) string {
			file(t, d+"/config", 0o600)
			return d + "/config"
		}, "", "", ""},
		{"readable by all", func(t *testing.T, d string) string {
			dir(t, d+"/aws", 0o755)
			file(t, d+"/aws/config", 0o644)
			return d + "/aws/config"
		}, "", "", ""},
		{"group-writable file", func(t *testing.T, d string) string {
			file(t, d+"/config", 0o664)
			return d + "/config"
		}, "config", "writable by its group (mode 0664)", "chmod go-w"},
		{"other-writable file", func(t *testing.T, d string) string {
			file(t, d+"/config", 0o602)
			return d + "/config"
		}, "config", "writable by other users (mode 0602)", "chmod go-w"},
		{"other-writable folder on the path", func(t *testing.T, d string) string {
			dir(t, d+"/open", 0o777)
			dir(t, d+"/open/aws", 0o700)
			file(t, d+"/open/aws/config", 0o600)
			return d + "/open/aws/config"
		}, "open", "writable by its group and other users (mode 0777)", "chmod go-w"},
		{"file of another user", func(t *testing.T, d string) string {
			file(t, d+"/config", 0o644)
			must(t, os.Chown(d+"/config", other, other))
			return d + "/config"
		}, "config", "belongs to uid 65534", "chown"},
		{"folder of another user", func(t *testing.T, d string) string {
			dir(t, d+"/theirs", 0o755)
			file(t, d+"/theirs/config", 0o600)
			must(t, os.Chown(d+"/theirs", other, other))
			return d + "/theirs/config"
		}, "theirs", "belongs to uid 65534", "chown"},
		{"symlink to a file in an others-writable folder", func(t *testing.T, d string) string {
			dir(t, d+"/open", 0o777)
			file(t, d+"/open/config", 0o600)
			must(t, os.Symlink(d+"/open/config", d+"/config"))
			return d + "/config"
		}, "open", "writable by its group and other users", "chmod go-w"},
		{"relative symlink to a group-writable file", func(t *testing.T, d string) string {
			dir(t, d+"/aws", 0o700)
			file(t, d+"/aws/real", 0o620)
			must(t, os.Symlink("real", d+"/aws/config"))
			return d + "/aws/config"
		}, "aws/real", "writable by its group", "chmod go-w"},
		{"symlink in an others-writable folder", func(t *testing.T, d string) string {
			dir(t, d+"/open", 0o777)
			file(t, d+"/config", 0o600)
			must(t, os.Symlink(d+"/config", d+"/open/link"))
			return d + "/open/link"
		}, "open", "writable by", "chmod go-w"},
		{"symlinked folder to a trusted one", func(t *testing.T, d string) string {
			dir(t, d+"/real", 0o700)
			file(t, d+"/real/config", 0o600)
			must(t, os.Symlink("real", d+"/aws"))
			return d + "/aws/config"
		}, "", "", ""},
		{"sticky folder, our file", func(t *testing.T, d string) string {
			dir(t, d+"/tmp", os.ModeSticky|0o777)
			file(t, d+"/tmp/config", 0o600)
			return d + "/tmp/config"
		}, "", "", ""},
		{"sticky folder, another user's file", func(t *testing.T, d string) string {
			dir(t, d+"/tmp", os.ModeSticky|0o777)
			file(t, d+"/tmp/config", 0o600)
			must(t, os.Chown(d+"/tmp/config", other, other))
			return d + "/tmp/config"
		}, "tmp/config", "belongs to uid 65534", "chown"},
		{"sticky folder, another user's link to our file", func(t *testing.T, d string) string {
			dir(t, d+"/tmp", os.ModeSticky|0o777)
			file(t, d+"/config", 0o600)
			must(t, os.Symlink(d+"/config", d+"/tmp/link"))
			must(t, os.Lchown(d+"/tmp/link", other, other))
			return d + "/tmp/link"
		}, "tmp/link", "belongs to uid 65534", "chown"},
		{"dot-dot after a symlinked folder", func(t *testing.T, d string) string {
			dir(t, d+"/open", 0o777)
			dir(t, d+"/open/sub", 0o700)
			dir(t, d+"/safe", 0o700)
			file(t, d+"/safe/config", 0o600)
			// Read as text, safe/sub; the kernel resolves .. after
			// the link: open/sub.
			must(t, os.Symlink(d+"/open/sub", d+"/safe/link"))
			return d + "/safe/link/../sub"
		}, "open", "writable by", "chmod go-w"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			must(t, os.Chmod(d, 0o700))
			path := c.make(t, d)
			err := Check(path)
			if c.blame == "" {
				if err != nil {
					t.Fatalf("Check(%s) = %v, want nil", path, err)
				}
				return
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("Check(%s) = %v, want a *trust.Error", path, err)
			}
			if want := filepath.Join(d, c.blame); te.Path != want {
				t.Errorf("blames %s, want %s", te.Path, want)
			}
			if !strings.Contains(te.Reason, c.why) {
				t.Errorf("reason %q, want it to say %q", te.Reason, c.why)
			}
			if !strings.Contains(te.Hint(), c.fix) || !strings.Contains(te.Hint(), te.Path) {
				t.Errorf("hint %q, want %q and the path", te.Hint(), c.fix)
			}
			if !errors.Is(err, fs.ErrPermission) {
				t.Error("not fs.ErrPermission")
			}
		})
	}
}

// TestCheckErrors: a missing file and a loop are errors, never trusted.
func TestCheckErrors(t *testing.T) {
	d := t.TempDir()
	if err := Check(d + "/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	must(t, os.Symlink("b", d+"/a"))
	must(t, os.Symlink("a", d+"/b"))
	if err := Check(d + "/a"); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("loop: %v, want too many symlinks", err)
	}
	if err := Check("relative/config"); err == nil {
		t.Error("a relative path is trusted")
	}
	// System programs are root's: an askpass in /bin passes.
	if err := Check("/bin/sh"); err != nil {
		t.Errorf("/bin/sh: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
