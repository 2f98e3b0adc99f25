package testenv

import (
	"errors"

	"golang.org/x/sys/unix"
)

// RemoveKeyctlNamespace removes the kernel keyrings named service that
// the keyctl backend keeps in the user keyring: each is emptied and
// unlinked from @u, so it and its entries are gone at once (one linked
// anywhere else is invalidated instead). A missing keyring is not an
// error.
func RemoveKeyctlNamespace(service string) error {
	for range 100 {
		id, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", service, 0)
		if errors.Is(err, unix.ENOKEY) || errors.Is(err, unix.EKEYREVOKED) {
			return nil // EKEYREVOKED: invalidated, waiting for the collector
		}
		if err != nil {
			return err
		}
		unix.KeyctlInt(unix.KEYCTL_CLEAR, id, 0, 0, 0)
		if _, err := unix.KeyctlInt(unix.KEYCTL_UNLINK, id, unix.KEY_SPEC_USER_KEYRING, 0, 0); err != nil {
			if _, err := unix.KeyctlInt(unix.KEYCTL_INVALIDATE, id, 0, 0, 0); err != nil {
				return err
			}
		}
	}
	return errors.New("still present after 100 removals")
}
