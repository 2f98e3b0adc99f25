//go:build linux

package keystore

import (
	"fmt"
	"sync"
	"testing"
)

// Many processes open a kernel keyring namespace that does not exist yet,
// as the first git commands after a reboot do in parallel: every one of
// them must be able to store and read back, and see the others' entries.
func TestKeyCtlFirstUseInParallel(t *testing.T) {
	state := t.TempDir()
	for round := 0; round < 10; round++ {
		service := fmt.Sprintf("%s-%d", testService(t), round)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		stores := make([]Store, 8)
		for i := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: state})
				if err != nil {
					errs <- err
					return
				}
				stores[i] = s
				if err := s.Set(fmt.Sprint("k", i), []byte("v")); err != nil {
					errs <- fmt.Errorf("writer %d: %w", i, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
		fresh, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: state})
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := fresh.List()
		if len(keys) != len(stores) {
			t.Fatalf("round %d: %d of %d entries survive: %q", round, len(keys), len(stores), keys)
		}
		for _, k := range keys {
			fresh.Remove(k)
		}
	}
}
