//go:build !windows

// The agent listens only where Supported (sys_unix.go): these tests
// need a listening agent, so they are not built for Windows.

package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServer(t *testing.T, store keystore.Store) (*Server, *Client, *syncBuffer) {
	t.Helper()
	dir, err := os.MkdirTemp("", "mga")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	logs := &syncBuffer{}
	srv, err := Listen(filepath.Join(dir, "s", "agent.sock"), store, log.New(logs, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(srv.Close)
	return srv, &Client{Path: srv.path}, logs
}

func newSession(p *profile.Profile, life time.Duration) *session.Session {
	return &session.Session{AccessKeyID: "ASIAXXXXXXXXXXXXXXXX", SecretAccessKey: "s", SessionToken: strings.Repeat("t", 3000),
		Expiration: time.Now().Add(life).UTC().Truncate(time.Second), MFASerial: p.MFASerial, Profile: p.Name, SourceKeyID: p.AccessKeyID}
}

func TestSocketModes(t *testing.T) {
	srv, _, _ := startServer(t, keystoretest.NewMemory())
	for path, want := range map[string]os.FileMode{filepath.Dir(srv.path): 0o700, srv.path: 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	if _, err := Listen(srv.path, keystoretest.NewMemory(), log.New(&bytes.Buffer{}, "", 0)); err == nil {
		t.Error("a second agent listened on a live socket")
	}
}

// Many callers, empty cache: one lease, every caller gets the session.
func TestOneLeaseManyWaiters(t *testing.T) {
	store := keystoretest.NewMemory()
	_, cl, logs := startServer(t, store)
	key := source.CacheKey(testProfile)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		leases int
		got    []string
	)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, lease, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute))
			if err != nil {
				t.Error(err)
				return
			}
			if lease != nil {
				mu.Lock()
				leases++
				mu.Unlock()
				time.Sleep(100 * time.Millisecond) // a person typing
				s = newSession(testProfile, time.Hour)
				if err := lease.Deliver(s, false); err != nil {
					t.Error(err)
				}
			}
			mu.Lock()
			got = append(got, s.AccessKeyID)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if leases != 1 || len(got) != 32 {
		t.Fatalf("%d leases, %d answers; want 1 and 32", leases, len(got))
	}
	if b, err := store.Get(key); err != nil || !bytes.Contains(b, []byte("ASIAXXXX")) {
		t.Fatalf("not written through to the keystore: %v", err)
	}
	if n := strings.Count(logs.String(), "lease granted"); n != 1 {
		t.Fatalf("log shows %d leases", n)
	}
	if strings.Contains(logs.String(), "tttttttt") {
		t.Fatal("the log holds the session token")
	}
}

// The leaseholder goes away: waiters are told at once; the next caller
// gets the lease.
func TestLeaseholderInterrupted(t *testing.T) {
	_, cl, _ := startServer(t, keystoretest.NewMemory())
	key := source.CacheKey(testProfile)
	_, first, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute))
	if err != nil || first == nil {
		t.Fatalf("first caller: lease %v, %v", first, err)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute))
		errc <- err
	}()
	// Wait until the agent counts the waiter, then the leaseholder dies.
	for i := 0; ; i++ {
		info, err := cl.Status(context.Background())
		if err == nil && len(info.Leases) == 1 && info.Leases[0].Waiting == 1 {
			break
		}
		if i > 400 {
			t.Fatalf("the waiter never waited: %+v %v", info, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	first.(*lease).c.Close() // the process dies: its socket closes
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "stopped before it finished") {
			t.Fatalf("waiter got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiter was not told within 10s")
	}
	if _, l2, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute)); err != nil || l2 == nil {
		t.Fatalf("next caller: lease %v, %v", l2, err)
	} else {
		l2.Abort("test done")
	}
}

func TestReloadAndExpiry(t *testing.T) {
	store := keystoretest.NewMemory()
	live := newSession(testProfile, time.Hour)
	b, _ := json.Marshal(live)
	store.Set(source.CacheKey(testProfile), b)
	other := &profile.Profile{Name: "old", AccessKeyID: testProfile.AccessKeyID, MFASerial: testProfile.MFASerial}
	dead := newSession(other, -time.Minute)
	b, _ = json.Marshal(dead)
	store.Set(source.CacheKey(other), b)
	store.Set("session/bad/0000", []byte("{corrupt"))

	_, cl, _ := startServer(t, store)
	info, err := cl.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Sessions) != 1 || info.Sessions[0].Profile != "base" {
		t.Fatalf("reloaded %+v, want only base", info.Sessions)
	}
	if keys, _ := store.List(); len(keys) != 1 {
		t.Fatalf("expired or corrupt entries kept: %q", keys)
	}
	s, lease, err := cl.Fetch(context.Background(), wantOf(source.CacheKey(testProfile), testProfile, time.Minute))
	if err != nil || lease != nil || s.AccessKeyID != live.AccessKeyID {
		t.Fatalf("reloaded session not served: %v %v", lease, err)
	}
	// A session with less than the margin left is not served.
	if _, lease, _ := cl.Fetch(context.Background(), wantOf(source.CacheKey(testProfile), testProfile, 2*time.Hour)); lease == nil {
		t.Fatal("a session inside the margin was served")
	} else {
		lease.Abort("done")
	}
}

