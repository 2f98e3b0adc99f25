//go:build !windows

package agent

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// sharedBase is a folder every user may enter (0711), as /home is.
func sharedBase(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "mga")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o711); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listenAsOther starts a listener run by uid 65534 and moves its socket to
// path; it returns what that listener received on its first connection.
func listenAsOther(t *testing.T, path string) (received func() string) {
	t.Helper()
	setpriv := testenv.Require(t, "setpriv")
	perl := testenv.Require(t, "/usr/bin/perl")
	own := filepath.Join(sharedBase(t), "other")
	os.Mkdir(own, 0o700)
	os.Chown(own, testenv.OtherUID, testenv.OtherUID)
	script := `$| = 1; use IO::Socket::UNIX; my $l = IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 5) or die "listen: $!";
print "ready\n"; my $c = $l->accept or die "accept: $!"; my $r = "";
$SIG{ALRM} = sub { print "got: [$r]\n"; exit 0 }; alarm 5;
while (sysread($c, my $b, 65536)) { $r .= $b } alarm 0; print "got: [$r]\n";`
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", perl, "-e", script, filepath.Join(own, "s"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := bufio.NewReader(out)
	if line, err := r.ReadString('\n'); line != "ready\n" {
		t.Fatalf("listener as uid 65534: %q %v", line, err)
	}
	if err := os.Rename(filepath.Join(own, "s"), path); err != nil {
		t.Fatal(err)
	}
	return func() string {
		line, _ := r.ReadString('\n')
		return strings.TrimSpace(line)
	}
}

// recorder is a listener of ours that counts connections, standing in for
// an agent in a folder the client must not trust.
func recorder(t *testing.T, path string) *atomic.Int32 {
	t.Helper()
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return &n
}

// An agent the client cannot trust gets nothing: not in a folder another
// user owns or can write, not when another uid listens. The command goes
// on with the keystore, and says so in one line however often it asks.
func TestClientTrustsOnlyOwnAgent(t *testing.T) {
	testenv.RequireRoot(t, "act as another user")
	for _, tc := range []struct {
		name string
		// prepare makes the socket's folder and returns what the
		// listener there received ("" when it counted no connection).
		prepare func(t *testing.T, dir, path string) func() string
		why     string
	}{
		{"folder owned by another uid", func(t *testing.T, dir, path string) func() string {
			os.Mkdir(dir, 0o700)
			n := recorder(t, path)
			os.Chown(dir, testenv.OtherUID, testenv.OtherUID)
			return func() string { return strings.Repeat("x", int(n.Load())) }
		}, "belongs to uid 65534"},
		{"group-writable folder", func(t *testing.T, dir, path string) func() string {
			os.Mkdir(dir, 0o700)
			n := recorder(t, path)
			os.Chmod(dir, 0o770)
			return func() string { return strings.Repeat("x", int(n.Load())) }
		}, "writable by other users"},
		{"world-writable sticky folder, like /tmp", func(t *testing.T, dir, path string) func() string {
			os.Mkdir(dir, 0o700)
			n := recorder(t, path)
			os.Chmod(dir, 0o777|fs.ModeSticky)
			return func() string { return strings.Repeat("x", int(n.Load())) }
		}, "writable by other users"},
		{"a symlinked folder", func(t *testing.T, dir, path string) func() string {
			os.Mkdir(dir+".real", 0o700)
			n := recorder(t, filepath.Join(dir+".real", "agent.sock"))
			os.Symlink(dir+".real", dir)
			return func() string { return strings.Repeat("x", int(n.Load())) }
		}, "is a symlink"},
		{"listening as another uid", func(t *testing.T, dir, path string) func() string {
			os.Mkdir(dir, 0o700)
			got := listenAsOther(t, path)
			return func() string {
				if s := got(); s != "got: []" {
					return s
				}
				return ""
			}
		}, "runs as uid 65534, not as you"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(sharedBase(t), "mfa-git")
			path := filepath.Join(dir, "agent.sock")
			received := tc.prepare(t, dir, path)
			var warn bytes.Buffer
			started := 0
			cl := &Client{Path: path, Warn: func(err error) { fmt.Fprintf(&warn, "mfa-git: warning: not using the agent: %v\n", err) }, AutoStart: func() { started++ }}

			// The command still gets its session, from the keystore.
			store := keystoretest.NewMemory()
			want := newSession(testProfile, time.Hour)
			b, _ := json.Marshal(want)
			store.Set(source.CacheKey(testProfile), b)
			m := &source.Manager{Broker: cl, Store: store, Warn: func(err error) { fmt.Fprintf(&warn, "mfa-git: warning: %v\n", err) }}
			got, err := m.Session(context.Background(), source.MFAUser{Profile: testProfile})
			if err != nil || got.AccessKeyID != want.AccessKeyID {
				t.Fatalf("session: %v, %v", got, err)
			}
			// Every request is refused the same way.
			if _, _, err := cl.Fetch(context.Background(), wantOf("k", testProfile, time.Minute)); !errors.Is(err, session.ErrNoBroker) {
				t.Fatalf("Fetch: %v, want ErrNoBroker", err)
			}
			if err := cl.Put(context.Background(), source.CacheKey(testProfile), want); !errors.Is(err, session.ErrNoBroker) {
				t.Fatalf("Put: %v, want ErrNoBroker", err)
			}
			if _, err := cl.Status(context.Background()); !errors.Is(err, session.ErrNoBroker) {
				t.Fatalf("Status: %v, want ErrNoBroker", err)
			}
			if r := received(); r != "" {
				t.Fatalf("the untrusted listener received %q", r)
			}
			lines := strings.Split(strings.TrimSuffix(warn.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "mfa-git: warning: not using the agent: ") || !strings.Contains(lines[0], tc.why) {
				t.Fatalf("warnings %q; want one line saying %q", warn.String(), tc.why)
			}
			if started != 0 {
				t.Fatal("an agent was started into a folder that failed the check")
			}
		})
	}
}

