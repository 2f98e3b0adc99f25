package profile

import (
	"context"
	"slices"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The exported readers follow the AWS SDK for Go's rules for the cases
// issue 17 names. Only exported API is used, so this test also runs
// against older code (it fails on e61b945).
func TestExportedReadersFollowSDK(t *testing.T) {
	const serial = "arn:aws:iam::123456789012:mfa/dev"
	const keys = "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	for _, tt := range []struct {
		name, cfg, creds, profile string
		region, serial            string
		names                     []string
	}{
		{"a colon as separator", "[profile a]\nregion: eu-west-1\nmfa_serial: " + serial + "\n", "[a]\n" + keys, "a",
			"eu-west-1", serial, []string{"a"}},
		{"an inline comment after a space", "[profile a]\nmfa_serial = " + serial + " # phone\nregion = eu-west-1\t; mine\n", "[a]\n" + keys, "a",
			"eu-west-1", serial, []string{"a"}},
		{"[profile default] beats [default]", "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/old\n[profile default]\nregion = eu-west-1\nmfa_serial = " + serial + "\n", "[default]\n" + keys, "default",
			"eu-west-1", serial, []string{"default"}},
		{"[profile x] in the credentials file is ignored", "[profile a]\nmfa_serial = " + serial + "\n", "[a]\n" + keys + "[profile a]\nregion = us-west-2\n[profile x]\n" + keys, "a",
			"", serial, []string{"a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.ClearAWSEnv(t)
			f := writeFiles(t, tt.cfg, tt.creds)
			ctx := context.Background()
			if p, err := Load(ctx, tt.profile, f, nil); err != nil || p.Region != tt.region || p.MFASerial != tt.serial {
				t.Errorf("Load: %+v, %v; want region %q serial %q", p, err, tt.region, tt.serial)
			}
			if p, _, err := Resolve(ctx, tt.profile, f, nil); err != nil || p == nil || p.Region != tt.region || p.MFASerial != tt.serial {
				t.Errorf("Resolve: %+v, %v", p, err)
			}
			if r, err := Region(tt.profile, f); err != nil || r != tt.region {
				t.Errorf("Region = %q, %v; want %q", r, err, tt.region)
			}
			if n := Names(f); !slices.Equal(n, tt.names) {
				t.Errorf("Names = %q, want %q", n, tt.names)
			}
		})
	}
}
