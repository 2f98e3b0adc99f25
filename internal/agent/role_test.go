//go:build !windows

package agent

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// The agent holds role sessions under their keys, and never hands one to
// Refresh (which makes MFA sessions from a profile's token command): the
// next command renews a role session from the MFA session itself.
func TestRoleSessionNotRefreshed(t *testing.T) {
	var calls atomic.Int32
	_, cl := startRefresher(t, keystoretest.NewMemory(), time.Hour, func(ctx context.Context, name string) (string, *session.Session, error) {
		calls.Add(1)
		return "", nil, context.Canceled
	})
	r := &profile.Role{Name: "dev", Source: testProfile, Chain: []profile.RoleStep{{Profile: "dev", RoleARN: "arn:aws:iam::1:role/dev", SessionName: "s1"}}}
	key := source.RoleKey(r)
	s := shortSession(2 * time.Second)
	s.Profile = "dev"
	s.Role = &session.RoleInfo{Source: testProfile.Name, MFASession: source.CacheKey(testProfile), ID: key[len(session.RolePrefix("base", "dev")):]}
	if !session.Belongs(key, s) {
		t.Fatalf("role session %+v does not belong under %s", s.Role, key)
	}
	if err := cl.Put(context.Background(), key, s); err != nil {
		t.Fatal(err)
	}
	got, _, err := cl.Fetch(context.Background(), wantOf(key, &profile.Profile{Name: "dev", Duration: time.Hour}, 0))
	if err != nil || got == nil || got.Role == nil || got.Role.Source != "base" {
		t.Fatalf("Fetch = %+v, %v", got, err)
	}
	time.Sleep(1500 * time.Millisecond) // past the half-life the agent refreshes at
	if n := calls.Load(); n != 0 {
		t.Errorf("the agent called Refresh %d times for a role session", n)
	}
}
