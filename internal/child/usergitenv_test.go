package child

import (
	"slices"
	"testing"
)

// UserGitEnv keeps what git needs, and drops secrets and whatever would
// point git at a repository's settings.
func TestUserGitEnv(t *testing.T) {
	got := UserGitEnv([]string{
		"PATH=/usr/bin", "HOME=/repo", "GIT_DIR=/repo/.git", "GIT_WORK_TREE=/repo", "GIT_COMMON_DIR=/repo/.git",
		"GIT_CONFIG=/repo/cfg", "GIT_CONFIG_PARAMETERS='credential.helper'='x'", "GIT_CONFIG_COUNT=1",
		"MFA_GIT_FILE_PASSPHRASE=pw", "AWS_SECRET_ACCESS_KEY=s", "LANG=C",
	}, "/home/u")
	want := []string{"PATH=/usr/bin", "LANG=C", "HOME=/home/u"}
	if !slices.Equal(got, want) {
		t.Errorf("UserGitEnv = %q, want %q", got, want)
	}
}
