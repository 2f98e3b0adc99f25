package keystore

import (
	"fmt"
	"sync"
)

// Memory is a Store that lives in process memory. It backs unit tests of
// the packages above this one; mfa-git itself never selects it.
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemory returns an empty in-memory store that splits values like the
// real backends do.
func NewMemory() Store { return newChunked(&Memory{m: map[string][]byte{}}, defaultChunk) }

// Name implements Store.
func (m *Memory) Name() string { return "memory" }

// Get implements Store.
func (m *Memory) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	if !ok {
		return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
	}
	return append([]byte(nil), v...), nil
}

// Set implements Store.
func (m *Memory) Set(key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = append([]byte(nil), value...)
	return nil
}

// Remove implements Store.
func (m *Memory) Remove(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// List implements Store.
func (m *Memory) List() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.m {
		keys = append(keys, k)
	}
	return sortedUnique(keys), nil
}
