package sandbox

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"
)

// identity is the ARN GetCallerIdentity answers for c, or the test fails.
func identity(t *testing.T, sb *Sandbox, c creds) string {
	t.Helper()
	status, body := call(t, sb, c, "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	if status != 200 {
		t.Fatalf("GetCallerIdentity: %d %s", status, body)
	}
	return tag(body, "Arn")
}

// sdkSSO is the SDK's own SSO credential provider against the sandbox:
// ssocreds over the portal client, with an SSOTokenProvider over the
// token cache file (the sso_session form) or reading it itself (legacy).
func sdkSSO(sb *Sandbox, cacheFile, account, role string, legacy bool) aws.CredentialsProvider {
	cfg := aws.Config{Region: SSORegion, Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	portal := sso.NewFromConfig(cfg, func(o *sso.Options) { o.BaseEndpoint = aws.String(sb.SSOURL) })
	return ssocreds.New(portal, account, role, SSOStartURL, func(o *ssocreds.Options) {
		o.CachedTokenFilepath = cacheFile
		if !legacy {
			oidc := ssooidc.NewFromConfig(cfg, func(o *ssooidc.Options) { o.BaseEndpoint = aws.String(sb.OIDCURL) })
			o.SSOTokenProvider = ssocreds.NewSSOTokenProvider(oidc, cacheFile)
		}
	})
}

// The SDK's SSO provider is the client: with a token cache file written
// as `aws sso login` writes it, it gets role credentials that the
// sandbox's STS knows as the permission set's role session; an expired
// token is refreshed with its refresh token and written back; the
// portal's and OIDC's refusals come back as AWS's errors.
func TestSSOWithSDKProvider(t *testing.T) {
	tests := []struct {
		name    string
		login   SSOLogin
		setup   func(sb *Sandbox) // after the sign-in
		account string            // "" is Account
		role    string            // "" is SSOPermissionSet
		noFile  bool

		wantErr     string // in the error; else credentials
		wantCode    string // the API error's code, when it is one
		wantRefresh bool   // one CreateToken, and the cache written back
		wantCalls   int    // GetRoleCredentials calls that reached the portal's check
	}{
		{name: "sso_session, fresh token", wantCalls: 1},
		{name: "sso_session, expired token: refreshed", login: SSOLogin{Expired: true}, wantRefresh: true, wantCalls: 1},
		{name: "legacy, fresh token", login: SSOLogin{Legacy: true}, wantCalls: 1},
		{name: "legacy, expired token: no call", login: SSOLogin{Legacy: true, Expired: true},
			wantErr: "the SSO session has expired or is invalid"},
		{name: "no cache file", noFile: true, wantErr: "failed to read cached SSO token file"},
		{name: "revoked token", setup: (*Sandbox).RevokeSSO, wantCode: "UnauthorizedException",
			wantErr: "Session token not found or invalid", wantCalls: 1},
		{name: "expired token, revoked refresh token", login: SSOLogin{Expired: true}, setup: (*Sandbox).RevokeSSO,
			wantCode: "InvalidGrantException", wantErr: "unable to refresh SSO token"},
		{name: "expired token, legacy form's token has no refresh token", login: SSOLogin{Legacy: true, Expired: true},
			wantErr: "the SSO session has expired or is invalid"},
		{name: "role not assigned", role: "Admin", wantCode: "ForbiddenException", wantErr: "No access", wantCalls: 1},
		{name: "account not assigned", account: "210987654321", wantCode: "ForbiddenException", wantErr: "No access", wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			home := t.TempDir()
			tok := sb.SSOLogin(tt.login)
			key := "my-sso"
			if tt.login.Legacy {
				key = SSOStartURL
			}
			file := SSOCachePath(home, key)
			if !tt.noFile {
				if _, err := WriteSSOCache(home, key, tok); err != nil {
					t.Fatal(err)
				}
			}
			if tt.setup != nil {
				tt.setup(sb)
			}
			account, role := cmp.Or(tt.account, Account), cmp.Or(tt.role, SSOPermissionSet)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			got, err := sdkSSO(sb, file, account, role, tt.login.Legacy).Retrieve(ctx)
			st := sb.Stats()
			if calls := st.GetRoleCredentials + st.GetRoleCredentialsFailed; calls != tt.wantCalls {
				t.Errorf("GetRoleCredentials calls = %d, want %d", calls, tt.wantCalls)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				var api smithy.APIError
				if tt.wantCode != "" && (!errors.As(err, &api) || api.ErrorCode() != tt.wantCode) {
					t.Fatalf("error %v: want the API error %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := SSOAssumedRoleARN(account, role, SSOUser); identity(t, sb, creds{got.AccessKeyID, got.SecretAccessKey, got.SessionToken}) != want {
				t.Errorf("caller is not %s", want)
			}
			if d := time.Until(got.Expires); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("credentials expire in %s, want the permission set's hour", d)
			}
			if n, _ := st.Count("get_role_credentials:" + role); n != 1 {
				t.Errorf("get_role_credentials:%s = %d, want 1", role, n)
			}
			refreshes, _ := st.Count("create_token:" + SSOUser)
			if want := map[bool]int{true: 1}[tt.wantRefresh]; refreshes != want || st.CreateToken != want {
				t.Errorf("CreateToken calls = %d (alice: %d), want %d", st.CreateToken, refreshes, want)
			}
			back, err := ReadSSOCache(file)
			if err != nil {
				t.Fatal(err)
			}
			if changed := back.AccessToken != tok.AccessToken; changed != tt.wantRefresh {
				t.Fatalf("cache file rewritten: %v, want %v", changed, tt.wantRefresh)
			}
			if tt.wantRefresh {
				if back.RefreshToken == tok.RefreshToken || back.RefreshToken == "" || !back.ExpiresAt.After(time.Now()) ||
					back.ClientID != tok.ClientID || back.ClientSecret != tok.ClientSecret {
					t.Errorf("refreshed cache file: new refresh token %v, expires %s, same client %v",
						back.RefreshToken != tok.RefreshToken, back.ExpiresAt, back.ClientID == tok.ClientID)
				}
			}
		})
	}
}

// A refresh token works once: CreateToken rotates it, and the spent one,
// or one of another client, is refused as AWS refuses an invalid one.
func TestSSORefreshTokenRotates(t *testing.T) {
	sb := start(t)
	tok := sb.SSOLogin(SSOLogin{Expired: true})
	other := sb.SSOLogin(SSOLogin{})
	oidc := ssooidc.New(ssooidc.Options{Region: SSORegion, BaseEndpoint: aws.String(sb.OIDCURL), Retryer: aws.NopRetryer{}})
	refresh := func(clientID, secret, token, grant string) (*ssooidc.CreateTokenOutput, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: &clientID, ClientSecret: &secret,
			RefreshToken: &token, GrantType: &grant})
	}
	out, err := refresh(tok.ClientID, tok.ClientSecret, tok.RefreshToken, "refresh_token")
	if err != nil {
		t.Fatal(err)
	}
	if out.ExpiresIn != 3600 || aws.ToString(out.TokenType) != "Bearer" || aws.ToString(out.RefreshToken) == tok.RefreshToken {
		t.Fatalf("CreateToken answered %+v", out)
	}
	for _, tt := range []struct {
		name                         string
		clientID, secret, token, grt string
		want                         string
	}{
		{"spent refresh token", tok.ClientID, tok.ClientSecret, tok.RefreshToken, "refresh_token", "InvalidGrantException"},
		{"another client's refresh token", tok.ClientID, tok.ClientSecret, other.RefreshToken, "refresh_token", "InvalidGrantException"},
		{"wrong client secret", tok.ClientID, "nope", aws.ToString(out.RefreshToken), "refresh_token", "InvalidClientException"},
		{"device code grant", tok.ClientID, tok.ClientSecret, aws.ToString(out.RefreshToken), "urn:ietf:params:oauth:grant-type:device_code", "UnsupportedGrantTypeException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := refresh(tt.clientID, tt.secret, tt.token, tt.grt)
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tt.want {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
		})
	}
	// The new access token works at the portal.
	portal := sso.New(sso.Options{Region: SSORegion, BaseEndpoint: aws.String(sb.SSOURL), Retryer: aws.NopRetryer{}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: out.AccessToken,
		AccountId: aws.String(Account), RoleName: aws.String(SSOPermissionSet)}); err != nil {
		t.Fatal(err)
	}
	if st := sb.Stats(); st.CreateToken != 1 || st.CreateTokenFailed != 4 {
		t.Fatalf("stats %+v", st)
	}
}

