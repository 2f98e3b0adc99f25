//go:build !windows

package userdir

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// With HOME unset, empty or relative, the home folder is the user
// database's, never a path relative to the current folder (which, for a
// git helper, is a repository).
func TestHome(t *testing.T) {
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	t.Chdir(repo)
	os.MkdirAll(filepath.Join(repo, ".aws"), 0o700)
	for _, tc := range []struct {
		name string
		set  bool
		home string
		want string
	}{
		{"set", true, "/home/someone", "/home/someone"},
		{"unset", false, "", u.HomeDir},
		{"empty", true, "", u.HomeDir},
		{"relative", true, ".", u.HomeDir},
		{"relative name", true, "repo", u.HomeDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", tc.home)
			if !tc.set {
				os.Unsetenv("HOME")
			}
			got, err := Home()
			if err != nil || got != tc.want {
				t.Fatalf("Home() = %q, %v; want %q", got, err, tc.want)
			}
			for _, f := range []func() (string, error){Cache, Config} {
				t.Setenv("XDG_CACHE_HOME", "")
				t.Setenv("XDG_CONFIG_HOME", "relative")
				d, err := f()
				if err != nil || !filepath.IsAbs(d) || filepath.Dir(d) != tc.want {
					t.Errorf("folder %q, %v; want one in %q", d, err, tc.want)
				}
			}
		})
	}
}

func TestPrivate(t *testing.T) {
	testenv.RequireRoot(t, "give files to another user")
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string)
		ok      bool
		mode    fs.FileMode // the mode the folder has afterwards
	}{
		{"missing", func(*testing.T, string) {}, true, 0o700},
		{"missing parents", nil, true, 0o700},
		{"ours 0700", func(t *testing.T, d string) { mkdir(t, d, 0o700) }, true, 0o700},
		{"ours 0755 stays 0755", func(t *testing.T, d string) { mkdir(t, d, 0o755) }, true, 0o755},
		{"group-writable", func(t *testing.T, d string) { mkdir(t, d, 0o770) }, false, 0o770},
		{"world-writable sticky, like /tmp", func(t *testing.T, d string) { mkdir(t, d, 0o1777) }, false, 0o777},
		{"another user's", func(t *testing.T, d string) { mkdir(t, d, 0o700); os.Chown(d, testenv.OtherUID, testenv.OtherUID) }, false, 0o700},
		{"a symlink to our folder", func(t *testing.T, d string) {
			mkdir(t, d+".real", 0o700)
			os.Symlink(d+".real", d)
		}, false, 0},
		{"a file", func(t *testing.T, d string) { os.WriteFile(d, nil, 0o600) }, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mfa-git")
			if tc.prepare == nil {
				dir = filepath.Join(t.TempDir(), "a", "b", "mfa-git")
			} else {
				tc.prepare(t, dir)
			}
			err := Private(dir)
			if tc.ok != (err == nil) {
				t.Fatalf("Private: %v; want ok=%v", err, tc.ok)
			}
			var ue *UnsafeError
			if err != nil && (!errors.As(err, &ue) || !errors.Is(err, fs.ErrPermission)) {
				t.Fatalf("error %v is not an *UnsafeError matching fs.ErrPermission", err)
			}
			if err != nil && Check(dir) == nil {
				t.Fatal("Check accepts what Private refused")
			}
			if tc.mode != 0 {
				if fi, err := os.Lstat(dir); err != nil || fi.Mode().Perm() != tc.mode {
					t.Fatalf("mode afterwards %v (%v); want %v", fi.Mode().Perm(), err, tc.mode)
				}
			}
		})
	}
}

