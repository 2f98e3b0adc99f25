//go:build !windows

package trust

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// maxLinks is how many symlinks Check follows, as the kernel's limit
// (MAXSYMLINKS) for one path.
const maxLinks = 40

// Check reports whether path may name commands for mfa-git (see the
// package comment): nil, an *Error saying which file or folder breaks the
// rule, or the error of reading one of them (fs.ErrNotExist for a
// missing file). path must be absolute.
func Check(path string) error { return check(path, os.Getuid()) }

// check is Check for the user uid.
func check(path string, uid int) error {
	if !filepath.IsAbs(path) {
		return &Error{path, "is not an absolute path", "give an absolute path"}
	}
	links := 0
	// dir is the real folder reached so far, already checked; rest is
	// what remains to walk.
	dir, rest := "/", path
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if err := checkEntry(dir, fi, uid); err != nil {
		return err
	}
	for {
		rest = strings.TrimLeft(rest, "/")
		if rest == "" {
			return nil
		}
		name, after, _ := strings.Cut(rest, "/")
		if name == "." {
			rest = after
			continue
		}
		if name == ".." {
			// dir is a real folder (links are resolved), so its parent
			// is its name's parent, and already checked.
			dir, rest = filepath.Dir(dir), after
			continue
		}
		next := filepath.Join(dir, name)
		fi, err := os.Lstat(next)
		if err != nil {
			return err
		}
		if err := checkEntry(next, fi, uid); err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if links++; links > maxLinks {
				// What the kernel answers for such a path: a system
				// error, not a question of who may write it.
				return &fs.PathError{Op: "stat", Path: path, Err: syscall.ELOOP}
			}
			target, err := os.Readlink(next)
			if err != nil {
				return err
			}
			if filepath.IsAbs(target) {
				dir = "/"
			}
			rest = target + "/" + after
			continue
		}
		if after != "" && !fi.IsDir() {
			return &fs.PathError{Op: "stat", Path: next, Err: syscall.ENOTDIR}
		}
		dir, rest = next, after
	}
}

// checkEntry checks one file, folder or link: its owner, and its mode. A
// sticky folder others may write passes, since every entry in it must
// then pass the owner check too (the folders on the way are entries).
func checkEntry(path string, fi fs.FileInfo, uid int) error {
	owner := ownerOf(fi)
	if owner != uid && owner != 0 {
		return &Error{path, fmt.Sprintf("belongs to %s, not to you (uid %d) or root", ownerName(owner), uid),
			fmt.Sprintf("use a file and folders of your own: move %s away, or have it given to you (sudo chown %d %s)", path, uid, path)}
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil // a link's mode means nothing; its folder and owner do
	}
	perm := fi.Mode().Perm()
	if perm&0o022 == 0 {
		return nil
	}
	if fi.IsDir() && fi.Mode()&fs.ModeSticky != 0 {
		return nil // like /tmp: only an entry's owner can replace it
	}
	who := "its group"
	switch {
	case perm&0o020 != 0 && perm&0o002 != 0:
		who = "its group and other users"
	case perm&0o002 != 0:
		who = "other users"
	}
	return &Error{path, fmt.Sprintf("is writable by %s (mode %04o)", who, perm), "run: chmod go-w " + path}
}

// ownerOf is the uid that owns fi, or -1.
func ownerOf(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// ownerName is "uid N (name)", or "uid N" when the user database has no
// name for it.
func ownerName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return fmt.Sprintf("uid %d (%s)", uid, u.Username)
	}
	return fmt.Sprintf("uid %d", uid)
}
