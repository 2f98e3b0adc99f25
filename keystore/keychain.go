package keystore

import (
	"encoding/json"
	"errors"
	"fmt"

	zk "github.com/zalando/go-keyring"
)

// indexKey holds the list of keys, since the OS keychain APIs that
// zalando/go-keyring wraps cannot enumerate a service's entries.
const indexKey = ".index"

// keychain adapts github.com/zalando/go-keyring: the macOS Keychain (via
// /usr/bin/security, no cgo), Windows Credential Manager, and the Secret
// Service on other systems.
type keychain struct {
	service string
	api     keychainAPI
}

// keychainAPI is the part of zalando/go-keyring we use; tests substitute
// it to exercise the macOS and Windows paths on Linux.
type keychainAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type zalando struct{}

func (zalando) Get(s, u string) (string, error) { return zk.Get(s, u) }
func (zalando) Set(s, u, p string) error        { return zk.Set(s, u, p) }
func (zalando) Delete(s, u string) error        { return zk.Delete(s, u) }

func openKeychain(cfg Config) (Store, error) {
	return &keychain{service: cfg.service(), api: keychainBackend()}, nil
}

func (k *keychain) Name() string { return Keychain }

func (k *keychain) Get(key string) ([]byte, error) {
	v, err := k.api.Get(k.service, key)
	if errors.Is(err, zk.ErrNotFound) {
		return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}

func (k *keychain) Set(key string, value []byte) error {
	if err := k.api.Set(k.service, key, string(value)); err != nil {
		if errors.Is(err, zk.ErrSetDataTooBig) {
			return fmt.Errorf("value for %q is too large for the keychain: %w", key, err)
		}
		return err
	}
	return k.updateIndex(key, true)
}

func (k *keychain) Remove(key string) error {
	err := k.api.Delete(k.service, key)
	if err != nil && !errors.Is(err, zk.ErrNotFound) {
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

func (k *keychain) index() ([]string, error) {
	v, err := k.api.Get(k.service, indexKey)
	if errors.Is(err, zk.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var keys []string
	if json.Unmarshal([]byte(v), &keys) != nil {
		return nil, nil // a corrupt index is rebuilt by the next Set
	}
	return keys, nil
}

// updateIndex records that key was added or removed. The index is advisory:
// it only serves List, so a lost update costs a stale status line, never a
// wrong credential.
func (k *keychain) updateIndex(key string, add bool) error {
	keys, err := k.index()
	if err != nil {
		return err
	}
	out := keys[:0]
	for _, x := range keys {
		if x != key {
			out = append(out, x)
		}
	}
	if add {
		out = append(out, key)
	}
	b, _ := json.Marshal(sortedUnique(out))
	return k.api.Set(k.service, indexKey, string(b))
}
