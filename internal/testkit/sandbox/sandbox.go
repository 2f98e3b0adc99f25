// Package sandbox runs a local stand-in for the AWS pieces mfa-git talks
// to, on loopback only: an STS that verifies SigV4 signatures and RFC 6238
// MFA codes (each usable once, as AWS does) and assumes IAM roles under
// their trust policies, a CodeCommit-style git server that runs the
// machine's `git http-backend` behind CodeCommit's signed-password scheme
// and denies requests made without MFA, as the self-managed-MFA IAM policy
// does, IAM Identity Center (the SSO portal's GetRoleCredentials and SSO
// OIDC's token refresh), and the sign-in service's token refresh for
// `aws login`. It also writes the AWS CLI's token caches, so a test can
// start with a user who is signed in.
package sandbox

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Account and user the sandbox pretends to be.
const (
	Account = "123456789012"
	User    = "alice"
	Region  = "us-east-1"
)

// Sandbox is a running STS and git server.
type Sandbox struct {
	// AccessKeyID and SecretAccessKey are alice's long-term key.
	AccessKeyID     string
	SecretAccessKey string
	// MFASerial is alice's virtual MFA device, MFASecret its TOTP seed.
	MFASerial string
	MFASecret []byte
	// STSURL is the STS endpoint; GitURL the base of repositories, e.g.
	// GitURL + "/v1/repos/demo".
	STSURL string
	GitURL string
	// SSOURL is the IAM Identity Center portal (service SSO), OIDCURL its
	// OIDC service (SSO OIDC), SigninURL the sign-in service (Signin):
	// each on its own port, as each is its own host at AWS.
	SSOURL    string
	OIDCURL   string
	SigninURL string
	// ReposDir holds the bare repositories.
	ReposDir string

	// Now is the server clock: real time plus SetClockOffset's offset.
	Now func() time.Time

	offset   atomic.Int64
	lifetime atomic.Int64 // see SetSessionLifetime
	roleLife atomic.Int64 // see SetRoleSessionLifetime
	fault    atomic.Value // string: see SetFault
	gitFault atomic.Value // string: see SetGitFault

	mu       sync.Mutex
	users    map[string]*IAMUser    // by long-term access key id
	roles    map[string]*role       // by ARN
	sessions map[string]*stsSession // by session token
	used     map[string]bool        // spent MFA codes, by step and code
	sso      ssoState
	logins   loginState
	stats    Stats
	servers  []*http.Server
}

// Stats counts what the sandbox has served.
type Stats struct {
	GetSessionToken   int `json:"get_session_token"`   // successful calls
	GetSessionFailed  int `json:"get_session_failed"`  // rejected calls
	GetCallerIdentity int `json:"get_caller_identity"` // successful calls
	GitAccepted       int `json:"git_accepted"`        // authenticated git requests
	GitDenied         int `json:"git_denied"`          // 403 answers
	Faulted           int `json:"faulted"`             // requests answered by a fault
	AssumeRole        int `json:"assume_role"`         // successful calls
	AssumeRoleFailed  int `json:"assume_role_failed"`  // rejected calls
	// AssumeRoleByRole counts successful AssumeRole calls by role name.
	AssumeRoleByRole map[string]int `json:"assume_role_by_role"`

	GetRoleCredentials       int `json:"get_role_credentials"`        // successful SSO GetRoleCredentials calls
	GetRoleCredentialsFailed int `json:"get_role_credentials_failed"` // refused ones
	CreateToken              int `json:"create_token"`                // successful SSO OIDC refreshes
	CreateTokenFailed        int `json:"create_token_failed"`         // refused ones
	CreateOAuth2Token        int `json:"create_oauth2_token"`         // successful `aws login` refreshes
	CreateOAuth2TokenFailed  int `json:"create_oauth2_token_failed"`  // refused ones
	// GetRoleCredentialsByRole counts successful GetRoleCredentials calls
	// by role name (sso_role_name, the permission set), in any account.
	GetRoleCredentialsByRole map[string]int `json:"get_role_credentials_by_role"`
	// CreateTokenByUser counts successful CreateToken calls by Identity
	// Center user name.
	CreateTokenByUser map[string]int `json:"create_token_by_user"`
	// CreateOAuth2TokenByUser counts successful CreateOAuth2Token calls by
	// IAM user name.
	CreateOAuth2TokenByUser map[string]int `json:"create_oauth2_token_by_user"`
}

