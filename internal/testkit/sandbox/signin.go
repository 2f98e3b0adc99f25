package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"time"
)

// What `aws login` (the AWS CLI's sign-in through the console, AWS CLI
// 2.32 and later) deals in.
const (
	// LoginClientID is the client ID `aws login` signs in as on the
	// machine with the browser.
	LoginClientID = "arn:aws:signin:::devtools/same-device"
	// loginCredsLife is how long its credentials last: the CLI renews
	// them every 15 minutes.
	loginCredsLife = 15 * time.Minute
	// loginSessionLife is how long a sign-in lasts, and its refresh
	// token with it: the console session's 12 hours.
	loginSessionLife = 12 * time.Hour
)

// loginState is the sign-in service's memory. Its fields are guarded by
// sb.mu.
type loginState struct {
	sessions map[string]*loginSession // by refresh token
	proofs   map[string]bool          // DPoP proof IDs (jti) seen
	idKey    *ecdsa.PrivateKey        // signs ID tokens
}

// loginSession is a refresh token of a signed-in IAM user, bound to the
// DPoP key of the client that signed in.
type loginSession struct {
	user     *IAMUser
	clientID string
	key      ecdsa.PublicKey
	ends     time.Time
}

func (s *loginState) secrets() []string {
	var out []string
	for t := range s.sessions {
		out = append(out, t)
	}
	return out
}

// Login is what a browser sign-in through `aws login` leaves. Write it
// where the AWS CLI would with WriteLoginCache.
type Login struct {
	// User is the IAM user who signs in to the console; "" is alice.
	User string
	// Expired makes the first credentials ones that ended a minute ago,
	// so the first use must refresh them.
	Expired bool
}

// Login signs an IAM user in to the console, as `aws login` does in a
// browser (with the user's MFA), and returns what it would cache: the
// user's credentials, a refresh token and the DPoP key it is bound to.
func (sb *Sandbox) Login(o Login) (LoginToken, error) {
	name := o.User
	if name == "" {
		name = User
	}
	u := sb.UserNamed(name)
	if u == nil {
		return LoginToken{}, fmt.Errorf("login: no IAM user %q in the sandbox", name)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return LoginToken{}, fmt.Errorf("login: DPoP key: %w", err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return LoginToken{}, fmt.Errorf("login: DPoP key: %w", err)
	}
	expires := sb.sessionExpiry(loginCredsLife)
	if o.Expired {
		expires = sb.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	}
	s, token := sb.loginCredentials(u, expires)
	idToken, err := sb.idToken(u)
	if err != nil {
		return LoginToken{}, err
	}
	refresh := "aoa" + randomURLToken(300)
	sb.mu.Lock()
	sb.logins.sessions[refresh] = &loginSession{user: u, clientID: LoginClientID, key: key.PublicKey, ends: sb.Now().Add(loginSessionLife)}
	sb.mu.Unlock()
	return LoginToken{
		LoginSession:    u.ARN(),
		AccessKeyID:     s.accessKeyID,
		SecretAccessKey: s.secret,
		SessionToken:    token,
		AccountID:       Account,
		ExpiresAt:       s.expires,
		TokenType:       "aws_sigv4",
		ClientID:        LoginClientID,
		RefreshToken:    refresh,
		IDToken:         idToken,
		DPoPKey:         string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}, nil
}

// RevokeLogins ends every `aws login` sign-in: their refresh tokens stop
// working. Credentials already given out stay valid until they expire.
func (sb *Sandbox) RevokeLogins() {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.logins.sessions = map[string]*loginSession{}
}

// loginCredentials issues u's credentials of a console sign-in, ending
// at expires: a session of the user (GetCallerIdentity answers the user's
// ARN) with MFA context, since the sign-in used the user's MFA.
func (sb *Sandbox) loginCredentials(u *IAMUser, expires time.Time) (*stsSession, string) {
	s := &stsSession{user: u, expires: expires, mfa: true}
	return s, sb.issue(s, func() {})
}

// idToken is the OpenID Connect ID token of u's sign-in: a JWT the
// sandbox signs, whose subject is the login session (the user's ARN),
// which is where `aws login` takes the login_session name from.
func (sb *Sandbox) idToken(u *IAMUser) (string, error) {
	now := sb.Now()
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT", "kid": "sandbox"})
	claims, _ := json.Marshal(map[string]any{"iss": sb.SigninURL, "sub": u.ARN(), "aud": LoginClientID,
		"iat": now.Unix(), "exp": now.Add(loginSessionLife).Unix()})
	msg := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(claims)
	sum := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, sb.logins.idKey, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign ID token: %w", err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// createOAuth2Token serves the sign-in service's CreateOAuth2Token (REST
// JSON, POST /v1/token) for the refresh_token grant, the one `aws login`
// credentials are renewed with, after checking the request's DPoP proof
// (RFC 9449) against the key the refresh token is bound to.
func (sb *Sandbox) createOAuth2Token(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, oauthErr, msg string) {
		sb.refuse(w, &sb.stats.CreateOAuth2TokenFailed, status, code, "com.amazonaws.signin", map[string]string{"error": oauthErr, "message": msg})
	}
	if len(r.URL.Query()) > 0 {
		// CreateOAuth2TokenWithIAM and ...WithTokenExchange share the path.
		fail(http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", "The sandbox serves CreateOAuth2Token only")
		return
	}
	var in struct {
		ClientID     string `json:"clientId"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil {
		fail(http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", "Malformed request body")
		return
	}
	now := sb.Now()
	proof, err := sb.checkDPoP(r, now)
	if err != nil {
		fail(http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", "Invalid DPoP proof: "+err.Error())
		return
	}
	if in.GrantType != "refresh_token" {
		fail(http.StatusBadRequest, "ValidationException", "unsupported_grant_type", "The sandbox grants refresh_token only")
		return
	}
	sb.mu.Lock()
	sess := sb.logins.sessions[in.RefreshToken]
	sb.mu.Unlock()
	switch {
	case sess == nil || !now.Before(sess.ends):
		// The code logincreds and botocore turn into "sign in again".
		fail(http.StatusBadRequest, "AccessDeniedException", "TOKEN_EXPIRED", "The login session has expired or was revoked")
		return
	case sess.clientID != in.ClientID:
		fail(http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", "The refresh token was not issued to this client")
		return
	case !proof.Equal(&sess.key):
		fail(http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "The DPoP key is not the one the refresh token is bound to")
		return
	}
	s, token := sb.loginCredentials(sess.user, sb.sessionExpiry(loginCredsLife))
	idToken, err := sb.idToken(sess.user)
	if err != nil {
		fail(http.StatusInternalServerError, "InternalServerException", "server_error", err.Error())
		return
	}
	refresh := "aoa" + randomURLToken(300)
	sb.mu.Lock()
	rotated := rotate(sb.logins.sessions, in.RefreshToken, refresh, sess)
	if rotated {
		sb.stats.CreateOAuth2Token++
		countBy(&sb.stats.CreateOAuth2TokenByUser, sess.user.Name)
	}
	sb.mu.Unlock()
	if !rotated { // spent or revoked meanwhile
		fail(http.StatusBadRequest, "AccessDeniedException", "TOKEN_EXPIRED", "The login session has expired or was revoked")
		return
	}
	writeJSON(w, map[string]any{
		"accessToken":  map[string]string{"accessKeyId": s.accessKeyID, "secretAccessKey": s.secret, "sessionToken": token},
		"expiresIn":    int64(s.expires.Sub(now).Round(time.Second) / time.Second),
		"refreshToken": refresh, "idToken": idToken, "tokenType": "aws_sigv4",
	})
}
