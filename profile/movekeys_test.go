package profile

import (
	"os"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/keystore/keystoretest"
)

func TestMoveKeys(t *testing.T) {
	for _, inFiles := range []bool{true, false} {
		f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::1:mfa/a\n", "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER0\n")
		st := keystoretest.NewMemory()
		var said []string
		err := MoveKeys(st, f, "base", "AKIAAAAAAAAAAAAAAAAA", "s", inFiles, func(format string, args ...any) { said = append(said, format) })
		if err != nil {
			t.Fatal(err)
		}
		if id, secret, err := StoredKeys(st, "base"); id != "AKIAAAAAAAAAAAAAAAAA" || secret != "s" || err != nil {
			t.Errorf("stored %q, %v", id, err)
		}
		creds, _ := os.ReadFile(f.Credentials)
		cfg, _ := os.ReadFile(f.Config)
		if got := strings.Contains(string(creds), "aws_secret_access_key = s"); got == inFiles {
			t.Errorf("inFiles=%v: credentials file now %q", inFiles, creds)
		}
		if !strings.Contains(string(creds), "AKIAOTHEROTHEROTHER0") {
			t.Errorf("another profile's key was touched: %q", creds)
		}
		if cp, _ := CredentialProcess("base"); !strings.Contains(string(cfg), "credential_process = "+cp) {
			t.Errorf("config file: %q", cfg)
		}
		if want := map[bool]int{true: 3, false: 2}[inFiles]; len(said) != want {
			t.Errorf("inFiles=%v: said %q", inFiles, said)
		}
	}
}
