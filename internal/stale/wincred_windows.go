package stale

import (
	"errors"

	"github.com/danieljoos/wincred"
)

// WinCred removes stale passwords from Windows Credential Manager: the
// generic credentials git's wincred helper and Git Credential Manager
// store (targets git:https://[USER@]HOST[/PATH]).
func (c cleaner) WinCred() ([]string, error) { return c.cleanWinCred(winCredAPI{}) }

type winCredAPI struct{}

func (winCredAPI) list() ([]winCred, error) {
	creds, err := wincred.List()
	if err != nil {
		return nil, err
	}
	out := make([]winCred, 0, len(creds))
	for _, c := range creds {
		out = append(out, winCred{Target: c.TargetName, User: c.UserName, Blob: c.CredentialBlob})
	}
	return out, nil
}

func (winCredAPI) read(target string) (winCred, bool, error) {
	c, err := wincred.GetGenericCredential(target)
	if errors.Is(err, wincred.ErrElementNotFound) {
		return winCred{}, false, nil
	}
	if err != nil {
		return winCred{}, false, err
	}
	return winCred{Target: c.TargetName, User: c.UserName, Blob: c.CredentialBlob}, true, nil
}

func (winCredAPI) deleteGeneric(target string) error {
	// Only the target name is used: the secret is not read again.
	return wincred.NewGenericCredential(target).Delete()
}
