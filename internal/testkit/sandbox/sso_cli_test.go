package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// awsHome is a private HOME for the AWS CLI with config as its config
// file; it returns the HOME and the CLI's environment.
func awsHome(t *testing.T, config string, env ...string) (string, []string) {
	t.Helper()
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".aws", "config"), config)
	return home, append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "none"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0"}, env...)
}

// The AWS CLI (botocore's SSOProvider and SSOTokenProvider) is an
// independent client of Identity Center: with the config text of
// SSOProfile and a cache file of WriteSSOCache, `aws sts
// get-caller-identity` answers the permission set's role session, the
// endpoints set either by the profile's services section or by the
// AWS_ENDPOINT_URL_* variables; a token about to expire is refreshed
// (botocore refreshes 15 minutes ahead) and written back; an expired
// legacy token gets the CLI's own "sign in again".
func TestSSOProfileWithAWSCLI(t *testing.T) {
	awsCLI := testenv.Require(t, "aws")
	tests := []struct {
		name        string
		session     string // "" for the legacy form
		login       SSOLogin
		env         bool // endpoints from the environment, not the profile
		wantErr     string
		wantRefresh bool
	}{
		{name: "sso_session", session: "corp"},
		{name: "sso_session, endpoints from the environment", session: "corp", env: true},
		{name: "sso_session, token ends in 10 minutes: refreshed", session: "corp", login: SSOLogin{Lifetime: 10 * time.Minute}, wantRefresh: true},
		{name: "sso_session, token expired: refreshed", session: "corp", login: SSOLogin{Expired: true}, wantRefresh: true},
		{name: "legacy", login: SSOLogin{Legacy: true}},
		{name: "legacy, endpoints from the environment", login: SSOLogin{Legacy: true}, env: true},
		{name: "legacy, token expired", login: SSOLogin{Legacy: true, Expired: true},
			wantErr: "The SSO session associated with this profile has expired or is otherwise invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			var extra map[string]string
			var env []string
			if tt.env {
				extra, env = map[string]string{"services": ""}, sb.EndpointEnv()
			}
			config := sb.SSOProfile("dev", tt.session, extra)
			key := SSOStartURL
			if tt.session != "" {
				config += "\n" + SSOSession(tt.session)
				key = tt.session
			}
			home, env := awsHome(t, config, env...)
			tok := sb.SSOLogin(tt.login)
			file, err := WriteSSOCache(home, key, tok)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "dev", "--output", "text", "--query", "Arn")
			cmd.Env = env
			ran := time.Now()
			out, err := cmd.CombinedOutput()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(string(out), tt.wantErr) {
					t.Fatalf("aws: %v\n%s", err, out)
				}
				if st := sb.Stats(); st.GetRoleCredentials+st.GetRoleCredentialsFailed != 0 {
					t.Fatalf("the CLI called the portal with an expired token: %+v", st)
				}
				return
			}
			if want := SSOAssumedRoleARN(Account, SSOPermissionSet, SSOUser); err != nil || strings.TrimSpace(string(out)) != want {
				t.Fatalf("aws: %v\n%s\nwant %s", err, out, want)
			}
			st := sb.Stats()
			if n, _ := st.Count("get_role_credentials:" + SSOPermissionSet); n != 1 || st.GetCallerIdentity != 1 {
				t.Errorf("GetRoleCredentials %d, GetCallerIdentity %d; want 1 and 1", n, st.GetCallerIdentity)
			}
			if want := map[bool]int{true: 1}[tt.wantRefresh]; st.CreateToken != want {
				t.Errorf("CreateToken calls %d, want %d", st.CreateToken, want)
			}
			back, err := ReadSSOCache(file)
			if err != nil {
				t.Fatal(err)
			}
			if refreshed := back.AccessToken != tok.AccessToken; refreshed != tt.wantRefresh {
				t.Fatalf("cache file rewritten: %v, want %v", refreshed, tt.wantRefresh)
			}
			// The refreshed token lasts the grant's lifetime from when the CLI
			// refreshed it; the file has whole seconds (a refresh in the
			// second the token was made may keep its expiry to the second).
			life := tt.login.Lifetime
			if life <= 0 {
				life = ssoTokenLife
			}
			if tt.wantRefresh && (back.RefreshToken == tok.RefreshToken || back.ExpiresAt.Before(ran.Add(life).Truncate(time.Second))) {
				t.Errorf("refreshed cache: new refresh token %v, expires %s, want at least %s", back.RefreshToken != tok.RefreshToken, back.ExpiresAt, ran.Add(life).Truncate(time.Second))
			}
		})
	}
}

// botocore's LoginProvider needs awscrt (its EC keys sign the DPoP
// proofs): where the CLI's Python has it, `aws sts get-caller-identity`
// with a LoginProfile and a WriteLoginCache file answers alice, after a
// refresh when the cached credentials have expired.
func TestLoginProfileWithAWSCLI(t *testing.T) {
	awsCLI := testenv.Require(t, "aws")
	for _, tt := range []struct {
		name        string
		login       Login
		wantRefresh bool
	}{
		{name: "fresh credentials"},
		{name: "expired credentials: refreshed", login: Login{Expired: true}, wantRefresh: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			tok, err := sb.Login(tt.login)
			if err != nil {
				t.Fatal(err)
			}
			home, env := awsHome(t, sb.LoginProfile("console", tok.LoginSession, nil))
			if _, err := WriteLoginCache(home, tok); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", "console", "--output", "text", "--query", "Arn")
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil && strings.Contains(string(out), `botocore[crt]`) {
				t.Skipf("the AWS CLI here cannot use login profiles: %s", strings.TrimSpace(string(out)))
			}
			if err != nil || strings.TrimSpace(string(out)) != UserARN() {
				t.Fatalf("aws: %v\n%s", err, out)
			}
			if want := map[bool]int{true: 1}[tt.wantRefresh]; sb.Stats().CreateOAuth2Token != want {
				t.Errorf("CreateOAuth2Token calls %d, want %d", sb.Stats().CreateOAuth2Token, want)
			}
		})
	}
}

