package profile

import "github.com/mfa-git/mfa-git/internal/keystore"

// StoredKeys returns the long-term keys kept for profile in store.
func StoredKeys(store keystore.Store, profile string) (accessKeyID, secret string, err error) {
	k, err := findKeys(store, profile)
	if err != nil {
		return "", "", err
	}
	return k.AccessKeyID, k.SecretAccessKey, nil
}
