package keystore

import "sync"

// Lazy returns a Store that calls open on first use, so a process that is
// answered by the agent never opens a keyring at all.
func Lazy(name string, open func() (Store, error)) Store {
	return &lazy{name: name, open: open}
}

type lazy struct {
	name string
	open func() (Store, error)
	once sync.Once
	s    Store
	err  error
}

// opened runs f on the store, opening it on the first call.
func opened[T any](l *lazy, f func(Store) (T, error)) (T, error) {
	l.once.Do(func() { l.s, l.err = l.open() })
	if l.err != nil {
		var zero T
		return zero, l.err
	}
	return f(l.s)
}

// Name is the opened backend's name, or the requested one before opening.
func (l *lazy) Name() string {
	if l.s != nil {
		return l.s.Name()
	}
	return l.name
}

func (l *lazy) Get(key string) ([]byte, error) {
	return opened(l, func(s Store) ([]byte, error) { return s.Get(key) })
}

func (l *lazy) Set(key string, v []byte) error {
	_, err := opened(l, func(s Store) (struct{}, error) { return struct{}{}, s.Set(key, v) })
	return err
}

func (l *lazy) Remove(key string) error {
	_, err := opened(l, func(s Store) (struct{}, error) { return struct{}{}, s.Remove(key) })
	return err
}

func (l *lazy) List() ([]string, error) {
	return opened(l, Store.List)
}
