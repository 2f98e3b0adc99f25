package source

// A logout wins over a session being made: it writes a mark before it
// removes anything, and the maker compares the marks before and after it
// saves.

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// logoutPaths are the files a logout of profile name (or of every
// profile, "") rewrites, so a session being made meanwhile is not kept.
func (m *Manager) logoutPaths(name string) []string {
	all := filepath.Join(m.LockDir, "logout-all")
	if name == "" {
		return []string{all}
	}
	return []string{filepath.Join(m.LockDir, "logout-"+session.Digest(session.ProfilePrefix(name))), all}
}

// logoutMark identifies the last logout that concerns any of the named
// profiles.
func (m *Manager) logoutMark(names ...string) string {
	var b strings.Builder
	for _, name := range names {
		for _, path := range m.logoutPaths(name) {
			mark, _ := userdir.ReadFile(path, 64) // missing or unsafe: empty
			b.Write(mark)
			b.WriteByte('/')
		}
	}
	return b.String()
}

// markLogout records a logout of name ("" for all) before anything is
// removed: a session saved after this is seen and removed by its maker.
func (m *Manager) markLogout(name string) error {
	nonce := make([]byte, 8)
	rand.Read(nonce)
	return userdir.WriteFile(m.logoutPaths(name)[0], []byte(hex.EncodeToString(nonce)+"\n"))
}

func loggedOut(name string) error {
	return hint.New(session.ErrLoggedOut, fmt.Sprintf("profile %s was logged out while its session was being made; the session was not kept", name),
		"run the command again to start a new session")
}

// verifyGone counts only what a logout verified gone: it lists the
// keystore again after the removal and takes out of removed (the keys
// the agent said it forgot and the keystore's Remove accepted) every
// session that is still there. Any session left under prefix is an
// error that names them, so logout never reports a removal the keystore
// did not make.
func (m *Manager) verifyGone(prefix string, removed map[string]bool, err error) (int, error) {
	left, lerr := m.cache().Keys(prefix)
	if lerr != nil {
		return 0, cmp.Or(err, fmt.Errorf("list the %s keyring again to check the removal: %w", m.Store.Name(), lerr))
	}
	for _, k := range left {
		delete(removed, k)
	}
	if len(left) > 0 {
		slices.Sort(left)
		err = cmp.Or(err, hint.New(nil, fmt.Sprintf("the %s keyring still holds %d cached session(s) after they were removed: %s", m.Store.Name(), len(left), strings.Join(left, ", ")),
			"run logout again; if they stay, remove them with the keyring's own tool, or choose another store with MFA_GIT_KEYRING"))
	}
	return len(removed), err
}
