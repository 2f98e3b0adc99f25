package doctor

import (
	"os"
	"os/exec"
	"path/filepath"
)

// RemoteHelper reports which git-remote-codecommit git runs for
// codecommit:// URLs: mfa-git (this binary, through the link install.sh
// makes), another one such as the pip package git-remote-codecommit,
// which then answers before mfa-git, or none.
func RemoteHelper() Check {
	const name = "git-remote-codecommit"
	path, err := exec.LookPath(name)
	if err != nil {
		return Check{"codecommit://", Skip, name + " is not on PATH, so git cannot clone codecommit:// URLs (https URLs work)", "to use codecommit:// URLs, run ./install.sh, which links it to mfa-git"}
	}
	self, err := os.Executable()
	if err == nil && sameFile(path, self) {
		return Check{"codecommit://", OK, "git runs mfa-git for codecommit:// URLs: " + path, ""}
	}
	return Check{"codecommit://", Warn, "git runs " + path + " for codecommit:// URLs, not mfa-git (" + self + ")",
		"put mfa-git's folder (" + filepath.Dir(self) + ") before " + filepath.Dir(path) + " on PATH, or remove the other one (pip uninstall git-remote-codecommit)"}
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
