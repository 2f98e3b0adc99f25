//go:build !linux

package keystore

import "time"

// keyctlPerm is unused where there is no kernel keyring.
var keyctlPerm uint32

// lockKeyctlCreation: the kernel keyring exists only on Linux.
func lockKeyctlCreation(Config, time.Duration) (unlock func()) { return func() {} }

// keyctlLockWait is unused where there is no kernel keyring.
const keyctlLockWait = 0
