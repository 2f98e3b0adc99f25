package keystore

import (
	"errors"
	"testing"
)

// Lazy opens its store on the first call only, passes every call
// through, and gives the open error to every call.
func TestLazy(t *testing.T) {
	opens := 0
	s := Lazy("wanted", func() (Store, error) { opens++; return newMemory(), nil })
	if s.Name() != "wanted" || opens != 0 {
		t.Fatalf("before use: Name %q, %d opens", s.Name(), opens)
	}
	contract(t, s)
	if s.Name() != "memory" || opens != 1 {
		t.Fatalf("after use: Name %q, %d opens", s.Name(), opens)
	}

	failed := errors.New("no keyring")
	bad := Lazy("file", func() (Store, error) { opens++; return nil, failed })
	_, gerr := bad.Get("k")
	_, lerr := bad.List()
	for i, err := range []error{gerr, bad.Set("k", nil), bad.Remove("k"), lerr} {
		if !errors.Is(err, failed) {
			t.Errorf("call %d: %v, want the open error", i, err)
		}
	}
	if opens != 2 {
		t.Errorf("%d opens, want 2", opens)
	}
}
