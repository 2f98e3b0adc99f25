package keystore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	zk "github.com/zalando/go-keyring"
)

// indexKey holds the list of keys, since the OS keychain APIs that
// zalando/go-keyring wraps cannot enumerate a service's entries.
const indexKey = ".index"

// keychain adapts github.com/zalando/go-keyring: the macOS Keychain (via
// /usr/bin/security, no cgo), Windows Credential Manager, and the Secret
// Service on other systems.
type keychain struct {
	rawKeychain
	// lockPath is the file lock that makes each update of the index one
	// read-modify-write across all of the user's processes ("" for none).
	lockPath string
	mu       sync.Mutex // the same within this process
}

// keychainAPI is the part of zalando/go-keyring we use; tests substitute
// it to exercise the macOS and Windows paths on Linux.
type keychainAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// newKeychain returns the keychain store for service over api, locking
// its index in stateDir (no cross-process lock when stateDir is "").
func newKeychain(service string, api keychainAPI, stateDir string) *keychain {
	k := &keychain{rawKeychain: rawKeychain{service, lockExplained{api}}}
	if stateDir != "" {
		sum := sha256.Sum256([]byte(service))
		k.lockPath = filepath.Join(stateDir, "keychain-index-"+hex.EncodeToString(sum[:8])+".lock")
	}
	return k
}

// Set indexes key before it stores the value, so that the index holds
// every entry that may exist: a call given up on at its deadline
// (ErrUnavailable) may still store the value later, and logout must find
// it. A value refused outright leaves the index as it was.
func (k *keychain) Set(key string, value []byte) error {
	if err := k.updateIndex(key, true); err != nil {
		return err
	}
	err := k.api.Set(k.service, key, string(value))
	switch {
	case err == nil || errors.Is(err, ErrUnavailable):
		return err
	case errors.Is(err, zk.ErrSetDataTooBig):
		err = fmt.Errorf("value for %q is too large for the keychain: %w", key, err)
	}
	if _, gerr := k.rawKeychain.Get(key); errors.Is(gerr, ErrNotFound) {
		k.updateIndex(key, false) // nothing stored, old or new
	}
	return err
}

func (k *keychain) Remove(key string) error {
	if err := k.rawKeychain.Remove(key); err != nil {
		return err
	}
	return k.updateIndex(key, false)
}

func (k *keychain) List() ([]string, error) {
	keys, err := k.index()
	if err != nil {
		return nil, err
	}
	return sortedUnique(keys), nil
}

// indexStore holds the index itself: the keychain without an index,
// split into parts like any value, since the index of many profiles
// outgrows one entry (Windows Credential Manager takes 2560 bytes).
func (k *keychain) indexStore() Store { return &chunked{k.rawKeychain, keychainChunk} }

func (k *keychain) index() ([]string, error) {
	v, err := k.indexStore().Get(indexKey)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var keys []string
	if json.Unmarshal(v, &keys) != nil {
		return nil, nil // a corrupt index is rebuilt by the next Set
	}
	return keys, nil
}

// updateIndex records that key was added or removed, under a lock shared
// by all of the user's processes: two logins at once must not each write
// back an index without the other's key. The index only serves List
// (status, logout --all), never a credential.
func (k *keychain) updateIndex(key string, add bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.lockPath != "" {
		unlock, err := lockFile(k.lockPath, lockWait)
		switch {
		case err == nil:
			defer unlock()
		case errors.Is(err, errLockTimeout):
			return fmt.Errorf("update the index of the %s keychain entries: %w", k.service, err)
		default:
			// No lock file (read-only or full state folder): go on
			// without it, as the session lock does, rather than lose
			// the session.
		}
	}
	keys, err := k.index()
	if err != nil {
		return err
	}
	out := slices.DeleteFunc(keys, func(x string) bool { return x == key })
	if add {
		out = append(out, key)
	}
	b, _ := json.Marshal(sortedUnique(out))
	return k.indexStore().Set(indexKey, b)
}

// rawKeychain is the keychain without the index, which stores the index;
// keychain's Name and Get are its own.
type rawKeychain struct {
	service string
	api     keychainAPI
}

func (r rawKeychain) Name() string { return Keychain }

func (r rawKeychain) Get(key string) ([]byte, error) {
	v, err := r.api.Get(r.service, key)
	if errors.Is(err, zk.ErrNotFound) {
		return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}

func (r rawKeychain) Set(key string, value []byte) error {
	return r.api.Set(r.service, key, string(value))
}

func (r rawKeychain) Remove(key string) error {
	if err := r.api.Delete(r.service, key); err != nil && !errors.Is(err, zk.ErrNotFound) {
		return err
	}
	return nil
}

func (r rawKeychain) List() ([]string, error) {
	return nil, errors.New("the keychain cannot list its entries")
}
