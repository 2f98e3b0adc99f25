package gitconfig

import (
	"os"
	"strings"
	"testing"
)

// TestUndoChecksTheFile: setup --undo reads the file again and compares
// it with the record; what is left (a helper git still reads, a line not
// put back) is named in an error, and its change line is not reported.
func TestUndoChecksTheFile(t *testing.T) {
	for _, tt := range []struct {
		name     string
		orig     string
		edit     func(after string) string // the user's edit after setup
		wantLeft string                    // "" when the undo is complete
		notSaid  string                    // a change line that must not be reported
	}{
		{"untouched", "[user]\n\tname = x\n", nil, "", ""},
		{"a block's header re-spaced: git still reads the helper",
			"[user]\n\tname = x\n",
			func(s string) string {
				return strings.Replace(s, "[credential \""+cc+"\"]", "[credential  \""+cc+"\"]", 1)
			},
			"git still reads helper = mfa-git for credential." + cc, "removed the mfa-git helper for " + cc},
		{"the section of a line setup took out is gone",
			"[credential \"" + cc + "\"]\n\thelper = foo\n[user]\n\tname = x\n",
			func(s string) string { return strings.Replace(s, "[credential \""+cc+"\"]\n[user]", "[user]", 1) },
			`"helper = foo" is not back in [credential "` + cc + `"]`, `put back "helper = foo"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, g := setUpGlobal(t, tt.orig)
			if tt.edit != nil {
				b, _ := os.ReadFile(cfg)
				edited := tt.edit(string(b))
				if edited == string(b) {
					t.Fatalf("the edit changed nothing in %q", b)
				}
				os.WriteFile(cfg, []byte(edited), 0o600)
			}
			changes, err := g.Unconfigure()
			if tt.wantLeft == "" {
				if err != nil {
					t.Fatalf("Unconfigure: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "setup --undo did not finish") || !strings.Contains(err.Error(), tt.wantLeft) {
				t.Fatalf("Unconfigure: %v, want %q named", err, tt.wantLeft)
			}
			for _, c := range changes {
				if c == tt.notSaid || strings.HasPrefix(tt.notSaid, "put back") && strings.HasPrefix(c, tt.notSaid) {
					t.Errorf("reported %q, which the file does not bear out", c)
				}
			}
		})
	}
}

// setUpGlobal writes orig as the global git config, runs setup on it,
// and returns the file and its File.
func setUpGlobal(t *testing.T, orig string) (string, File) {
	t.Helper()
	cfg, state := isolateGit(t)
	os.WriteFile(cfg, []byte(orig), 0o600)
	g := File{Scope: "global", StateDir: state}
	if _, err := g.Configure(Entries("mfa-git")); err != nil {
		t.Fatal(err)
	}
	return cfg, g
}
