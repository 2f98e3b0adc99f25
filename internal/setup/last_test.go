package setup

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestLastProfile(t *testing.T) {
	for _, tt := range []struct {
		name   string
		record string // the record's text; "-" none
		want   string
	}{
		{"none recorded", "-", ""},
		{"recorded", "dev\n", "dev"},
		{"spaces around it", "  dev \n", "dev"},
		{"not a profile name", "dev]\n[x\n", ""},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "setup")
			if tt.record != "-" {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "last-profile"), []byte(tt.record), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := LastProfile(dir); got != tt.want {
				t.Errorf("LastProfile = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRecordProfile: the record reads back, is private, and with no
// folder nothing is written.
func TestRecordProfile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mfa-git", "setup")
	for _, name := range []string{"first", "second"} {
		if err := RecordProfile(dir, name); err != nil {
			t.Fatal(err)
		}
		if got := LastProfile(dir); got != name {
			t.Errorf("LastProfile = %q, want %q", got, name)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "last-profile"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), testenv.Perm(0o600, false); got != want {
		t.Errorf("record mode %v, want %v", got, want)
	}
	if err := RecordProfile("", "x"); err != nil || LastProfile("") != "" {
		t.Errorf("no folder: %v, %q", err, LastProfile(""))
	}
}
