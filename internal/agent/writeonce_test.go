//go:build !windows

package agent

import (
	"context"
	"sync"
	"testing"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
)

// countingStore counts the writes of each key.
type countingStore struct {
	keystore.Store
	mu   sync.Mutex
	sets map[string]int
}

func (c *countingStore) Set(key string, v []byte) error {
	c.mu.Lock()
	c.sets[key]++
	c.mu.Unlock()
	return c.Store.Set(key, v)
}

func (c *countingStore) writes(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sets[key]
}

type sandboxCode func() string

func (f sandboxCode) Code(context.Context, *profile.Profile) (string, error) { return f(), nil }

// A new session is written to the keystore once: the leaseholder hands
// it to the agent, which writes it (it used to be written by both). So is
// a session of login --force, which the agent is given.
func TestNewSessionWrittenOnce(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	store := &countingStore{Store: keystoretest.NewMemory(), sets: map[string]int{}}
	_, cl, _ := startServer(t, store)
	m := &source.Manager{Broker: cl, Store: store, STS: awsapi.Client{}, LockDir: t.TempDir(),
		Prompter: sandboxCode(func() string { return sb.UnusedCode(sb.UserNamed("alice")) })}
	key := source.CacheKey(p)
	for i, force := range []bool{false, true} {
		if _, made, err := m.Obtain(context.Background(), source.MFAUser{Profile: p}, force); err != nil || !made {
			t.Fatalf("force=%v: made %v, %v", force, made, err)
		}
		if n := store.writes(key); n != i+1 {
			t.Fatalf("force=%v: the session was written %d times, want once", force, n-i)
		}
		info, err := cl.Status(context.Background())
		if err != nil || len(info.Sessions) != 1 {
			t.Fatalf("force=%v: the agent holds %+v (%v), want the session", force, info, err)
		}
	}
}
