//go:build !windows && !darwin

package stale

import (
	"context"
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"

	"github.com/mfa-git/mfa-git/keystore"
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
// host and user match. Items in a locked collection are kept and
// reported. Without a Secret Service on the session bus there is nothing
// to clean. Every D-Bus call has the cleaner's deadline.
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
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var removed []string
	var failed []error
	var session dbus.ObjectPath
	for _, schema := range secretSchemas {
		var unlocked, locked []dbus.ObjectPath
		if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.SearchItems", 0,
			map[string]string{"xdg:schema": schema.name}).Store(&unlocked, &locked); err != nil {
			return removed, fmt.Errorf("search the Secret Service for %s items: %w", schema.name, err)
		}
		lockedCandidates := 0
		for _, path := range locked {
			attrs, err := itemAttributes(ctx, conn, path)
			if err == nil && c.candidate(schema.host(attrs), schema.user(attrs)) {
				lockedCandidates++
			}
		}
		if lockedCandidates > 0 {
			failed = append(failed, fmt.Errorf("%s: %d CodeCommit item(s) in a locked keyring were not checked: unlock it and run again", schema.store, lockedCandidates))
		}
		for _, path := range unlocked {
			attrs, err := itemAttributes(ctx, conn, path)
			if err != nil {
				failed = append(failed, fmt.Errorf("%s: read the attributes of %s: %w", schema.store, path, err))
				continue
			}
			host, user := schema.host(attrs), schema.user(attrs)
			if !c.candidate(host, user) {
				continue
			}
			if session == "" {
				var out dbus.Variant
				if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
					return removed, fmt.Errorf("open a Secret Service session: %w", err)
				}
				defer conn.Object("org.freedesktop.secrets", session).CallWithContext(ctx, "org.freedesktop.Secret.Session.Close", 0)
			}
			item := conn.Object("org.freedesktop.secrets", path)
			var secret struct {
				Session     dbus.ObjectPath
				Parameters  []byte
				Value       []byte
				ContentType string
			}
			if err := item.CallWithContext(ctx, "org.freedesktop.Secret.Item.GetSecret", 0, session).Store(&secret); err != nil {
				failed = append(failed, fmt.Errorf("%s: could not read %s: %w", schema.store, ShowEntry("https", host, user), err))
				continue
			}
			if !StalePassword(user, gitSecretPassword(string(secret.Value))) {
				continue
			}
			name := schema.store + ": " + ShowEntry("https", host, user)
			if !c.DryRun {
				var prompt dbus.ObjectPath
				if err := item.CallWithContext(ctx, "org.freedesktop.Secret.Item.Delete", 0).Store(&prompt); err != nil {
					failed = append(failed, fmt.Errorf("%s: could not delete %s: %w", schema.store, ShowEntry("https", host, user), err))
					continue
				}
				if prompt != "/" {
					failed = append(failed, fmt.Errorf("%s: deleting %s needs the keyring unlocked: unlock it and run again", schema.store, ShowEntry("https", host, user)))
					continue
				}
			}
			removed = append(removed, name)
		}
	}
	return removed, errors.Join(failed...)
}

func itemAttributes(ctx context.Context, conn *dbus.Conn, path dbus.ObjectPath) (map[string]string, error) {
	var attrs map[string]string
	err := conn.Object("org.freedesktop.secrets", path).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.freedesktop.Secret.Item", "Attributes").Store(&attrs)
	return attrs, err
}
