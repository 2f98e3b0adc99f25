package trust

import (
	"os"
	"path/filepath"
)

// Check reports whether path may name commands for mfa-git. On Windows
// it checks only that path is absolute and can be read: the owner and
// the access control lists of the file and its folders are not checked
// (SECURITY.md says so). A user's profile folder is closed to other
// users by Windows' default permissions.
func Check(path string) error {
	if !filepath.IsAbs(path) {
		return &Error{path, "is not an absolute path", "give an absolute path"}
	}
	_, err := os.Stat(path)
	return err
}
