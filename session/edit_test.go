package session

import (
	"context"
	"os"
	"path/filepath"
	"testing"
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
		if err := SetKeys(path, tt.section, tt.kv); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode changed to %v", tt.name, fi.Mode().Perm())
		}
	}
	// A new file is created 0600.
	path := filepath.Join(t.TempDir(), "new", "config")
	if err := SetKeys(path, "profile x", [][2]string{{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v", fi.Mode().Perm())
	}
}

// The reader must see the edit as intended: the new key in its profile,
// the nested block intact.
func TestSetKeysReadBack(t *testing.T) {
	clearAWSEnv(t)
	dir := t.TempDir()
	f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(f.Config, []byte("[profile base]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 4\n[profile other]\nregion = x\n"), 0o600)
	os.WriteFile(f.Credentials, []byte("[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"), 0o600)
	if err := SetKeys(f.Config, "profile base", [][2]string{{"mfa_serial", "arn:aws:iam::1:mfa/a"}}); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(context.TODO(), "base", f, nil)
	if err != nil || p.MFASerial != "arn:aws:iam::1:mfa/a" || p.Region != "eu-west-1" {
		t.Fatalf("read back: %+v, %v", p, err)
	}
	b, _ := os.ReadFile(f.Config)
	ini := parseINI(b)
	if ini["profile base"].nested["s3"]["max_concurrent_requests"] != "4" {
		t.Fatalf("nested block broken:\n%s", b)
	}
}
