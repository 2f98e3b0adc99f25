package profile

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
)

// Kind is where a profile's credentials come from, as the AWS SDK for Go
// v2 decides it (config's resolveCredsFromProfile): after source_profile
// (a role, see Role) and static keys, credential_source and
// web_identity_token_file (which mfa-git refuses), then IAM Identity
// Center, `aws login`, and credential_process.
type Kind uint8

// The kinds of profile mfa-git serves.
const (
	// KindUser is an IAM user's long-term keys (in the files or the
	// keystore) with an MFA device: MFA sessions.
	KindUser Kind = iota
	// KindSSO is IAM Identity Center: sso_session (with its
	// [sso-session NAME] section) or the legacy sso_start_url,
	// sso_region, sso_account_id and sso_role_name.
	KindSSO
	// KindLogin is `aws login`: login_session.
	KindLogin
	// KindProcess is a credential_process that is not mfa-git itself.
	KindProcess
)

// String names the kind in messages and status.
func (k Kind) String() string {
	switch k {
	case KindSSO:
		return "IAM Identity Center"
	case KindLogin:
		return "aws login"
	case KindProcess:
		return "credential_process"
	}
	return "IAM user"
}

// SSO is an IAM Identity Center profile's settings.
type SSO struct {
	// Session is the sso_session name; "" for the legacy form, whose
	// token the AWS CLI files under StartURL instead.
	Session string
	// StartURL and Region are the portal's (the sso-session section's,
	// or the profile's in the legacy form).
	StartURL, Region string
	// AccountID and RoleName are the role whose credentials are asked
	// for.
	AccountID, RoleName string
}

// CacheKey is what the AWS CLI's token cache file is named after
// (sha1 of it): the session name, or the legacy form's start URL.
func (s SSO) CacheKey() string {
	if s.Session != "" {
		return s.Session
	}
	return s.StartURL
}

// LoginHint is the one line that tells a person how to sign in again.
func (s SSO) LoginHint(profile string) string {
	if s.Session != "" {
		return "run: aws sso login --sso-session " + ShellQuote(s.Session)
	}
	return "run: aws sso login --profile " + ShellQuote(profile)
}

// ssoKeys are the profile keys of the legacy SSO form.
var ssoKeys = []string{"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"}

// kindOf is the kind of a profile that is not a role and has no static
// keys, in the SDK's order; a credential_process that runs mfa-git is
// KindUser (its keys are in the keystore, or it is setup's
// credential_process profile).
func kindOf(raw rawProfile) Kind {
	switch {
	case raw.get("sso_session") != "":
		return KindSSO
	case anySet(raw, ssoKeys...):
		return KindSSO
	case raw.get("login_session") != "":
		return KindLogin
	case raw.get("credential_process") != "" && !RunsMFAGit(raw.get("credential_process")):
		return KindProcess
	}
	return KindUser
}

// anySet reports whether raw sets any of keys to a non-empty value.
func anySet(raw rawProfile, keys ...string) bool {
	for _, k := range keys {
		if raw.get(k) != "" {
			return true
		}
	}
	return false
}

// hasStaticKeys reports whether raw has both halves of an access key
// pair, which the SDK takes before any other kind.
func hasStaticKeys(raw rawProfile) bool {
	return raw.get(keyAccessKeyID) != "" && raw.get(keySecretKey) != ""
}

