package testenv

import (
	"testing"

	"github.com/godbus/dbus/v5"
)

// LockLoginKeyring locks the login collection of the test run's Secret
// Service (the caller holds it: RequirePrivateBus) and unlocks it again
// with pw, gnome-keyring's way, when the test ends; the test is skipped
// when the collection cannot be locked.
func LockLoginKeyring(t testing.TB, pw string) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	const login = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{login}).Store(&locked, &prompt); err != nil || len(locked) != 1 {
		conn.Close()
		t.Skipf("cannot lock the login keyring: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close()
		var out dbus.Variant
		var session dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
			t.Errorf("open a session to unlock the login keyring: %v", err)
			return
		}
		for _, p := range []string{pw, pw + "\n"} {
			secret := struct {
				Session     dbus.ObjectPath
				Parameters  []byte
				Value       []byte
				ContentType string
			}{session, nil, []byte(p), "text/plain"}
			svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0, login, secret)
			v, err := conn.Object("org.freedesktop.secrets", login).GetProperty("org.freedesktop.Secret.Collection.Locked")
			if err == nil && v.Value() == false {
				return
			}
		}
		t.Errorf("could not unlock the login keyring again")
	})
}
