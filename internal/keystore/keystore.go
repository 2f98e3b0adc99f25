// Package keystore keeps small secrets in the operating system's secret
// stores: the macOS Keychain, Windows Credential Manager, the Secret Service
// (GNOME Keyring, KeePassXC), KWallet, pass, the Linux kernel keyring, or an
// encrypted file. Every backend is reached through one small interface,
// Store, and values too large for a backend are split transparently.
package keystore

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore/internal/busguard"
	"github.com/mfa-git/mfa-git/internal/syserr"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// ErrNotFound is returned by Get when there is no value under a key.
var ErrNotFound = errors.New("not found in keystore")

// ErrUnavailable is matched (errors.Is) by errors saying a backend's
// service cannot be reached: no Secret Service on the session bus, or its
// daemon gone in the middle of a run.
var ErrUnavailable = errors.New("keyring service unavailable")

// Hint returns what a user can do about err from a Store, or "" when
// there is no general advice.
func Hint(err error) string {
	switch {
	case err == nil:
		return ""
	case hint.Of(err) != "":
		return hint.Of(err) // the backend knows best (macsecurity.Error)
	case errors.Is(err, ErrUnavailable):
		return "start or restart the keyring daemon (it runs with your desktop session), or choose another store with MFA_GIT_KEYRING"
	case errors.Is(err, syscall.EDQUOT) || strings.Contains(err.Error(), "quota exceeded"):
		return "your kernel keyring quota is full (see /proc/key-users; the limit is /proc/sys/kernel/keys/maxbytes): run mfa-git logout for profiles you no longer use, or choose another store with MFA_GIT_KEYRING"
	case errors.Is(err, syscall.ENOSPC):
		return "free some disk space, or choose a store that needs none: MFA_GIT_KEYRING=keyctl"
	case hint.Of(syserr.Explain(err)) != "":
		return hint.Of(syserr.Explain(err)) + "; or choose another store with MFA_GIT_KEYRING"
	case errors.Is(err, fs.ErrPermission):
		return "make the folder named above writable by you, or choose another store with MFA_GIT_KEYRING"
	case strings.Contains(err.Error(), "unlock") || strings.Contains(err.Error(), "locked"):
		return "the keyring is locked: unlock it (log in to the desktop session, or run gnome-keyring-daemon --unlock), or choose another with MFA_GIT_KEYRING"
	}
	return ""
}

// unavailableError says in plain words which service is missing.
type unavailableError struct {
	msg string
	err error
}

func (e *unavailableError) Error() string        { return e.msg }
func (e *unavailableError) Unwrap() error        { return e.err }
func (e *unavailableError) Is(target error) bool { return target == ErrUnavailable }

// Store holds values by key within one service namespace.
type Store interface {
	// Get returns the value stored under key, or an error wrapping
	// ErrNotFound.
	Get(key string) ([]byte, error)
	// Set stores value under key, replacing any earlier value.
	Set(key string, value []byte) error
	// Remove deletes key; removing a missing key is not an error.
	Remove(key string) error
	// List returns the keys in the namespace, sorted.
	List() ([]string, error)
	// Name is the backend's name, as accepted by Config.Backend.
	Name() string
}

// Backend names accepted by Config.Backend and MFA_GIT_KEYRING.
const (
	Keychain      = "keychain"       // macOS Keychain, Windows Credential Manager, Linux Secret Service (zalando/go-keyring)
	SecretService = "secret-service" // D-Bus Secret Service (99designs/keyring)
	KWallet       = "kwallet"
	Pass          = "pass"
	KeyCtl        = "keyctl" // Linux kernel keyring, user scope
	File          = "file"   // JWE-encrypted files, passphrase protected
)

// Backends lists every backend name, in the order help text shows them.
func Backends() []string { return []string{Keychain, SecretService, KWallet, Pass, KeyCtl, File} }

// DefaultService is the namespace mfa-git stores its entries under.
const DefaultService = "mfa-git"

