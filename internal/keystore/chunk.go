package keystore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Windows Credential Manager refuses blobs over 2560 bytes, and zalando's
// macOS path hex-encodes values into a 4096-byte command. Values larger
// than a backend's limit are stored as a header under the key and parts
// under "key#1", "key#2", ... The header, written last, holds the number
// of parts and the SHA-256 of the whole value, so parts of two different
// writes are never read back as one value.
const (
	defaultChunk  = 2400
	keychainChunk = 1800 // hex doubles the size on macOS
)

func chunkLimit(backend string) int {
	if backend == Keychain {
		return keychainChunk
	}
	return defaultChunk
}

const chunkHeader = "mfa-git-chunks:"

// maxParts bounds how many parts a value may have, so a corrupt header
// cannot make a read fetch thousands of entries.
const maxParts = 64

type chunked struct {
	Store
	limit int
}

// Split returns s storing values larger than the default part size in
// parts, as every Store from Open does: the same layer for a Store
// implemented outside this package.
func Split(s Store) Store { return &chunked{s, defaultChunk} }

func partKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

func (c *chunked) Set(key string, value []byte) error {
	old := c.parts(key)
	if len(value) <= c.limit && !bytes.HasPrefix(value, []byte(chunkHeader)) {
		if err := c.Store.Set(key, value); err != nil {
			return err
		}
		c.removeParts(key, 1, old)
		return nil
	}
	n := (len(value) + c.limit - 1) / c.limit
	if n > maxParts {
		return fmt.Errorf("value for %q is too large: %d bytes, over %d parts of %d", key, len(value), maxParts, c.limit)
	}
	for i := 1; i <= n; i++ {
		end := min(i*c.limit, len(value))
		if err := c.Store.Set(partKey(key, i), value[(i-1)*c.limit:end]); err != nil {
			// Some parts may be new and some old: remove the entry
			// rather than leave it half rewritten.
			c.removeParts(key, 1, max(n, old))
			c.Store.Remove(key)
			return fmt.Errorf("store part %d of %d: %w", i, n, err)
		}
	}
	sum := sha256.Sum256(value)
	if err := c.Store.Set(key, []byte(chunkHeader+strconv.Itoa(n)+":"+hex.EncodeToString(sum[:]))); err != nil {
		return err
	}
	c.removeParts(key, n+1, old)
	return nil
}

// header parses a split entry's header: the number of parts and, in
// entries written since it was added, the SHA-256 of the whole value.
func header(v []byte) (n int, sum string, ok bool) {
	rest, found := bytes.CutPrefix(v, []byte(chunkHeader))
	if !found {
		return 0, "", false
	}
	count, sum, _ := strings.Cut(string(rest), ":")
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > maxParts {
		return 0, "", false
	}
	return n, sum, true
}

// parts returns how many parts key is split into (0 when it is not).
func (c *chunked) parts(key string) int {
	v, err := c.Store.Get(key)
	if err != nil {
		return 0
	}
	n, _, _ := header(v)
	return n
}

func (c *chunked) removeParts(key string, from, to int) {
	for i := from; i <= to; i++ {
		_ = c.Store.Remove(partKey(key, i))
	}
}

func (c *chunked) Get(key string) ([]byte, error) {
	v, err := c.Store.Get(key)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(v, []byte(chunkHeader)) {
		return v, nil
	}
	n, sum, ok := header(v)
	if !ok {
		return nil, fmt.Errorf("entry %q has a corrupt part count", key)
	}
	var out []byte
	for i := 1; i <= n; i++ {
		p, err := c.Store.Get(partKey(key, i))
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, fmt.Errorf("entry %q is missing part %d of %d", key, i, n)
			}
			return nil, err
		}
		out = append(out, p...)
	}
	// Parts from two writes (a rewrite cut short, two writers at once)
	// must not pass for one value.
	if got := sha256.Sum256(out); sum != "" && sum != hex.EncodeToString(got[:]) {
		return nil, fmt.Errorf("entry %q has parts from different writes", key)
	}
	return out, nil
}

func (c *chunked) Remove(key string) error {
	n := c.parts(key)
	c.removeParts(key, 1, n)
	return c.Store.Remove(key)
}

func (c *chunked) List() ([]string, error) {
	keys, err := c.Store.List()
	if err != nil {
		return nil, err
	}
	out := keys[:0]
	for _, k := range keys {
		if i := strings.LastIndexByte(k, '#'); i >= 0 {
			if _, err := strconv.Atoi(k[i+1:]); err == nil {
				continue
			}
		}
		out = append(out, k)
	}
	return out, nil
}
