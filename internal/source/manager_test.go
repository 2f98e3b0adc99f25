package source

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// countingSTS hands out numbered sessions and counts calls.
type countingSTS struct {
	calls    atomic.Int32
	lifetime time.Duration
	reject   error
	roles    *countingRoles // AssumeRole's, when the test has roles
}

func (c *countingSTS) GetSessionToken(context.Context, *profile.Profile, string) (*awsapi.Credentials, error) {
	n := c.calls.Add(1)
	time.Sleep(20 * time.Millisecond) // widen the race window
	return &awsapi.Credentials{AccessKeyID: "ASIA" + string(rune('A'+n)), SecretAccessKey: "secret", SessionToken: strings.Repeat("t", 3000),
		Expiration: time.Now().Add(c.lifetime)}, nil
}

func (c *countingSTS) CallerIdentity(context.Context, *profile.Profile, awsapi.Credentials) (string, error) {
	if c.reject != nil {
		return "", c.reject
	}
	return "arn", nil
}

type fixedPrompter struct {
	n   atomic.Int32
	err error
}

func (f *fixedPrompter) Code(context.Context, *profile.Profile) (string, error) {
	f.n.Add(1)
	if f.err != nil {
		return "", f.err
	}
	return "123456", nil
}

func testProfile() *profile.Profile {
	return &profile.Profile{Name: "base", AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "s", MFASerial: "arn:aws:iam::1:mfa/a", Duration: time.Hour}
}

func newTestManager(t *testing.T) (*Manager, *countingSTS, *fixedPrompter, *bytes.Buffer) {
	sts := &countingSTS{lifetime: time.Hour}
	pr := &fixedPrompter{}
	var warn bytes.Buffer
	return &Manager{Store: keystoretest.NewMemory(), STS: sts, Prompter: pr, LockDir: t.TempDir(), Warn: warnTo(&warn), Tell: tellTo(&warn)}, sts, pr, &warn
}

// warnTo and tellTo print to w as cmd does.
func warnTo(w io.Writer) func(error) {
	return func(err error) {
		fmt.Fprintf(w, "mfa-git: warning: %v\n", err)
		if h := hint.Of(err); h != "" {
			fmt.Fprintf(w, "mfa-git: hint: %s\n", h)
		}
	}
}

func tellTo(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(w, "mfa-git: %s\n", msg) }
}

