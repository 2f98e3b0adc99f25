package profile

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

const roleKeys = "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"

func TestLoadRole(t *testing.T) {
	testenv.ClearAWSEnv(t)
	const src = "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/base\nregion = eu-west-1\n"
	const noMFA = "[profile base]\nregion = eu-west-1\n"
	tests := []struct {
		name, cfg, profile string
		wantARNs           []string
		wantSerial         string
		wantSession        string
		wantExternal       string
		wantDuration       time.Duration
		wantClamped        bool
		wantRegion         string
	}{
		{"role", src + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n", "dev",
			[]string{"arn:aws:iam::123456789012:role/dev"}, "arn:aws:iam::123456789012:mfa/base", "mfa-git-dev", "", 0, false, "eu-west-1"},
		{"settings", src + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nrole_session_name = alice@x\nexternal_id = ext-1\nduration_seconds = 1800\nregion = us-west-2\n", "dev",
			[]string{"arn:aws:iam::123456789012:role/dev"}, "arn:aws:iam::123456789012:mfa/base", "alice@x", "ext-1", 30 * time.Minute, false, "us-west-2"},
		{"clamped", src + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nduration_seconds = 7200\n", "dev",
			[]string{"arn:aws:iam::123456789012:role/dev"}, "arn:aws:iam::123456789012:mfa/base", "mfa-git-dev", "", time.Hour, true, "eu-west-1"},
		{"role's own mfa_serial wins", src + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/role\n", "dev",
			[]string{"arn:aws:iam::123456789012:role/dev"}, "arn:aws:iam::123456789012:mfa/role", "mfa-git-dev", "", 0, false, "eu-west-1"},
		{"source without mfa_serial, role with", noMFA + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/role\n", "dev",
			[]string{"arn:aws:iam::123456789012:role/dev"}, "arn:aws:iam::123456789012:mfa/role", "mfa-git-dev", "", 0, false, "eu-west-1"},
		{"chained", src + "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = ops\n", "deploy",
			[]string{"arn:aws:iam::123456789012:role/ops", "arn:aws:iam::123456789012:role/deploy"}, "arn:aws:iam::123456789012:mfa/base", "mfa-git-deploy", "", 0, false, "eu-west-1"},
		{"source names itself with keys", "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/base\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = base\n", "base",
			[]string{"arn:aws:iam::123456789012:role/self"}, "arn:aws:iam::123456789012:mfa/base", "mfa-git-base", "", 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := LoadRole(context.Background(), tt.profile, writeFiles(t, tt.cfg, roleKeys), nil)
			if err != nil {
				t.Fatal(err)
			}
			var arns []string
			for _, s := range r.Chain {
				arns = append(arns, s.RoleARN)
			}
			last := r.Last()
			if strings.Join(arns, " ") != strings.Join(tt.wantARNs, " ") || r.Source.Name != "base" || r.Source.AccessKeyID != "AKIAAAAAAAAAAAAAAAAA" ||
				r.Source.MFASerial != tt.wantSerial || last.SessionName != tt.wantSession || last.ExternalID != tt.wantExternal ||
				last.Duration != tt.wantDuration || last.Clamped != tt.wantClamped || r.Settings.Region != tt.wantRegion || last.Profile != tt.profile {
				t.Errorf("got chain %v source %q/%q serial %q, last %+v, region %q", arns, r.Source.Name, r.Source.AccessKeyID, r.Source.MFASerial, last, r.Settings.Region)
			}
		})
	}
}

