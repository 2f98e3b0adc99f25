package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// tokenFile is a JSON token file the AWS CLI writes (`aws sso login`,
// `aws login`): its members as read, so that writing it back keeps the
// ones mfa-git does not know.
type tokenFile map[string]json.RawMessage

// errNoToken is readTokenFile's error for a missing file.
var errNoToken = errors.New("no cached token")

// readTokenFile reads the token file at path.
func readTokenFile(path string) (tokenFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNoToken
	}
	if err != nil {
		return nil, err
	}
	var t tokenFile
	if err := json.Unmarshal(b, &t); err != nil || t == nil {
		return nil, fmt.Errorf("%s is not a token file: %v", path, err)
	}
	return t, nil
}

// str is member name as a string ("" if missing or not a string).
func (t tokenFile) str(name string) string {
	var s string
	if json.Unmarshal(t[name], &s) != nil {
		return ""
	}
	return s
}

// set sets member name to v.
func (t tokenFile) set(name string, v any) {
	b, _ := json.Marshal(v) // strings, numbers and time.Time
	t[name] = b
}

// write writes t back to path, replacing it atomically (through a
// symlink, keeping its mode), as the SDK's providers do after a refresh,
// and reads the file again: the refresh token may have been spent, so a
// file that does not hold what was written is an error, not a success.
func (t tokenFile) write(path string) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, b, 0o600); err != nil {
		return err
	}
	again, err := readTokenFile(path)
	if err != nil {
		return fmt.Errorf("read it again: %w", err)
	}
	if b2, err := json.Marshal(again); err != nil || !bytes.Equal(b, b2) {
		return fmt.Errorf("%s does not hold what was written (another program wrote it meanwhile?)", path)
	}
	return nil
}

// ssoToken is an IAM Identity Center access token from the AWS CLI's
// cache: in the sso_session form refreshed with SSO OIDC's CreateToken
// once it has expired, when the file holds a refresh token and the
// client registration, and written back; in the legacy form used until
// it expires, as the SDK's ssocreds provider does.
func (cl Client) ssoToken(ctx context.Context, p *profile.Profile, path string) (string, error) {
	t, err := readTokenFile(path)
	if err != nil {
		return "", err
	}
	access, expires := t.str("accessToken"), t.str("expiresAt")
	at, perr := time.Parse(time.RFC3339, expires)
	if access == "" || perr != nil {
		return "", fmt.Errorf("%w: %s holds no accessToken and expiresAt", errTokenEnded, path)
	}
	if time.Now().Before(at) {
		return access, nil
	}
	if p.SSO.Session == "" {
		return "", fmt.Errorf("%w: the token expired at %s", errTokenEnded, at.UTC().Format(time.RFC3339))
	}
	client, secret, refresh := t.str("clientId"), t.str("clientSecret"), t.str("refreshToken")
	if client == "" || secret == "" || refresh == "" {
		return "", fmt.Errorf("%w: the token expired at %s and the cache holds no refresh token", errTokenEnded, at.UTC().Format(time.RFC3339))
	}
	body, _ := json.Marshal(map[string]string{"clientId": client, "clientSecret": secret, "grantType": "refresh_token", "refreshToken": refresh})
	var out struct {
		AccessToken  string `json:"accessToken"`
		ExpiresIn    int64  `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	call := restCall{Service: "SSO OIDC", Op: "CreateToken", Method: "POST", URL: oidcURL(p) + "/token", Body: body}
	if err := cl.doREST(ctx, p, call, &out); err != nil {
		return "", &callError{url: oidcURL(p), op: "CreateToken", err: err}
	}
	if out.AccessToken == "" || out.ExpiresIn <= 0 {
		return "", &callError{url: oidcURL(p), op: "CreateToken", err: &malformedAnswer{op: "CreateToken", err: errors.New("no accessToken or expiresIn")}}
	}
	t.set("accessToken", out.AccessToken)
	t.set("expiresAt", time.Now().Add(time.Duration(out.ExpiresIn)*time.Second).UTC().Format(time.RFC3339))
	if out.RefreshToken != "" {
		t.set("refreshToken", out.RefreshToken)
	}
	if err := t.write(path); err != nil {
		// The refresh token may have been spent: say so, rather than
		// hand out credentials the next call cannot repeat.
		return "", fmt.Errorf("write the refreshed IAM Identity Center token back to %s: %w", path, err)
	}
	return out.AccessToken, nil
}

// errTokenEnded means a cached sign-in token has ended and cannot be
// renewed without a person signing in again.
var errTokenEnded = errors.New("the sign-in has ended")

// callError is a failed call to a sign-in service, with the endpoint it
// went to, for the messages of sso.go.
type callError struct {
	url, op string
	err     error
}

func (e *callError) Error() string { return fmt.Sprintf("%s %s: %v", e.url, e.op, e.err) }
func (e *callError) Unwrap() error { return e.err }

// roleCredentials calls the portal's GetRoleCredentials with access.
func (cl Client) roleCredentials(ctx context.Context, p *profile.Profile, access string) (*Credentials, error) {
	var out struct {
		RoleCredentials struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      int64  `json:"expiration"` // milliseconds since the epoch
		} `json:"roleCredentials"`
	}
	q := "account_id=" + url.QueryEscape(p.SSO.AccountID) + "&role_name=" + url.QueryEscape(p.SSO.RoleName)
	call := restCall{Service: "SSO", Op: "GetRoleCredentials", Method: "GET", URL: ssoURL(p) + "/federation/credentials?" + q,
		Header: func(string) (http.Header, error) {
			return http.Header{"X-Amz-Sso_bearer_token": {access}}, nil
		}}
	if err := cl.doREST(ctx, p, call, &out); err != nil {
		return nil, &callError{url: ssoURL(p), op: "GetRoleCredentials", err: err}
	}
	rc := out.RoleCredentials
	return &Credentials{AccessKeyID: rc.AccessKeyID, SecretAccessKey: rc.SecretAccessKey, SessionToken: rc.SessionToken,
		Expiration: time.UnixMilli(rc.Expiration).UTC()}, nil
}
