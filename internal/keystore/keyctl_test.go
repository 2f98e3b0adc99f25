//go:build linux

package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// Many processes open a kernel keyring namespace that does not exist yet,
// as the first git commands after a reboot do in parallel: every one of
// them must be able to store and read back, and see the others' entries.
func TestKeyCtlFirstUseInParallel(t *testing.T) {
	testenv.PrivateHome(t)
	state := t.TempDir()
	for round := 0; round < 10; round++ {
		service := fmt.Sprintf("%s-%d", testService(t), round)
		t.Cleanup(func() { testenv.RemoveKeyctlNamespace(service) })
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		stores := make([]Store, 8)
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: state})
				if err != nil {
					errs <- err
					return
				}
				stores[i] = s
				if err := s.Set(fmt.Sprint("k", i), []byte("v")); err != nil {
					errs <- fmt.Errorf("writer %d: %w", i, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
		fresh, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: state})
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := fresh.List()
		if len(keys) != len(stores) {
			t.Fatalf("round %d: %d of %d entries survive: %q", round, len(keys), len(stores), keys)
		}
		for _, k := range keys {
			fresh.Remove(k)
		}
	}
}

// A test that used the kernel keyring leaves nothing in the user keyring,
// which every process of the user shares: its namespace keyring, with the
// entries in it, is gone when the test ends.
func TestKeyCtlTestLeavesNothingInUserKeyring(t *testing.T) {
	var service string
	t.Run("store", func(t *testing.T) {
		testenv.PrivateHome(t)
		service = testService(t)
		s, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Set("left", []byte("behind?")); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", service, 0); err != nil {
			t.Fatalf("the store is not in the user keyring, so this test proves nothing: %v", err)
		}
	})
	if id, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", service, 0); !errors.Is(err, unix.ENOKEY) {
		t.Fatalf("after the test, keyring %q is still in @u (id %d, %v)", service, id, err)
	}
}

func TestKeyCtl(t *testing.T) {
	testenv.PrivateHome(t)
	s, err := Open(Config{Backend: KeyCtl, Service: testService(t)})
	if err != nil {
		t.Fatalf("the kernel keyring must be usable on Linux: %v", err)
	}
	contract(t, s)
}

func TestDefaultFallsBackToKeyCtl(t *testing.T) {
	testenv.PrivateHome(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	var notices bytes.Buffer
	cfg := Config{StateDir: t.TempDir(), Notice: noticeTo(&notices)}
	if got := defaultBackend(cfg); got != KeyCtl {
		t.Fatalf("default = %s, want keyctl", got)
	}
	if !strings.Contains(notices.String(), "kernel keyring") {
		t.Fatalf("no notice: %q", notices.String())
	}
	notices.Reset()
	defaultBackend(cfg)
	if notices.Len() != 0 {
		t.Fatalf("notice repeated: %q", notices.String())
	}
}

func TestKWallet(t *testing.T) {
	t.Skip("kwalletd needs a KDE session, which this machine cannot run")
}
