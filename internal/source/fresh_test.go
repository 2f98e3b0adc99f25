package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// storeEntry writes a session for p into store as mfa-git stores it, with
// the given issue time (zero: an entry from before it was recorded).
func storeEntry(t *testing.T, store keystore.Store, p *profile.Profile, issued, expires time.Time) {
	t.Helper()
	v := map[string]any{"access_key_id": "ASIAOLD", "secret_access_key": "s", "session_token": "t",
		"expiration": expires.UTC(), "mfa_serial": p.MFASerial, "profile": p.Name, "source_access_key_id": p.AccessKeyID}
	if !issued.IsZero() {
		v["issued"] = issued.UTC()
	}
	b, _ := json.Marshal(v)
	if err := store.Set(CacheKey(p), b); err != nil {
		t.Fatal(err)
	}
}

// No session is replaced in the first half of its life, whatever the
// duration and the margin; past min(margin, half its life) it is.
func TestFreshness(t *testing.T) {
	for _, d := range []time.Duration{900 * time.Second, 3600 * time.Second, 43200 * time.Second} {
		for _, margin := range []time.Duration{0, 10 * time.Minute, 14 * time.Minute, time.Hour} {
			for _, recorded := range []bool{true, false} {
				due := min(cmpOr(margin, DefaultMargin), d/2) // lead before expiry
				cases := []struct {
					age      time.Duration
					replaced bool
				}{
					{time.Second, false},
					{d/2 - 5*time.Second, false},
					{d - due - 5*time.Second, false},
					{d - due + 5*time.Second, true},
				}
				for _, c := range cases {
					name := fmt.Sprintf("%s/margin=%s/issued=%v/age=%s", d, margin, recorded, c.age)
					t.Run(name, func(t *testing.T) {
						m, sts, _, _ := newTestManager(t)
						m.Margin = margin
						p := testProfile()
						p.Duration = d
						now := time.Now()
						issued := now.Add(-c.age)
						if !recorded {
							issued = time.Time{}
						}
						storeEntry(t, m.Store, p, issued, now.Add(d-c.age))
						if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
							t.Fatal(err)
						}
						if got := sts.calls.Load() == 1; got != c.replaced {
							t.Fatalf("session of %s, %s old, margin %s: replaced=%v, want %v", d, c.age, margin, got, c.replaced)
						}
					})
				}
			}
		}
	}
}

func cmpOr(a, b time.Duration) time.Duration {
	if a != 0 {
		return a
	}
	return b
}

// tokenPrompter stands for a token command: it prints the same code for a
// whole step, and records the step of each run.
type tokenPrompter struct {
	m       *Manager
	steps   []int64
	started chan struct{} // if set, told of each run
	block   chan struct{} // if set, each run waits for it
}

func (tp *tokenPrompter) Automatic(*profile.Profile) bool { return true }
func (tp *tokenPrompter) Code(ctx context.Context, p *profile.Profile) (string, error) {
	tp.steps = append(tp.steps, session.StepOf(tp.m.now()))
	if tp.started != nil {
		tp.started <- struct{}{}
	}
	if tp.block != nil {
		<-tp.block
	}
	return "123456", nil
}

// A token command's code is never sent twice: a second session within one
// code step waits for the next step, whoever asks (login --force, a
// refresh, a retry after a failure).
func TestTokenCodeNeverSentTwice(t *testing.T) {
	for _, tt := range []struct {
		name   string
		second func(m *Manager, p *profile.Profile) error
	}{
		{"login --force", func(m *Manager, p *profile.Profile) error {
			_, _, err := m.Obtain(context.Background(), MFAUser{Profile: p}, true)
			return err
		}},
		{"expired", func(m *Manager, p *profile.Profile) error {
			m.Store.Remove(CacheKey(p))
			_, err := m.Session(context.Background(), MFAUser{Profile: p})
			return err
		}},
		{"another manager", func(m *Manager, p *profile.Profile) error {
			m2 := &Manager{Store: keystoretest.NewMemory(), STS: m.STS, Prompter: m.Prompter, LockDir: m.LockDir, Now: m.Now}
			_, err := m2.Session(context.Background(), MFAUser{Profile: p})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _, _ := newTestManager(t)
			// 400 ms before a step ends, so the wait is short.
			real := time.Now()
			offset := session.StepStart(session.StepOf(real) + 1).Add(-400 * time.Millisecond).Sub(real)
			m.Now = func() time.Time { return time.Now().Add(offset) }
			tp := &tokenPrompter{m: m}
			m.Prompter = tp
			p := testProfile()
			if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
				t.Fatal(err)
			}
			if err := tt.second(m, p); err != nil {
				t.Fatal(err)
			}
			if len(tp.steps) != 2 || tp.steps[1] <= tp.steps[0] {
				t.Fatalf("token command ran in steps %v: the second code was of the same step", tp.steps)
			}
		})
	}
}

