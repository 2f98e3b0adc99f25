package profile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// A value that cannot be right is refused when the profile is loaded, by
// every loader, with the profile, the key, the file and line and the
// value as read (%q), so a stray comment or quote shows.
func TestLoadRefusesBadValues(t *testing.T) {
	const keys = "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	const arn = "arn:aws:iam::123456789012:mfa/dev"
	role := "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n"
	for _, tt := range []struct {
		name, cfg, env, profile string
		want                    []string // in the error, besides the file (when line > 0)
		line                    int
	}{
		{"a # without a space is part of the serial", "[profile base]\nmfa_serial = " + arn + "#phone\n", "", "base",
			[]string{`profile "base"`, "mfa_serial", fmt.Sprintf("%q", arn+"#phone")}, 2},
		{"quotes kept when they do not match", "[profile base]\nregion = eu-west-1\nmfa_serial = \"" + arn + "'\n", "", "base",
			[]string{"mfa_serial", fmt.Sprintf("%q", `"`+arn+`'`)}, 3},
		{"a region with a comment after ;", "[profile base]\nmfa_serial = " + arn + "\nregion = eu-west-1;x\n", "", "base",
			[]string{"region", `"eu-west-1;x"`, "not an AWS region"}, 3},
		{"a region from the environment", "[profile base]\nmfa_serial = " + arn + "\n", "Europe", "base",
			[]string{"AWS_REGION", `"Europe"`, "not an AWS region"}, 0},
		{"duration out of range", "[profile base]\nmfa_serial = " + arn + "\nduration_seconds = 60\n", "", "base",
			[]string{"duration_seconds", `"60"`, "outside STS's range"}, 3},
		{"duration with a comment", "[profile base]\nmfa_serial = " + arn + "\nduration_seconds = 3600#1h\n", "", "base",
			[]string{"duration_seconds", `"3600#1h"`}, 3},
		{"a role profile's serial", "[profile base]\nmfa_serial = " + arn + "\n" + role + "mfa_serial = x\n", "", "dev",
			[]string{`profile "dev"`, "mfa_serial", `"x"`}, 6},
		{"a role profile's region", "[profile base]\nmfa_serial = " + arn + "\n" + role + "region = eu west 1\n", "", "dev",
			[]string{`profile "dev"`, "region", `"eu west 1"`}, 6},
		{"the source's serial, through a role", "[profile base]\nmfa_serial = 1234\n" + role, "", "dev",
			[]string{`profile "base"`, "mfa_serial", `"1234"`}, 2},
		{"role_arn not a role's", "[profile base]\nmfa_serial = " + arn + "\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:user/dev\nsource_profile = base\n", "", "dev",
			[]string{`profile "dev"`, "role_arn", `"arn:aws:iam::123456789012:user/dev"`}, 4},
		{"source_profile beside keys, without role_arn", "[profile base]\nmfa_serial = " + arn + "\nsource_profile = base\n", "", "base",
			[]string{`profile "base"`, "source_profile", `"base"`, "no role_arn"}, 3},
		{"source_profile alone", "[profile lone]\nsource_profile = base\n", "", "lone",
			[]string{`profile "lone"`, "source_profile", `"base"`, "no role_arn"}, 2},
		{"the source's source_profile, through a role", "[profile base]\nmfa_serial = " + arn + "\nsource_profile = x\n" + role, "", "dev",
			[]string{`profile "base"`, "source_profile", `"x"`, "no role_arn"}, 3},
		{"the source's credential_source, through a role", "[profile base]\nmfa_serial = " + arn + "\ncredential_source = Environment\n" + role, "", "dev",
			[]string{`profile "base"`, "credential_source", `"Environment"`, "no role_arn"}, 3},
		{"a setting the SDK refuses to load", "[profile base]\nmfa_serial = " + arn + "\nretry_mode = Standard\n", "", "base",
			[]string{`profile "base"`, "retry_mode", `"Standard"`, "standard or adaptive"}, 3},
		{"an empty setting the SDK refuses to load", "[profile base]\nmfa_serial = " + arn + "\ndisable_request_compression =\n", "", "base",
			[]string{`profile "base"`, "disable_request_compression", `""`, "true or false"}, 3},
		{"the source's setting the SDK refuses, through a role", "[profile base]\nmfa_serial = " + arn + "\nmax_attempts = three\n" + role, "", "dev",
			[]string{`profile "base"`, "max_attempts", `"three"`, "a whole number"}, 3},
		{"mfa_serial on a role over a credential_process source", "[profile p]\ncredential_process = /bin/creds\n" + strings.Replace(role, "base", "p", 1) + "mfa_serial = " + arn + "\n", "", "dev",
			[]string{`profile "dev"`, "mfa_serial", fmt.Sprintf("%q", arn), "credential_process profile \"p\""}, 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.ClearAWSEnv(t)
			if tt.env != "" {
				t.Setenv("AWS_REGION", tt.env)
			}
			f := writeFiles(t, tt.cfg, keys)
			want := tt.want
			if tt.line > 0 {
				want = append(want, fmt.Sprintf("%s:%d", f.Config, tt.line))
			}
			ctx := context.Background()
			_, _, rerr := Resolve(ctx, tt.profile, f, nil)
			errs := map[string]error{"Resolve": rerr}
			if strings.Contains(tt.cfg, "role_arn") {
				_, errs["LoadRole"] = LoadRole(ctx, tt.profile, f, nil)
			} else {
				_, errs["Load"] = Load(ctx, tt.profile, f, nil)
			}
			if !strings.Contains(tt.name, "duration") && !strings.Contains(tt.name, "role_arn") && !strings.Contains(tt.name, "source") {
				_, errs["Region"] = Region(tt.profile, f)
			}
			for fn, err := range errs {
				if err == nil {
					t.Errorf("%s: no error", fn)
					continue
				}
				for _, w := range want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("%s: %v\nwant %q in it", fn, err, w)
					}
				}
				if hint.Of(err) == "" {
					t.Errorf("%s: %v: no hint", fn, err)
				}
			}
		})
	}
}

