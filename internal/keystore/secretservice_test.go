//go:build !windows

// Windows has no Secret Service (no D-Bus session bus): mfa-git uses the
// Credential Manager there (credman_windows_test.go), so these tests are
// not built for it.

package keystore

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// requireSecretService skips unless a Secret Service answers on a bus
// test.sh started for the tests, with its own gnome-keyring unlocked:
// these tests write to, lock and clean the login keyring, which must never
// be the developer's.
func requireSecretService(t *testing.T) {
	t.Helper()
	testenv.RequirePrivateBus(t)
	if !SecretServiceReachable() {
		if os.Getenv("MFA_GIT_REQUIRE_SECRET_SERVICE") != "" {
			t.Fatal("MFA_GIT_REQUIRE_SECRET_SERVICE is set but no Secret Service is on the session bus")
		}
		t.Skip("no Secret Service on the session bus (run under dbus-run-session with gnome-keyring, as .ci/run does)")
	}
}

func TestSecretService(t *testing.T) {
	requireSecretService(t)
	if NeedsRestart(SecretService) {
		// The backend registers itself only in a process that started with
		// it chosen, as mfa-git restarts itself for --keyring secret-service.
		cmd := exec.Command(os.Args[0], "-test.run=^TestSecretService$", "-test.v")
		cmd.Env = append(os.Environ(), "MFA_GIT_KEYRING=secret-service")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestSecretService") {
			t.Fatalf("in a process started with MFA_GIT_KEYRING=secret-service: %v\n%s", err, out)
		}
		return
	}
	s, err := Open(Config{Backend: SecretService, Service: testService(t)})
	if err != nil {
		t.Fatal(err)
	}
	contract(t, s)
}

func TestKeychainOnSecretService(t *testing.T) {
	requireSecretService(t)
	s, err := Open(Config{Backend: Keychain, Service: testService(t)})
	if err != nil {
		t.Fatal(err)
	}
	contract(t, s)
	// Independent check through libsecret's own client, when installed:
	// the item is really in the Secret Service.
	if _, err := exec.LookPath("secret-tool"); err == nil {
		if err := s.Set("visible", []byte("v1")); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("secret-tool", "lookup", "service", testService(t), "username", "visible").Output()
		if err != nil || string(out) != "v1" {
			t.Fatalf("secret-tool lookup = %q, %v", out, err)
		}
		s.Remove("visible")
	}
}

func TestDefaultPrefersSecretService(t *testing.T) {
	requireSecretService(t)
	if got := defaultBackend(Config{}); got != Keychain {
		t.Fatalf("default backend with a Secret Service = %s, want keychain", got)
	}
}

// A locked login keyring: reads fail at once (no hanging on an unlock
// prompt nobody can answer), then the keyring is unlocked again for the
// tests that follow.
func TestLockedSecretServiceFailsFast(t *testing.T) {
	requireSecretService(t)
	pw := os.Getenv("MFA_GIT_TEST_KEYRING_PASSWORD")
	if pw == "" {
		t.Skip("MFA_GIT_TEST_KEYRING_PASSWORD (set by test.sh) is needed to unlock the keyring again")
	}
	s, err := Open(Config{Backend: Keychain, Service: testService(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove("k") }) // after the unlock below
	testenv.LockLoginKeyring(t, pw)
	start := time.Now()
	_, err = s.Get("k")
	if err == nil {
		t.Skip("the keyring answered while locked (an unlock prompt was granted)")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("a read of the locked keyring took %s", d)
	}
}

// The same through the real keychain backend over a real Secret Service
// (gnome-keyring under dbus-run-session, as test.sh runs it): 8 logins
// at once, each in its own store as in its own process. gnome-keyring
// answers one client at a time and rewrites its keyring file, with the
// key derived from its password, for each write (about 0.1 s each here,
// several times that under the full run's load): with 20 at once the last
// in line waited past the 10 s bounds of a call and of the index lock
// in full runs (it passed alone). 8 writers still lose index updates
// without the lock; the deadlines have tests of their own
// (deadline_test.go), so calls here may take up to a minute.
func TestKeychainOnSecretServiceConcurrentLogins(t *testing.T) {
	requireSecretService(t)
	testenv.HoldHeavy(t)
	const n = 8
	svc, state := testService(t), t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(Config{Backend: Keychain, Service: svc, StateDir: state, CallTimeout: time.Minute})
			if err == nil {
				err = s.Set(indexTestKey(i), bytes.Repeat([]byte("v"), 3000))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(Config{Backend: Keychain, Service: svc, StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := s.List()
	if err != nil || len(keys) != n {
		t.Fatalf("after %d concurrent logins the index lists %d keys (%v)", n, len(keys), err)
	}
	for _, k := range keys {
		if err := s.Remove(k); err != nil {
			t.Fatal(err)
		}
	}
	if keys, _ := s.List(); len(keys) != 0 {
		t.Fatalf("after logout --all the index lists %q", keys)
	}
}

// The file backend lists its folder rather than keeping an index; 20
// logins at once must all be listed there too.
func TestFileConcurrentLogins(t *testing.T) {
	const n = 20
	cfg := Config{Backend: File, Service: testService(t), FileDir: t.TempDir() + "/keys", StateDir: t.TempDir(),
		Passphrase: func(string) (string, error) { return "correct horse", nil }}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(cfg)
			if err == nil {
				err = s.Set(indexTestKey(i), bytes.Repeat([]byte("v"), 3000))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, _ := Open(cfg)
	keys, err := s.List()
	if err != nil || len(keys) != n {
		t.Fatalf("after %d concurrent logins the file keyring lists %d keys (%v)", n, len(keys), err)
	}
	for _, k := range keys {
		s.Remove(k)
	}
	if keys, _ := s.List(); len(keys) != 0 {
		t.Fatalf("after logout --all the file keyring lists %q", keys)
	}
}