// MFA_GIT_AGENT_SOCK may name a path in a folder mfa-git did not make:
// Listen never changes that folder's mode, and refuses one that other
// users own or can write.
func TestListenLeavesForeignFolders(t *testing.T) {
	testenv.RequireRoot(t, "act as another user")
	for _, tc := range []struct {
		name  string
		mode  fs.FileMode
		owner int
		ok    bool
	}{
		{"ours, 0750", 0o750, 0, true},
		{"ours, 0755", 0o755, 0, true},
		{"ours, group-writable", 0o775, 0, false},
		{"shared like /tmp", 0o777 | fs.ModeSticky, 0, false},
		{"another user's", 0o755, testenv.OtherUID, false},
		{"another user's, open to all", 0o777, testenv.OtherUID, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(sharedBase(t), "folder")
			os.Mkdir(dir, 0o700)
			os.Chmod(dir, tc.mode)
			os.Chown(dir, tc.owner, tc.owner)
			before, _ := os.Lstat(dir)
			srv, err := Listen(filepath.Join(dir, "x.sock"), keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0))
			if srv != nil {
				srv.Close()
			}
			if tc.ok != (err == nil) {
				t.Fatalf("Listen: %v; want ok=%v", err, tc.ok)
			}
			after, _ := os.Lstat(dir)
			if after.Mode() != before.Mode() {
				t.Fatalf("folder mode changed from %v to %v", before.Mode(), after.Mode())
			}
			if _, err := os.Lstat(filepath.Join(dir, "x.sock")); err == nil {
				t.Fatal("a socket was left behind")
			}
		})
	}
}

// Only a dead socket of ours is replaced. A file, a symlink, a folder or
// another user's socket at the socket path is never removed.
func TestListenNeverRemovesForeign(t *testing.T) {
	testenv.RequireRoot(t, "act as another user")
	deadSocket := func(t *testing.T, path string) {
		ln, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		ln.(*net.UnixListener).SetUnlinkOnClose(false)
		ln.Close()
	}
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, path string)
		replace bool
	}{
		{"dead socket of ours", deadSocket, true},
		{"regular file", func(t *testing.T, p string) { os.WriteFile(p, []byte("notes\n"), 0o600) }, false},
		{"symlink to a file", func(t *testing.T, p string) {
			os.WriteFile(p+".target", []byte("notes\n"), 0o600)
			os.Symlink(p+".target", p)
		}, false},
		{"symlink to a dead socket of ours", func(t *testing.T, p string) { deadSocket(t, p+".target"); os.Symlink(p+".target", p) }, false},
		{"folder", func(t *testing.T, p string) { os.Mkdir(p, 0o700) }, false},
		{"another user's dead socket", func(t *testing.T, p string) { deadSocket(t, p); os.Chown(p, testenv.OtherUID, testenv.OtherUID) }, false},
		{"another user's live socket", func(t *testing.T, p string) { listenAsOther(t, p) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(sharedBase(t), "mfa-git")
			os.Mkdir(dir, 0o700)
			path := filepath.Join(dir, "agent.sock")
			tc.prepare(t, path)
			before, _ := os.Lstat(path)
			srv, err := Listen(path, keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0))
			if tc.replace {
				if err != nil {
					t.Fatalf("a stale socket of ours was not replaced: %v", err)
				}
				srv.Close()
				return
			}
			if err == nil {
				srv.Close()
				t.Fatal("Listen took over the path")
			}
			after, lerr := os.Lstat(path)
			if lerr != nil || !os.SameFile(before, after) {
				t.Fatalf("%s was removed or replaced (%v)", path, lerr)
			}
			if b, err := os.ReadFile(path + ".target"); err == nil && len(b) > 0 && string(b) != "notes\n" {
				t.Fatalf("the symlink's target changed: %q", b)
			}
		})
	}
}

