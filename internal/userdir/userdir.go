// Package userdir says where the current user's folders are (home, cache,
// config, runtime) and makes or checks the private folders and files
// mfa-git keeps there.
//
// git runs helpers from a repository's root, whose content the user did
// not necessarily write: no path here is ever relative to the current
// folder. With HOME unset or empty the home folder comes from the user
// database, and when there is none the caller gets an error saying so.
// Nothing falls back to a folder other users share, such as /tmp.
package userdir

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
)

// ErrNoHome means the user has no home folder mfa-git can use.
var ErrNoHome = errors.New("no home folder")

// homeError says why no home folder was found, and what to do.
type homeError struct{ why string }

func (e *homeError) Error() string { return "cannot find your home folder: " + e.why }
func (e *homeError) Unwrap() error { return ErrNoHome }

// Hint tells the user how to give mfa-git a home folder.
func (e *homeError) Hint() string {
	return "set HOME to your home folder (an absolute path), or have your account added to the user database (getent passwd $(id -u) shows it)"
}

// ShellHome is $HOME exactly as set, usable or not: what /bin/sh expands
// ~ to. It is for reading a command line as the shell will run it; to
// find the user's folders, use Home.
func ShellHome() string { return os.Getenv("HOME") }

// Home returns the user's home folder: $HOME (on Windows %USERPROFILE%)
// when it is an absolute path, else the user database's entry for the
// current user. The database is read only when the variable is unset,
// empty or relative, so the usual case costs one getenv.
func Home() (string, error) {
	v := "HOME"
	if runtime.GOOS == "windows" {
		v = "USERPROFILE"
	}
	if h := os.Getenv(v); h != "" && filepath.IsAbs(h) {
		return filepath.Clean(h), nil
	}
	u, err := lookupSelf()
	if err != nil {
		return "", &homeError{fmt.Sprintf("$%s is not set to an absolute path and the user database has no entry for you (%v)", v, err)}
	}
	if u.HomeDir == "" || !filepath.IsAbs(u.HomeDir) {
		return "", &homeError{fmt.Sprintf("$%s is not set to an absolute path and the user database gives user %s no absolute home folder (%q)", v, u.Username, u.HomeDir)}
	}
	return filepath.Clean(u.HomeDir), nil
}

// lookupSelf reads the current user's entry by uid, not by name: $USER is
// as unreliable as $HOME here.
func lookupSelf() (*user.User, error) {
	if runtime.GOOS == "windows" {
		return user.Current()
	}
	return user.LookupId(strconv.Itoa(os.Getuid()))
}

// AbsEnv returns the value of an XDG-style variable (XDG_CONFIG_HOME) if
// it is an absolute path, else "": the XDG spec says relative values are
// to be ignored, and here they would name a folder in a repository.
func AbsEnv(name string) string {
	if v := os.Getenv(name); v != "" && filepath.IsAbs(v) {
		return filepath.Clean(v)
	}
	return ""
}

// Cache returns the user's cache folder: $XDG_CACHE_HOME when absolute
// (not on macOS or Windows, as os.UserCacheDir), else ~/.cache,
// ~/Library/Caches or %LocalAppData%.
func Cache() (string, error) {
	return osDir("LocalAppData", filepath.Join("AppData", "Local"), filepath.Join("Library", "Caches"), "XDG_CACHE_HOME", ".cache")
}

// Config returns the user's configuration folder: $XDG_CONFIG_HOME when
// absolute (not on macOS or Windows, as os.UserConfigDir), else ~/.config,
// ~/Library/Application Support or %AppData%.
func Config() (string, error) {
	return osDir("AppData", filepath.Join("AppData", "Roaming"), filepath.Join("Library", "Application Support"), "XDG_CONFIG_HOME", ".config")
}

// osDir is the user's folder of one kind: on Windows the absolute folder
// in winEnv, else winRel under the home folder; on macOS macRel under it;
// elsewhere the absolute folder in xdgEnv, else xdgRel under it.
func osDir(winEnv, winRel, macRel, xdgEnv, xdgRel string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := AbsEnv(winEnv); d != "" {
			return d, nil
		}
		return under(winRel)
	case "darwin", "ios":
		return under(macRel)
	}
	if d := AbsEnv(xdgEnv); d != "" {
		return d, nil
	}
	return under(xdgRel)
}

func under(rel string) (string, error) {
	h, err := Home()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, rel), nil
}

// Runtime returns $XDG_RUNTIME_DIR when it is an absolute path to a real
// folder that belongs to the current user and that no one else may enter
// (mode 0700 or stricter), else "" with the reason. After su or sudo the
// variable often still names the previous user's folder; that one is not
// used.
func Runtime() (string, error) {
	d := AbsEnv("XDG_RUNTIME_DIR")
	if d == "" {
		return "", errors.New("XDG_RUNTIME_DIR is not set to an absolute path")
	}
	if err := checkDir(d, 0o077); err != nil {
		return "", err
	}
	return d, nil
}

// Temp returns $TMPDIR when it is an absolute path, else an error: the
// shared /tmp is never a default. On macOS the variable names a folder
// of the user's own (/var/folders/.../T); callers still check that it is
// private (Check) before they rely on it.
func Temp() (string, error) {
	d := AbsEnv("TMPDIR")
	if d == "" {
		return "", errors.New("TMPDIR is not set to an absolute path")
	}
	return d, nil
}
