package gitconfig

import (
	"os"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// A line setup took out is put back as a whole line: when it was the
// file's last line, without a line end, and the user (or git) added lines
// after setup ran, undo must not glue the next line onto it.
func TestUndoRestoresWholeLines(t *testing.T) {
	for _, tt := range []struct {
		name, orig string
		args       []string // git config --global ARGS after setup
		want       string   // the file after undo
	}{
		{"helper was the last line",
			"[credential \"" + cc + "\"]\n\thelper = foo",
			[]string{"user.name", "x"},
			"[credential \"" + cc + "\"]\n\thelper = foo\n[user]\n\tname = x\n"},
		{"useHttpPath was the last line",
			"[credential \"" + cc + "\"]\n\tuseHttpPath = false",
			[]string{"core.editor", "vi"},
			"[credential \"" + cc + "\"]\n\tuseHttpPath = false\n[core]\n\teditor = vi\n"},
		{"CRLF file, helper last",
			"[user]\r\n\tname = Bob\r\n[credential \"" + cc + "\"]\r\n\thelper = foo",
			[]string{"init.defaultBranch", "main"},
			"[user]\r\n\tname = Bob\r\n[credential \"" + cc + "\"]\r\n\thelper = foo\r\n[init]\n\tdefaultBranch = main\n"},
		{"nothing added after setup: byte for byte",
			"[credential \"" + cc + "\"]\n\thelper = foo",
			nil,
			"[credential \"" + cc + "\"]\n\thelper = foo"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, g := setUpGlobal(t, tt.orig)
			if tt.args != nil {
				if _, err := gitIn(t, "", append([]string{"config", "--global"}, tt.args...)...); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := g.Unconfigure(); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(cfg)
			if string(got) != tt.want {
				t.Errorf("after undo:\n got %q\nwant %q", got, tt.want)
			}
			if tt.args != nil {
				if v, _ := gitIn(t, "", "config", "--global", tt.args[0]); strings.TrimSpace(v) != tt.args[1] {
					t.Errorf("git reads %s = %q after undo, want %q", tt.args[0], v, tt.args[1])
				}
			}
		})
	}
}

// A record too large for undo to read back is refused before the config
// file is touched: setup fails and changes nothing.
func TestRecordTooLargeChangesNothing(t *testing.T) {
	cfg, state := isolateGit(t)
	orig := "[credential \"" + cc + "\"]\n" + strings.Repeat("\thelper = "+strings.Repeat("x", 100)+"\n", 12000)
	os.WriteFile(cfg, []byte(orig), 0o600)
	g := File{Scope: "global", StateDir: state}
	if _, err := g.Configure(Entries("mfa-git")); err == nil || !strings.Contains(err.Error(), "undo reads") {
		t.Fatalf("Configure: %v, want the record refused", err)
	}
	if got, _ := os.ReadFile(cfg); string(got) != orig {
		t.Errorf("the config file was changed")
	}
}

// The git commands setup runs never see a secret of the environment.
func TestGitSeesNoSecrets(t *testing.T) {
	seen := testenv.RecordingGit(t, "/tmp/x/config")
	t.Setenv("MFA_GIT_FILE_PASSPHRASE", "hunter2-passphrase")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	if p, err := (File{Scope: "local"}).Path(); err != nil || p != "/tmp/x/config" {
		t.Fatalf("Path() = %q, %v", p, err)
	}
	b, _ := os.ReadFile(seen)
	for _, secret := range []string{"hunter2-passphrase", "wJalrXUtnFEMI"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("git's environment holds %q", secret)
		}
	}
}
