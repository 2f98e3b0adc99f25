// Package busguard keeps github.com/99designs/keyring from connecting to
// the D-Bus session bus while packages initialise. That library's Linux
// initialisers call dbus.SessionBus() to decide whether to register its
// secret-service and kwallet backends, so without this every mfa-git
// process (every git fetch) would open and authenticate a bus connection,
// whichever keyring it then uses.
//
// Go initialises packages in import-path order among those whose imports
// are ready. This package imports only syscall, so it always runs before
// the keyring package, which needs os. It hides the bus address; mfa-git
// calls Restore first thing in main, before anything is started or
// opened. The hiding is skipped when MFA_GIT_KEYRING names one of the two
// backends that need the registration.
package busguard