func TestPutRejectsForeignKey(t *testing.T) {
	_, cl, _ := startServer(t, keystoretest.NewMemory())
	other := &profile.Profile{Name: "other", AccessKeyID: "AKIABBBBBBBBBBBBBBBB", MFASerial: "m"}
	if err := cl.Put(context.Background(), source.CacheKey(testProfile), newSession(other, time.Hour)); err == nil {
		t.Fatal("stored a session under another profile's key")
	}
}

// Another user reaching the socket (the folder and socket opened up on
// purpose, so only the peer check stands in the way) gets nothing.
func TestOtherUIDRefused(t *testing.T) {
	if os.Getuid() != 0 {
		if os.Getenv("MFA_GIT_CI") != "" {
			t.Fatal("CI runs as root and must run this test")
		}
		t.Skip("needs root to run a client as another user")
	}
	setpriv := testenv.Require(t, "setpriv")
	// perl-base is essential on Debian: present, and runnable by any user.
	perl := testenv.Require(t, "/usr/bin/perl")
	store := keystoretest.NewMemory()
	s := newSession(testProfile, time.Hour)
	b, _ := json.Marshal(s)
	store.Set(source.CacheKey(testProfile), b)
	srv, _, logs := startServer(t, store)
	os.Chmod(filepath.Dir(filepath.Dir(srv.path)), 0o755)
	os.Chmod(filepath.Dir(srv.path), 0o755)
	os.Chmod(srv.path, 0o666)
	script := `$SIG{PIPE} = "IGNORE"; use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";
print $s qq({"v":1,"op":"get","key":"` + source.CacheKey(testProfile) + `","profile":"base"}\n);
my $r = ""; sysread($s, $r, 65536); print "got: [$r]\n";`
	out, err := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", perl, "-e", script, srv.path).CombinedOutput()
	if err != nil {
		t.Fatalf("client as uid 65534: %v\n%s", err, out)
	}
	if strings.TrimSpace(string(out)) != "got: []" {
		t.Fatalf("another uid got an answer: %s", out)
	}
	time.Sleep(50 * time.Millisecond)
	if !strings.Contains(logs.String(), "refused a connection from uid 65534") {
		t.Fatalf("refusal not logged: %q", logs.String())
	}
}

// An agent from another build says so, and how to fix it.
func TestVersionMismatchHint(t *testing.T) {
	_, cl, _ := startServer(t, keystoretest.NewMemory())
	cn, err := cl.dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close()
	cn.Write([]byte(`{"v":99,"op":"status"}` + "\n"))
	resp, err := cn.recv()
	if err != nil || resp.Status != "error" || !strings.Contains(resp.Error, "differ") || !strings.Contains(resp.Hint, "mfa-git agent stop") {
		t.Fatalf("got %+v, %v", resp, err)
	}
}

// slowStore blocks reads of one key until released, as a keyring daemon
// that hangs does.
type slowStore struct {
	keystore.Store
	key     string
	reading chan struct{}
	release chan struct{}
}

func (s *slowStore) Get(key string) ([]byte, error) {
	if key == s.key {
		close(s.reading)
		<-s.release
	}
	return s.Store.Get(key)
}

// A caller whose profile the agent does not hold waits on a slow keyring;
// callers whose sessions it holds are answered meanwhile.
func TestSlowKeyringDoesNotHoldUpMemory(t *testing.T) {
	other := &profile.Profile{Name: "other", AccessKeyID: "AKIABBBBBBBBBBBBBBBB", MFASerial: "arn:aws:iam::1:mfa/b"}
	store := &slowStore{Store: keystoretest.NewMemory(), key: source.CacheKey(other), reading: make(chan struct{}), release: make(chan struct{})}
	srv, cl, _ := startServer(t, store)
	srv.mu.Lock()
	srv.sessions[source.CacheKey(testProfile)] = newSession(testProfile, time.Hour)
	srv.mu.Unlock()

	slow := make(chan error, 1)
	go func() {
		_, lease, err := cl.Fetch(context.Background(), wantOf(source.CacheKey(other), other, time.Minute))
		if lease != nil {
			lease.Abort("test")
		}
		slow <- err
	}()
	<-store.reading
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, _, err := cl.Fetch(ctx, wantOf(source.CacheKey(testProfile), testProfile, time.Minute))
	close(store.release)
	if err != nil || s == nil {
		t.Fatalf("a held session waited for the slow keyring: %v", err)
	}
	if err := <-slow; err != nil {
		t.Fatalf("the slow caller: %v", err)
	}
}
