package shell

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, sh, fish, ps string }{
		{"plain", "'plain'", "'plain'", "'plain'"},
		{"it's", `'it'\''s'`, `'it\'s'`, "'it''s'"},
		{`a\b`, `'a\b'`, `'a\\b'`, `'a\b'`},
		{"$HOME `x` \"q\"", "'$HOME `x` \"q\"'", "'$HOME `x` \"q\"'", "'$HOME `x` \"q\"'"},
		{"", "''", "''", "''"},
	}
	for _, tt := range tests {
		if got := Sh(tt.in); got != tt.sh {
			t.Errorf("Sh(%q) = %s, want %s", tt.in, got, tt.sh)
		}
		if got := Fish(tt.in); got != tt.fish {
			t.Errorf("Fish(%q) = %s, want %s", tt.in, got, tt.fish)
		}
		if got := PowerShell(tt.in); got != tt.ps {
			t.Errorf("PowerShell(%q) = %s, want %s", tt.in, got, tt.ps)
		}
	}
}

// The export lines, read back by the shells themselves where they are
// installed.
func TestExportReadBack(t *testing.T) {
	value := "a'b \\ $c \"d\"\ne"
	for _, tt := range []struct{ shell, program string }{{"sh", "sh"}, {"bash", "bash"}, {"fish", "fish"}} {
		t.Run(tt.shell, func(t *testing.T) {
			line, ok := Export(tt.shell)
			if !ok {
				t.Fatalf("Export does not know %s", tt.shell)
			}
			path := testenv.Require(t, tt.program)
			out, err := exec.Command(path, "-c", line("V", value)+"\nprintf %s \"$V\"").Output()
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != value {
				t.Errorf("%s read back %q, want %q", tt.shell, out, value)
			}
		})
	}
	if _, ok := Export("tcsh"); ok {
		t.Error("Export knows tcsh")
	}
	if got := strings.Join(ExportShells(), " "); got != "sh bash zsh fish powershell pwsh" {
		t.Errorf("ExportShells = %s", got)
	}
}

func TestCompletionRefusesUnknownShell(t *testing.T) {
	if _, err := Completion("tcsh", Spec{}); err == nil || !strings.Contains(err.Error(), "bash, zsh, fish, powershell") {
		t.Errorf("error %v", err)
	}
}
