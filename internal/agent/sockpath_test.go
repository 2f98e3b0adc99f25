//go:build !windows

package agent

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// A socket file name too long for any address (the folder's length can
// be worked around, the name's cannot) is refused with the system's
// reason and a hint about the path, not about who owns the folder.
func TestListenLongSocketName(t *testing.T) {
	path := filepath.Join(t.TempDir(), strings.Repeat("n", 120))
	srv, err := Listen(path, keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0))
	if err == nil {
		srv.Close()
		t.Fatal("Listen accepted a 120-byte socket name")
	}
	if !errors.Is(err, syscall.ENAMETOOLONG) || !strings.Contains(err.Error(), "too long") {
		t.Errorf("err = %v, want ENAMETOOLONG said in words", err)
	}
	if h := hint.Of(err); !strings.Contains(h, "shorter path") || !strings.Contains(h, "MFA_GIT_AGENT_SOCK") {
		t.Errorf("hint = %q, want one about a shorter path", h)
	}
}

// TestLongSocketPath starts an agent whose socket folder's path is far
// longer than a socket address can hold, and gets a session from it; a
// second agent on the same path is refused as for a short one, and Close
// removes the socket.
func TestLongSocketPath(t *testing.T) {
	for _, n := range []int{121, 300} {
		base := t.TempDir()
		dir := filepath.Join(base, strings.Repeat("d", n-len(base)-len("/agent.sock")-1))
		path := filepath.Join(dir, "agent.sock")
		if len(path) != n {
			t.Fatalf("path is %d bytes, want %d", len(path), n)
		}
		srv, err := Listen(path, keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0))
		if err != nil {
			t.Fatalf("%d bytes: Listen: %v", n, err)
		}
		go srv.Serve()
		cl := &Client{Path: path}
		key := source.CacheKey(testProfile)
		want := newSession(testProfile, time.Hour)
		if err := cl.Put(context.Background(), key, want); err != nil {
			t.Fatalf("%d bytes: Put: %v", n, err)
		}
		s, lease, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute))
		if err != nil || lease != nil || s.SessionToken != want.SessionToken {
			t.Fatalf("%d bytes: Fetch: %v, lease %v", n, err, lease)
		}
		if fi, err := os.Lstat(path); err != nil || fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
			t.Errorf("%d bytes: socket %v, %v", n, fi, err)
		}
		if _, err := Listen(path, keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0)); !errors.Is(err, ErrRunning) {
			t.Errorf("%d bytes: a second agent: %v, want ErrRunning", n, err)
		}
		srv.Close()
		if _, err := os.Lstat(path); !os.IsNotExist(err) {
			t.Errorf("%d bytes: socket left after Close: %v", n, err)
		}
	}
}

// TestLinkAddr checks the method macOS uses (it has no /proc): binding
// and connecting through a link in a private temporary folder, and
// refusing a link that points elsewhere or a folder others can write.
func TestLinkAddr(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, strings.Repeat("d", 120))
	if err := userdir.Private(dir); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	os.Chmod(tmp, 0o700)
	path := filepath.Join(dir, "agent.sock")
	max := len(tmp) + 45
	addr, release, err := linkAddr(path, tmp, max)
	if err != nil {
		t.Fatal(err)
	}
	release()
	if len(addr) > max || !strings.HasPrefix(addr, tmp+"/mfa-git-sock-") {
		t.Fatalf("addr %q (%d bytes), want under %s within %d", addr, len(addr), tmp, max)
	}
	ln, err := net.Listen("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if fi, err := os.Lstat(path); err != nil || fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("no socket at the real path: %v", err)
	}
	again, _, err := linkAddr(path, tmp, max) // a client finds the same link
	if err != nil || again != addr {
		t.Fatalf("second call: %q, %v; want %q", again, err, addr)
	}
	c, err := net.Dial("unix", again)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()

	// The link repointed: refused, not followed.
	link := filepath.Dir(addr)
	os.Remove(link)
	os.Symlink(base, link)
	if _, _, err := linkAddr(path, tmp, max); err == nil || !strings.Contains(err.Error(), "not at the socket folder") {
		t.Errorf("a link to another folder: %v", err)
	}
	// A temporary folder others can write: refused.
	os.Remove(link)
	os.Chmod(tmp, 0o777)
	if _, _, err := linkAddr(path, tmp, max); err == nil || !strings.Contains(err.Error(), "not private") {
		t.Errorf("an open temporary folder: %v", err)
	}
	// A file name too long even so: ENAMETOOLONG, said.
	os.Chmod(tmp, 0o700)
	if _, _, err := linkAddr(filepath.Join(dir, strings.Repeat("n", 60)), tmp, max); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a long file name: %v", err)
	}
}
