// Package trust decides whether a file may name commands for mfa-git to
// run: the rule ssh applies to ~/.ssh/config. The file, and every folder
// on the way to it, must belong to the current user or to root, and no
// other user may write it. A folder that others may write is allowed
// only when it is sticky (as /tmp), where no one but an entry's owner can
// replace it, and the entry in it is the user's or root's. Symlinks are
// followed, and every link on the way must meet the rule too: a link in
// a folder others can write could be pointed anywhere.
package trust

import "io/fs"

// Error says why a path cannot be trusted: which file or folder, what is
// wrong with it, and how to fix that. It matches fs.ErrPermission.
type Error struct {
	// Path is the file or folder that breaks the rule (a folder on the
	// way, or a link, not necessarily the file asked about).
	Path string
	// Reason is what is wrong: "belongs to uid 1001 (alice)", "is
	// writable by its group (mode 0664)".
	Reason string
	// Fix is the command or step that makes Path meet the rule.
	Fix string
}

// Error names the path and what is wrong with it.
func (e *Error) Error() string { return e.Path + " " + e.Reason }

// Hint says how to fix it.
func (e *Error) Hint() string { return e.Fix }

// Is makes errors.Is(err, fs.ErrPermission) true.
func (e *Error) Is(target error) bool { return target == fs.ErrPermission }
