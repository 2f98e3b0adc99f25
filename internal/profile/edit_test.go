package profile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestSetKeys(t *testing.T) {
	orig := "# my AWS config\n[default]\nregion=us-west-2\n\n[profile base]   # the IAM user\n  region   =  eu-west-1 \n; keep this comment\ns3 =\n  max_concurrent_requests = 4\n\n[profile other]\nmfa_serial = arn:aws:iam::1:mfa/other\n"
	tests := []struct {
		name, section string
		kv            [][2]string
		want          string
	}{
		{"add to an existing section", "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/alice"}},
			"# my AWS config\n[default]\nregion=us-west-2\n\n[profile base]   # the IAM user\n  region   =  eu-west-1 \n; keep this comment\ns3 =\n  max_concurrent_requests = 4\nmfa_serial = arn:aws:iam::1:mfa/alice\n\n[profile other]\nmfa_serial = arn:aws:iam::1:mfa/other\n"},
		{"replace in place", "profile other", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/new"}},
			"# my AWS config\n[default]\nregion=us-west-2\n\n[profile base]   # the IAM user\n  region   =  eu-west-1 \n; keep this comment\ns3 =\n  max_concurrent_requests = 4\n\n[profile other]\nmfa_serial = arn:aws:iam::1:mfa/new\n"},
		{"new section", "profile dev", [][2]string{{"credential_process", "mfa-git credential-process --profile base"}, {"region", "eu-west-1"}},
			orig + "\n[profile dev]\ncredential_process = mfa-git credential-process --profile base\nregion = eu-west-1\n"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "config")
		os.WriteFile(path, []byte(orig), 0o644)
		if err := setKeys(path, tt.section, tt.kv); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != testenv.Perm(0o644, false) {
			t.Errorf("%s: mode changed to %v", tt.name, fi.Mode().Perm())
		}
	}
	// A new file is created 0600.
	path := filepath.Join(t.TempDir(), "new", "config")
	if err := setKeys(path, "profile x", [][2]string{{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != testenv.Perm(0o600, false) {
		t.Errorf("new file mode %v", fi.Mode().Perm())
	}
}

// A new section goes at the end after a blank line, in the file's line
// endings, whatever the file ends with.
func TestSetKeysNewSection(t *testing.T) {
	kv := [][2]string{{"a", "b"}, {"c", "d"}}
	for orig, want := range map[string]string{
		"":                             "[profile x]\na = b\nc = d\n",
		"[default]\nregion = r":        "[default]\nregion = r\n\n[profile x]\na = b\nc = d\n",
		"[default]\nregion = r\n\n":    "[default]\nregion = r\n\n\n[profile x]\na = b\nc = d\n",
		"[default]\r\nregion = r\r\n":  "[default]\r\nregion = r\r\n\r\n[profile x]\r\na = b\r\nc = d\r\n",
		"# only a comment, no newline": "# only a comment, no newline\n\n[profile x]\na = b\nc = d\n",
	} {
		path := filepath.Join(t.TempDir(), "config")
		os.WriteFile(path, []byte(orig), 0o600)
		if err := setKeys(path, "profile x", kv); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("SetKeys on %q:\n got %q\nwant %q", orig, got, want)
		}
	}
}

// The reader must see the edit as intended: the new key in its profile,
// the nested block intact.
func TestSetKeysReadBack(t *testing.T) {
	testenv.ClearAWSEnv(t)
	dir := t.TempDir()
	f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(f.Config, []byte("[profile base]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 4\n[profile other]\nregion = x\n"), 0o600)
	os.WriteFile(f.Credentials, []byte("[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"), 0o600)
	if err := setKeys(f.Config, "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/a"}}); err != nil {
		t.Fatal(err)
	}
	p, err := Load(context.TODO(), "base", f, nil)
	if err != nil || p.MFASerial != "arn:aws:iam::1:mfa/a" || p.Region != "eu-west-1" {
		t.Fatalf("read back: %+v, %v", p, err)
	}
	b, _ := os.ReadFile(f.Config)
	ini, err := parseINI("", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ini["profile base"].keys["s3"].nested["max_concurrent_requests"] != "4" {
		t.Fatalf("nested block broken:\n%s", b)
	}
}

// A value with a line break (or any control character), or a section
// name that would end its header early, is refused and the file is left
// as it was: an MFA serial from IAM's answer or a profile name must never
// add lines to ~/.aws/config.
func TestSetKeysRefusesLineBreaks(t *testing.T) {
	orig := "[profile base]\nregion = eu-west-1\n"
	for _, tt := range []struct {
		name, section string
		kv            [][2]string
	}{
		{"LF in value", "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/a\n[profile evil]\ncredential_process = touch /tmp/pwned"}}},
		{"CR in value", "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/a\rcredential_process = x"}}},
		{"CRLF in value", "profile base", [][2]string{{"credential_process", "mfa-git\r\nmfa_process = touch x"}}},
		{"NUL in value", "profile base", [][2]string{{"region", "eu\x00"}}},
		{"LF in section", "profile x]\n[profile evil", [][2]string{{"region", "eu-west-1"}}},
		{"bracket in section", "profile a]b", [][2]string{{"region", "eu-west-1"}}},
		{"LF in key", "profile base", [][2]string{{"a\nb", "c"}}},
		{"second pair bad", "profile base", [][2]string{{"region", "eu-west-2"}, {"mfa_serial", "x\ny"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			os.WriteFile(path, []byte(orig), 0o600)
			err := setKeys(path, tt.section, tt.kv)
			if err == nil || !strings.Contains(err.Error(), "nothing written") {
				t.Errorf("SetKeys = %v, want a refusal", err)
			}
			if got, _ := os.ReadFile(path); string(got) != orig {
				t.Errorf("the file changed:\n%s", got)
			}
		})
	}
}

// A symlinked config file is edited through the link: the link stays,
// the target gets the content and keeps its mode.
func TestSetKeysThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "aws-config")
	os.MkdirAll(filepath.Dir(target), 0o700)
	os.WriteFile(target, []byte("[profile base]\nregion = eu-west-1\naws_access_key_id = AKIA\n"), 0o640)
	link := filepath.Join(dir, "config")
	testenv.Symlink(t, "dotfiles/aws-config", link)
	if err := setKeys(link, "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/a"}}); err != nil {
		t.Fatal(err)
	}
	if err := dropKeys(link, "profile base", "aws_access_key_id"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file: %v %v", fi.Mode(), err)
	}
	fi, _ := os.Stat(target)
	if got, _ := os.ReadFile(target); string(got) != "[profile base]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/a\n" || fi.Mode().Perm() != testenv.Perm(0o640, false) {
		t.Fatalf("target %q mode %v", got, fi.Mode().Perm())
	}
}
