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

func (l *lazy) get() (Store, error) {
	l.once.Do(func() { l.s, l.err = l.open() })
	return l.s, l.err
}

// Name is the opened backend's name, or the requested one before opening.
func (l *lazy) Name() string {
	if l.s != nil {
		return l.s.Name()
	}
	return l.name
}

func (l *lazy) Get(key string) ([]byte, error) {
	s, err := l.get()
	if err != nil {
		return nil, err
	}
	return s.Get(key)
}

func (l *lazy) Set(key string, v []byte) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.Set(key, v)
}

func (l *lazy) Remove(key string) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.Remove(key)
}

func (l *lazy) List() ([]string, error) {
	s, err := l.get()
	if err != nil {
		return nil, err
	}
	return s.List()
}
