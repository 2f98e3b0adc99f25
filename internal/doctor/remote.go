package doctor

// The checks of other tools git may run: another git-remote-codecommit,
// and other credential helpers holding CodeCommit passwords.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/stale"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// RemoteHelper reports which git-remote-codecommit git runs for
// codecommit:// URLs: mfa-git (this binary, through the link install.sh
// makes, or on Windows the copy beside it), another one such as the pip
// package git-remote-codecommit, which then answers before mfa-git, or
// none.
func RemoteHelper() Check {
	self, _ := os.Executable()
	return remoteHelper(self)
}

// remoteHelper is RemoteHelper for the mfa-git binary at self ("" when
// unknown).
func remoteHelper(self string) Check {
	const name = "git-remote-codecommit"
	path, err := exec.LookPath(name)
	if err != nil {
		return Check{"codecommit://", Skip, name + " is not on PATH, so git cannot clone codecommit:// URLs (https URLs work)", "to use codecommit:// URLs, run ./install.sh, which links it to mfa-git"}
	}
	if self != "" && isOurs(path, self) {
		return Check{"codecommit://", OK, "git runs mfa-git for codecommit:// URLs: " + path, ""}
	}
	return Check{"codecommit://", Warn, "git runs " + path + " for codecommit:// URLs, not mfa-git (" + self + ")",
		"put mfa-git's folder (" + filepath.Dir(self) + ") before " + filepath.Dir(path) + " on PATH, or remove the other one (pip uninstall git-remote-codecommit)"}
}

// isOurs reports whether the git-remote-codecommit at path is mfa-git at
// self: the same file (install.sh's and Homebrew's symbolic link), or on
// Windows, which has no links everyone can make, a file in mfa-git's
// folder, where the release archive and Scoop put their copy
// git-remote-codecommit.exe.
func isOurs(path, self string) bool {
	return sameFile(path, self) || runtime.GOOS == "windows" && sameFile(filepath.Dir(path), filepath.Dir(self))
}

// sameFile reports whether a and b are the same file after symlinks.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// checkStale looks, without removing anything, for stale CodeCommit passwords
// in other helpers' stores.
func checkStale() Check {
	home, err := userdir.Home()
	if err != nil {
		return Check{"stale passwords", Skip, err.Error(), hint.Of(err)}
	}
	found, errs := stale.Clean(stale.DefaultStores(home), true)
	if len(found) > 0 {
		return Check{"stale passwords", Warn, fmt.Sprintf("other helpers hold %d CodeCommit password(s), which expire in 15 minutes: %s", len(found), strings.Join(found, "; ")), "run: mfa-git clean"}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return Check{"stale passwords", Warn, "could not check every store: " + strings.Join(msgs, "; "), "run: mfa-git clean --dry-run"}
	}
	return Check{"stale passwords", OK, "no CodeCommit passwords in other helpers' stores", ""}
}
