package stale

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// winCred is the part of a Windows Credential Manager entry the cleaner
// reads.
type winCred struct {
	Target string
	User   string
	Blob   []byte
}

// winCredStore is Windows Credential Manager, or a fake in tests.
type winCredStore interface {
	list() ([]winCred, error)
	// read reads the generic credential named target again; found is
	// false when there is none.
	read(target string) (cr winCred, found bool, err error)
	// deleteGeneric removes the generic credential named target.
	deleteGeneric(target string) error
}

// winTargetHost returns the host of a generic credential's target that
// git's wincred helper or Git Credential Manager wrote, or "" for any other
// target. Their forms are git:https://HOST[/PATH] and
// git:https://USER@HOST[/PATH], where USER is the credential's user name
// as it is, unescaped (wincred), or with "@" written as "_" (GCM). A raw
// USER may hold "%", "/" or "+" (AKID%TOKEN), so the target is cut by
// hand at the known user name, not by url.Parse.
func winTargetHost(target, user string) string {
	target = strings.TrimPrefix(target, "LegacyGeneric:target=")
	const prefix = "git:https://"
	if len(target) < len(prefix) || !strings.EqualFold(target[:len(prefix)], prefix) {
		return ""
	}
	rest := target[len(prefix):]
	for _, u := range []string{user, strings.ReplaceAll(user, "@", "_")} {
		if u != "" && strings.HasPrefix(rest, u+"@") {
			return gitServiceHost(prefix + rest[len(u)+1:])
		}
	}
	return gitServiceHost(prefix + rest)
}

// winBlobString reads a credential blob: UTF-16LE, as wincred and GCM write
// passwords, or else the bytes as they are.
func winBlobString(b []byte) string {
	if len(b)%2 == 0 {
		u := make([]uint16, len(b)/2)
		ascii := true
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			ascii = ascii && u[i] < 0x80 && u[i] != 0
		}
		if ascii {
			return string(utf16.Decode(u))
		}
	}
	return string(b)
}

// cleanWinCred removes stale passwords from st: generic credentials named
// by git's wincred helper or Git Credential Manager. Each one listed as
// stale is read again right before its delete and deleted only if it is
// still stale then; it is reported removed only if a read after the delete
// no longer finds it.
func (c cleaner) cleanWinCred(st winCredStore) ([]string, error) {
	creds, err := st.list()
	if err != nil {
		return nil, fmt.Errorf("list Windows Credential Manager entries: %w", err)
	}
	var removed []string
	var failed []error
	for _, cr := range creds {
		host, ok := c.staleWinCred(cr)
		if !ok {
			continue
		}
		entry := ShowEntry("https", host, cr.User)
		if c.DryRun {
			removed = append(removed, winCredName+": "+entry)
			continue
		}
		c.atBoundary(cr.Target)
		if err := c.deleteWinCred(st, cr.Target); err != nil {
			failed = append(failed, fmt.Errorf("%s: %s: %w", winCredName, entry, err))
			continue
		}
		removed = append(removed, winCredName+": "+entry)
	}
	return removed, errors.Join(failed...)
}

// staleWinCred reports whether cr holds a stale password, and its host.
func (c cleaner) staleWinCred(cr winCred) (host string, ok bool) {
	host = winTargetHost(cr.Target, cr.User)
	return host, c.candidate(host, cr.User) && StalePassword(cr.User, gitSecretPassword(winBlobString(cr.Blob)))
}

// deleteWinCred deletes the generic credential named target if a read
// right before shows it still stale, and checks with a read after that it
// is gone (errChanged and errStillThere say why not).
func (c cleaner) deleteWinCred(st winCredStore, target string) error {
	now, found, err := st.read(target)
	if err != nil {
		return fmt.Errorf("could not read it again before deleting it: %w", err)
	}
	if !found {
		return errors.New("it was removed by another program before clean deleted it")
	}
	if _, ok := c.staleWinCred(now); !ok {
		return errChanged
	}
	if err := st.deleteGeneric(target); err != nil {
		return fmt.Errorf("could not delete it: %w", err)
	}
	if _, found, err := st.read(target); err != nil {
		return fmt.Errorf("could not read it again after deleting it: %w", err)
	} else if found {
		return errStillThere
	}
	return nil
}

// winCredName is the store's name in what clean reports.
const winCredName = "Windows Credential Manager"
