package gitconfig

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// The setup records: what Configure changed in a config file, kept in
// the state folder (one 0600 file per config file) for Unconfigure.

// statePath is where the record for config file path is kept.
func (g File) statePath(path string) (string, error) {
	if g.StateDir == "" {
		return "", errors.New("no folder to keep the setup record in")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.Join(g.StateDir, "setup-"+digestOf(abs)[:16]+".json"), nil
}

// maxRecord bounds a record, written and read: it holds a few lines of
// git config.
const maxRecord = 1 << 20

// stateFile is the JSON kept in the state folder.
type stateFile struct {
	File   string       `json:"file"`
	Record *setupRecord `json:"record"`
}

func (g File) loadRecord(path string) (*setupRecord, error) {
	sp, err := g.statePath(path)
	if err != nil {
		return nil, err
	}
	b, err := userdir.ReadFile(sp, maxRecord)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("setup record: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil || st.Record == nil {
		return nil, fmt.Errorf("the setup record %s is unreadable; remove it, and mfa-git's lines in %s by hand", sp, path)
	}
	return st.Record, nil
}

func (g File) saveRecord(path string, rec *setupRecord) error {
	sp, err := g.statePath(path)
	if err != nil {
		return err
	}
	if rec == nil {
		if err := os.Remove(sp); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	b, err := json.MarshalIndent(stateFile{path, rec}, "", "  ")
	if err != nil {
		return err
	}
	if len(b) > maxRecord { // undo could not read it back
		return fmt.Errorf("setup record for %s: %d bytes, over the %d undo reads", path, len(b), maxRecord)
	}
	if err := userdir.WriteFile(sp, b); err != nil {
		return fmt.Errorf("setup record: %w", err)
	}
	return nil
}

func digestOf(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}
