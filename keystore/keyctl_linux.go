package keystore

import (
	"os"
	"path/filepath"

	"github.com/99designs/keyring"
	"golang.org/x/sys/unix"
)

// keyctlPerm lets the owning user (and possessor) do everything and nobody
// else anything. Without it, keys created in the user keyring are readable
// only by processes that "possess" it, which depends on how the login
// session was set up.
var keyctlPerm = keyring.GetPermissions(keyring.KEYCTL_PERM_ALL, keyring.KEYCTL_PERM_ALL, 0, 0)

// lockKeyctlCreation serialises the creation of the kernel keyring that
// holds cfg's namespace. The kernel cannot create a keyring only if it is
// absent: processes that all find it missing each create one, and each link
// into the user keyring displaces the one before, taking the entries
// stored in it along (the first parallel git commands after every reboot
// do exactly this). When the keyring exists, as on every later call, no
// lock is taken. Without a state folder it does nothing.
func lockKeyctlCreation(cfg Config) (unlock func()) {
	none := func() {}
	if _, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", cfg.service(), 0); err == nil {
		return none
	}
	if cfg.StateDir == "" || os.MkdirAll(cfg.StateDir, 0o700) != nil {
		return none
	}
	f, err := os.OpenFile(filepath.Join(cfg.StateDir, "keyctl-create.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return none
	}
	if unix.Flock(int(f.Fd()), unix.LOCK_EX) != nil {
		f.Close()
		return none
	}
	return func() { f.Close() } // closing releases the lock
}