// An SSO role session is a role session to STS: a role that trusts the
// permission set's reserved role can be assumed with it (role chaining,
// so for an hour at most), and the session is the chain's.
func TestAssumeRoleFromSSOSession(t *testing.T) {
	sb := start(t)
	if err := sb.AddRole(RoleConfig{ARN: RoleARN("audit"), TrustedPrincipals: []string{SSORoleARN(Account, SSOPermissionSet)}, MaxDuration: 12 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	tok := sb.SSOLogin(SSOLogin{})
	file, err := WriteSSOCache(home, "s", tok)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := sdkSSO(sb, file, Account, SSOPermissionSet, false).Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := creds{got.AccessKeyID, got.SecretAccessKey, got.SessionToken}
	for _, tt := range []struct {
		name, role string
		kv         []string
		wantStatus int
		wantMsg    string
	}{
		{name: "trusted role", role: "audit", wantStatus: 200},
		{name: "untrusted role", role: DevRole, wantStatus: 403,
			wantMsg: "User: " + SSOAssumedRoleARN(Account, SSOPermissionSet, SSOUser) + " is not authorized to perform: sts:AssumeRole on resource: " + RoleARN(DevRole)},
		{name: "over the chaining hour", role: "audit", kv: []string{"DurationSeconds", "3601"}, wantStatus: 400,
			wantMsg: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
		{name: "an MFA code: the SSO session has no device", role: "audit", kv: []string{"SerialNumber", sb.MFASerial, "TokenCode", "123456"},
			wantStatus: 403, wantMsg: "MultiFactorAuthentication failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, sb, c, "sts", assumeForm(tt.role, "chain", tt.kv...))
			if status != tt.wantStatus || !strings.Contains(body, tt.wantMsg) {
				t.Fatalf("AssumeRole: %d %s", status, body)
			}
			if status == 200 {
				if got := identity(t, sb, credsFrom(t, status, body)); got != AssumedRoleARN("audit", "chain") {
					t.Fatalf("caller %s", got)
				}
			}
		})
	}
}

// The portal answers exactly as the SDK's model says: GET with the token
// in a header, the expiration in epoch milliseconds; errors named in
// x-amzn-ErrorType with a message in the body.
func TestPortalWireFormat(t *testing.T) {
	sb := start(t)
	tok := sb.SSOLogin(SSOLogin{})
	get := func(method, token string) (*http.Response, string) {
		req, _ := http.NewRequest(method, sb.SSOURL+"/federation/credentials?account_id="+Account+"&role_name="+SSOPermissionSet, nil)
		if token != "" {
			req.Header.Set("x-amz-sso_bearer_token", token)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, tt := range []struct {
		name, method, token string
		status              int
		errType             string
		bodyHas             string
	}{
		{"token", "GET", tok.AccessToken, 200, "", `"expiration":`},
		{"no token", "GET", "", 401, "UnauthorizedException", `{"message":"Session token not found or invalid"}`},
		{"POST", "POST", tok.AccessToken, 405, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(tt.method, tt.token)
			if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("X-Amzn-Errortype"), tt.errType) || !strings.Contains(body, tt.bodyHas) {
				t.Fatalf("%d %q, body has %q: %v", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), tt.bodyHas, strings.Contains(body, tt.bodyHas))
			}
			if tt.status == 200 {
				var out struct {
					RoleCredentials struct{ Expiration int64 }
				}
				if err := json.Unmarshal([]byte(body), &out); err != nil {
					t.Fatal(err)
				}
				if got := time.UnixMilli(out.RoleCredentials.Expiration); time.Until(got).Round(time.Minute) != time.Hour {
					t.Fatalf("expiration %d is not an hour from now in milliseconds", out.RoleCredentials.Expiration)
				}
			}
		})
	}
}

// writeFile writes text to path, making its folder.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// unsetAWSEnv removes the AWS settings of the environment for the test
// (removes: the SDK reads AWS_ENDPOINT_URL set but empty as "set", and
// then skips the config file's endpoints).
func unsetAWSEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

// The SDK's config loader resolves the profiles SSOProfile and
// LoginProfile write, with the token caches where WriteSSOCache and
// WriteLoginCache put them, and honours both ways of reaching the
// sandbox: the profile's services section, and the AWS_ENDPOINT_URL_SSO,
// _SSO_OIDC and _SIGNIN variables (the service IDs SSO, SSO OIDC and
// Signin).
func TestProfilesWithSDKConfig(t *testing.T) {
	tests := []struct {
		name    string
		kind    string // sso, legacy, login
		env     bool   // endpoints from the environment
		expired bool
	}{
		{name: "sso_session, services section", kind: "sso"},
		{name: "sso_session, environment, refreshed", kind: "sso", env: true, expired: true},
		{name: "legacy, services section", kind: "legacy"},
		{name: "legacy, environment", kind: "legacy", env: true},
		{name: "login, services section, refreshed", kind: "login", expired: true},
		{name: "login, environment, refreshed", kind: "login", env: true, expired: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetAWSEnv(t)
			sb := start(t)
			home := t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("USERPROFILE", home) // the SDK's home on Windows
			var extra map[string]string
			if tt.env {
				extra = map[string]string{"services": ""}
				for _, kv := range sb.EndpointEnv() {
					k, v, _ := strings.Cut(kv, "=")
					t.Setenv(k, v)
				}
			}
			var text, want string
			switch tt.kind {
			case "sso", "legacy":
				session, key := "corp", "corp"
				if tt.kind == "legacy" {
					session, key = "", SSOStartURL
				}
				text = sb.SSOProfile("p", session, extra) + "\n" + SSOSession("corp")
				if _, err := WriteSSOCache(home, key, sb.SSOLogin(SSOLogin{Expired: tt.expired})); err != nil {
					t.Fatal(err)
				}
				want = SSOAssumedRoleARN(Account, SSOPermissionSet, SSOUser)
			case "login":
				tok, err := sb.Login(Login{Expired: tt.expired})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := WriteLoginCache(home, tok); err != nil {
					t.Fatal(err)
				}
				text, want = sb.LoginProfile("p", tok.LoginSession, extra), UserARN()
			}
			writeFile(t, filepath.Join(home, ".aws", "config"), text)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			// The files by name: the SDK takes its default paths from HOME
			// when it starts, the caches' from HOME when it reads them.
			cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("p"),
				config.WithSharedConfigFiles([]string{filepath.Join(home, ".aws", "config")}),
				config.WithSharedCredentialsFiles([]string{filepath.Join(home, ".aws", "none")}))
			if err != nil {
				t.Fatal(err)
			}
			got, err := cfg.Credentials.Retrieve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if id := identity(t, sb, creds{got.AccessKeyID, got.SecretAccessKey, got.SessionToken}); id != want {
				t.Fatalf("caller %s, want %s", id, want)
			}
			st := sb.Stats()
			if refreshes := st.CreateToken + st.CreateOAuth2Token; refreshes != map[bool]int{true: 1}[tt.expired] {
				t.Errorf("%d refreshes, want %d", refreshes, map[bool]int{true: 1}[tt.expired])
			}
		})
	}
}