// A person asked twice within one step is told that the code was used.
func TestPersonToldCodeWasUsed(t *testing.T) {
	m, _, _, warn := newTestManager(t)
	p := testProfile()
	m.Obtain(context.Background(), MFAUser{Profile: p}, true)
	m.Obtain(context.Background(), MFAUser{Profile: p}, true)
	if !strings.Contains(warn.String(), "was just used; type the next one") {
		t.Fatalf("warnings: %q", warn.String())
	}
}

// refusingSTS refuses the first code it is sent, as STS refuses a
// mistyped one, then issues sessions.
type refusingSTS struct {
	*countingSTS
	refused atomic.Bool
}

func (r *refusingSTS) GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*awsapi.Credentials, error) {
	if r.refused.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("%w: AccessDenied", awsapi.ErrCodeRefused)
	}
	return r.countingSTS.GetSessionToken(ctx, p, code)
}

// After AWS refused a code (a typo), a person asked again within the step
// is told that, and not that the code was used: the device's code of
// that step may never have been sent.
func TestPersonToldCodeWasRefused(t *testing.T) {
	m, sts, _, warn := newTestManager(t)
	m.STS = &refusingSTS{countingSTS: sts}
	p := testProfile()
	if _, _, err := m.Obtain(context.Background(), MFAUser{Profile: p}, true); !errors.Is(err, awsapi.ErrCodeRefused) {
		t.Fatalf("first login: %v", err)
	}
	if _, _, err := m.Obtain(context.Background(), MFAUser{Profile: p}, true); err != nil {
		t.Fatalf("second login: %v", err)
	}
	if strings.Contains(warn.String(), "just used") || !strings.Contains(warn.String(), "AWS refused the last MFA code for profile base; type the code your device shows now") {
		t.Fatalf("warnings: %q", warn.String())
	}
	// The code that made the session was used: a third prompt says so.
	warn.Reset()
	m.Obtain(context.Background(), MFAUser{Profile: p}, true)
	if !strings.Contains(warn.String(), "was just used") {
		t.Fatalf("warnings after a used code: %q", warn.String())
	}
}

// A logout while the code is being asked for wins: the session made then
// is not kept, and the caller is told why.
func TestLogoutDuringAcquire(t *testing.T) {
	for _, logout := range []string{"base", ""} {
		for _, force := range []bool{false, true} {
			t.Run(fmt.Sprintf("logout=%q/force=%v", logout, force), func(t *testing.T) {
				m, _, _, _ := newTestManager(t)
				tp := &tokenPrompter{m: m, started: make(chan struct{}, 1), block: make(chan struct{})}
				m.Prompter = tp
				p := testProfile()
				done := make(chan error)
				go func() { _, _, err := m.Obtain(context.Background(), MFAUser{Profile: p}, force); done <- err }()
				<-tp.started
				other := &Manager{Store: m.Store, LockDir: m.LockDir}
				n, err := other.Forget(logout)
				if err != nil || n != 0 {
					t.Fatalf("Forget = %d, %v", n, err)
				}
				close(tp.block)
				if err := <-done; !errors.Is(err, session.ErrLoggedOut) || hint.Of(err) == "" {
					t.Fatalf("login during logout: %v", err)
				}
				if keys, _ := m.Store.List(); len(keys) != 0 {
					t.Fatalf("kept after logout: %q", keys)
				}
			})
		}
	}
}

// fakeBroker reports what an agent dropped.
type fakeBroker struct {
	session.Broker
	forgotten []string
}

func (f *fakeBroker) Forget(context.Context, string) ([]string, error) { return f.forgotten, nil }

// logout counts every distinct session it removed, from the agent and
// the keystore.
func TestForgetCountsAgentAndStore(t *testing.T) {
	m, _, _, _ := newTestManager(t)
	p := testProfile()
	m.Session(context.Background(), MFAUser{Profile: p})
	for _, tt := range []struct {
		agent []string
		want  int
	}{
		{nil, 1},
		{[]string{CacheKey(p)}, 1},
		{[]string{CacheKey(p), "session/base/ffff"}, 2},
		{[]string{"session/base/ffff"}, 2},
	} {
		m.Store.Set(CacheKey(p), []byte("x"))
		m.Broker = &fakeBroker{forgotten: tt.agent}
		if n, err := m.Forget("base"); n != tt.want || err != nil {
			t.Errorf("agent dropped %q, store 1: Forget = %d, %v; want %d", tt.agent, n, err, tt.want)
		}
	}
}