func TestLoadRoleErrors(t *testing.T) {
	testenv.ClearAWSEnv(t)
	const src = "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/base\n"
	const arn = "role_arn = arn:aws:iam::123456789012:role/dev\n"
	tests := []struct{ name, cfg, want, hint string }{
		{"cycle", "[profile dev]\n" + arn + "source_profile = ops\n[profile ops]\n" + arn + "source_profile = dev\n", `source_profile "dev" makes a cycle`, "IAM user's profile"},
		{"self cycle without keys", "[profile dev]\n" + arn + "source_profile = dev\n", `source_profile "dev" makes a cycle`, "IAM user's profile"},
		{"missing source", "[profile dev]\n" + arn + "source_profile = nobody\n", `source_profile "nobody" not found`, "set source_profile under [profile dev]"},
		{"no source_profile", "[profile dev]\n" + arn, `profile "dev": role_arn: a role without source_profile`, "add source_profile"},
		{"malformed role_arn", src + "[profile dev]\nrole_arn = dev\nsource_profile = base\n", `"dev" is not a role ARN`, "arn:aws:iam::ACCOUNT:role/NAME"},
		{"user ARN", src + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:user/alice\nsource_profile = base\n", "is not a role ARN", "role_arn ="},
		{"credential_source", "[profile dev]\n" + arn + "credential_source = Ec2InstanceMetadata\n", `profile "dev": credential_source: mfa-git serves role profiles with source_profile; credential_source is not supported`, "source_profile"},
		{"web identity", "[profile dev]\n" + arn + "web_identity_token_file = /tmp/t\n", `profile "dev": web_identity_token_file: mfa-git serves role profiles with source_profile`, "source_profile"},
		{"web identity in chain", src + "[profile dev]\n" + arn + "source_profile = wi\n[profile wi]\n" + arn + "web_identity_token_file = /tmp/t\n", `profile "wi": web_identity_token_file`, "[profile wi]"},
		{"duration too long", src + "[profile dev]\n" + arn + "source_profile = base\nduration_seconds = 43201\n", `duration_seconds: "43201" is not a whole number of seconds from 900 to 43200`, "at most 3600"},
		{"duration too short", src + "[profile dev]\n" + arn + "source_profile = base\nduration_seconds = 899\n", "from 900 to 43200", "at most 3600"},
		{"duration not a number", src + "[profile dev]\n" + arn + "source_profile = base\nduration_seconds = 1h\n", `"1h" is not a whole number`, "at most 3600"},
		{"bad session name", src + "[profile dev]\n" + arn + "source_profile = base\nrole_session_name = a b\n", `role_session_name: "a b"`, "fix or remove"},
		{"bad external id", src + "[profile dev]\n" + arn + "source_profile = base\nexternal_id = x\n", "external_id", "external_id"},
		{"no mfa anywhere", "[profile base]\nregion = eu-west-1\n[profile dev]\n" + arn + "source_profile = base\n", `neither it nor its source profile "base" has mfa_serial`, "under [profile base]"},
		{"source without keys", src + "[profile dev]\n" + arn + "source_profile = other\n[profile other]\nregion = eu-west-1\n", `source of role profile "dev"`, "--profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRole(context.Background(), "dev", writeFiles(t, tt.cfg, roleKeys), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(hint.Of(err), tt.hint) {
				t.Errorf("err = %v, hint = %q; want %q / %q", err, hint.Of(err), tt.want, tt.hint)
			}
		})
	}
}

func TestIsRoleAndNotRole(t *testing.T) {
	testenv.ClearAWSEnv(t)
	f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n", roleKeys)
	ctx := context.Background()
	if p, r, err := Resolve(ctx, "dev", f, nil); p != nil || r == nil || err != nil {
		t.Errorf("Resolve(dev) = %v, %v, %v; want a role", p, r, err)
	}
	if p, r, err := Resolve(ctx, "base", f, nil); p == nil || r != nil || err != nil {
		t.Errorf("Resolve(base) = %v, %v, %v; want a plain profile", p, r, err)
	}
	if _, err := LoadKeys(ctx, "dev", f, nil); !errors.Is(err, ErrRoleProfile) {
		t.Errorf("LoadKeys(dev) = %v, want ErrRoleProfile", err)
	}
	if _, _, err := Resolve(ctx, "missing", f, nil); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Resolve(missing) = %v, want ErrNoProfile", err)
	}
	if _, err := LoadRole(ctx, "base", f, nil); !errors.Is(err, ErrNotRole) {
		t.Errorf("LoadRole(base) = %v, want ErrNotRole", err)
	}
}

func TestDefaultSessionName(t *testing.T) {
	for in, want := range map[string]string{"dev": "mfa-git-dev", "a b/c": "mfa-git-a-b-c", strings.Repeat("x", 80): "mfa-git-" + strings.Repeat("x", 56)} {
		if got := DefaultSessionName(in); got != want {
			t.Errorf("DefaultSessionName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	testenv.ClearAWSEnv(t)
	f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/base\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n[profile ec2]\nrole_arn = arn:aws:iam::123456789012:role/dev\ncredential_source = Environment\n", roleKeys)
	tests := []struct{ name, wantProfile, wantRole, wantErr string }{
		{"base", "base", "", ""},
		{"dev", "", "dev", ""},
		{"ec2", "", "", "credential_source is not supported"},
		{"missing", "", "", `profile "missing" not found`},
	}
	for _, tt := range tests {
		p, r, err := Resolve(context.Background(), tt.name, f, nil)
		gotP, gotR := "", ""
		if p != nil {
			gotP = p.Name
		}
		if r != nil {
			gotR = r.Name
		}
		if gotP != tt.wantProfile || gotR != tt.wantRole || (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("Resolve(%s) = %q, %q, %v", tt.name, gotP, gotR, err)
		}
	}
}
