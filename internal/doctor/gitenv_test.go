package doctor

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The git commands doctor runs to read git's settings never see a
// secret of the environment: the file keyring's passphrase, AWS keys.
func TestGitSeesNoSecrets(t *testing.T) {
	seen := testenv.RecordingGit(t, "git version 2.45.0")
	t.Setenv("MFA_GIT_FILE_PASSPHRASE", "hunter2-passphrase")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "session-token-value")
	u, _ := url.Parse(DefaultURL)
	env := Env{SetupHint: "mfa-git setup"}
	checkGit(context.Background(), env)
	checkHelperChain(context.Background(), u, env)
	checkUseHTTPPath(context.Background(), u, env)
	b, err := os.ReadFile(seen)
	// One VAR=value a line; Windows spells it Path.
	if err != nil || !strings.Contains("\n"+strings.ToUpper(string(b)), "\nPATH=") {
		t.Fatalf("the fake git did not run: %v", err)
	}
	for _, secret := range []string{"hunter2-passphrase", "wJalrXUtnFEMI", "session-token-value"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("git's environment holds %q", secret)
		}
	}
}
