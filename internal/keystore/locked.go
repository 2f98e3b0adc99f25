package keystore

import (
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// lockedHint fixes a keyring that is locked.
const lockedHint = "unlock the login keyring (log in to the desktop session, or open it in Passwords and Keys), then run the command again; or choose another store with MFA_GIT_KEYRING"

// explainLocked turns the Secret Service's answers for a locked keyring
// into sentences that say so: zalando/go-keyring's "failed to unlock
// correct collection" comes after its unlock dialog was dismissed (or
// none could be shown); the service's IsLocked error after an item was
// asked for while its collection stayed locked. Other errors are
// returned as they are.
func explainLocked(err error) error {
	if err == nil {
		return nil
	}
	switch msg := err.Error(); {
	case strings.Contains(msg, "failed to unlock correct collection"):
		return hint.New(err, "the keyring is locked, and its unlock dialog was dismissed or could not be shown", lockedHint)
	case strings.Contains(msg, "org.freedesktop.Secret.Error.IsLocked") || strings.Contains(msg, "locked object"):
		return hint.New(err, "the keyring is locked, and mfa-git cannot read or write it until it is unlocked", lockedHint)
	}
	return err
}

// lockExplained is a keychainAPI whose errors for a locked keyring say so.
type lockExplained struct{ keychainAPI }

func (l lockExplained) Get(service, user string) (string, error) {
	v, err := l.keychainAPI.Get(service, user)
	return v, explainLocked(err)
}

func (l lockExplained) Set(service, user, password string) error {
	return explainLocked(l.keychainAPI.Set(service, user, password))
}

func (l lockExplained) Delete(service, user string) error {
	return explainLocked(l.keychainAPI.Delete(service, user))
}
