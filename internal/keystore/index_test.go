package keystore

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	zk "github.com/zalando/go-keyring"
)

// dirAPI is a keychainAPI whose entries are files in one folder, so that
// several processes share it as they share the real keychain. Like
// Windows Credential Manager it refuses values over 2560 bytes.
type dirAPI struct{ dir string }

const windowsBlobLimit = 2560

func (d dirAPI) path(s, u string) string {
	return filepath.Join(d.dir, hex.EncodeToString([]byte(s+"\x00"+u)))
}

func (d dirAPI) Get(s, u string) (string, error) {
	b, err := os.ReadFile(d.path(s, u))
	if errors.Is(err, os.ErrNotExist) {
		return "", zk.ErrNotFound
	}
	return string(b), err
}

func (d dirAPI) Set(s, u, p string) error {
	if len(p) > windowsBlobLimit {
		return zk.ErrSetDataTooBig
	}
	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return err
	}
	f.WriteString(p)
	f.Close()
	return os.Rename(f.Name(), d.path(s, u))
}

func (d dirAPI) Delete(s, u string) error {
	err := os.Remove(d.path(s, u))
	if errors.Is(err, os.ErrNotExist) {
		return zk.ErrNotFound
	}
	return err
}

// indexTestKey is a session key with a long profile name, so that the
// index of 20 outgrows one Windows entry.
func indexTestKey(i int) string {
	return fmt.Sprintf("session/team-%02d-%s/0123456789abcdef", i, strings.Repeat("p", 60))
}

// indexHelperProcess is one process of TestKeychainIndexConcurrentLogins,
// run by TestMain in a test binary started with MFA_GIT_INDEX_TEST set to
// the folder, the state folder and the process's number, one a line.
func indexHelperProcess(env string) error {
	args := strings.Split(env, "\n")
	if len(args) != 3 {
		return fmt.Errorf("MFA_GIT_INDEX_TEST = %q, want three lines", env)
	}
	var i int
	if _, err := fmt.Sscan(args[2], &i); err != nil {
		return fmt.Errorf("process number %q: %w", args[2], err)
	}
	return openIndexTest(args[0], args[1]).Set(indexTestKey(i), bytes.Repeat([]byte("v"), 3000))
}

// openIndexTest opens the keychain store a process would, over dir.
func openIndexTest(dir, state string) Store {
	return &chunked{newKeychain("mfa-git", dirAPI{dir}, state), keychainChunk}
}

// Logins of N profiles at once, from N goroutines or N processes: all N
// are in the index (each stored as a session is, in parts), and logout
// --all (List, then Remove each) leaves nothing.
func TestKeychainIndexConcurrentLogins(t *testing.T) {
	const n = 20
	value := bytes.Repeat([]byte("v"), 3000) // a session: split into parts
	for _, mode := range []string{"goroutines", "processes"} {
		t.Run(mode, func(t *testing.T) {
			dir, state := t.TempDir(), t.TempDir()
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if mode == "goroutines" {
						errs <- openIndexTest(dir, state).Set(indexTestKey(i), value)
						return
					}
					cmd := exec.Command(os.Args[0]) // TestMain runs indexHelperProcess
					cmd.Env = append(os.Environ(), "MFA_GIT_INDEX_TEST="+dir+"\n"+state+"\n"+fmt.Sprint(i))
					if out, err := cmd.CombinedOutput(); err != nil {
						errs <- fmt.Errorf("process %d: %v: %s", i, err, out)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			s := openIndexTest(dir, state)
			keys, err := s.List()
			if err != nil || len(keys) != n {
				t.Fatalf("after %d concurrent logins the index lists %d keys (%v)", n, len(keys), err)
			}
			for _, k := range keys {
				if err := s.Remove(k); err != nil {
					t.Fatal(err)
				}
			}
			if keys, _ := s.List(); len(keys) != 0 {
				t.Fatalf("after logout --all the index lists %q", keys)
			}
			left, _ := os.ReadDir(dir)
			for _, e := range left {
				name, _ := hex.DecodeString(e.Name())
				if !strings.Contains(string(name), indexKey) {
					t.Errorf("left behind: %q", name)
				}
			}
		})
	}
}

// An index written before it was split (one plain JSON entry) still
// reads, and is rewritten in parts once it outgrows an entry.
func TestKeychainIndexOldFormat(t *testing.T) {
	dir := t.TempDir()
	api := dirAPI{dir}
	api.Set("mfa-git", indexKey, `["session/old/0000"]`)
	s := openIndexTest(dir, t.TempDir())
	if keys, err := s.List(); err != nil || strings.Join(keys, ",") != "session/old/0000" {
		t.Fatalf("old index: %q, %v", keys, err)
	}
	for i := 0; i < 30; i++ {
		if err := s.Set(indexTestKey(i), []byte("x")); err != nil {
			t.Fatalf("Set %d: %v", i, err)
		}
	}
	if keys, _ := s.List(); len(keys) != 31 {
		t.Fatalf("index lists %d keys, want 31", len(keys))
	}
}

// A state folder where no lock file can be made (read-only, full) does
// not stop a login: the index is updated without the lock.
func TestKeychainIndexWithoutLockFile(t *testing.T) {
	state := filepath.Join(t.TempDir(), "file")
	os.WriteFile(state, nil, 0o600) // a file where the folder should be
	s := openIndexTest(t.TempDir(), state)
	if err := s.Set("session/a/0", []byte("x")); err != nil {
		t.Fatalf("Set without a lock file: %v", err)
	}
	if keys, _ := s.List(); len(keys) != 1 {
		t.Fatalf("List = %q", keys)
	}
}
