package profile

import (
	"runtime"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// On Windows cmd.exe runs credential_process: a profile name written
// there must be letters, digits and . _ - only. Elsewhere the POSIX
// quoting holds and CheckName's rules apply.
func TestCheckCredentialProcessName(t *testing.T) {
	for _, tc := range []struct {
		goos, name string
		ok         bool
	}{
		{"windows", "dev", true},
		{"windows", "team.dev-2_x", true},
		{"windows", "a & calc & b", false},
		{"windows", "a&calc", false},
		{"windows", "%PATH%", false},
		{"windows", "x|y", false},
		{"windows", "x>out", false},
		{"windows", "x^y", false},
		{"windows", `x"y`, false},
		{"windows", "it's", false},
		{"windows", "team dev", false},
		{"windows", "é", false},
		{"windows", "!VAR!", false},
		{"linux", "a & calc & b", true},
		{"linux", "%PATH%", true},
		{"darwin", "it's", true},
		{"linux", "dev\nx", false},
		{"windows", "", false},
		{"linux", "-x", false},
	} {
		err := CheckCredentialProcessName(tc.goos, tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("%s %q: %v, want ok %v", tc.goos, tc.name, err, tc.ok)
		}
		if err != nil && hint.Of(err) == "" {
			t.Errorf("%s %q: no hint", tc.goos, tc.name)
		}
		if tc.goos == "windows" && !tc.ok && err != nil && CheckName(tc.name) == nil && !strings.Contains(err.Error(), "cmd.exe") {
			t.Errorf("%s %q: %v does not say why", tc.goos, tc.name, err)
		}
	}
	// CredentialProcess applies the check for this system.
	line, err := CredentialProcess("a & calc & b")
	if runtime.GOOS == "windows" {
		if err == nil {
			t.Errorf("CredentialProcess wrote %q", line)
		}
	} else if err != nil || line != "mfa-git credential-process --profile 'a & calc & b'" {
		t.Errorf("CredentialProcess: %q, %v", line, err)
	}
}
