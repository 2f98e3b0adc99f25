package keystoretest

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// The fake keeps values, splits large ones as the real backends do, and
// says ErrNotFound for a missing key.
func TestMemory(t *testing.T) {
	s := NewMemory()
	big := bytes.Repeat([]byte("x"), 6000)
	for k, v := range map[string][]byte{"a": []byte("1"), "big": big} {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(k); err != nil || !bytes.Equal(got, v) {
			t.Fatalf("Get(%s) = %d bytes, %v", k, len(got), err)
		}
	}
	if keys, err := s.List(); err != nil || !slices.Equal(keys, []string{"a", "big"}) {
		t.Fatalf("List = %q, %v", keys, err)
	}
	for _, k := range []string{"a", "big"} {
		if err := s.Remove(k); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(k); !errors.Is(err, keystore.ErrNotFound) {
			t.Fatalf("Get(%s) after Remove: %v", k, err)
		}
	}
}
