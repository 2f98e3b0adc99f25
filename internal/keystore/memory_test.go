package keystore

import (
	"bytes"
	"fmt"
	"sync"
)

// memStore is a Store in memory for this package's own tests; tests of
// other packages use keystoretest.NewMemory.
type memStore struct{ m sync.Map }

func (m *memStore) Name() string { return "memory" }

func (m *memStore) Get(key string) ([]byte, error) {
	if v, ok := m.m.Load(key); ok {
		return bytes.Clone(v.([]byte)), nil
	}
	return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
}

func (m *memStore) Set(key string, value []byte) error {
	m.m.Store(key, bytes.Clone(value))
	return nil
}

func (m *memStore) Remove(key string) error {
	m.m.Delete(key)
	return nil
}

func (m *memStore) List() (keys []string, _ error) {
	m.m.Range(func(k, _ any) bool { keys = append(keys, k.(string)); return true })
	return sortedUnique(keys), nil
}

// newMemory is a memStore that splits values like the real backends do.
func newMemory() Store { return Split(&memStore{}) }
