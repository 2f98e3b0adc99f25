package doctor

import "os/exec"

// checkHelperOnPath checks that git can find git-credential-mfa-git on PATH.
func checkHelperOnPath() Check {
	p, err := exec.LookPath("git-credential-mfa-git")
	if err != nil {
		return Check{"helper on PATH", Fail, "git-credential-mfa-git is not on PATH, so git cannot run the helper", "run ./install.sh, and add its bin folder (default ~/.local/bin) to PATH"}
	}
	return Check{"helper on PATH", OK, p, ""}
}
