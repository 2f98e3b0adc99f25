package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// Cache is the only code that reads, writes and forgets stored sessions:
// the obtain loop (package source) and the agent both go through it.
type Cache struct{ Store keystore.Store }

// ErrNotSession is Load's error for an entry that is not a complete
// session stored under its own key.
var ErrNotSession = errors.New("not a session of this key")

// Load reads the session stored under key. An entry that is too large,
// incomplete, or made for another key is ErrNotSession; a missing one is
// keystore.ErrNotFound.
func (c Cache) Load(key string) (*Session, error) {
	b, err := c.Store.Get(key)
	if err != nil {
		return nil, err
	}
	var s Session
	// Real sessions are under 8 KiB: a larger entry is not mfa-git's.
	if len(b) > 64<<10 || Decode(b, &s) != nil || s.AccessKeyID == "" || s.SecretAccessKey == "" ||
		s.SessionToken == "" || s.Expiration.IsZero() || (s.Key != key && !Belongs(key, &s)) {
		return nil, ErrNotSession
	}
	s.Key = key
	return &s, nil
}

// Put stores s under key, recording key in the entry. A session filed
// under another key is refused: Load would not hand it out.
func (c Cache) Put(key string, s *Session) error {
	if s.Key != "" && s.Key != key {
		return fmt.Errorf("store the session of %s under %s: %w", s.Key, key, ErrNotSession)
	}
	v := *s
	v.Key = key
	b, err := json.Marshal(&v)
	if err != nil {
		return err
	}
	return c.Store.Set(key, b)
}

// Remove forgets the session under key.
func (c Cache) Remove(key string) error { return c.Store.Remove(key) }

// Keys lists the stored sessions' keys that start with prefix (see
// ProfilePrefix).
func (c Cache) Keys(prefix string) ([]string, error) {
	keys, err := c.Store.List()
	return slices.DeleteFunc(keys, func(k string) bool { return !strings.HasPrefix(k, prefix) }), err
}

// Keep stores s under key, as Put, and then removes the sessions it
// replaces: those of key's kind (MFA, another source's, or role session)
// under its prefix, made from older keys, devices, sources or role
// chains; an MFA session's role sessions stay. Only the removal's errors are ignored: such an entry is
// never handed out, only kept.
func (c Cache) Keep(key string, s *Session) error {
	if err := c.Put(key, s); err != nil {
		return err
	}
	c.prune(key)
	return nil
}

// prune removes the sessions Keep replaces with keep.
func (c Cache) prune(keep string) {
	keys, _ := c.Keys(keep[:strings.LastIndexByte(keep, '/')+1])
	for _, k := range keys {
		if k != keep && sameKind(k, keep) {
			c.Store.Remove(k)
		}
	}
}

// Forget removes every stored session under prefix and returns the keys
// it removed; it stops at the first that cannot be removed.
func (c Cache) Forget(prefix string) ([]string, error) {
	keys, err := c.Keys(prefix)
	if err != nil {
		return nil, fmt.Errorf("list the %s keyring: %w", c.Store.Name(), err)
	}
	var removed []string
	for _, k := range keys {
		if err := c.Store.Remove(k); err != nil {
			return removed, fmt.Errorf("remove %s: %w", k, err)
		}
		removed = append(removed, k)
	}
	return removed, nil
}
