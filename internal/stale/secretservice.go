//go:build !windows && !darwin

package stale

import (
	"context"
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// secretService is the few Secret Service calls clean makes, each with
// the context's deadline. Secrets travel over a plain session: the bus is
// the user's own.
type secretService struct {
	ctx     context.Context
	conn    *dbus.Conn
	session dbus.ObjectPath // opened on the first read of a secret
}

const secretsBus = "org.freedesktop.secrets"

func (s *secretService) object(path dbus.ObjectPath) dbus.BusObject {
	return s.conn.Object(secretsBus, path)
}

// search returns the items of a schema, unlocked and locked.
func (s *secretService) search(schema string) (unlocked, locked []dbus.ObjectPath, err error) {
	err = s.object("/org/freedesktop/secrets").CallWithContext(s.ctx, "org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"xdg:schema": schema}).Store(&unlocked, &locked)
	if err != nil {
		return nil, nil, fmt.Errorf("search the Secret Service for %s items: %w", schema, err)
	}
	return unlocked, locked, nil
}

func (s *secretService) attributes(path dbus.ObjectPath) (map[string]string, error) {
	var attrs map[string]string
	err := s.object(path).CallWithContext(s.ctx, "org.freedesktop.DBus.Properties.Get", 0,
		"org.freedesktop.Secret.Item", "Attributes").Store(&attrs)
	return attrs, err
}

// secret reads an item's secret; it is kept in memory only.
func (s *secretService) secret(path dbus.ObjectPath) (string, error) {
	if s.session == "" {
		var out dbus.Variant
		if err := s.object("/org/freedesktop/secrets").CallWithContext(s.ctx, "org.freedesktop.Secret.Service.OpenSession", 0,
			"plain", dbus.MakeVariant("")).Store(&out, &s.session); err != nil {
			return "", fmt.Errorf("open a Secret Service session: %w", err)
		}
	}
	var secret struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}
	if err := s.object(path).CallWithContext(s.ctx, "org.freedesktop.Secret.Item.GetSecret", 0, s.session).Store(&secret); err != nil {
		return "", err
	}
	return string(secret.Value), nil
}

// delete deletes an item; one that needs a prompt (a locked keyring) is
// not deleted.
func (s *secretService) delete(path dbus.ObjectPath) error {
	var prompt dbus.ObjectPath
	if err := s.object(path).CallWithContext(s.ctx, "org.freedesktop.Secret.Item.Delete", 0).Store(&prompt); err != nil {
		return fmt.Errorf("could not delete it: %w", err)
	}
	if prompt != "/" {
		return errors.New("deleting it needs the keyring unlocked: unlock it and run again")
	}
	return nil
}

// close closes the session, if one was opened.
func (s *secretService) close() {
	if s.session != "" {
		s.object(s.session).CallWithContext(s.ctx, "org.freedesktop.Secret.Session.Close", 0)
	}
}
