//go:build windows || darwin

package stale

// Libsecret does nothing here: the Secret Service is for Linux and BSD.
func (c cleaner) Libsecret() ([]string, error) { return nil, nil }