func TestCacheReuse(t *testing.T) {
	m, sts, pr, _ := newTestManager(t)
	p := testProfile()
	s1, err := m.Session(context.Background(), MFAUser{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := m.Session(context.Background(), MFAUser{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	if s1.AccessKeyID != s2.AccessKeyID || sts.calls.Load() != 1 || pr.n.Load() != 1 {
		t.Fatalf("second call was not served from the cache: %d STS calls, %d prompts", sts.calls.Load(), pr.n.Load())
	}
}

func TestRefreshMargin(t *testing.T) {
	m, sts, _, _ := newTestManager(t)
	p := testProfile()
	// 5 minutes left, inside the default 10-minute margin, and late in its
	// life.
	late := func() { storeEntry(t, m.Store, p, time.Now().Add(-time.Hour), time.Now().Add(5*time.Minute)) }
	late()
	m.Session(context.Background(), MFAUser{Profile: p})
	if sts.calls.Load() != 1 {
		t.Fatalf("a session inside the margin was reused: %d calls", sts.calls.Load())
	}
	late()
	m.Margin = time.Minute
	m.Session(context.Background(), MFAUser{Profile: p})
	if sts.calls.Load() != 1 {
		t.Fatalf("a session outside a 1m margin was not reused: %d calls", sts.calls.Load())
	}
}

func TestRotatedKeyOrDeviceNeverReuses(t *testing.T) {
	// A profile named "role" too: its key looks like a role session's
	// path, and its stale entries must go all the same.
	for _, name := range []string{testProfile().Name, "role"} {
		t.Run(name, func(t *testing.T) {
			m, sts, _, _ := newTestManager(t)
			p := testProfile()
			p.Name = name
			m.Session(context.Background(), MFAUser{Profile: p})
			rotated := *p
			rotated.AccessKeyID = "AKIABBBBBBBBBBBBBBBB"
			if s, _ := m.Session(context.Background(), MFAUser{Profile: &rotated}); s.SourceKeyID != rotated.AccessKeyID {
				t.Fatal("session of the old key served for the new key")
			}
			device := *p
			device.MFASerial = "arn:aws:iam::1:mfa/other"
			if s, _ := m.Session(context.Background(), MFAUser{Profile: &device}); s.MFASerial != device.MFASerial {
				t.Fatal("session of the old device served for the new device")
			}
			if sts.calls.Load() != 3 {
				t.Fatalf("%d STS calls, want 3", sts.calls.Load())
			}
			keys, _ := m.Store.List()
			if len(keys) != 1 {
				t.Fatalf("stale entries left behind: %q", keys)
			}
		})
	}
}

func TestConcurrentCallersOnePrompt(t *testing.T) {
	m, sts, pr, _ := newTestManager(t)
	p := testProfile()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if sts.calls.Load() != 1 || pr.n.Load() != 1 {
		t.Fatalf("16 concurrent callers caused %d STS calls and %d prompts, want 1 and 1", sts.calls.Load(), pr.n.Load())
	}
}

// Entries mfa-git could not have written (corrupt, incomplete, another
// profile's, oversized, split with a bad header or parts of two writes)
// are reported, never served, and replaced by a new session.
func TestUnusableEntriesReplaced(t *testing.T) {
	p := testProfile()
	valid := func(edit func(*session.Session)) []byte {
		s := &session.Session{AccessKeyID: "ASIAOLD", SecretAccessKey: "old", SessionToken: strings.Repeat("o", 3000),
			Expiration: time.Now().Add(time.Hour), MFASerial: p.MFASerial, Profile: p.Name, SourceKeyID: p.AccessKeyID}
		edit(s)
		b, _ := json.Marshal(s)
		return b
	}
	tests := []struct {
		name string
		put  func(store keystore.Store)
		warn string
	}{
		{"not json", func(st keystore.Store) { st.Set(CacheKey(p), []byte("{not json")) }, "discarded an unreadable cached session"},
		{"incomplete", func(st keystore.Store) { st.Set(CacheKey(p), valid(func(s *session.Session) { s.SessionToken = "" })) }, "discarded"},
		{"another key's", func(st keystore.Store) {
			st.Set(CacheKey(p), valid(func(s *session.Session) { s.SourceKeyID = "AKIAOTHER" }))
		}, "discarded"},
		{"oversized", func(st keystore.Store) {
			keystoretest.Raw(st).Set(CacheKey(p), valid(func(s *session.Session) { s.SessionToken = strings.Repeat("o", 200<<10) }))
		}, "discarded"},
		{"bad part count", func(st keystore.Store) { keystoretest.Raw(st).Set(CacheKey(p), []byte("mfa-git-chunks:999")) }, "corrupt part count"},
		{"parts of two writes", func(st keystore.Store) {
			st.Set(CacheKey(p), valid(func(*session.Session) {}))
			keystoretest.Raw(st).Set(CacheKey(p)+"#2", bytes.Repeat([]byte("x"), 700))
		}, "parts from different writes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, sts, _, warn := newTestManager(t)
			tt.put(m.Store)
			s, err := m.Session(context.Background(), MFAUser{Profile: p})
			if err != nil || s == nil || s.AccessKeyID == "ASIAOLD" || sts.calls.Load() != 1 {
				t.Fatalf("got %v, %v after %d STS calls; want a new session", s, err, sts.calls.Load())
			}
			if !strings.Contains(warn.String(), tt.warn) {
				t.Fatalf("warning %q does not say %q", warn.String(), tt.warn)
			}
			if strings.Contains(warn.String(), "ooooo") || strings.Contains(warn.String(), "not json") {
				t.Fatal("the warning quotes the entry")
			}
			if again, _ := m.Session(context.Background(), MFAUser{Profile: p}); again.AccessKeyID != s.AccessKeyID || sts.calls.Load() != 1 {
				t.Fatal("the replacement was not kept")
			}
		})
	}
}

func TestNoPromptFallsBackToOldSession(t *testing.T) {
	m, _, pr, warn := newTestManager(t)
	p := testProfile()
	storeEntry(t, m.Store, p, time.Now().Add(-time.Hour), time.Now().Add(5*time.Minute)) // late in its life
	old := m.Cached(MFAUser{Profile: p})
	pr.err = prompt.NoPrompt(p, "there is no terminal to ask on")
	s, err := m.Session(context.Background(), MFAUser{Profile: p})
	if err != nil || s.AccessKeyID != old.AccessKeyID {
		t.Fatalf("did not fall back to the cached session: %v", err)
	}
	if !strings.Contains(warn.String(), "expires in") {
		t.Fatalf("fallback not reported: %q", warn.String())
	}
	// With nothing usable cached, the error reaches the caller with a hint.
	m.Forget("")
	_, err = m.Session(context.Background(), MFAUser{Profile: p})
	if !errors.Is(err, prompt.ErrNoPrompt) || !strings.Contains(hint.Of(err), "mfa-git login --profile base") {
		t.Fatalf("err = %v, hint %q", err, hint.Of(err))
	}
}

func TestForgetAndVerify(t *testing.T) {
	m, sts, _, _ := newTestManager(t)
	p := testProfile()
	m.Session(context.Background(), MFAUser{Profile: p})
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); dropped || err != nil {
		t.Fatalf("a working session was dropped: %v %v", dropped, err)
	}
	sts.reject = &awsapi.APIError{Status: 403, Code: "ExpiredToken", Message: "expired"}
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); !dropped || err != nil {
		t.Fatalf("a rejected session was kept: %v %v", dropped, err)
	}
	m.Session(context.Background(), MFAUser{Profile: p})
	sts.reject = errors.New("connection refused")
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); dropped || err == nil {
		t.Fatalf("a network error dropped the session: %v %v", dropped, err)
	}
	other := testProfile()
	other.Name = "other"
	m.Session(context.Background(), MFAUser{Profile: other})
	if n, _ := m.Forget("base"); n != 1 {
		t.Fatalf("Forget(base) removed %d", n)
	}
	if m.Cached(MFAUser{Profile: other}) == nil {
		t.Fatal("Forget(base) removed another profile's session")
	}
	if n, _ := m.Forget(""); n != 1 {
		t.Fatalf("Forget(all) removed %d", n)
	}
}