// RunsMFAGit reports whether a credential_process line runs mfa-git
// itself: its program (the first word, unquoted) is named mfa-git.
func RunsMFAGit(line string) bool {
	w := strings.TrimSpace(line)
	if w == "" {
		return false
	}
	if q := w[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(w[1:], q); end >= 0 {
			w = w[1 : end+1]
		}
	} else if i := strings.IndexAny(w, " \t"); i >= 0 {
		w = w[:i]
	}
	base := strings.ToLower(filepath.Base(strings.ReplaceAll(w, `\`, "/")))
	return base == "mfa-git" || base == "mfa-git.exe"
}

// loadOther reads a profile of kind k (not KindUser): its settings, and
// what identifies its credentials. Values that cannot be right are
// refused with the file and line they were read from.
func loadOther(name string, sf *sharedFiles, raw rawProfile, k Kind) (*Profile, error) {
	p := settings(name, sf, raw)
	p.Kind = k
	p.Duration = DefaultDuration
	switch k {
	case KindSSO:
		s, err := readSSO(name, sf, raw)
		if err != nil {
			return nil, err
		}
		p.SSO = s
		p.SSOEndpoint = serviceEndpoint(sf, raw, "SSO", "sso")
		p.OIDCEndpoint = serviceEndpoint(sf, raw, "SSO_OIDC", "sso_oidc")
	case KindLogin:
		p.LoginSession = strings.TrimSpace(raw.get("login_session"))
		p.SigninEndpoint = serviceEndpoint(sf, raw, "SIGNIN", "signin")
	case KindProcess:
		p.CredentialProcess = raw.get("credential_process")
	}
	return p, nil
}

// readSSO reads an IAM Identity Center profile as the SDK does: with
// sso_session, the [sso-session NAME] section gives sso_start_url and
// sso_region (the profile's own, if set, must match); in the legacy form
// the profile holds all four keys.
func readSSO(name string, sf *sharedFiles, raw rawProfile) (SSO, error) {
	s := SSO{AccountID: raw.get("sso_account_id"), RoleName: raw.get("sso_role_name")}
	section := ConfigSection(name)
	if sess := raw.get("sso_session"); sess != "" {
		s.Session = strings.TrimSpace(sess)
		sec, err := ssoSection(name, sf, raw)
		if err != nil {
			return s, err
		}
		s.StartURL, s.Region = sec.get("sso_start_url"), sec.get("sso_region")
		for _, k := range []struct{ key, val string }{{"sso_start_url", s.StartURL}, {"sso_region", s.Region}} {
			if k.val == "" {
				return s, hint.New(nil, fmt.Sprintf("profile %q: [sso-session %s] in %s has no %s", name, s.Session, sf.files.Config, k.key),
					fmt.Sprintf("add %s to [sso-session %s] (aws configure sso-session writes it)", k.key, s.Session))
			}
			if own := raw.get(k.key); own != "" && own != k.val {
				return s, valueError(name, k.key, raw, fmt.Sprintf("differs from %s = %q in [sso-session %s] (%s)", k.key, k.val, s.Session, sec.at(k.key)),
					fmt.Sprintf("remove %s under [%s], or make it the same as the sso-session's", k.key, section))
			}
		}
		if err := checkSSOValues(name, s, func(key string) (rawProfile, string) {
			if key == "sso_start_url" || key == "sso_region" {
				return sec, "[sso-session " + s.Session + "]"
			}
			return raw, "[" + section + "]"
		}); err != nil {
			return s, err
		}
	} else {
		s.StartURL, s.Region = raw.get("sso_start_url"), raw.get("sso_region")
		if err := checkSSOValues(name, s, func(string) (rawProfile, string) { return raw, "[" + section + "]" }); err != nil {
			return s, err
		}
	}
	for _, k := range []struct{ key, val string }{{"sso_start_url", s.StartURL}, {"sso_region", s.Region}, {"sso_account_id", s.AccountID}, {"sso_role_name", s.RoleName}} {
		if k.val == "" {
			missing := "sso_start_url, sso_region, sso_account_id and sso_role_name"
			if s.Session != "" {
				missing = "sso_account_id and sso_role_name"
			}
			return s, hint.New(nil, fmt.Sprintf("profile %q is an IAM Identity Center profile without %s", name, k.key),
				fmt.Sprintf("give [%s] in %s all of %s (aws configure sso writes them)", section, sf.files.Config, missing))
		}
	}
	return s, nil
}

// checkSSOValues refuses SSO values that cannot be right: a start URL
// that is not https, an sso_region that is not a region, an account id
// that is not 12 digits. where gives the section a key was read from.
func checkSSOValues(name string, s SSO, where func(key string) (rawProfile, string)) error {
	for _, c := range []struct {
		key, val, why, fix string
		ok                 func(string) bool
	}{
		{"sso_start_url", s.StartURL, "is not an https URL", "set sso_start_url to your AWS access portal's URL, such as https://my-org.awsapps.com/start", func(v string) bool {
			return strings.HasPrefix(strings.ToLower(v), "https://") && len(v) > len("https://") && !strings.ContainsFunc(v, isControl)
		}},
		{"sso_region", s.Region, "is not an AWS region", "set sso_region to the region of your IAM Identity Center, such as eu-west-1", gitcred.ValidRegion},
		{"sso_account_id", s.AccountID, "is not an AWS account id (12 digits)", "set sso_account_id to the 12-digit id of the account", func(v string) bool {
			return len(v) == 12 && strings.Trim(v, "0123456789") == ""
		}},
		{"sso_role_name", s.RoleName, "is not a role name (letters, digits and _+=,.@-)", "set sso_role_name to the permission set's name, such as AdministratorAccess", func(v string) bool {
			return len(v) <= 64 && strings.Trim(v, idChars) == ""
		}},
	} {
		if c.val == "" || c.ok(c.val) {
			continue
		}
		raw, section := where(c.key)
		return valueError(name, c.key, raw, c.why, c.fix+" under "+section)
	}
	return nil
}

// ssoSection is the [sso-session NAME] section raw's sso_session names.
// As in the SDK, a profile that names one needs it, whatever its kind,
// unless it is a source profile whose static keys end a role's chain.
func ssoSection(name string, sf *sharedFiles, raw rawProfile) (rawProfile, error) {
	sess := strings.TrimSpace(raw.get("sso_session"))
	sec, ok := sf.profiles[prefixSSOSession+sess]
	if !ok && sess != "" {
		return sec, valueError(name, "sso_session", raw, fmt.Sprintf("names no [sso-session %s] section in %s", sess, sf.files.Config),
			fmt.Sprintf("add [sso-session %s] with sso_start_url and sso_region to %s (aws configure sso-session writes it)", sess, sf.files.Config))
	}
	return sec, nil
}
