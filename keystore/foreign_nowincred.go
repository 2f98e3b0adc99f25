//go:build !windows

package keystore

// WinCred does nothing outside Windows.
func (c Cleaner) WinCred() ([]string, error) { return nil, nil }
