package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
)

// outcome is what one way of turning a token file into credentials did,
// in terms both ways can be compared by.
type outcome struct {
	Identity string // the caller ARN the sandbox's STS gives the credentials
	Code     string // the AWS error code of a refused call; "local" for a failure before any call
	Calls    [3]int // GetRoleCredentials, CreateToken, CreateOAuth2Token calls
	// Rotated says the file was written back with a new refresh token;
	// Fields are the file's member names afterwards.
	Rotated bool
	Fields  string
}

// TestSignInMatchesSDKProviders runs mfa-git's SSO and aws login calls
// and the SDK's ssocreds and logincreds providers (which mfa-git does not
// link: see SSOCredentials) on twin sign-ins of the same sandbox, and
// compares what each got (the identity behind the credentials, or the
// code of the refusal), which calls each made, and how each left the
// AWS CLI's token file.
func TestSignInMatchesSDKProviders(t *testing.T) {
	type setup struct {
		legacy, expired, revoke, login bool
		role                           string
	}
	tests := []struct {
		name string
		s    setup
	}{
		{"sso_session, fresh token", setup{}},
		{"sso_session, expired token: refreshed once, written back", setup{expired: true}},
		{"sso_session, revoked token", setup{revoke: true}},
		{"sso_session, expired token, revoked refresh token", setup{expired: true, revoke: true}},
		{"sso_session, role not assigned", setup{role: "Admin"}},
		{"legacy, fresh token", setup{legacy: true}},
		{"legacy, expired token: no call", setup{legacy: true, expired: true}},
		{"aws login, fresh credentials: no call", setup{login: true}},
		{"aws login, expired credentials: refreshed once, written back", setup{login: true, expired: true}},
		{"aws login, expired credentials, ended sign-in", setup{login: true, expired: true, revoke: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb, base := sandboxtest.Profile(t)
			run := func(sdk bool) outcome {
				home := t.TempDir()
				p := *base
				p.Name = "twin"
				p.SSOEndpoint, p.OIDCEndpoint, p.SigninEndpoint = sb.SSOURL, sb.OIDCURL, sb.SigninURL
				p.SSO = profile.SSO{Session: "my-sso", StartURL: sandbox.SSOStartURL, Region: sandbox.SSORegion,
					AccountID: sandbox.Account, RoleName: sandbox.SSOPermissionSet}
				if tt.s.role != "" {
					p.SSO.RoleName = tt.s.role
				}
				var file string
				var err error
				if tt.s.login {
					lt, lerr := sb.Login(sandbox.Login{Expired: tt.s.expired})
					if lerr != nil {
						t.Fatal(lerr)
					}
					file, err = sandbox.WriteLoginCache(home, lt)
				} else {
					key := "my-sso"
					if tt.s.legacy {
						p.SSO.Session, key = "", sandbox.SSOStartURL
					}
					file, err = sandbox.WriteSSOCache(home, key, sb.SSOLogin(sandbox.SSOLogin{Legacy: tt.s.legacy, Expired: tt.s.expired}))
				}
				if err != nil {
					t.Fatal(err)
				}
				if tt.s.revoke {
					sb.RevokeSSO()
					sb.RevokeLogins()
				}
				before, after := readJSON(t, file), map[string]json.RawMessage(nil)
				st0 := sb.Stats()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				var c *Credentials
				if sdk {
					c, err = sdkCredentials(ctx, sb, &p, file, tt.s.login)
				} else if tt.s.login {
					c, err = Client{}.loginCredentials(ctx, &p, file)
				} else {
					var access string
					if access, err = (Client{}).ssoToken(ctx, &p, file); err == nil {
						c, err = Client{}.roleCredentials(ctx, &p, access)
					}
				}
				st := sb.Stats()
				o := outcome{Calls: [3]int{
					st.GetRoleCredentials + st.GetRoleCredentialsFailed - st0.GetRoleCredentials - st0.GetRoleCredentialsFailed,
					st.CreateToken + st.CreateTokenFailed - st0.CreateToken - st0.CreateTokenFailed,
					st.CreateOAuth2Token + st.CreateOAuth2TokenFailed - st0.CreateOAuth2Token - st0.CreateOAuth2TokenFailed}}
				after = readJSON(t, file)
				o.Rotated = string(after["refreshToken"]) != string(before["refreshToken"])
				o.Fields = fieldNames(after)
				if err != nil {
					o.Code = errorCode(err)
					return o
				}
				arn, err := Client{}.CallerIdentity(ctx, base, *c)
				if err != nil {
					t.Fatalf("the credentials do not work: %v", err)
				}
				o.Identity = arn
				return o
			}
			sdk, ours := run(true), run(false)
			// The SDK's logincreds writes the ID token back as
			// "identityToken" and drops the AWS CLI's "idToken";
			// mfa-git keeps the file's own members, so the AWS CLI
			// finds its file as it wrote it.
			sdk.Fields = strings.Replace(sdk.Fields, "identityToken", "idToken", 1)
			if sdk != ours {
				t.Errorf("mfa-git and the SDK's provider differ:\n  sdk:     %+v\n  mfa-git: %+v", sdk, ours)
			}
			if sdk.Identity == "" && sdk.Code == "" {
				t.Errorf("neither credentials nor an error: %+v", sdk)
			}
		})
	}
}

// sdkCredentials is what the SDK's own provider gets from file.
func sdkCredentials(ctx context.Context, sb *sandbox.Sandbox, p *profile.Profile, file string, login bool) (*Credentials, error) {
	cfg := aws.Config{Region: sandbox.SSORegion, Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	var prov aws.CredentialsProvider
	if login {
		client := signin.NewFromConfig(cfg, func(o *signin.Options) { o.BaseEndpoint = aws.String(sb.SigninURL) })
		prov = logincreds.New(client, file)
	} else {
		portal := sso.NewFromConfig(cfg, func(o *sso.Options) { o.BaseEndpoint = aws.String(sb.SSOURL) })
		prov = ssocreds.New(portal, p.SSO.AccountID, p.SSO.RoleName, p.SSO.StartURL, func(o *ssocreds.Options) {
			o.CachedTokenFilepath = file
			if p.SSO.Session != "" {
				oidc := ssooidc.NewFromConfig(cfg, func(o *ssooidc.Options) { o.BaseEndpoint = aws.String(sb.OIDCURL) })
				o.SSOTokenProvider = ssocreds.NewSSOTokenProvider(oidc, file)
			}
		})
	}
	c, err := prov.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return &Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expires}, nil
}

// errorCode is the AWS error code in err, from either implementation, or
// "local" when no AWS error is in it (the token ended before any call).
func errorCode(err error) string {
	var api *APIError
	var sapi smithy.APIError
	switch {
	case errors.As(err, &api):
		return api.Code
	case errors.As(err, &sapi):
		return sapi.ErrorCode()
	case strings.Contains(err.Error(), "login session has expired"):
		// logincreds's text for AccessDeniedException TOKEN_EXPIRED,
		// which it does not wrap.
		return "AccessDeniedException"
	}
	return "local"
}

func readJSON(t *testing.T, path string) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// fieldNames lists m's member names, sorted.
func fieldNames(m map[string]json.RawMessage) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ",")
}
