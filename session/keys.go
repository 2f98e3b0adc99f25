package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mfa-git/mfa-git/keystore"
)

// ErrNoKeys is wrapped by the error for a profile without long-term keys.
var ErrNoKeys = errors.New("no long-term access key")

// keysKey names a profile's long-term keys in the keystore.
func keysKey(profile string) string { return "keys/" + profile }

type storedKeys struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
}

// StoreKeys keeps a profile's long-term keys in the keystore.
func StoreKeys(store keystore.Store, profile, accessKeyID, secret string) error {
	b, err := json.Marshal(storedKeys{accessKeyID, secret})
	if err != nil {
		return err
	}
	return store.Set(keysKey(profile), b)
}

// StoredKeys returns the long-term keys kept for profile in store.
func StoredKeys(store keystore.Store, profile string) (accessKeyID, secret string, err error) {
	b, err := store.Get(keysKey(profile))
	if err != nil {
		return "", "", err
	}
	var k storedKeys
	if err := json.Unmarshal(b, &k); err != nil {
		return "", "", err
	}
	return k.AccessKeyID, k.SecretAccessKey, nil
}

// LoadProfileKeys is LoadProfile without requiring mfa_serial, for setup
// (which finds the device), add and doctor.
func LoadProfileKeys(_ context.Context, name string, files Files, store keystore.Store) (*Profile, error) {
	p, err := loadProfile(name, files, nil)
	if err == nil || !errors.Is(err, ErrNoKeys) || store == nil {
		return p, err
	}
	b, gerr := store.Get(keysKey(name))
	if gerr != nil {
		if errors.Is(gerr, keystore.ErrNotFound) {
			return nil, err
		}
		return nil, withHint(gerr, fmt.Sprintf("read the keys of profile %q from the %s keyring: %v", name, store.Name(), gerr), "unlock the keyring, or store the keys again: mfa-git add --profile "+name)
	}
	var k storedKeys
	if json.Unmarshal(b, &k) != nil || k.AccessKeyID == "" || k.SecretAccessKey == "" {
		return nil, withHint(nil, fmt.Sprintf("the keys of profile %q in the %s keyring are unreadable", name, store.Name()), "store them again: mfa-git add --profile "+name)
	}
	p, err = loadProfile(name, files, &k)
	return p, err
}
