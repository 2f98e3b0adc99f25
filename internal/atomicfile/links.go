package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
)

// LinkedError is a file Write refuses to replace because it has more
// than one name (hard links): the rename would give this name the new
// bytes and leave the old ones, secrets among them, under the others.
type LinkedError struct {
	Path  string
	Links uint64
}

func (e *LinkedError) Error() string {
	return fmt.Sprintf("%s has %d links: another name holds the same bytes, and replacing this one would leave them there", e.Path, e.Links)
}

// Hint says how to find the other names and what to do.
func (e *LinkedError) Hint() string {
	find := "find / -xdev -samefile " + e.Path
	if runtime.GOOS == "windows" {
		find = "fsutil hardlink list " + e.Path
	}
	return "remove the other name (find it with: " + find + "), or make the edit by hand"
}

// CheckLinks returns a *LinkedError when the file path names (through
// any symlinks) has more than one hard link; a missing file is fine.
func CheckLinks(path string) error {
	target, err := Resolve(path)
	if err != nil {
		return err
	}
	return checkTargetLinks(target)
}

// checkTargetLinks is CheckLinks for a path that is no symlink.
func checkTargetLinks(target string) error {
	n, err := linkCount(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case n > 1:
		return &LinkedError{Path: target, Links: n}
	}
	return nil
}
