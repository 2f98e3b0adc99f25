//go:build !windows && !darwin

package keystore

import (
	"context"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

// CleanLibsecret removes the passwords git's libsecret helper stored
// (schema org.git.Password) for matching servers from the Secret Service.
// It reads attributes only, never a secret. Without a Secret Service on
// the session bus there is nothing to clean.
func CleanLibsecret(match func(host string) bool, dryRun bool) ([]string, error) {
	if !secretServiceReachable() {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var unlocked, locked []dbus.ObjectPath
	if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"xdg:schema": "org.git.Password"}).Store(&unlocked, &locked); err != nil {
		return nil, fmt.Errorf("search the Secret Service: %w", err)
	}
	var removed []string
	for _, path := range append(unlocked, locked...) {
		item := conn.Object("org.freedesktop.secrets", path)
		v, err := item.GetProperty("org.freedesktop.Secret.Item.Attributes")
		if err != nil {
			continue
		}
		attrs, _ := v.Value().(map[string]string)
		if !match(attrs["server"]) {
			continue
		}
		removed = append(removed, fmt.Sprintf("Secret Service (git libsecret): %s@%s", attrs["user"], attrs["server"]))
		if dryRun {
			continue
		}
		var prompt dbus.ObjectPath
		if err := item.CallWithContext(ctx, "org.freedesktop.Secret.Item.Delete", 0).Store(&prompt); err != nil {
			return removed, fmt.Errorf("delete %s: %w", path, err)
		}
		if prompt != "/" {
			return removed, fmt.Errorf("deleting %s needs the keyring unlocked: unlock it and run clean again", attrs["server"])
		}
	}
	return removed, nil
}
