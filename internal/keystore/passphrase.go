package keystore

import (
	"errors"
	"fmt"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// ErrWrongPassphrase is matched (errors.Is) by the error of a file
// keyring entry that the passphrase given does not decrypt.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// FileEntries lists what the file keyring cfg names holds, without asking
// for its passphrase (entries are files; only their contents are
// encrypted), and returns the folder it lives in. A new keyring has none.
func FileEntries(cfg Config) (dir string, keys []string, err error) {
	cfg.Backend = File
	r, err := openFileRing(cfg)
	if err != nil {
		return "", nil, err
	}
	keys, err = r.List()
	return r.fileDir, keys, err
}

// CheckFilePassphrase opens the file keyring cfg names afresh, with
// cfg.Passphrase, and reads one of the entries already there: a
// passphrase that does not open them must not be used to add a new one,
// which only that passphrase would read. A keyring with no entries
// accepts any passphrase. Each entry is encrypted on its own, so every
// entry is read: one written with another passphrase is found too.
func CheckFilePassphrase(cfg Config) error {
	cfg.Backend = File
	r, err := openFileRing(cfg)
	if err != nil {
		return err
	}
	keys, err := r.List()
	if err != nil {
		return fmt.Errorf("list the file keyring at %s: %w", r.fileDir, err)
	}
	for _, k := range keys {
		_, err := r.Get(k)
		if errors.Is(err, ErrWrongPassphrase) {
			return hint.New(err, fmt.Sprintf("the passphrase does not open the existing file keyring at %s (entry %s)", r.fileDir, k),
				"give the passphrase the keyring was written with (MFA_GIT_FILE_PASSPHRASE, or at the prompt); if it is lost, move that folder away and run the command again (sessions are made again; keys moved there must be added again)")
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("read %s from the file keyring at %s: %w", k, r.fileDir, err)
		}
	}
	return nil
}

// openFileRing opens the file backend itself, without the splitting
// layer: its entries are checked one by one.
func openFileRing(cfg Config) (*ring, error) {
	s, err := openRing(File, cfg)
	if err != nil {
		return nil, fmt.Errorf("open file keyring: %w", err)
	}
	return s.(*ring), nil
}
