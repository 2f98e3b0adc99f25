package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The demo organisation's IAM Identity Center, which Start creates.
const (
	// SSOStartURL is its AWS access portal (sso_start_url).
	SSOStartURL = "https://d-9067000000.awsapps.com/start"
	// SSORegion is its region (sso_region).
	SSORegion = Region
	// SSOUser is the Identity Center user SSOLogin signs in by default.
	SSOUser = "alice"
	// SSOPermissionSet is the permission set every Identity Center user
	// has in the demo account: a profile's sso_role_name.
	SSOPermissionSet = "Developer"
)

// Lifetimes of what Identity Center issues, as AWS's defaults.
const (
	ssoTokenLife        = time.Hour           // an access token
	ssoRegistrationLife = 90 * 24 * time.Hour // a client registration
	ssoRoleSessionLife  = time.Hour           // a permission set's session duration
)

// ssoState is Identity Center's memory. Its fields are guarded by sb.mu.
type ssoState struct {
	roles   map[string]*role           // assigned roles, by account + "/" + permission set
	clients map[string]*ssoClient      // registered clients, by client ID
	tokens  map[string]*ssoAccessToken // by access token
	grants  map[string]*ssoGrant       // by refresh token
}

type ssoClient struct {
	secret  string
	expires time.Time
}

type ssoAccessToken struct {
	user    string
	expires time.Time
}

// ssoGrant is a refresh token: who it is for, which client holds it, and
// how long the access tokens it gives last.
type ssoGrant struct {
	user     string
	clientID string
	life     time.Duration
}

func (s *ssoState) secrets() []string {
	var out []string
	for t := range s.tokens {
		out = append(out, t)
	}
	for t := range s.grants {
		out = append(out, t)
	}
	for _, c := range s.clients {
		out = append(out, c.secret)
	}
	return out
}

// startSSO creates the demo organisation's Identity Center.
func (sb *Sandbox) startSSO() error {
	sb.sso = ssoState{roles: map[string]*role{}, clients: map[string]*ssoClient{},
		tokens: map[string]*ssoAccessToken{}, grants: map[string]*ssoGrant{}}
	_, err := sb.AddSSOAssignment(Account, SSOPermissionSet)
	return err
}

// SSORoleARN is the IAM role Identity Center makes in account for
// permission set ps: arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PS_SUFFIX.
// The sandbox's suffix is a digest of the two, so a test can name it.
func SSORoleARN(account, ps string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s", account, ssoRoleName(account, ps))
}

// SSOAssumedRoleARN is the ARN GetCallerIdentity answers for credentials
// that GetRoleCredentials gave Identity Center user for permission set ps
// in account: the reserved role's session, named by the user.
func SSOAssumedRoleARN(account, ps, user string) string {
	return assumedRoleARN(account, ssoRoleName(account, ps), user)
}

func ssoRoleName(account, ps string) string {
	sum := sha256.Sum256([]byte(account + "/" + ps))
	return "AWSReservedSSO_" + ps + "_" + hex.EncodeToString(sum[:8])
}

