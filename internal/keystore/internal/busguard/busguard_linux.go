package busguard

import (
	"sync"
	"syscall"
)

const (
	envBus     = "DBUS_SESSION_BUS_ADDRESS"
	envKeyring = "MFA_GIT_KEYRING"
	// hidden is an address with no transport: godbus fails on it at once,
	// without looking for another bus or starting dbus-launch.
	hidden = "disabled:"
)

var (
	hid    bool // the address was hidden during initialisation
	saved  string
	wasSet bool
	once   sync.Once
)

func init() {
	switch v, _ := syscall.Getenv(envKeyring); v {
	case "secret-service", "kwallet":
		return
	}
	saved, wasSet = syscall.Getenv(envBus)
	syscall.Setenv(envBus, hidden)
	hid = true
}

// Restore puts the session bus address back as the process started with.
// It is safe to call more than once.
func Restore() {
	once.Do(func() {
		if !hid {
			return
		}
		if wasSet {
			syscall.Setenv(envBus, saved)
		} else {
			syscall.Unsetenv(envBus)
		}
	})
}

// Hid reports whether the address was hidden while packages initialised,
// so that backends registered only when a bus was seen are missing.
func Hid() bool { return hid }
