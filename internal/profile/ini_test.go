package profile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// A line too long to read is an error naming the file and the line, in
// every reader of the shared files; it used to end parsing silently, so
// the keys after it were lost without a word.
func TestLongLineIsAnError(t *testing.T) {
	testenv.ClearAWSEnv(t)
	long := strings.Repeat("x", 2<<20)
	good := "[profile base]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/a\n"
	creds := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	for _, tt := range []struct {
		name, cfg, creds, file string
		line                   int
	}{
		{"config, comment line 2", "[default]\n# " + long + "\n" + good, creds, "config", 2},
		{"config, value line 4", good + "role_arn = " + long + "\n", creds, "config", 4},
		{"config, last line without newline", good + "#" + long, creds, "config", 4},
		{"credentials, line 1", good, "; " + long + "\n" + creds, "credentials", 1},
		{"CRLF file", strings.ReplaceAll(good, "\n", "\r\n") + "x = " + long + "\r\n", creds, "config", 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := writeFiles(t, tt.cfg, tt.creds)
			_, err := Load(context.TODO(), "base", f, nil)
			if err == nil {
				t.Fatal("no error for a 2 MiB line")
			}
			want := filepath.Join(filepath.Dir(f.Config), tt.file) + fmt.Sprintf(": line %d:", tt.line)
			if !strings.HasPrefix(err.Error(), want) || hint.Of(err) == "" {
				t.Fatalf("error %q (hint %q), want it to start %q with a hint", err, hint.Of(err), want)
			}
			if len(err.Error()) > 300 {
				t.Fatalf("the error quotes the line: %d bytes", len(err.Error()))
			}
		})
	}
	// An unreadable file is an error, not a missing one.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "config"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.TODO(), "base", Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}, nil); err == nil || !strings.Contains(err.Error(), "config") {
		t.Fatalf("a config folder in place of the file: %v", err)
	}
}

// Just under the limit is read, and what follows it too.
func TestLineJustUnderLimit(t *testing.T) {
	testenv.ClearAWSEnv(t)
	creds := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	f := writeFiles(t, "[profile base]\n# "+strings.Repeat("y", maxLineBytes-2)+"\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/a\n", creds)
	if p, err := Load(context.TODO(), "base", f, nil); err != nil || p.Region != "eu-west-1" {
		t.Fatalf("a 1 MiB comment: %+v, %v", p, err)
	}
}

func TestNames(t *testing.T) {
	f := writeFiles(t, "[default]\n[profile zed]\n[profile  b ]\n[sso-session s]\n[profile ]\n", "[b]\n[c]\n[default]\n")
	if got, want := Names(f), []string{"b", "c", "default", "zed"}; !slices.Equal(got, want) {
		t.Errorf("Names = %q, want %q (once each, sorted)", got, want)
	}
	if got := Names(Files{Config: filepath.Join(t.TempDir(), "none"), Credentials: filepath.Join(t.TempDir(), "none")}); got != nil {
		t.Errorf("Names without files = %q", got)
	}
}
