package profile

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

const (
	ssoSession = "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
	ssoProfile = "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-2\n"
)

// Resolve reads every kind the AWS SDK for Go serves from a profile, in
// its order: static keys first, then IAM Identity Center, aws login,
// credential_process (mfa-git's own line stays an IAM user's profile).
func TestResolveKinds(t *testing.T) {
	testenv.ClearAWSEnv(t)
	for _, tc := range []struct {
		name, cfg, creds, profile string
		kind                      Kind
		check                     func(p *Profile) string
	}{
		{"sso session", ssoSession + ssoProfile, "", "sso", KindSSO, func(p *Profile) string {
			want := SSO{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "123456789012", RoleName: "Dev"}
			if p.SSO != want || p.Region != "us-east-2" || p.SSO.CacheKey() != "corp" || p.SSO.LoginHint("sso") != "run: aws sso login --sso-session corp" {
				return "got " + p.SSO.StartURL + " " + p.Region
			}
			return ""
		}},
		{"sso legacy", "[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "", "old", KindSSO, func(p *Profile) string {
			if p.SSO.Session != "" || p.SSO.CacheKey() != "https://corp.awsapps.com/start" || p.SSO.LoginHint("old") != "run: aws sso login --profile old" {
				return "got " + p.SSO.CacheKey()
			}
			return ""
		}},
		{"sso endpoints", ssoSession + ssoProfile + "services = s\n[services s]\nsso =\n  endpoint_url = http://127.0.0.1:1\nsso_oidc =\n  endpoint_url = http://127.0.0.1:2\n", "", "sso", KindSSO, func(p *Profile) string {
			if p.SSOEndpoint != "http://127.0.0.1:1" || p.OIDCEndpoint != "http://127.0.0.1:2" {
				return "endpoints " + p.SSOEndpoint + " " + p.OIDCEndpoint
			}
			return ""
		}},
		{"login", "[profile in]\nlogin_session = arn:aws:iam::123456789012:user/alice\nregion = eu-west-1\n", "", "in", KindLogin, func(p *Profile) string {
			if p.LoginSession != "arn:aws:iam::123456789012:user/alice" {
				return "login " + p.LoginSession
			}
			return ""
		}},
		{"process", "[profile proc]\ncredential_process = /usr/bin/vault-creds --role dev\n", "", "proc", KindProcess, func(p *Profile) string {
			if p.CredentialProcess != "/usr/bin/vault-creds --role dev" {
				return "process " + p.CredentialProcess
			}
			return ""
		}},
		{"static keys win over sso", ssoSession + ssoProfile + "mfa_serial = arn:aws:iam::123456789012:mfa/x\n", "[sso]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n", "sso", KindUser, nil},
		{"sso wins over login and process", ssoSession + ssoProfile + "login_session = x\ncredential_process = /bin/x\n", "", "sso", KindSSO, nil},
		{"login wins over process", "[profile in]\nlogin_session = x\ncredential_process = /bin/x\n", "", "in", KindLogin, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, r, err := Resolve(context.Background(), tc.profile, writeFiles(t, tc.cfg, tc.creds), nil)
			if err != nil || r != nil {
				t.Fatalf("Resolve: %v, role %v", err, r)
			}
			if p.Kind != tc.kind {
				t.Fatalf("kind %v, want %v", p.Kind, tc.kind)
			}
			if tc.check != nil {
				if msg := tc.check(p); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// A profile whose credential_process runs mfa-git is still an IAM
// user's: without keys it is refused as before.
func TestMFAGitProcessIsNoProcessSource(t *testing.T) {
	testenv.ClearAWSEnv(t)
	for _, line := range []string{"mfa-git credential-process --profile base", "/usr/local/bin/mfa-git credential-process --profile x", `"C:\Program Files\mfa-git\mfa-git.exe" credential-process --profile x`} {
		if !RunsMFAGit(line) {
			t.Errorf("RunsMFAGit(%q) = false", line)
		}
		files := writeFiles(t, "[profile cp]\ncredential_process = "+line+"\n", "")
		_, _, err := Resolve(context.Background(), "cp", files, nil)
		if !errors.Is(err, ErrNoKeys) {
			t.Errorf("%q: %v, want ErrNoKeys", line, err)
		}
	}
	for _, line := range []string{"mfa-git-helper x", "/opt/bin/not-mfa-git", "sh -c 'mfa-git x'"} {
		if RunsMFAGit(line) {
			t.Errorf("RunsMFAGit(%q) = true", line)
		}
	}
}

// Values that cannot be right are refused on load, naming the file and
// line they were read from.
func TestSSOValuesRefused(t *testing.T) {
	testenv.ClearAWSEnv(t)
	for _, tc := range []struct{ name, cfg, want string }{
		{"http start url", "[profile s]\nsso_start_url = http://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n", `sso_start_url = "http://corp.awsapps.com/start" (` + "CONFIG:2) is not an https URL"},
		{"short account", "[profile s]\nsso_start_url = https://x\nsso_region = eu-west-1\nsso_account_id = 12345\nsso_role_name = Dev\n", "CONFIG:4) is not an AWS account id"},
		{"bad region in session", "[sso-session corp]\nsso_start_url = https://x\nsso_region = europe\n[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "CONFIG:3) is not an AWS region"},
		{"missing section", "[profile s]\nsso_session = nope\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "names no [sso-session nope] section"},
		{"section without url", "[sso-session corp]\nsso_region = eu-west-1\n[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "has no sso_start_url"},
		{"region differs", ssoSession + "[profile s]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "differs from sso_region"},
		{"legacy incomplete", "[profile s]\nsso_start_url = https://x\nsso_region = eu-west-1\nsso_role_name = Dev\n", "without sso_account_id"},
		{"session without role", ssoSession + "[profile s]\nsso_session = corp\nsso_account_id = 123456789012\n", "without sso_role_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := writeFiles(t, tc.cfg, "")
			_, _, err := Resolve(context.Background(), "s", files, nil)
			want := strings.ReplaceAll(tc.want, "CONFIG", files.Config)
			if err == nil || !strings.Contains(err.Error(), want) || hint.Of(err) == "" {
				t.Errorf("err %v (hint %q), want %q", err, hint.Of(err), want)
			}
		})
	}
}

// A role profile's source may be of any kind; mfa_serial on a role over
// one that is not an IAM user is refused.
func TestRoleOverOtherKinds(t *testing.T) {
	testenv.ClearAWSEnv(t)
	const role = "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = %s\n"
	for _, tc := range []struct {
		name, cfg, src string
		kind           Kind
	}{
		{"sso", ssoSession + ssoProfile, "sso", KindSSO},
		{"login", "[profile in]\nlogin_session = x\n", "in", KindLogin},
		{"process", "[profile proc]\ncredential_process = /bin/creds\n", "proc", KindProcess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg + strings.Replace(role, "%s", tc.src, 1)
			p, r, err := Resolve(context.Background(), "dev", writeFiles(t, cfg, ""), nil)
			if err != nil || p != nil || r.Source.Kind != tc.kind || r.Source.Name != tc.src {
				t.Fatalf("Resolve: %v, %v, %+v", err, p, r)
			}
			_, _, err = Resolve(context.Background(), "dev", writeFiles(t, cfg+"mfa_serial = arn:aws:iam::123456789012:mfa/x\n", ""), nil)
			if err == nil || !strings.Contains(err.Error(), "mfa_serial on a role over") {
				t.Errorf("mfa_serial on the role: %v", err)
			}
		})
	}
}
