//go:build !linux

package keystore

// keyctlPerm is unused where there is no kernel keyring.
var keyctlPerm uint32
