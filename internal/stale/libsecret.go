//go:build !windows && !darwin

package stale

import (
	"context"
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// secretSchemas are the Secret Service items other git helpers store, with
// how to read host and user from their attributes.
var secretSchemas = []struct {
	name, store string
	host, user  func(attrs map[string]string) string
}{
	// git's contrib/credential/libsecret: server, user, protocol, port, path.
	{"org.git.Password", "Secret Service (git libsecret)",
		func(a map[string]string) string {
			if a["protocol"] != "https" {
				return ""
			}
			return a["server"]
		},
		func(a map[string]string) string { return a["user"] }},
	// Git Credential Manager's secretservice store: service
	// "git:https://HOST[/PATH]" and account.
	{"com.microsoft.GitCredentialManager", "Secret Service (Git Credential Manager)",
		func(a map[string]string) string { return gitServiceHost(a["service"]) },
		func(a map[string]string) string { return a["account"] }},
}

// Libsecret removes stale passwords from the Secret Service: items of git's
// libsecret helper (schema org.git.Password) and of Git Credential
// Manager (schema com.microsoft.GitCredentialManager). It reads an item's
// secret, over a plain session on the private session bus, only when its
// host and user match. An item found stale is read again (attributes and
// secret) right before its delete and deleted only if it is still stale
// then; it is reported removed only if a search after the deletes no
// longer finds it. Items in a locked collection are kept and reported.
// Without a Secret Service on the session bus there is nothing to clean.
// Every D-Bus call has the cleaner's deadline.
func (c cleaner) Libsecret() ([]string, error) {
	if !keystore.SecretServiceReachable() {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout())
	defer cancel()
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("connect to the session bus: %w", err)
	}
	defer conn.Close()
	ss := &secretService{ctx: ctx, conn: conn}
	defer ss.close()
	var removed []string
	var failed []error
	for _, schema := range secretSchemas {
		unlocked, locked, err := ss.search(schema.name)
		if err != nil {
			return removed, err
		}
		lockedCandidates := 0
		for _, path := range locked {
			attrs, err := ss.attributes(path)
			if err == nil && c.candidate(schema.host(attrs), schema.user(attrs)) {
				lockedCandidates++
			}
		}
		if lockedCandidates > 0 {
			failed = append(failed, fmt.Errorf("%s: %d CodeCommit item(s) in a locked keyring were not checked: unlock it and run again", schema.store, lockedCandidates))
		}
		deleted := map[dbus.ObjectPath]string{}
		var order []dbus.ObjectPath
		for _, path := range unlocked {
			entry, stale, err := c.secretItem(ss, schema.host, schema.user, path)
			if err != nil {
				failed = append(failed, fmt.Errorf("%s: %w", schema.store, err))
			}
			if !stale {
				continue
			}
			if c.DryRun {
				removed = append(removed, schema.store+": "+entry)
				continue
			}
			c.atBoundary(schema.store + ": " + entry)
			if err := c.deleteSecretItem(ss, schema.host, schema.user, path); err != nil {
				failed = append(failed, fmt.Errorf("%s: %s: %w", schema.store, entry, err))
				continue
			}
			deleted[path] = entry
			order = append(order, path)
		}
		if len(deleted) == 0 {
			continue
		}
		// A fresh search says what is gone.
		unlocked, locked, err = ss.search(schema.name)
		if err != nil {
			return removed, fmt.Errorf("%s: check what was deleted: %w", schema.store, err)
		}
		for _, path := range append(unlocked, locked...) {
			if entry, ok := deleted[path]; ok {
				failed = append(failed, fmt.Errorf("%s: %s: %w", schema.store, entry, errStillThere))
				delete(deleted, path)
			}
		}
		for _, path := range order {
			if entry, ok := deleted[path]; ok {
				removed = append(removed, schema.store+": "+entry)
			}
		}
	}
	return removed, errors.Join(failed...)
}

// secretItem reads an unlocked item and reports whether it holds a stale
// password, with its name as ShowEntry. Its secret is read only when its
// host and user match.
func (c cleaner) secretItem(ss *secretService, host, user func(map[string]string) string, path dbus.ObjectPath) (entry string, stale bool, err error) {
	attrs, err := ss.attributes(path)
	if err != nil {
		return "", false, fmt.Errorf("read the attributes of %s: %w", path, err)
	}
	h, u := host(attrs), user(attrs)
	if !c.candidate(h, u) {
		return "", false, nil
	}
	entry = ShowEntry("https", h, u)
	secret, err := ss.secret(path)
	if err != nil {
		return entry, false, fmt.Errorf("could not read %s: %w", entry, err)
	}
	return entry, StalePassword(u, gitSecretPassword(secret)), nil
}

// deleteSecretItem deletes the item at path if a read right before shows
// it still stale (errChanged if not).
func (c cleaner) deleteSecretItem(ss *secretService, host, user func(map[string]string) string, path dbus.ObjectPath) error {
	_, stale, err := c.secretItem(ss, host, user, path)
	if err != nil {
		return fmt.Errorf("read it again before deleting it: %w", err)
	}
	if !stale {
		return errChanged
	}
	return ss.delete(path)
}