// Config selects and configures a backend.
type Config struct {
	// Backend is one of Backends, or "" for the platform default.
	Backend string
	// Service is the namespace; DefaultService when empty.
	Service string
	// FileDir is where the file backend keeps its entries.
	FileDir string
	// Passphrase returns the file backend's passphrase.
	Passphrase func(prompt string) (string, error)
	// StateDir holds non-secret state, such as the marker that the
	// keyctl fallback was announced. Optional.
	StateDir string
	// Trace, when on, says which backend is opened and why.
	Trace trace.Func
	// Notice receives one-time notices, such as the keyctl fallback,
	// each with its hint (hint.Of), for cmd to print; nil discards them.
	Notice func(error)
	// CallTimeout bounds each call to a backend behind a daemon or a
	// program (D-Bus keyrings, pass); 10 seconds when zero.
	CallTimeout time.Duration
}

func (c Config) service() string {
	if c.Service == "" {
		return DefaultService
	}
	return c.Service
}

// Open returns the configured backend, or the platform default when
// cfg.Backend is empty. The returned Store splits large values.
func Open(cfg Config) (Store, error) {
	s, err := open(cfg)
	if err != nil {
		return nil, hint.Or(err, "choose another store with --keyring or MFA_GIT_KEYRING ("+strings.Join(Backends(), ", ")+")")
	}
	return s, nil
}

// OpenLazily returns a Store that opens cfg's keystore (Open) on first
// use, so a process the agent answers never opens a keyring at all.
func OpenLazily(cfg Config) Store {
	return Lazy(cmp.Or(cfg.Backend, "default"), func() (Store, error) { return Open(cfg) })
}

func open(cfg Config) (Store, error) {
	busguard.Restore()
	name, why := cfg.Backend, "asked for"
	if name == "" {
		name, why = defaultBackend(cfg), "the OS store found"
	}
	cfg.Trace.Printf("keystore: opening %s (%s)", name, why)
	var (
		s   Store
		err error
	)
	switch name {
	case Keychain:
		s = openKeychain(cfg, keychainBackend())
	case SecretService, KWallet, Pass, KeyCtl, File:
		s, err = openRing(name, cfg)
		if what := deadlineLabel(name); what != "" && err == nil {
			s = &deadlined{Store: s, what: what, timeout: cmp.Or(cfg.CallTimeout, busTimeout)}
		}
	default:
		return nil, fmt.Errorf("unknown keyring backend %q (choose one of %s)", name, strings.Join(Backends(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s keyring: %w", name, err)
	}
	return &chunked{s, chunkLimit(name)}, nil
}

// openKeychain is the keychain store over api. Where api speaks D-Bus,
// each of its calls has the deadline, not the keychain's Set as a whole:
// a Set also waits for the index's file lock, which is bounded on its
// own (lockWait), and many processes storing at once may hold it in turn
// for longer than one call may take.
func openKeychain(cfg Config, api keychainAPI) *keychain {
	if what := deadlineLabel(Keychain); what != "" {
		api = boundedAPI{api, &deadlined{what: what, timeout: cmp.Or(cfg.CallTimeout, busTimeout)}}
	}
	return newKeychain(cfg.service(), api, cfg.StateDir)
}

// deadlineLabel names what is behind a backend whose calls need a
// deadline: a daemon reached over D-Bus, or the pass program (which runs
// gpg, and may wait on gpg-agent's pinentry); "" for the others.
func deadlineLabel(backend string) string {
	switch {
	case backend == Pass:
		return "the pass password store"
	case backend == SecretService, backend == Keychain && runtime.GOOS != "darwin" && runtime.GOOS != "windows":
		return "the Secret Service"
	case backend == KWallet:
		return "KWallet"
	}
	return ""
}

func sortedUnique(keys []string) []string {
	slices.Sort(keys)
	return slices.Compact(keys)
}

// RestoreSessionBus undoes the start-up guard that keeps the keyring
// library off the D-Bus session bus (see internal/busguard). Call it first
// thing in main, before starting processes or opening a store.
func RestoreSessionBus() { busguard.Restore() }

// NeedsRestart reports whether backend can be opened only by a process
// that started with MFA_GIT_KEYRING naming it: secret-service and kwallet
// register themselves while packages initialise, and only if a session bus
// was visible then.
func NeedsRestart(backend string) bool {
	return busguard.Hid() && (backend == SecretService || backend == KWallet)
}