// Values the SDK reads without the comment are accepted as it reads them.
func TestLoadAcceptsCommentedValues(t *testing.T) {
	testenv.ClearAWSEnv(t)
	f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/dev # phone\nregion: eu-west-1 ;x\nduration_seconds = 3600\t# 1h\n",
		"[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n")
	p, err := Load(context.Background(), "base", f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.MFASerial != "arn:aws:iam::123456789012:mfa/dev" || p.Region != "eu-west-1" || p.Duration.Seconds() != 3600 {
		t.Errorf("read %q %q %v", p.MFASerial, p.Region, p.Duration)
	}
}

// duration_seconds is read as the AWS SDK for Go reads it: the SDK's own
// loader is the oracle for each spelling (a number it cannot read leaves
// its RoleDurationSeconds at 0).
func TestParseSecondsAsSDK(t *testing.T) {
	testenv.ClearAWSEnv(t)
	for _, v := range []string{"3600", "900", "3_600", "0xe10", "0XE10", "0o7020", "07020", "0900", "+3600", "-1", "3600.0", "1e3", "3600s", "0x", "9223372036854775807", "99999999999999999999"} {
		dir := t.TempDir()
		f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		cfg := "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\nduration_seconds = " + v + "\n[profile b]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
		if err := os.WriteFile(f.Config, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		sc, err := sdkLoad(f, "r")
		if err != nil || sc.RoleDurationSeconds == nil {
			t.Fatalf("%s: the SDK: %v", v, err)
		}
		sdk := int64(*sc.RoleDurationSeconds / time.Second)
		n, err := parseSeconds(v)
		n = int64(time.Duration(n) * time.Second / time.Second) // as the SDK computes it, overflow included
		switch {
		case sdk == 0 && err == nil:
			t.Errorf("%s: mfa-git reads %d seconds; the SDK cannot read it", v, n)
		case sdk != 0 && (err != nil || n != sdk):
			t.Errorf("%s: mfa-git reads %d (%v); the SDK %d", v, n, err, sdk)
		}
	}
}
