//go:build windows || darwin

package stale

// Libsecret does nothing here: the Secret Service is for Linux and BSD.
func (c Cleaner) Libsecret() ([]string, error) { return nil, nil }
