//go:build !windows

package agent

import (
	"context"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// startRefresher starts an agent whose Refresh is refresh.
func startRefresher(t *testing.T, store keystore.Store, lead time.Duration, refresh func(ctx context.Context, testProfile string) (string, *session.Session, error)) (*Server, *Client) {
	t.Helper()
	dir, err := os.MkdirTemp("", "mga")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	srv, err := Listen(filepath.Join(dir, "s", "agent.sock"), store, log.New(&syncBuffer{}, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	srv.Refresher, srv.RefreshLead = refreshFunc(refresh), lead
	go srv.Serve()
	t.Cleanup(srv.Close)
	return srv, &Client{Path: srv.path}
}

// refreshFunc is a Refresher that renews the session of a profile by
// name; the key it returns is the one the session is filed under, as the
// obtain loop records it in the session.
type refreshFunc func(ctx context.Context, name string) (string, *session.Session, error)

func (f refreshFunc) Refresh(ctx context.Context, old *session.Session, _ time.Duration) (*session.Session, error) {
	key, s, err := f(ctx, old.Profile)
	if s != nil {
		s.Key = key
	}
	return s, err
}

// shortSession lasts life from now. It records no issue time, as entries
// from before it was recorded, so the agent must work its lifetime out.
func shortSession(life time.Duration) *session.Session {
	s := newSession(testProfile, 0)
	s.Expiration = time.Now().Add(life)
	return s
}

// A session is never refreshed in the first half of its life, whatever
// the refresh lead: with 4-second sessions and a 15-minute lead, about
// one refresh per 2 seconds, not one a second or a storm.
func TestRefreshNotInFirstHalf(t *testing.T) {
	for _, lead := range []time.Duration{15 * time.Minute, time.Hour, 3 * time.Second} {
		t.Run(lead.String(), func(t *testing.T) {
			var calls atomic.Int32
			start := time.Now()
			var first atomic.Int64
			_, cl := startRefresher(t, keystoretest.NewMemory(), lead, func(ctx context.Context, name string) (string, *session.Session, error) {
				if calls.Add(1) == 1 {
					first.Store(int64(time.Since(start)))
				}
				return source.CacheKey(testProfile), shortSession(4 * time.Second), nil
			})
			if err := cl.Put(context.Background(), source.CacheKey(testProfile), shortSession(4*time.Second)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Second)
			if n := calls.Load(); n < 1 || n > 2 {
				t.Fatalf("%d refreshes of 4-second sessions in 5 seconds, want 1 or 2", n)
			}
			if f := time.Duration(first.Load()); f < 1900*time.Millisecond {
				t.Fatalf("first refresh after %s, in the first half of a 4-second session", f)
			}
		})
	}
}

// Callers asking while the agent refreshes wait for it: one STS call, not
// a refresh and a lease.
func TestCallersWaitForRefresh(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	_, cl := startRefresher(t, keystoretest.NewMemory(), time.Hour, func(ctx context.Context, name string) (string, *session.Session, error) {
		calls.Add(1)
		<-release
		return source.CacheKey(testProfile), newSession(testProfile, time.Hour), nil
	})
	cl.Put(context.Background(), source.CacheKey(testProfile), shortSession(time.Second))
	time.Sleep(700 * time.Millisecond) // the refresh is running
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, lease, err := cl.Fetch(context.Background(), wantOf(source.CacheKey(testProfile), testProfile, 10*time.Minute))
			if err != nil || lease != nil || time.Until(s.Expiration) < 50*time.Minute {
				t.Errorf("caller during a refresh: lease %v, %v", lease, err)
				if lease != nil {
					lease.Abort("test")
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("%d refreshes", calls.Load())
	}
}

// logout during a refresh, or while a leaseholder asks for the code: the
// session made meanwhile is kept nowhere, and logout's answer names what
// the agent dropped.
func TestLogoutWinsOverInFlight(t *testing.T) {
	key := source.CacheKey(testProfile)
	t.Run("refresh", func(t *testing.T) {
		store := keystoretest.NewMemory()
		started, release := make(chan struct{}), make(chan struct{})
		_, cl := startRefresher(t, store, time.Hour, func(ctx context.Context, name string) (string, *session.Session, error) {
			close(started)
			<-release
			return key, newSession(testProfile, time.Hour), nil
		})
		cl.Put(context.Background(), key, shortSession(time.Second))
		waitStarted(t, started)
		keys, err := cl.Forget(context.Background(), "session/")
		if err != nil || strings.Join(keys, ",") != key {
			t.Fatalf("Forget = %q, %v; want [%s]", keys, err, key)
		}
		close(release)
		time.Sleep(200 * time.Millisecond)
		assertEmpty(t, cl, store)
	})
	t.Run("lease", func(t *testing.T) {
		store := keystoretest.NewMemory()
		_, cl, _ := startServer(t, store)
		_, lease, err := cl.Fetch(context.Background(), wantOf(key, testProfile, time.Minute))
		if err != nil || lease == nil {
			t.Fatalf("no lease: %v", err)
		}
		keys, err := cl.Forget(context.Background(), session.ProfilePrefix("base"))
		if err != nil || len(keys) != 0 {
			t.Fatalf("Forget = %q, %v; want nothing", keys, err)
		}
		if err := lease.Deliver(newSession(testProfile, time.Hour), false); err == nil || !strings.Contains(err.Error(), "logged out") {
			t.Fatalf("Deliver after logout = %v", err)
		}
		assertEmpty(t, cl, store)
	})
}

func assertEmpty(t *testing.T, cl *Client, store keystore.Store) {
	t.Helper()
	info, err := cl.Status(context.Background())
	if err != nil || len(info.Sessions) != 0 {
		t.Fatalf("agent holds %+v after logout (%v)", info.Sessions, err)
	}
	if keys, _ := store.List(); len(keys) != 0 {
		t.Fatalf("keystore holds %q after logout", keys)
	}
}

// Close ends a refresh under way, and with it the token command.
func TestCloseEndsRefresh(t *testing.T) {
	started, ended := make(chan struct{}), make(chan error, 1)
	srv, cl := startRefresher(t, keystoretest.NewMemory(), time.Hour, func(ctx context.Context, name string) (string, *session.Session, error) {
		close(started)
		<-ctx.Done()
		ended <- ctx.Err()
		return "", nil, ctx.Err()
	})
	cl.Put(context.Background(), source.CacheKey(testProfile), shortSession(time.Second))
	waitStarted(t, started)
	srv.Close()
	select {
	case err := <-ended:
		if err != context.Canceled {
			t.Fatalf("refresh ended with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the refresh")
	}
}

// waitStarted waits for a refresh to start, failing the test (not
// hanging it) when none does.
func waitStarted(t *testing.T, started <-chan struct{}) {
	t.Helper()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no refresh started")
	}
}
