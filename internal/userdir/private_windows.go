package userdir

import "io/fs"

// Windows folders under the user's profile are protected by ACLs, which
// are not checked here; symlinks and non-folders are refused all the same.
func owned(fs.FileInfo) bool { return true }

func checkOwner(string, fs.FileInfo, fs.FileMode) error { return nil }
