//go:build !windows

package keystore

// CleanWinCred does nothing outside Windows.
func CleanWinCred(func(string) bool, bool) ([]string, error) { return nil, nil }
