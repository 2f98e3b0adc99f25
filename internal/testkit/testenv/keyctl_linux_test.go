package testenv

import (
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The kernel keyring a test's service made in @u, and what is in it, is
// gone when the test ends; and it really was there while it ran.
func TestKeyringServiceRemovedAtCleanup(t *testing.T) {
	var service string
	var entry int
	t.Run("user", func(t *testing.T) {
		service = KeyringService(t)
		if again := KeyringService(t); again != service {
			t.Fatalf("second call = %q, want %q", again, service)
		}
		// As the keyctl backend makes it: a keyring with an entry, made
		// in the session keyring (where this process possesses it), then
		// moved to @u.
		ring, err := unix.AddKey("keyring", service, nil, unix.KEY_SPEC_SESSION_KEYRING)
		if err != nil {
			t.Fatal(err)
		}
		if entry, err = unix.AddKey("user", "k", []byte("v"), ring); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.KeyctlInt(unix.KEYCTL_LINK, ring, unix.KEY_SPEC_USER_KEYRING, 0, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.KeyctlInt(unix.KEYCTL_UNLINK, ring, unix.KEY_SPEC_SESSION_KEYRING, 0, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", service, 0); err != nil {
			t.Fatalf("the keyring is not in @u: %v", err)
		}
	})
	if _, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", service, 0); !errors.Is(err, unix.ENOKEY) {
		t.Fatalf("after the test, search @u for %q = %v, want ENOKEY", service, err)
	}
	// The entry is freed once the kernel drops the emptied keyring's
	// references, a moment later.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := unix.KeyctlString(unix.KEYCTL_DESCRIBE, entry); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the entry %d outlived its keyring by 5s", entry)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := RemoveKeyctlNamespace(service); err != nil {
		t.Fatalf("removing a missing keyring: %v", err)
	}
}
