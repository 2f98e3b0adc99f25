package keystore

import (
	"errors"

	"github.com/godbus/dbus/v5"
)

// busGone maps the D-Bus errors that mean the Secret Service daemon is not
// there (never started, or killed mid-run) to ErrUnavailable, and returns
// any other error unchanged.
func busGone(err error) error {
	var de dbus.Error
	if !errors.As(err, &de) {
		return err
	}
	switch de.Name {
	case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
		return &unavailableError{msg: "no Secret Service (org.freedesktop.secrets) is running on the session bus", err: err}
	case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Disconnected":
		return &unavailableError{msg: "the Secret Service stopped before it answered", err: err}
	}
	return err
}