// A folder on the way that another user can write (or owns) lets them
// put their own folder where mfa-git's is: Private and Check refuse it,
// naming that folder, whatever the mode of the last one. A sticky folder
// (as /tmp) is fine when the entries in it are ours.
func TestPrivateParents(t *testing.T) {
	testenv.RequireRoot(t, "give files to another user")
	for _, tc := range []struct {
		name  string
		build func(t *testing.T, base string) (dir, bad string) // bad: the folder the error must name
	}{
		{"other-writable parent, folder missing", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/w", 0o777)
			return b + "/w/cfg/mfa-git", b + "/w"
		}},
		{"other-writable parent, folder ours and 0700", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/w", 0o777)
			mkdir(t, b+"/w/mfa-git", 0o700)
			return b + "/w/mfa-git", b + "/w"
		}},
		{"group-writable grandparent", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/g", 0o770)
			mkdir(t, b+"/g/x", 0o700)
			return b + "/g/x/mfa-git", b + "/g"
		}},
		{"parent of another user", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/o", 0o755)
			if err := os.Chown(b+"/o", testenv.OtherUID, testenv.OtherUID); err != nil {
				t.Skipf("chown: %v", err)
			}
			return b + "/o/mfa-git", b + "/o"
		}},
		{"another user's folder in a sticky one", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/t", 0o1777)
			mkdir(t, b+"/t/theirs", 0o755)
			if err := os.Chown(b+"/t/theirs", testenv.OtherUID, testenv.OtherUID); err != nil {
				t.Skipf("chown: %v", err)
			}
			return b + "/t/theirs/mfa-git", b + "/t/theirs"
		}},
		{"a link on the way, in an other-writable folder", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/good", 0o700)
			mkdir(t, b+"/w", 0o777)
			if err := os.Symlink(b+"/good", b+"/w/link"); err != nil {
				t.Fatal(err)
			}
			return b + "/w/link/mfa-git", b + "/w"
		}},
		{"ours in a sticky folder, like /tmp", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/t", 0o1777)
			mkdir(t, b+"/t/mine", 0o700)
			return b + "/t/mine/mfa-git", ""
		}},
		{"a link on the way, in our folder", func(t *testing.T, b string) (string, string) {
			mkdir(t, b+"/good", 0o700)
			if err := os.Symlink(b+"/good", b+"/link"); err != nil {
				t.Fatal(err)
			}
			return b + "/link/mfa-git", ""
		}},
		{"missing parents in our folder", func(t *testing.T, b string) (string, string) {
			return b + "/a/b/mfa-git", ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, bad := tc.build(t, t.TempDir())
			for name, f := range map[string]func(string) error{"Check": Check, "Private": Private} {
				err := f(dir)
				if bad == "" {
					if err != nil && !(name == "Check" && errors.Is(err, fs.ErrNotExist)) {
						t.Errorf("%s(%s): %v", name, dir, err)
					}
					continue
				}
				var ue *UnsafeError
				if !errors.As(err, &ue) || ue.Path != bad || !errors.Is(err, fs.ErrPermission) {
					t.Errorf("%s(%s) = %v; want an *UnsafeError naming %s", name, dir, err, bad)
				}
				if _, err := os.Lstat(dir); name == "Private" && err == nil && tc.name == "other-writable parent, folder missing" {
					t.Errorf("Private made %s under an unsafe folder", dir)
				}
			}
			if bad == "" {
				if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
					t.Errorf("Private did not make %s: %v", dir, err)
				}
			}
		})
	}
}

func mkdir(t *testing.T, dir string, mode fs.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode|map[bool]fs.FileMode{true: fs.ModeSticky}[mode&0o1000 != 0]); err != nil {
		t.Fatal(err)
	}
}

// XDG_RUNTIME_DIR inherited from another user (su, sudo) is not used.
func TestRuntime(t *testing.T) {
	testenv.RequireRoot(t, "give files to another user")
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string)
		ok      bool
	}{
		{"ours 0700", func(t *testing.T, d string) { mkdir(t, d, 0o700) }, true},
		{"another user's", func(t *testing.T, d string) { mkdir(t, d, 0o700); os.Chown(d, testenv.OtherUID, testenv.OtherUID) }, false},
		{"ours but open", func(t *testing.T, d string) { mkdir(t, d, 0o755) }, false},
		{"missing", func(*testing.T, string) {}, false},
		{"symlink", func(t *testing.T, d string) { mkdir(t, d+".real", 0o700); os.Symlink(d+".real", d) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			tc.prepare(t, dir)
			t.Setenv("XDG_RUNTIME_DIR", dir)
			got, err := Runtime()
			if tc.ok != (err == nil && got == dir) {
				t.Fatalf("Runtime() = %q, %v; want ok=%v", got, err, tc.ok)
			}
		})
	}
	t.Setenv("XDG_RUNTIME_DIR", "run")
	if got, err := Runtime(); err == nil {
		t.Fatalf("a relative XDG_RUNTIME_DIR was used: %q", got)
	}
}

// OpenFile never follows a symlink, never hangs on a FIFO, and opens only
// regular files of ours.
func TestOpenFile(t *testing.T) {
	testenv.RequireRoot(t, "give files to another user")
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, path string)
		ok      bool
	}{
		{"missing", func(*testing.T, string) {}, true},
		{"ours", func(t *testing.T, p string) { os.WriteFile(p, []byte("old\n"), 0o600) }, true},
		{"symlink to a file of ours", func(t *testing.T, p string) {
			os.WriteFile(p+".target", []byte("keep\n"), 0o600)
			os.Symlink(p+".target", p)
		}, false},
		{"dangling symlink", func(t *testing.T, p string) { os.Symlink(p+".target", p) }, false},
		{"fifo", func(t *testing.T, p string) { syscall.Mkfifo(p, 0o600) }, false},
		{"another user's", func(t *testing.T, p string) {
			os.WriteFile(p, nil, 0o600)
			os.Chown(p, testenv.OtherUID, testenv.OtherUID)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "agent.log")
			tc.prepare(t, path)
			done := make(chan error, 1)
			go func() {
				f, err := OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY)
				if err == nil {
					f.WriteString("new\n")
					f.Close()
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("OpenFile hung")
			}
			if tc.ok != (err == nil) {
				t.Fatalf("OpenFile: %v; want ok=%v", err, tc.ok)
			}
			if b, _ := os.ReadFile(path + ".target"); len(b) > 0 && string(b) != "keep\n" {
				t.Fatalf("the symlink's target was written: %q", b)
			}
			if _, err := os.Stat(path + ".target"); tc.name == "dangling symlink" && err == nil {
				t.Fatal("the dangling symlink's target was created")
			}
			if fi, err := os.Lstat(path); tc.ok && (err != nil || fi.Mode().Perm() != 0o600 && tc.name == "missing") {
				t.Fatalf("new file: %v, %v", fi.Mode(), err)
			}
		})
	}
}
