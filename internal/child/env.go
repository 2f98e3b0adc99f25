package child

import (
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/session"
)

// SessionEnv is the environment a program gets for s: the session's
// credentials, the profile (so mfa-git run inside, as git's helper, keeps
// using it) and its region.
func SessionEnv(s *session.Session, p *profile.Profile) [][2]string {
	env := [][2]string{
		{"AWS_ACCESS_KEY_ID", s.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", s.SecretAccessKey},
		{"AWS_SESSION_TOKEN", s.SessionToken},
		{"AWS_CREDENTIAL_EXPIRATION", s.Expiration.UTC().Format(time.RFC3339)},
		// mfa-git run inside (git's helper) keeps using this profile.
		{"MFA_GIT_PROFILE", p.Name},
	}
	if p.Region != "" {
		env = append(env, [2]string{"AWS_REGION", p.Region}, [2]string{"AWS_DEFAULT_REGION", p.Region})
	}
	return env
}

// keptForChild are the MFA_GIT_ variables a program run by exec keeps:
// those that tell an mfa-git run inside it (git's credential helper)
// where the sessions are. MFA_GIT_PROFILE is set by exec itself.
var keptForChild = map[string]bool{"MFA_GIT_KEYRING": true, "MFA_GIT_KEYRING_SERVICE": true, "MFA_GIT_AGENT": true, "MFA_GIT_AGENT_SOCK": true}

// droppedForChild are the AWS variables that would make the program use
// other credentials than the session exec gives it.
var droppedForChild = map[string]bool{"AWS_PROFILE": true, "AWS_DEFAULT_PROFILE": true, "AWS_SECURITY_TOKEN": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_CREDENTIAL_EXPIRATION": true,
	"AWS_CONTAINER_CREDENTIALS_FULL_URI": true, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": true, "AWS_CONTAINER_AUTHORIZATION_TOKEN": true}

// Environ is environ without other credentials and without mfa-git's own
// settings and secrets (MFA_GIT_FILE_PASSPHRASE above all), except where
// sessions live.
func Environ(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if droppedForChild[k] || strings.HasPrefix(k, "MFA_GIT_") && !keptForChild[k] {
			continue
		}
		out = append(out, kv)
	}
	return out
}
