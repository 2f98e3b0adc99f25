//go:build windows || darwin

package keystore

// CleanLibsecret does nothing here: git's libsecret helper is for Linux.
func CleanLibsecret(func(string) bool, bool) ([]string, error) { return nil, nil }