func TestLoginForce(t *testing.T) {
	m, sts, _, _ := newTestManager(t)
	p := testProfile()
	if _, fresh, _ := m.Obtain(context.Background(), MFAUser{Profile: p}, false); !fresh {
		t.Fatal("first login not fresh")
	}
	if _, fresh, _ := m.Obtain(context.Background(), MFAUser{Profile: p}, false); fresh {
		t.Fatal("second login prompted despite a fresh session")
	}
	if _, fresh, _ := m.Obtain(context.Background(), MFAUser{Profile: p}, true); !fresh || sts.calls.Load() != 2 {
		t.Fatal("--force did not start a new session")
	}
}

// A keystore that refuses writes still yields a session, with a warning.
type failingStore struct{ keystore.Store }

func (failingStore) Set(string, []byte) error { return errors.New("keyring is locked") }

func TestStoreFailureStillServes(t *testing.T) {
	m, _, _, warn := newTestManager(t)
	m.Store = failingStore{keystoretest.NewMemory()}
	if _, err := m.Session(context.Background(), MFAUser{Profile: testProfile()}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warn.String(), "could not keep the session") {
		t.Fatalf("not reported: %q", warn.String())
	}
}

func TestForcedLoginNeverFallsBack(t *testing.T) {
	m, _, pr, _ := newTestManager(t)
	p := testProfile()
	m.Session(context.Background(), MFAUser{Profile: p})
	pr.err = prompt.NoPrompt(p, "there is no terminal to ask on")
	if _, _, err := m.Obtain(context.Background(), MFAUser{Profile: p}, true); !errors.Is(err, prompt.ErrNoPrompt) {
		t.Fatalf("login --force without a prompt: %v, want ErrNoPrompt", err)
	}
}

func TestVerifyKeepsSessionOnClockSkew(t *testing.T) {
	m, sts, _, _ := newTestManager(t)
	p := testProfile()
	m.Session(context.Background(), MFAUser{Profile: p})
	sts.reject = &awsapi.APIError{Status: 403, Code: "SignatureDoesNotMatch", Message: "Signature expired: 20261123T100000Z is now earlier than 20261123T101500Z"}
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); dropped || err == nil {
		t.Fatalf("a clock problem dropped a good session: %v %v", dropped, err)
	}
}

// A lock folder that cannot be made costs the lock, not the session.
func TestLockUnavailable(t *testing.T) {
	m, sts, _, warn := newTestManager(t)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	m.LockDir = filepath.Join(blocker, "locks") // a file where a folder should be
	if _, err := m.Session(context.Background(), MFAUser{Profile: testProfile()}); err != nil || sts.calls.Load() != 1 {
		t.Fatalf("no session without a lock: %v", err)
	}
	if !strings.Contains(warn.String(), "going on without the lock") {
		t.Fatalf("not reported: %q", warn.String())
	}
}

// A keyring that cannot be read (locked) is reported once, with the fix,
// and the session is still served.
type lockedStore struct{ keystore.Store }

func (lockedStore) Get(string) ([]byte, error) {
	return nil, errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'")
}

func TestLockedKeyringWarnsOnce(t *testing.T) {
	m, _, _, warn := newTestManager(t)
	m.Store = lockedStore{keystoretest.NewMemory()}
	if _, err := m.Session(context.Background(), MFAUser{Profile: testProfile()}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(warn.String(), "cannot read the cached session"); n != 1 {
		t.Fatalf("warned %d times:\n%s", n, warn.String())
	}
	if !strings.Contains(warn.String(), "the keyring is locked: unlock it") {
		t.Fatalf("no fix given:\n%s", warn.String())
	}
}

// Another process deletes part of a split entry between our reads: the
// entry is reported as unreadable and replaced, never served half-read.
func TestEntryPartDeletedMidway(t *testing.T) {
	m, sts, _, warn := newTestManager(t)
	p := testProfile()
	m.Session(context.Background(), MFAUser{Profile: p}) // the token makes it a split entry
	keys, _ := m.Store.List()
	if len(keys) != 1 {
		t.Fatalf("keys %q", keys)
	}
	// Remove one part behind the store's back, as another process might.
	inner := keystoretest.Raw(m.Store)
	if err := inner.Remove(keys[0] + "#2"); err != nil {
		t.Fatal(err)
	}
	s, err := m.Session(context.Background(), MFAUser{Profile: p})
	if err != nil || s == nil || sts.calls.Load() != 2 {
		t.Fatalf("not re-acquired: %v, %d calls", err, sts.calls.Load())
	}
	if !strings.Contains(warn.String(), "missing part 2") {
		t.Fatalf("not reported: %q", warn.String())
	}
}
