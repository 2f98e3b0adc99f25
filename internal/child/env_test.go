package child

import (
	"slices"
	"testing"
)

func TestForExec(t *testing.T) {
	environ := []string{"PATH=/bin", "AWS_PROFILE=x", "AWS_DEFAULT_PROFILE=y", "AWS_ACCESS_KEY_ID=AKIAOTHER", "AWS_SESSION_TOKEN=t",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://other", "MFA_GIT_FILE_PASSPHRASE=p", "MFA_GIT_PROMPT=tty", "MFA_GIT_KEYRING=file",
		"MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=us-east-1"}
	vars := [][2]string{{"AWS_ACCESS_KEY_ID", "ASIASESSION"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_SESSION_TOKEN", "token"},
		{"AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"}, {"MFA_GIT_PROFILE", "base"}, {"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "eu-west-1"}}
	// What stays of the environment: no other credentials, no profile,
	// none of mfa-git's settings but where sessions live.
	kept := []string{"PATH=/bin", "MFA_GIT_KEYRING=file", "MFA_GIT_AGENT_SOCK=/s", "AWS_REGION=us-east-1"}
	for _, tc := range []struct {
		name     string
		vars     [][2]string
		endpoint []string
		want     []string
	}{
		{"nothing to add", nil, nil, kept},
		{"the session's variables", vars, nil, append(slices.Clone(kept), "AWS_ACCESS_KEY_ID=ASIASESSION", "AWS_SECRET_ACCESS_KEY=secret",
			"AWS_SESSION_TOKEN=token", "AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z", "MFA_GIT_PROFILE=base", "AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1")},
		{"served by an endpoint: no keys, its variables", vars,
			[]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN=tok"},
			append(slices.Clone(kept), "MFA_GIT_PROFILE=base", "AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1",
				"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN=tok")},
	} {
		if got := ForExec(environ, tc.vars, tc.endpoint); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ForExec =\n%q\nwant\n%q", tc.name, got, tc.want)
		}
	}
}
