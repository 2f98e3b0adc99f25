package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// ssoServer is an SSO portal (GetRoleCredentials) and SSO OIDC
// (CreateToken) on loopback: the portal accepts only the access token
// "live" or "refreshed", OIDC trades the refresh token "r1" for
// "refreshed".
type ssoServer struct {
	roles, tokens atomic.Int32
	url           string
}

func newSSOServer(t *testing.T) *ssoServer {
	s := &ssoServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/federation/credentials":
			s.roles.Add(1)
			if tok := r.Header.Get("x-amz-sso_bearer_token"); tok != "live" && tok != "refreshed" {
				w.Header().Set("X-Amzn-Errortype", "UnauthorizedException")
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"message":"Session token not found or invalid"}`)
				return
			}
			fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"ASIAROLE%s","secretAccessKey":"s","sessionToken":"t","expiration":%d}}`,
				r.URL.Query().Get("role_name"), time.Now().Add(time.Hour).UnixMilli())
		case r.URL.Path == "/token":
			s.tokens.Add(1)
			var in struct{ RefreshToken string }
			json.NewDecoder(r.Body).Decode(&in)
			if in.RefreshToken != "r1" {
				w.Header().Set("X-Amzn-Errortype", "InvalidGrantException")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"invalid_grant"}`)
				return
			}
			fmt.Fprint(w, `{"accessToken":"refreshed","expiresIn":3600,"refreshToken":"r2","tokenType":"Bearer"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// writeToken writes an SSO token cache file as the AWS CLI does.
func writeToken(t *testing.T, file, access string, expires time.Time, refresh string) {
	t.Helper()
	tok := map[string]string{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": access,
		"expiresAt": expires.UTC().Format(time.RFC3339)}
	if refresh != "" {
		tok["refreshToken"], tok["clientId"], tok["clientSecret"] = refresh, "cid", "csecret"
		tok["registrationExpiresAt"] = time.Now().Add(90 * 24 * time.Hour).UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(tok)
	os.MkdirAll(filepath.Dir(file), 0o700)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// SSOCredentials gets the role's credentials with a live token,
// refreshes an ended one that has a refresh token (writing the file
// back), and otherwise fails with ErrSignInNeeded and the one aws sso
// login to run.
func TestSSOCredentials(t *testing.T) {
	srv := newSSOServer(t)
	p := &profile.Profile{Name: "sso", Kind: profile.KindSSO, SSOEndpoint: srv.url, OIDCEndpoint: srv.url,
		SSO: profile.SSO{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "123456789012", RoleName: "Dev"}}
	legacy := *p
	legacy.SSO.Session = ""
	file := filepath.Join(t.TempDir(), "cache", "token.json")
	ctx := context.Background()
	hour := time.Now().Add(time.Hour)
	ago := time.Now().Add(-time.Minute)
	for _, tc := range []struct {
		name            string
		p               *profile.Profile
		access          string
		expires         time.Time
		refresh         string
		missing         bool
		wantErr, hint   string
		roles, refresh2 int32
	}{
		{"live token", p, "live", hour, "", false, "", "", 1, 0},
		{"ended, refreshed", p, "old", ago, "r1", false, "", "", 1, 1},
		{"ended, refresh refused", p, "old", ago, "bad", false, "was refused (InvalidGrantException", "run: aws sso login --sso-session corp", 0, 1},
		{"ended, no refresh token", p, "old", ago, "", false, "has ended", "run: aws sso login --sso-session corp", 0, 0},
		{"missing", p, "", hour, "", true, "has no cached token", "run: aws sso login --sso-session corp", 0, 0},
		{"legacy ended", &legacy, "old", ago, "r1", false, "has ended", "run: aws sso login --profile sso", 0, 0},
		{"legacy missing", &legacy, "", hour, "", true, "has no cached token", "run: aws sso login --profile sso", 0, 0},
		{"token the portal refuses", p, "revoked", hour, "", false, "was refused (UnauthorizedException", "run: aws sso login --sso-session corp", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(file)
			if !tc.missing {
				writeToken(t, file, tc.access, tc.expires, tc.refresh)
			}
			roles, tokens := srv.roles.Load(), srv.tokens.Load()
			c, err := Client{}.SSOCredentials(ctx, tc.p, file)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrSignInNeeded) || !strings.Contains(err.Error(), tc.wantErr) || hint.Of(err) != tc.hint || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err %v, hint %q; want %q, %q", err, hint.Of(err), tc.wantErr, tc.hint)
				}
			} else if err != nil || c.AccessKeyID != "ASIAROLEDev" || time.Until(c.Expiration) < 59*time.Minute {
				t.Fatalf("credentials %+v, %v", c, err)
			}
			if r, k := srv.roles.Load()-roles, srv.tokens.Load()-tokens; r != tc.roles || k != tc.refresh2 {
				t.Errorf("%d GetRoleCredentials and %d CreateToken calls, want %d and %d", r, k, tc.roles, tc.refresh2)
			}
			if tc.refresh2 == 1 && tc.wantErr == "" {
				b, _ := os.ReadFile(file)
				var back map[string]any
				json.Unmarshal(b, &back)
				if back["accessToken"] != "refreshed" || back["refreshToken"] != "r2" || back["startUrl"] != "https://corp.awsapps.com/start" {
					t.Errorf("the cache was not written back as the CLI does: %v", back)
				}
			}
		})
	}
}

// LoginCredentials takes the credentials of a live aws login token from
// the file alone, and a missing one is ErrSignInNeeded with the aws
// login to run.
func TestLoginCredentials(t *testing.T) {
	p := &profile.Profile{Name: "in", Kind: profile.KindLogin, LoginSession: "arn:aws:iam::123456789012:user/alice", SigninEndpoint: "http://127.0.0.1:9"}
	file := filepath.Join(t.TempDir(), "login.json")
	_, err := Client{}.LoginCredentials(context.Background(), p, file)
	if !errors.Is(err, ErrSignInNeeded) || hint.Of(err) != "run: aws login --profile in" {
		t.Fatalf("missing token: %v, hint %q", err, hint.Of(err))
	}
	tok := fmt.Sprintf(`{"accessToken":{"accessKeyId":"ASIALOGIN","secretAccessKey":"s","sessionToken":"t","accountId":"123456789012","expiresAt":%q},
		"tokenType":"urn:aws:params:oauth:token-type:access_token_sigv4","refreshToken":"r","idToken":"i","clientId":"arn:aws:signin:::devtools/same-device","dpopKey":"k"}`,
		time.Now().Add(15*time.Minute).UTC().Format(time.RFC3339))
	os.WriteFile(file, []byte(tok), 0o600)
	c, err := Client{}.LoginCredentials(context.Background(), p, file)
	if err != nil || c.AccessKeyID != "ASIALOGIN" || time.Until(c.Expiration) < 14*time.Minute {
		t.Fatalf("live token: %+v, %v", c, err)
	}
}

// A token file that is not one (truncated, edited) is named, and the hint
// is the sign-in that writes a new one.
func TestSSOCorruptTokenFileHint(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token.json")
	if err := os.WriteFile(file, []byte(`{"accessToken": "tru`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{Name: "dev", SSO: profile.SSO{Session: "corp", StartURL: "https://d-1.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "R"}}
	_, err := Client{}.SSOCredentials(context.Background(), p, file)
	if err == nil || !strings.Contains(err.Error(), file) || hint.Of(err) != "run: aws sso login --sso-session corp" {
		t.Fatalf("err %v, hint %q", err, hint.Of(err))
	}
}
