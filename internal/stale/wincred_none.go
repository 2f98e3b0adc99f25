//go:build !windows

package stale

// WinCred does nothing outside Windows.
func (c cleaner) WinCred() ([]string, error) { return nil, nil }