// The cache files are byte for byte what the AWS CLI's Python writes
// (json.dumps of the same members in the same order, non-ASCII and
// control characters escaped its way), mode 0600.
func TestCacheFilesAsPythonWritesThem(t *testing.T) {
	python := testenv.Require(t, "python3")
	home := t.TempDir()
	odd := "https://d-ü.awsapps.com/start?\"q\"\\\t\x01\x7f😀/"
	at := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	sso, err := WriteSSOCache(home, "corp", SSOToken{StartURL: odd, Region: "eu-west-1", AccessToken: "aoa<&>", ExpiresAt: at,
		ClientID: "c", ClientSecret: "s", RegistrationExpiresAt: at.Add(time.Hour), RefreshToken: "r"})
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := WriteSSOCache(home, odd, SSOToken{StartURL: odd, Region: "eu-west-1", AccessToken: "a", ExpiresAt: at,
		ClientID: "c", ClientSecret: "s", RegistrationExpiresAt: at})
	if err != nil {
		t.Fatal(err)
	}
	login, err := WriteLoginCache(home, LoginToken{LoginSession: "arn:aws:iam::123456789012:user/ü", AccessKeyID: "ASIA", SecretAccessKey: "s/+",
		SessionToken: "t", AccountID: Account, ExpiresAt: at, TokenType: "aws_sigv4", ClientID: LoginClientID,
		RefreshToken: "r", IDToken: "i", DPoPKey: "-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path, wantPath, members string }{
		{"sso_session", sso, filepath.Join(home, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
			"startUrl region accessToken expiresAt clientId clientSecret registrationExpiresAt refreshToken"},
		{"legacy", legacy, "", "startUrl region accessToken expiresAt clientId clientSecret registrationExpiresAt"},
		{"login", login, "", "accessToken tokenType clientId refreshToken idToken dpopKey"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			// Python reads the file (keeping the members' order) and dumps
			// it again as the AWS CLI does.
			cmd := exec.Command(python, "-c", "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)))")
			cmd.Stdin = strings.NewReader(string(got))
			want, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("file:\n%s\nPython's json.dumps:\n%s", got, want)
			}
			var members []string
			dec := json.NewDecoder(strings.NewReader(string(got)))
			dec.Token()
			for dec.More() {
				k, _ := dec.Token()
				members = append(members, k.(string))
				var skip json.RawMessage
				dec.Decode(&skip)
			}
			if strings.Join(members, " ") != tt.members {
				t.Errorf("members %v, want %s", members, tt.members)
			}
			if st, err := os.Stat(tt.path); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v (%v), want 0600", st.Mode(), err)
			}
			if tt.wantPath != "" && tt.path != tt.wantPath {
				t.Errorf("path %s, want %s", tt.path, tt.wantPath)
			}
		})
	}
}

// Credentials from GetRoleCredentials and from an `aws login` refresh
// sign git requests the sandbox's git server accepts: a clone through
// the AWS CLI's CodeCommit helper, given the credentials, or resolving
// the SSO profile itself.
func TestGitWithSSOAndLoginCredentials(t *testing.T) {
	testenv.RequireAll(t, "aws", "git")
	sb := start(t)
	ssoTok := sb.SSOLogin(SSOLogin{})
	config := sb.SSOProfile("dev", "corp", nil) + "\n" + SSOSession("corp")
	home, env := awsHome(t, config)
	file, err := WriteSSOCache(home, "corp", ssoTok)
	if err != nil {
		t.Fatal(err)
	}
	roleCreds := func(t *testing.T) []string {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := sdkSSO(sb, file, Account, SSOPermissionSet, false).Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return []string{"AWS_ACCESS_KEY_ID=" + c.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + c.SecretAccessKey, "AWS_SESSION_TOKEN=" + c.SessionToken}
	}
	loginCreds := func(t *testing.T) []string {
		tok, err := sb.Login(Login{})
		if err != nil {
			t.Fatal(err)
		}
		return []string{"AWS_ACCESS_KEY_ID=" + tok.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + tok.SecretAccessKey, "AWS_SESSION_TOKEN=" + tok.SessionToken}
	}
	for _, tt := range []struct {
		name   string
		helper string
		env    func(t *testing.T) []string
	}{
		{"SSO role credentials from the SDK's provider", "!aws codecommit credential-helper --ignore-host-check $@", roleCreds},
		{"the SSO profile, resolved by the AWS CLI", "!aws --profile dev codecommit credential-helper --ignore-host-check $@", func(*testing.T) []string { return nil }},
		{"aws login credentials", "!aws codecommit credential-helper --ignore-host-check $@", loginCreds},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := sb.Stats().GitAccepted
			dir := filepath.Join(t.TempDir(), "clone")
			cmd := exec.Command("git", "-c", "credential.helper=", "-c", "credential.helper="+tt.helper,
				"-c", "credential.useHttpPath=true", "clone", "-q", sb.GitURL+"/v1/repos/demo", dir)
			cmd.Env = append(append(env, "AWS_DEFAULT_REGION="+Region), tt.env(t)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git clone: %v\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
				t.Fatal(err)
			}
			if sb.Stats().GitAccepted == before {
				t.Fatal("the git server counted no accepted request")
			}
		})
	}
}
