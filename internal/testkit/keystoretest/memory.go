// Package keystoretest holds the keystore fakes that tests of other
// packages use. mfa-git itself never selects them.
package keystoretest

import (
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// Memory is a keystore.Store that lives in process memory.
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemory returns an empty in-memory store that splits values like the
// real backends do.
func NewMemory() keystore.Store {
	m := &Memory{m: map[string][]byte{}}
	return split{keystore.Split(m), m}
}

// split is a store from NewMemory: the splitting layer over raw.
type split struct {
	keystore.Store
	raw *Memory
}

// Raw returns the Memory under a store from NewMemory (else s itself):
// its entries are the parts as a backend keeps them, for a test that
// writes what another process might have left there.
func Raw(s keystore.Store) keystore.Store {
	if sp, ok := s.(split); ok {
		return sp.raw
	}
	return s
}

// Name implements keystore.Store.
func (m *Memory) Name() string { return "memory" }

// Get implements keystore.Store.
func (m *Memory) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	if !ok {
		return nil, fmt.Errorf("%q: %w", key, keystore.ErrNotFound)
	}
	return append([]byte(nil), v...), nil
}

// Set implements keystore.Store.
func (m *Memory) Set(key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = append([]byte(nil), value...)
	return nil
}

// Remove implements keystore.Store.
func (m *Memory) Remove(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// List implements keystore.Store.
func (m *Memory) List() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.m)), nil
}
