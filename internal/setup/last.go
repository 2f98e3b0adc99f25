package setup

import (
	"path/filepath"
	"strings"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// StateDir is the folder of setup's records (what it changed in git
// config files, for --undo, and the profile it configured last): mfa-git
// in the user's config folder, or "" when there is none.
func StateDir() string {
	dir, err := userdir.Config()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "mfa-git", "setup")
}

// lastProfileFile is the file in stateDir that records the profile
// setup configured last.
func lastProfileFile(stateDir string) string {
	if stateDir == "" {
		return ""
	}
	return filepath.Join(stateDir, "last-profile")
}

// LastProfile is the profile setup configured last, as recorded in
// stateDir, or "" when none is recorded or the record is not a profile
// name.
func LastProfile(stateDir string) string {
	path := lastProfileFile(stateDir)
	if path == "" {
		return ""
	}
	b, err := userdir.ReadFile(path, 1024)
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(b))
	if profile.CheckName(name) != nil {
		return ""
	}
	return name
}

// RecordProfile records name in stateDir as the profile setup configured
// last (a 0600 file in a private folder); with no stateDir, nothing.
func RecordProfile(stateDir, name string) error {
	path := lastProfileFile(stateDir)
	if path == "" {
		return nil
	}
	if err := userdir.Private(stateDir); err != nil {
		return err
	}
	return userdir.WriteFile(path, []byte(name+"\n"))
}
