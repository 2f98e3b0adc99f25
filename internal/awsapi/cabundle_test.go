package awsapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// A relative CA bundle (AWS_CA_BUNDLE or ca_bundle) would be read from
// the repository git runs mfa-git in, and replace the system's roots:
// refused before anything is sent.
func TestCABundleMustBeAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile(filepath.Join(dir, "ca.pem"), []byte("not used"), 0o600)
	for _, bundle := range []string{"ca.pem", "./ca.pem", "certs/ca.pem", "../ca.pem"} {
		_, err := httpClient(&profile.Profile{Name: "dev", CABundle: bundle}, time.Second, nil)
		if err == nil || !strings.Contains(err.Error(), "is not an absolute path") || !strings.Contains(hint.Of(err), "absolute path") {
			t.Errorf("CA bundle %q: %v", bundle, err)
		}
	}
	_, err := httpClient(&profile.Profile{Name: "dev", CABundle: filepath.Join(dir, "ca.pem")}, time.Second, nil)
	if err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Errorf("absolute CA bundle: %v", err)
	}
}
