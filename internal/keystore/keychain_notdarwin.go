//go:build !darwin

package keystore

import zk "github.com/zalando/go-keyring"

// keychainBackend is zalando/go-keyring: Windows Credential Manager, or
// the Secret Service.
func keychainBackend() keychainAPI { return zalando{} }

// zalando is zalando/go-keyring as a keychainAPI.
type zalando struct{}

func (zalando) Get(s, u string) (string, error) { return zk.Get(s, u) }
func (zalando) Set(s, u, p string) error        { return zk.Set(s, u, p) }
func (zalando) Delete(s, u string) error        { return zk.Delete(s, u) }