// AddSSOAssignment gives every Identity Center user permission set ps in
// account (a 12-digit ID), and returns the role it stands for
// (SSORoleARN). Other sandbox roles may trust that ARN, so a role profile
// can use an SSO profile as its source.
func (sb *Sandbox) AddSSOAssignment(account, ps string) (string, error) {
	arn := SSORoleARN(account, ps)
	if err := sb.AddRole(RoleConfig{ARN: arn, MaxDuration: ssoRoleSessionLife}); err != nil {
		return "", fmt.Errorf("add SSO assignment %s in %s: %w", ps, account, err)
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.sso.roles[account+"/"+ps] = sb.roles[arn]
	return arn, nil
}

// SSOLogin is what a browser sign-in through `aws sso login` leaves: a
// client registration, an access token and, unless Legacy, a refresh
// token. Write it where the AWS CLI would with WriteSSOCache.
type SSOLogin struct {
	// User is the Identity Center user; "" is SSOUser.
	User string
	// StartURL is the portal signed in to; "" is SSOStartURL.
	StartURL string
	// Lifetime is how long each access token lasts, the first and every
	// one CreateToken gives for the refresh token; 0 is one hour.
	Lifetime time.Duration
	// Expired makes the first access token one that ended a minute ago,
	// as a cache file found after a night away holds.
	Expired bool
	// Legacy leaves out the refresh token, as the device-code sign-in of
	// the legacy sso_start_url profile form does (its registration asks
	// for no scopes, so it gets no refresh token).
	Legacy bool
}

// SSOLogin signs an Identity Center user in, as `aws sso login` does in
// a browser, and returns what it would cache.
func (sb *Sandbox) SSOLogin(o SSOLogin) SSOToken {
	if o.User == "" {
		o.User = SSOUser
	}
	if o.StartURL == "" {
		o.StartURL = SSOStartURL
	}
	if o.Lifetime <= 0 {
		o.Lifetime = ssoTokenLife
	}
	now := sb.Now().UTC().Truncate(time.Second)
	t := SSOToken{
		StartURL:              o.StartURL,
		Region:                SSORegion,
		AccessToken:           "aoa" + randomURLToken(180),
		ExpiresAt:             now.Add(o.Lifetime),
		ClientID:              randomURLToken(16),
		ClientSecret:          "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0." + randomURLToken(300),
		RegistrationExpiresAt: now.Add(ssoRegistrationLife),
	}
	if o.Expired {
		t.ExpiresAt = now.Add(-time.Minute)
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.sso.clients[t.ClientID] = &ssoClient{secret: t.ClientSecret, expires: t.RegistrationExpiresAt}
	sb.sso.tokens[t.AccessToken] = &ssoAccessToken{user: o.User, expires: t.ExpiresAt}
	if !o.Legacy {
		t.RefreshToken = "aor" + randomURLToken(300)
		sb.sso.grants[t.RefreshToken] = &ssoGrant{user: o.User, clientID: t.ClientID, life: o.Lifetime}
	}
	return t
}

// RevokeSSO signs every Identity Center user out: their access and
// refresh tokens stop working, as after a sign-out of the portal or an
// administrator's revocation. Role credentials already given out stay
// valid until they expire, as at AWS.
func (sb *Sandbox) RevokeSSO() {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.sso.tokens = map[string]*ssoAccessToken{}
	sb.sso.grants = map[string]*ssoGrant{}
}

// getRoleCredentials serves the portal's GetRoleCredentials (service
// SSO, REST JSON): GET /federation/credentials?account_id=A&role_name=R
// with the access token in x-amz-sso_bearer_token.
func (sb *Sandbox) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, msg string) {
		sb.refuse(w, &sb.stats.GetRoleCredentialsFailed, status, code, "com.amazonaws.switchboard.portal", map[string]string{"message": msg})
	}
	q := r.URL.Query()
	account, ps := q.Get("account_id"), q.Get("role_name")
	sb.mu.Lock()
	tok := sb.sso.tokens[r.Header.Get("X-Amz-Sso_bearer_token")]
	rl := sb.sso.roles[account+"/"+ps]
	sb.mu.Unlock()
	now := sb.Now()
	switch {
	case tok == nil || !now.Before(tok.expires):
		// AWS's one answer for a missing, unknown, expired or revoked token.
		fail(http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
		return
	case account == "" || ps == "":
		fail(http.StatusBadRequest, "InvalidRequestException", "account_id and role_name are required")
		return
	case rl == nil:
		fail(http.StatusForbidden, "ForbiddenException", "No access")
		return
	}
	// Identity Center signs its users in with MFA, and a permission set's
	// policy has no self-managed-MFA deny: the git server serves it.
	s := &stsSession{role: rl, roleSession: tok.user, expires: sb.sessionExpiry(ssoRoleSessionLife), mfa: true}
	token := sb.issue(s, func() {
		sb.stats.GetRoleCredentials++
		countBy(&sb.stats.GetRoleCredentialsByRole, ps)
	})
	writeJSON(w, map[string]any{"roleCredentials": map[string]any{
		"accessKeyId": s.accessKeyID, "secretAccessKey": s.secret, "sessionToken": token,
		"expiration": s.expires.UnixMilli(),
	}})
}

// createToken serves SSO OIDC's CreateToken (REST JSON, POST /token) for
// the refresh_token grant, the one a cached token is renewed with. The
// sign-in grants (device code, authorization code) need a browser: the
// sandbox answers them as an unsupported grant.
func (sb *Sandbox) createToken(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, oauthErr, desc string) {
		sb.refuse(w, &sb.stats.CreateTokenFailed, status, code, "com.amazonaws.sso.oidc", map[string]string{"error": oauthErr, "error_description": desc})
	}
	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		fail(http.StatusBadRequest, "InvalidRequestException", "invalid_request", "Malformed request body")
		return
	}
	if in.GrantType != "refresh_token" {
		fail(http.StatusBadRequest, "UnsupportedGrantTypeException", "unsupported_grant_type", "The sandbox grants refresh_token only")
		return
	}
	now := sb.Now()
	sb.mu.Lock()
	client := sb.sso.clients[in.ClientID]
	grant := sb.sso.grants[in.RefreshToken]
	sb.mu.Unlock()
	switch {
	case client == nil || client.secret != in.ClientSecret:
		fail(http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Invalid client provided")
		return
	case !now.Before(client.expires):
		fail(http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Client registration has expired")
		return
	case grant == nil || grant.clientID != in.ClientID:
		// AWS's words for an unknown, revoked or already used refresh token.
		fail(http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
		return
	}
	access, refresh := "aoa"+randomURLToken(180), "aor"+randomURLToken(300)
	sb.mu.Lock()
	rotated := rotate(sb.sso.grants, in.RefreshToken, refresh, grant)
	if rotated {
		sb.sso.tokens[access] = &ssoAccessToken{user: grant.user, expires: now.Add(grant.life)}
		sb.stats.CreateToken++
		countBy(&sb.stats.CreateTokenByUser, grant.user)
	}
	sb.mu.Unlock()
	if !rotated { // spent or revoked meanwhile
		fail(http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
		return
	}
	writeJSON(w, map[string]any{"accessToken": access, "tokenType": "Bearer",
		"expiresIn": int64(grant.life / time.Second), "refreshToken": refresh})
}

// sessionExpiry is when a session issued now ends: after usual, or after
// SetSessionLifetime's duration.
func (sb *Sandbox) sessionExpiry(usual time.Duration) time.Time {
	if d := time.Duration(sb.lifetime.Load()); d > 0 {
		usual = d
	}
	return sb.Now().Add(usual).UTC().Truncate(time.Second)
}

// rotate spends refresh token old of grants for new, if old still stands
// for v (another refresh or a revocation may have come between): refresh
// tokens work once. Callers hold sb.mu.
func rotate[V comparable](grants map[string]V, old, new string, v V) bool {
	if grants[old] != v {
		return false
	}
	delete(grants, old)
	grants[new] = v
	return true
}

// route is a server of one operation: pattern (METHOD PATH) goes to h,
// any other request gets 404 or 405.
func route(pattern string, h http.HandlerFunc) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(pattern, h)
	return mux
}

// refuse counts a refused call in *failed and answers it with jsonError.
func (sb *Sandbox) refuse(w http.ResponseWriter, failed *int, status int, code, ns string, body map[string]string) {
	sb.mu.Lock()
	*failed++
	sb.mu.Unlock()
	jsonError(w, status, code, ns, body)
}

// writeJSON answers 200 with v as JSON.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", randomUUID())
	json.NewEncoder(w).Encode(v)
}

// jsonError answers an error of a REST JSON service as AWS does: the
// error's name in x-amzn-ErrorType (with the service's namespace, which
// clients drop) and its members in the body.
func jsonError(w http.ResponseWriter, status int, code, ns string, body map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", randomUUID())
	w.Header().Set("X-Amzn-Errortype", code+":http://internal.amazon.com/coral/"+ns+"/")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