// Close removes the agent's own socket, and not one that took its place.
func TestCloseRemovesOnlyOwnSocket(t *testing.T) {
	srv, _, _ := startServer(t, keystoretest.NewMemory())
	srv.Close()
	if _, err := os.Lstat(srv.path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("stale socket after Close: %v", err)
	}

	srv, _, _ = startServer(t, keystoretest.NewMemory())
	os.Remove(srv.path)
	os.WriteFile(srv.path, []byte("someone else's\n"), 0o600)
	srv.Close()
	if b, err := os.ReadFile(srv.path); err != nil || string(b) != "someone else's\n" {
		t.Fatalf("Close removed what took the socket's place: %q %v", b, err)
	}
}

// The agent's log is never opened through a symlink at its path, nor a
// FIFO (which would block the command that starts the agent).
func TestSpawnLogNoFollow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, log string)
	}{
		{"symlink", func(t *testing.T, p string) { os.Symlink(p+".target", p) }},
		{"symlink to an existing file", func(t *testing.T, p string) {
			os.WriteFile(p+".target", []byte("keep\n"), 0o600)
			os.Symlink(p+".target", p)
		}},
		{"fifo", func(t *testing.T, p string) { exec.Command("mkfifo", p).Run() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "agent.log")
			tc.prepare(t, logPath)
			done := make(chan error, 1)
			go func() {
				_, err := Spawn("/bin/true", logPath)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("Spawn opened the log")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Spawn blocked on the log path")
			}
			if b, err := os.ReadFile(logPath + ".target"); err == nil && string(b) != "keep\n" {
				t.Fatalf("the log was opened through the symlink: its target holds %q", b)
			}
		})
	}
}

// The socket is only ever in a folder of the user's own: XDG_RUNTIME_DIR
// inherited from another user (after su) or open to others is skipped,
// and without HOME the user database's home is used, never /tmp or a
// path relative to the current folder.
func TestSocketPathOnlyOwnFolders(t *testing.T) {
	testenv.RequireRoot(t, "act as another user")
	base := sharedBase(t)
	mk := func(name string, mode fs.FileMode, uid int) string {
		d := filepath.Join(base, name)
		os.Mkdir(d, 0o700)
		os.Chmod(d, mode)
		os.Chown(d, uid, uid)
		return d
	}
	ours, open, theirs := mk("ours", 0o700, 0), mk("open", 0o755, 0), mk("theirs", 0o700, testenv.OtherUID)
	cache := filepath.Join(base, "cache")
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		t.Fatal(err)
	}
	home := u.HomeDir
	for _, tc := range []struct {
		name                  string
		sock, runtime, xcache string
		noHome                bool
		want                  string
	}{
		{"MFA_GIT_AGENT_SOCK", "/somewhere/a.sock", ours, cache, false, "/somewhere/a.sock"},
		{"MFA_GIT_AGENT_SOCK relative", "a.sock", ours, cache, false, ""},
		{"our runtime folder", "", ours, cache, false, filepath.Join(ours, "mfa-git", "agent.sock")},
		{"runtime folder open to others", "", open, cache, false, filepath.Join(cache, "mfa-git", "agent.sock")},
		{"another user's runtime folder (su)", "", theirs, cache, false, filepath.Join(cache, "mfa-git", "agent.sock")},
		{"relative runtime folder", "", "run", cache, false, filepath.Join(cache, "mfa-git", "agent.sock")},
		{"no runtime folder", "", "", cache, false, filepath.Join(cache, "mfa-git", "agent.sock")},
		{"HOME unset", "", "", "", true, filepath.Join(home, ".cache", "mfa-git", "agent.sock")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(base)
			t.Setenv("MFA_GIT_AGENT_SOCK", tc.sock)
			t.Setenv("XDG_RUNTIME_DIR", tc.runtime)
			t.Setenv("XDG_CACHE_HOME", tc.xcache)
			if tc.noHome {
				t.Setenv("HOME", "")
				os.Unsetenv("HOME")
			}
			if got, _ := SocketPath(tc.sock); got != tc.want {
				t.Fatalf("SocketPath() = %q, want %q", got, tc.want)
			}
		})
	}
}
