//go:build !windows

package stale

// WinCred does nothing outside Windows.
func (c Cleaner) WinCred() ([]string, error) { return nil, nil }
