package child

import "strings"

// secretVars hold secrets: the file keyring's passphrase and AWS keys.
var secretVars = map[string]bool{"MFA_GIT_FILE_PASSPHRASE": true, "AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true,
	"AWS_SESSION_TOKEN": true, "AWS_SECURITY_TOKEN": true, "AWS_CONTAINER_AUTHORIZATION_TOKEN": true}

// keptForChild are the MFA_GIT_ variables a program run by exec keeps:
// those that tell an mfa-git run inside it (git's credential helper)
// where the sessions are. MFA_GIT_PROFILE is set by exec itself.
var keptForChild = map[string]bool{"MFA_GIT_KEYRING": true, "MFA_GIT_KEYRING_SERVICE": true, "MFA_GIT_AGENT": true, "MFA_GIT_AGENT_SOCK": true}

// droppedForChild are the AWS variables that would make the program use
// other credentials than the session exec gives it.
var droppedForChild = map[string]bool{"AWS_PROFILE": true, "AWS_DEFAULT_PROFILE": true, "AWS_CREDENTIAL_EXPIRATION": true,
	"AWS_CONTAINER_CREDENTIALS_FULL_URI": true, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": true}

// WithoutSecrets is environ without the variables that hold secrets
// (MFA_GIT_FILE_PASSPHRASE, AWS keys and tokens). The programs mfa-git
// runs to ask for a code (askpass programs, dialogs, token commands) get
// this environment: they need nothing secret.
func WithoutSecrets(environ []string) []string { return filter(environ, false) }

// ForExec is the environment of the program mfa-git exec runs: environ
// without other credentials and without mfa-git's own settings and
// secrets (MFA_GIT_FILE_PASSPHRASE above all), except where sessions
// live; then vars, the session's variables (session.Session.Environ).
// With endpoint, the variables of a credentials endpoint that serves the
// session (exec --server), the endpoint gives the credentials: of vars'
// AWS variables only the region is kept, and endpoint's are added.
func ForExec(environ []string, vars [][2]string, endpoint []string) []string {
	out := filter(environ, true)
	for _, kv := range vars {
		if len(endpoint) > 0 && strings.HasPrefix(kv[0], "AWS_") && kv[0] != "AWS_REGION" && kv[0] != "AWS_DEFAULT_REGION" {
			continue // the endpoint serves the credentials
		}
		out = append(out, kv[0]+"="+kv[1])
	}
	return append(out, endpoint...)
}

func filter(environ []string, forExec bool) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if secretVars[k] || forExec && (droppedForChild[k] || strings.HasPrefix(k, "MFA_GIT_") && !keptForChild[k]) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// UserGitEnv is the environment for a git command that must read only the
// user's own (global and system) settings: environ without secrets and
// without the variables that point git at a repository or at extra
// configuration, with HOME set to home. git runs mfa-git from repositories,
// whose settings are not the user's.
func UserGitEnv(environ []string, home string) []string {
	var out []string
	for _, kv := range WithoutSecrets(environ) {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "HOME", "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HOME="+home)
}
