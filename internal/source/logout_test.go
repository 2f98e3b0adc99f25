package source

import (
	"context"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/session"
)

// keepingStore accepts every Remove and keeps the entry, as a keyring
// that answers a delete without doing it.
type keepingStore struct{ keystore.Store }

func (keepingStore) Remove(string) error { return nil }

// TestForgetCountsOnlyWhatIsGone: logout reports only the sessions a
// fresh listing of the keystore no longer holds; a store that accepted
// a removal and kept the entry is an error naming it.
func TestForgetCountsOnlyWhatIsGone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		keeps   bool
		wantN   int
		wantErr string
	}{
		{"removed", false, 1, ""},
		{"Remove says yes, entry stays", true, 0, "still holds 1 cached session(s) after they were removed: session/base/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _, _ := newTestManager(t)
			p := testProfile()
			if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
				t.Fatal(err)
			}
			if tc.keeps {
				m.Store = keepingStore{m.Store}
			}
			n, err := m.Forget("base")
			if n != tc.wantN {
				t.Errorf("Forget reported %d removed, want %d", n, tc.wantN)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// slowAgent is an agent that removes the sessions from the keystore, as
// the real one does, but whose answer never arrives (a slow keyring made
// the client's wait end).
type slowAgent struct {
	session.Broker
	m *Manager
}

func (a slowAgent) Forget(_ context.Context, prefix string) ([]string, error) {
	keys, _ := a.m.cache().Keys(prefix)
	for _, k := range keys {
		a.m.Store.Remove(k)
	}
	return nil, context.DeadlineExceeded
}

// A logout counts every session that was stored and is gone, also the
// ones the agent removed when its answer did not arrive.
func TestForgetCountsWhatTheAgentRemoved(t *testing.T) {
	m, _, _, _ := newTestManager(t)
	for _, name := range []string{"base", "other"} {
		p := testProfile()
		p.Name = name
		if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
			t.Fatal(err)
		}
	}
	m.Broker = slowAgent{m: m}
	if n, err := m.Forget(""); n != 2 || err != nil {
		t.Fatalf("Forget = %d, %v; want 2 removed", n, err)
	}
}
