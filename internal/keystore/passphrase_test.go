package keystore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileWrongPassphrase: an entry written with another passphrase reads
// as "wrong passphrase for FILE", naming the file that exists, with a
// hint, and not as the cipher's own words; other damage is not reported
// as a wrong passphrase.
func TestFileWrongPassphrase(t *testing.T) {
	for _, tc := range []struct {
		name      string
		damage    func(t *testing.T, dir string) // after the write
		passwd    string                         // to read with
		wantWrong bool
	}{
		{"wrong passphrase", nil, "wrong", true},
		{"wrong passphrase, long value in parts", nil, "Correct Horse", true},
		{"right passphrase", nil, "correct horse", false},
		{"corrupt file", func(t *testing.T, dir string) {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				os.WriteFile(filepath.Join(dir, e.Name()), []byte("not a JWE"), 0o600)
			}
		}, "correct horse", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			cfg := Config{Backend: File, Service: testService(t), FileDir: dir,
				Passphrase: func(string) (string, error) { return "correct horse", nil }}
			s, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			value := []byte("session")
			if strings.Contains(tc.name, "parts") {
				value = []byte(strings.Repeat("x", 3*defaultChunk))
			}
			if err := s.Set("session/p/abc", value); err != nil {
				t.Fatal(err)
			}
			if tc.damage != nil {
				tc.damage(t, dir)
			}
			cfg.Passphrase = func(string) (string, error) { return tc.passwd, nil }
			s, err = Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Get("session/p/abc")
			file, got := "", false
			if err != nil {
				file, got = strings.CutPrefix(err.Error(), "wrong passphrase for ")
			}
			if got != tc.wantWrong {
				t.Fatalf("Get: %v; wrong passphrase reported %v, want %v", err, got, tc.wantWrong)
			}
			if !tc.wantWrong {
				return
			}
			msg := err.Error()
			if !strings.Contains(msg, "wrong passphrase for "+dir+string(filepath.Separator)) || strings.Contains(msg, "KeyUnwrap") {
				t.Errorf("message %q", msg)
			}
			if _, statErr := os.Stat(file); statErr != nil {
				t.Errorf("the message names %s, which is not there: %v", file, statErr)
			}
			if h := Hint(err); !strings.Contains(h, "MFA_GIT_FILE_PASSPHRASE") {
				t.Errorf("hint %q", h)
			}
		})
	}
}
