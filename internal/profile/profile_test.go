package profile

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func writeFiles(t *testing.T, cfg, creds string) Files {
	t.Helper()
	dir := t.TempDir()
	f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(f.Config, []byte(cfg), 0o600)
	os.WriteFile(f.Credentials, []byte(creds), 0o600)
	return f
}

// clearAWSEnv keeps the developer's environment out of profile tests.

// The AWS SDK's own shared-config loader is the oracle for our reader.
func TestProfileMatchesSDK(t *testing.T) {
	testenv.ClearAWSEnv(t)
	tests := []struct{ name, cfg, creds, profile string }{
		{"plain", "[profile base]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/a\n", "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s1\n", "base"},
		{"default", "[default]\nmfa_serial=arn:aws:iam::1:mfa/d\nregion=us-west-2\n", "[default]\naws_access_key_id=AKIADDDDDDDDDDDDDDDD\naws_secret_access_key=s2\n", "default"},
		{"odd spacing and comments", "# top\n[ profile   base ]\n; c\n  region   =   ap-south-1  \nmfa_serial =arn:aws:iam::1:mfa/b\ns3 =\n  max_concurrent_requests = 10\nendpoint_url = http://127.0.0.1:9\n", "[base]\r\naws_access_key_id = AKIABBBBBBBBBBBBBBBB\r\naws_secret_access_key = s/3+x=\r\n", "base"},
		{"keys in config", "[profile base]\naws_access_key_id = AKIACCCCCCCCCCCCCCCC\naws_secret_access_key = s4\nmfa_serial = arn:aws:iam::1:mfa/c\n", "", "base"},
		{"credentials win", "[profile base]\naws_access_key_id = AKIAOLDOLDOLDOLDOLDO\naws_secret_access_key = old\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n", "[base]\naws_access_key_id = AKIANEWNEWNEWNEWNEWN\naws_secret_access_key = new\n", "base"},
		{"mfa in credentials", "", "[base]\naws_access_key_id = AKIAEEEEEEEEEEEEEEEE\naws_secret_access_key = s5\nmfa_serial = arn:aws:iam::1:mfa/e\n", "base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := writeFiles(t, tt.cfg, tt.creds)
			sdk, err := config.LoadSharedConfigProfile(context.Background(), tt.profile, func(o *config.LoadSharedConfigOptions) {
				o.ConfigFiles, o.CredentialsFiles = []string{f.Config}, []string{f.Credentials}
			})
			if err != nil {
				t.Fatalf("SDK: %v", err)
			}
			p, err := Load(context.Background(), tt.profile, f, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got := []string{p.AccessKeyID, p.SecretAccessKey, p.MFASerial, p.Region, p.Endpoint}
			want := []string{sdk.Credentials.AccessKeyID, sdk.Credentials.SecretAccessKey, sdk.MFASerial, sdk.Region, sdk.BaseEndpoint}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, SDK says %q", i, got[i], want[i])
				}
			}
		})
	}
}

func TestProfileErrors(t *testing.T) {
	testenv.ClearAWSEnv(t)
	keys := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	tests := []struct{ name, cfg, creds, want, hint string }{
		{"missing profile", "", "", `profile "base" not found`, "mfa-git add --profile base, then mfa-git setup --profile base"},
		{"no mfa_serial", "[profile base]\nregion = us-east-1\n", keys, `profile "base" has no mfa_serial`, "run: mfa-git setup --profile base (it finds the MFA device"},
		{"no keys", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n", "", "has no long-term access key", "--profile"},
		{"temporary keys", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n", "[base]\naws_access_key_id = ASIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n", "temporary credentials", "AKIA"},
		{"duration not a number", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\nduration_seconds = 12h\n", keys, `"12h" is not a whole number`, "between 900 and 129600"},
		{"duration too short", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\nduration_seconds = 60\n", keys, "outside STS's range", "between 900 and 129600"},
		{"duration too long", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\nduration_seconds = 200000\n", keys, "outside STS's range", "between 900 and 129600"},
	}
	for _, tt := range tests {
		_, err := Load(context.Background(), "base", writeFiles(t, tt.cfg, tt.creds), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(hint.Of(err), tt.hint) {
			t.Errorf("%s: err = %v, hint = %q; want %q / %q", tt.name, err, hint.Of(err), tt.want, tt.hint)
		}
		if err != nil && strings.Contains(err.Error()+hint.Of(err), "aws_secret_access_key = s\n") {
			t.Errorf("%s: error quotes the secret", tt.name)
		}
	}
}

func TestProfileSettings(t *testing.T) {
	testenv.ClearAWSEnv(t)
	cfg := "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\nduration_seconds = 3600\nmfa_process = ykman oath accounts code -s aws\nservices = local\nendpoint_url = http://general\n[services local]\nsts =\n  endpoint_url = http://from-services\n"
	creds := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	f := writeFiles(t, cfg, creds)
	p, err := Load(context.Background(), "base", f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Duration != time.Hour || p.TokenCommand != "ykman oath accounts code -s aws" || p.Endpoint != "http://from-services" {
		t.Fatalf("got duration %s, token command %q, endpoint %q", p.Duration, p.TokenCommand, p.Endpoint)
	}
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://from-env")
	if p, _ := Load(context.Background(), "base", f, nil); p.Endpoint != "http://from-env" {
		t.Errorf("AWS_ENDPOINT_URL_STS not preferred: %q", p.Endpoint)
	}
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
	if p, _ := Load(context.Background(), "base", f, nil); p.Endpoint != "" {
		t.Errorf("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS not honoured: %q", p.Endpoint)
	}
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
	t.Setenv("AWS_ENDPOINT_URL_STS", "")
	t.Setenv("AWS_REGION", "eu-north-1")
	if p, _ := Load(context.Background(), "base", f, nil); p.Region != "eu-north-1" || p.Endpoint != "http://from-services" {
		t.Errorf("region %q endpoint %q", p.Region, p.Endpoint)
	}
}

func FuzzParseINI(f *testing.F) {
	f.Add([]byte("[profile base]\nregion = x\ns3 =\n  a = b\n[services s]\nsts =\n endpoint_url = u\n"))
	f.Add([]byte("[\n=\n[a]\n =\n\t=x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ini, err := parseINI("", data, nil)
		if err != nil && !regexp.MustCompile(`^line [1-9][0-9]*: `).MatchString(err.Error()) {
			t.Fatalf("error without a line number: %v", err)
		}
		for name, s := range ini {
			if strings.ContainsAny(name, "\n") {
				t.Fatalf("section name with newline: %q", name)
			}
			for k := range s.keys {
				if strings.ContainsAny(k, "\n=") {
					t.Fatalf("key %q", k)
				}
			}
		}
	})
}