// Count returns the counter named by its JSON name (get_session_token,
// assume_role, get_role_credentials, create_token, create_oauth2_token,
// ...) or one identity's successful calls: "assume_role:ROLE",
// "get_role_credentials:ROLE", "create_token:USER" (Identity Center
// user), "create_oauth2_token:USER" (IAM user); ok is false for an
// unknown name.
func (s Stats) Count(name string) (n int, ok bool) {
	if kind, key, found := strings.Cut(name, ":"); found {
		by, known := map[string]map[string]int{
			"assume_role": s.AssumeRoleByRole, "get_role_credentials": s.GetRoleCredentialsByRole,
			"create_token": s.CreateTokenByUser, "create_oauth2_token": s.CreateOAuth2TokenByUser,
		}[kind]
		return by[key], known
	}
	n, ok = map[string]int{
		"get_session_token": s.GetSessionToken, "get_session_failed": s.GetSessionFailed,
		"get_caller_identity": s.GetCallerIdentity, "git_accepted": s.GitAccepted, "git_denied": s.GitDenied,
		"faulted": s.Faulted, "assume_role": s.AssumeRole, "assume_role_failed": s.AssumeRoleFailed,
		"get_role_credentials": s.GetRoleCredentials, "get_role_credentials_failed": s.GetRoleCredentialsFailed,
		"create_token": s.CreateToken, "create_token_failed": s.CreateTokenFailed,
		"create_oauth2_token": s.CreateOAuth2Token, "create_oauth2_token_failed": s.CreateOAuth2TokenFailed,
	}[name]
	return n, ok
}

// countBy adds one to (*m)[key], making the map if need be. Callers hold
// sb.mu.
func countBy(m *map[string]int, key string) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[key]++
}

// IAMUser is an IAM user of the sandbox, with a long-term key and a virtual
// MFA device.
type IAMUser struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	MFASerial       string
	MFASecret       []byte
}

// ARN is the user's ARN.
func (u *IAMUser) ARN() string { return fmt.Sprintf("arn:aws:iam::%s:user/%s", Account, u.Name) }

type stsSession struct {
	user        *IAMUser // the IAM user whose key began the chain; nil for Identity Center sessions
	role        *role    // the assumed role; nil for GetSessionToken and `aws login` sessions
	roleSession string   // RoleSessionName of a role session
	accessKeyID string
	secret      string
	expires     time.Time
	mfa         bool
}

// Start creates the repositories under dir (when git is on PATH) and
// starts both servers on 127.0.0.1 with ephemeral ports.
func Start(dir string) (*Sandbox, error) {
	sb := &Sandbox{
		ReposDir: filepath.Join(dir, "repos"),
		users:    map[string]*IAMUser{},
		sessions: map[string]*stsSession{},
		used:     map[string]bool{},
		roles:    map[string]*role{},
	}
	alice := sb.AddUser(User)
	if err := sb.addDemoRoles(); err != nil {
		return nil, err
	}
	if err := sb.startSSO(); err != nil {
		return nil, err
	}
	if err := sb.startSignin(); err != nil {
		return nil, err
	}
	sb.AccessKeyID, sb.SecretAccessKey, sb.MFASerial, sb.MFASecret = alice.AccessKeyID, alice.SecretAccessKey, alice.MFASerial, alice.MFASecret
	sb.Now = func() time.Time { return time.Now().Add(time.Duration(sb.offset.Load())) }
	// Without git (Windows under Wine has none) STS and IAM still serve;
	// the git server says git is missing.
	if _, err := exec.LookPath("git"); err == nil {
		if err := makeDemoRepo(sb.ReposDir, dir); err != nil {
			return nil, fmt.Errorf("create demo repository: %w", err)
		}
	}
	stsURL, err := sb.serve(sb.stsHandler())
	if err != nil {
		return nil, err
	}
	sb.STSURL = stsURL
	for _, srv := range []struct {
		url *string
		h   http.Handler
	}{{&sb.GitURL, sb.gitHandler()},
		{&sb.SSOURL, route("GET /federation/credentials", sb.getRoleCredentials)},
		{&sb.OIDCURL, route("POST /token", sb.createToken)},
		{&sb.SigninURL, route("POST /v1/token", sb.createOAuth2Token)},
	} {
		if *srv.url, err = sb.serve(srv.h); err != nil {
			sb.Close()
			return nil, err
		}
	}
	return sb, nil
}

func (sb *Sandbox) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	sb.servers = append(sb.servers, srv)
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

// Secrets returns every secret the sandbox knows: the users' long-term
// secrets, the secret and token of every session it issued, and the
// Identity Center and `aws login` tokens and client secrets. Tests look
// for them where no secret may be.
func (sb *Sandbox) Secrets() []string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	var out []string
	for _, u := range sb.users {
		out = append(out, u.SecretAccessKey)
	}
	for token, s := range sb.sessions {
		out = append(out, token, s.secret)
	}
	return append(append(out, sb.sso.secrets()...), sb.logins.secrets()...)
}

// RevokeSessions makes every issued session invalid, as revoking a user's
// sessions in IAM does.
func (sb *Sandbox) RevokeSessions() {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.sessions = map[string]*stsSession{}
}

