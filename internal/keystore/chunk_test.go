package keystore

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// failPart refuses to store one key, as a full disk or a daemon that dies
// between two writes would.
type failPart struct {
	Store
	key string
}

func (f failPart) Set(key string, v []byte) error {
	if key == f.key {
		return errors.New("no space left on device")
	}
	return f.Store.Set(key, v)
}

// Rewriting a split entry fails after its first part: the entry must not
// then read back as the new first part joined to the old second one, which
// parses as a session with someone else's token tail.
func TestChunkFailedRewriteNeverMixes(t *testing.T) {
	mem := rawMemory()
	old := []byte(strings.Repeat("o", 30))
	neu := []byte(strings.Repeat("n", 30))

	c := &chunked{mem, 20}
	if err := c.Set("k", old); err != nil {
		t.Fatal(err)
	}
	broken := &chunked{failPart{mem, "k#2"}, 20}
	if err := broken.Set("k", neu); err == nil {
		t.Fatal("Set succeeded with a part refused")
	}
	got, err := c.Get("k")
	if err == nil && !bytes.Equal(got, old) && !bytes.Equal(got, neu) {
		t.Fatalf("a half-rewritten entry read back as %q", got)
	}
}

// Two writers interleaving their parts (two processes without the lock):
// whatever is read is one writer's value or an error, never a mix.
func TestChunkInterleavedWritersNeverMix(t *testing.T) {
	mem := rawMemory()
	a := []byte(strings.Repeat("a", 30))
	b := []byte(strings.Repeat("b", 30))
	c := &chunked{mem, 20}
	c.Set("k", a)
	// Writer b gets as far as its parts; writer a's header stays.
	mem.Set("k#1", b[:20])
	mem.Set("k#2", b[20:])
	got, err := c.Get("k")
	if err == nil && !bytes.Equal(got, a) && !bytes.Equal(got, b) {
		t.Fatalf("interleaved writers read back as %q", got)
	}
	if err == nil {
		t.Fatalf("b's parts under a's header read back as %q", got)
	}
}

// A value needing more parts than a read accepts is refused when written,
// not stored where it could never be read back.
func TestChunkRefusesWhatItCouldNotRead(t *testing.T) {
	c := &chunked{rawMemory(), 20}
	err := c.Set("k", bytes.Repeat([]byte("v"), 20*maxParts+1))
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("Set of %d parts = %v, want too large", maxParts+1, err)
	}
	if err := c.Set("k", bytes.Repeat([]byte("v"), 20*maxParts)); err != nil {
		t.Fatalf("Set of %d parts: %v", maxParts, err)
	}
	if v, err := c.Get("k"); err != nil || len(v) != 20*maxParts {
		t.Fatalf("Get of %d parts: %d bytes, %v", maxParts, len(v), err)
	}
}

// rawMemory is a memStore without the splitting layer newMemory adds.
func rawMemory() *memStore { return &memStore{} }
