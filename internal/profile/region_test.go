package profile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
)

func TestProfileRegion(t *testing.T) {
	dir := t.TempDir()
	files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(files.Config, []byte("[default]\nregion = us-west-2\n[profile dev]\nregion = eu-west-1\n[profile none]\noutput = json\n[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = dev\nregion = ap-south-1\n"), 0o600)
	os.WriteFile(files.Credentials, []byte("[keysonly]\naws_access_key_id = AKIAEXAMPLE\nregion = ca-central-1\n[dev]\nregion = eu-central-1\n"), 0o600)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	tests := []struct{ name, want string }{
		{"default", "us-west-2"},
		{"dev", "eu-central-1"}, // the credentials file wins, as in Load
		{"none", ""},
		{"role", "ap-south-1"}, // no keys, no mfa_serial needed
		{"keysonly", "ca-central-1"},
	}
	for _, tt := range tests {
		got, err := Region(tt.name, files)
		if err != nil || got != tt.want {
			t.Errorf("Region(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := Region("nosuch", files); !errors.Is(err, ErrNoProfile) || hint.Of(err) == "" {
		t.Errorf("Region(nosuch): %v, want ErrNoProfile with a hint", err)
	}
	t.Setenv("AWS_DEFAULT_REGION", "sa-east-1")
	if got, _ := Region("dev", files); got != "sa-east-1" {
		t.Errorf("with AWS_DEFAULT_REGION: %q", got)
	}
	t.Setenv("AWS_REGION", "me-south-1")
	if got, _ := Region("dev", files); got != "me-south-1" {
		t.Errorf("with AWS_REGION: %q", got)
	}
}
