package keystore

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore/internal/busguard"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// defaultBackend picks the OS store: the Keychain on macOS, Credential
// Manager on Windows, the Secret Service elsewhere when one answers on the
// session bus, and otherwise the kernel keyring on Linux (announced once)
// or the file backend.
func defaultBackend(cfg Config) string {
	switch runtime.GOOS {
	case "darwin", "windows":
		return Keychain
	}
	if SecretServiceReachable() {
		return Keychain
	}
	fallback := File
	if runtime.GOOS == "linux" {
		fallback = KeyCtl
	}
	announceOnce(cfg, fallback)
	return fallback
}

// SecretServiceReachable reports whether org.freedesktop.secrets is owned
// or activatable on the session bus. It answers false at once when there is
// no session bus, and gives the bus half a second.
func SecretServiceReachable() bool {
	busguard.Restore()
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		rt := os.Getenv("XDG_RUNTIME_DIR")
		if rt == "" {
			return false
		}
		if _, err := os.Stat(filepath.Join(rt, "bus")); err != nil {
			return false
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	var owned bool
	if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned) == nil && owned {
		return true
	}
	var names []string
	if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&names) != nil {
		return false
	}
	return slices.Contains(names, "org.freedesktop.secrets")
}

// announceOnce tells the user, the first time only, that sessions are kept
// in a fallback store.
func announceOnce(cfg Config, backend string) {
	if cfg.Notice == nil || cfg.StateDir == "" {
		return
	}
	marker := filepath.Join(cfg.StateDir, "notice-"+backend)
	if _, err := os.Lstat(marker); err == nil {
		return
	}
	if userdir.Private(cfg.StateDir) != nil {
		return
	}
	f, err := userdir.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY)
	if err != nil {
		return
	}
	f.Close()
	what := map[string]string{
		KeyCtl: "the kernel keyring (kept in memory until logout or reboot, never on disk)",
		File:   "encrypted files",
	}[backend]
	cfg.Notice(hint.New(nil, "no Secret Service on the session bus; keeping sessions in "+what, "set MFA_GIT_KEYRING to choose another store ("+strings.Join(Backends(), ", ")+")"))
}