// SetClockOffset moves the sandbox's clock, as if the client's were off by
// -d: signatures and passwords are judged, and Date headers sent, by it.
func (sb *Sandbox) SetClockOffset(d time.Duration) { sb.offset.Store(int64(d)) }

// SetSessionLifetime makes the sessions issued from now on
// (GetSessionToken, AssumeRole, Identity Center's GetRoleCredentials and
// `aws login`'s CreateOAuth2Token) last d instead of their usual
// duration, so a test can see one end without waiting hours; 0 restores
// the usual duration.
func (sb *Sandbox) SetSessionLifetime(d time.Duration) { sb.lifetime.Store(int64(d)) }

// SetRoleSessionLifetime is SetSessionLifetime for AssumeRole sessions
// only, and wins over it for them: a test can let role sessions end while
// the source profile's session lives on.
func (sb *Sandbox) SetRoleSessionLifetime(d time.Duration) { sb.roleLife.Store(int64(d)) }

// Faults SetFault accepts, each what a real STS or network can do.
var Faults = []string{"", "hang", "5xx", "throttle", "malformed", "truncated", "expired", "empty"}

// SetFault makes the STS misbehave on every request until cleared with "":
// hang (never answer), 5xx, throttle, malformed or truncated XML, expired
// (credentials whose Expiration is already past), empty (200, no body).
func (sb *Sandbox) SetFault(name string) { sb.fault.Store(name) }

// SetGitFault makes the git server misbehave after authenticating each
// request, until cleared with "": "drop" closes the connection without an
// answer, "5xx" answers 503.
func (sb *Sandbox) SetGitFault(name string) { sb.gitFault.Store(name) }

// Close stops the servers.
func (sb *Sandbox) Close() {
	for _, s := range sb.servers {
		s.Close()
	}
}

// AddUser creates another IAM user, with its own key and MFA device.
func (sb *Sandbox) AddUser(name string) *IAMUser {
	u := &IAMUser{
		Name:            name,
		AccessKeyID:     "AKIA" + randomUpper(16),
		SecretAccessKey: randomToken(30)[:40],
		MFASerial:       fmt.Sprintf("arn:aws:iam::%s:mfa/%s", Account, name),
		MFASecret:       randomBytes(20),
	}
	sb.mu.Lock()
	sb.users[u.AccessKeyID] = u
	sb.mu.Unlock()
	return u
}

// UserNamed returns the user called name, or nil.
func (sb *Sandbox) UserNamed(name string) *IAMUser {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	for _, u := range sb.users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// Code returns the MFA code alice's device shows at now+offset steps.
func (sb *Sandbox) Code(offset int) string {
	return TOTP(sb.MFASecret, sb.Now().Add(time.Duration(offset)*TOTPStep))
}

// CodeFor returns the code u's device shows at now+offset steps.
func (sb *Sandbox) CodeFor(u *IAMUser, offset int) string {
	return TOTP(u.MFASecret, sb.Now().Add(time.Duration(offset)*TOTPStep))
}

// MFASecretBase32 is the seed as authenticator apps take it.
func (sb *Sandbox) MFASecretBase32() string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sb.MFASecret)
}

// Stats returns a snapshot of the counters.
func (sb *Sandbox) Stats() Stats {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	st := sb.stats
	st.AssumeRoleByRole = maps.Clone(sb.stats.AssumeRoleByRole)
	return st
}

// UserARN is alice's ARN.
func UserARN() string { return fmt.Sprintf("arn:aws:iam::%s:user/%s", Account, User) }

// Profile returns ~/.aws config and credentials text for alice's profile
// name, pointed at the sandbox STS.
func (sb *Sandbox) Profile(name string) (config, credentials string) {
	return sb.ProfileFor(sb.UserNamed(User), name)
}

// ProfileFor is Profile for user u.
func (sb *Sandbox) ProfileFor(u *IAMUser, name string) (config, credentials string) {
	section := "profile " + name
	if name == "default" {
		section = name
	}
	config = fmt.Sprintf("[%s]\nregion = %s\nmfa_serial = %s\nendpoint_url = %s\n", section, Region, u.MFASerial, sb.STSURL)
	credentials = fmt.Sprintf("[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n", name, u.AccessKeyID, u.SecretAccessKey)
	return config, credentials
}

// WriteProfile writes Profile(name) to the two files, mode 0600.
func (sb *Sandbox) WriteProfile(name, configFile, credentialsFile string) error {
	c, k := sb.Profile(name)
	for file, text := range map[string]string{configFile: c, credentialsFile: k} {
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randomUpper(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := randomBytes(n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func randomToken(n int) string { return base64.StdEncoding.EncodeToString(randomBytes(n)) }

// randomURLToken is n random bytes in unpadded base64url: tokens that
// travel in headers and JSON unescaped.
func randomURLToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

// randomUUID is a random (version 4) UUID, as AWS's request IDs.
func randomUUID() string {
	b := randomBytes(16)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
