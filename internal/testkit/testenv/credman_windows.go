package testenv

import (
	"errors"
	"strings"

	"github.com/danieljoos/wincred"
)

// RemoveCredManNamespace deletes the Credential Manager's generic
// credentials the keychain backend wrote under service (targets
// "service:KEY"). Nothing there is not an error.
func RemoveCredManNamespace(service string) error {
	creds, err := wincred.List()
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range creds {
		if !strings.HasPrefix(c.TargetName, service+":") {
			continue
		}
		g, err := wincred.GetGenericCredential(c.TargetName)
		if err == nil {
			err = g.Delete()
		}
		if err != nil && !errors.Is(err, wincred.ErrElementNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
