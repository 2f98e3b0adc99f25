package keystore

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	zk "github.com/zalando/go-keyring"
)

// stuck is a Store whose calls block until released, like a stopped daemon.
type stuck struct {
	Store
	release chan struct{}
}

func (s stuck) Get(key string) ([]byte, error) {
	<-s.release
	return s.Store.Get(key)
}

func TestDeadlineGivesUpOnAStuckDaemon(t *testing.T) {
	mem := newMemory()
	mem.Set("k", []byte("v"))
	release := make(chan struct{})
	defer close(release)
	d := &deadlined{Store: stuck{mem, release}, what: "the Secret Service", timeout: 50 * time.Millisecond}

	_, err := d.Get("k")
	if !errors.Is(err, ErrUnavailable) || err.Error() != "the Secret Service did not answer within 50ms" {
		t.Fatalf("Get from a stuck store = %v", err)
	}
	if Hint(err) == "" {
		t.Fatal("no hint for a stuck daemon")
	}
	// Further calls fail at once for a while, even those that would not
	// block: a command must not wait once per call.
	// The message tells a call refused at once from one that waited.
	if _, err := d.List(); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "not waiting for it again yet") {
		t.Fatalf("List after a timeout = %v, want ErrUnavailable without waiting again", err)
	}
}

func TestDeadlinePassesAnswersThrough(t *testing.T) {
	d := &deadlined{Store: newMemory(), what: "x", timeout: time.Minute}
	contract(t, d)
}

func TestBusGone(t *testing.T) {
	tests := []struct {
		err         error
		unavailable bool
		msg         string
	}{
		{nil, false, ""},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, true,
			"no Secret Service (org.freedesktop.secrets) is running on the session bus"},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NameHasNoOwner"}, true, "no Secret Service (org.freedesktop.secrets) is running on the session bus"},
		// The daemon died with the call in flight.
		{fmt.Errorf("get item: %w", dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}), true, "the Secret Service stopped before it answered"},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.Disconnected"}, true, "the Secret Service stopped before it answered"},
		// Anything else is passed on as it came.
		{dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"locked"}}, false, "locked"},
		{errors.New("other"), false, "other"},
	}
	for _, tt := range tests {
		err := busGone(tt.err)
		if errors.Is(err, ErrUnavailable) != tt.unavailable {
			t.Errorf("busGone(%v): unavailable = %v, want %v", tt.err, !tt.unavailable, tt.unavailable)
		}
		if tt.err == nil {
			if err != nil {
				t.Errorf("busGone(nil) = %v", err)
			}
			continue
		}
		if err.Error() != tt.msg {
			t.Errorf("busGone(%v) = %q, want %q", tt.err, err, tt.msg)
		}
	}
}

// goneStore answers like any D-Bus backend whose daemon has gone.
type goneStore struct{ Store }

func (goneStore) Get(string) ([]byte, error) {
	return nil, fmt.Errorf("get secret: %w", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"})
}

// Whichever library speaks D-Bus for a backend, a vanished daemon is
// reported the same way, since the mapping sits in the layer they share.
func TestDeadlineLayerExplainsAVanishedDaemon(t *testing.T) {
	d := &deadlined{Store: goneStore{newMemory()}, what: "the Secret Service", timeout: time.Minute}
	if _, err := d.Get("k"); !errors.Is(err, ErrUnavailable) || Hint(err) == "" {
		t.Fatalf("Get from a vanished daemon = %v, want ErrUnavailable with a hint", err)
	}
}

// The Secret Service's deadline bounds each D-Bus call, not a keychain
// Set as a whole, which also waits for the index's file lock: many
// processes storing at once hold it in turn (20 logins at once did, past
// the deadline, and a session was lost). A wait for the lock is bounded
// by lockWait alone. (Where the keychain is not reached over D-Bus there
// is no deadline to test.)
func TestKeychainDeadlineSparesTheLockWait(t *testing.T) {
	if deadlineLabel(Keychain) == "" {
		t.Skip("the keychain here is not reached over D-Bus: no deadline")
	}
	// Long enough that a loaded machine's pauses do not reach it.
	const timeout = time.Second
	k := openKeychain(Config{StateDir: t.TempDir(), CallTimeout: timeout}, dirAPI{t.TempDir()})
	unlock, err := lockFile(k.lockPath, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- k.Set("session/a/1", []byte("v")) }()
	// Held for several call deadlines, and released well within
	// lockWait.
	time.Sleep(3 * timeout)
	unlock()
	if err := <-done; err != nil {
		t.Fatalf("Set after waiting for the index lock: %v", err)
	}
	if keys, err := k.List(); err != nil || len(keys) != 1 || keys[0] != "session/a/1" {
		t.Fatalf("List = %q, %v; want the key stored and indexed", keys, err)
	}
	// Each call still has the deadline.
	stuckAPI := openKeychain(Config{StateDir: t.TempDir(), CallTimeout: 50 * time.Millisecond}, hangingAPI{})
	if _, err := stuckAPI.Get("x"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get from a hanging keychain = %v, want ErrUnavailable", err)
	}
}

// hangingAPI is a keychainAPI whose daemon never answers (within a test).
type hangingAPI struct{}

func (hangingAPI) Get(string, string) (string, error) { time.Sleep(time.Minute); return "", nil }
func (hangingAPI) Set(string, string, string) error   { time.Sleep(time.Minute); return nil }
func (hangingAPI) Delete(string, string) error        { time.Sleep(time.Minute); return nil }

// A keychain write given up on at its deadline may still land: the key
// is in the index already, so the next command's List (status, logout)
// finds it; a write refused outright leaves no key in the index.
func TestKeychainIndexesBeforeWriting(t *testing.T) {
	if deadlineLabel(Keychain) == "" {
		t.Skip("the keychain here is not reached over D-Bus: no deadline")
	}
	state, dir := t.TempDir(), t.TempDir()
	slow := slowSetAPI{dirAPI: dirAPI{dir}, release: make(chan struct{})}
	k := openKeychain(Config{StateDir: state, CallTimeout: 100 * time.Millisecond}, slow)
	if err := k.Set("session/a/1", []byte("v")); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set to a keychain that does not answer = %v, want ErrUnavailable", err)
	}
	close(slow.release) // the write lands late
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := (dirAPI{dir}).Get(DefaultService, "session/a/1"); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatal("the late write never landed")
		}
	}
	next := openKeychain(Config{StateDir: state}, dirAPI{dir})
	if keys, err := next.List(); err != nil || len(keys) != 1 || keys[0] != "session/a/1" {
		t.Fatalf("List after a late write = %q, %v; want the key", keys, err)
	}
	if err := next.Set("session/b/1", make([]byte, windowsBlobLimit+1)); !errors.Is(err, zk.ErrSetDataTooBig) {
		t.Fatalf("Set of a value too large = %v", err)
	}
	if keys, _ := next.List(); len(keys) != 1 {
		t.Fatalf("List after a refused write = %q, want only the first key", keys)
	}
}

// slowSetAPI holds each write of an entry (not of the index) until
// release is closed.
type slowSetAPI struct {
	dirAPI
	release chan struct{}
}

func (s slowSetAPI) Set(service, user, password string) error {
	if !strings.HasPrefix(user, indexKey) {
		<-s.release
	}
	return s.dirAPI.Set(service, user, password)
}
