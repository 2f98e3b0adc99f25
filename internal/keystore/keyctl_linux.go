package keystore

import (
	"path/filepath"
	"time"

	"github.com/99designs/keyring"
	"golang.org/x/sys/unix"
)

// keyctlPerm lets the owning user (and possessor) do everything and nobody
// else anything. Without it, keys created in the user keyring are readable
// only by processes that "possess" it, which depends on how the login
// session was set up.
var keyctlPerm = keyring.GetPermissions(keyring.KEYCTL_PERM_ALL, keyring.KEYCTL_PERM_ALL, 0, 0)

// keyctlLockWait bounds the wait for another process's keyring creation,
// which takes a few system calls; past it, the namespace is opened without
// the lock rather than never.
const keyctlLockWait = 5 * time.Second

// lockKeyctlCreation serialises the creation of the kernel keyring that
// holds cfg's namespace. The kernel cannot create a keyring only if it is
// absent: processes that all find it missing each create one, and each link
// into the user keyring displaces the one before, taking the entries
// stored in it along (the first parallel git commands after every reboot
// do exactly this). When the keyring exists, as on every later call, no
// lock is taken. Without a private state folder, or after waiting
// keyctlLockWait for the lock, it does nothing. The lock file is never a
// symlink followed (see filelock.Acquire).
func lockKeyctlCreation(cfg Config) (unlock func()) {
	if _, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", cfg.service(), 0); err == nil || cfg.StateDir == "" {
		return func() {}
	}
	unlock, err := lockFile(filepath.Join(cfg.StateDir, "keyctl-create.lock"), keyctlLockWait)
	if err != nil {
		return func() {}
	}
	return unlock
}
