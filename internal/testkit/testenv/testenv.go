// Package testenv holds helpers shared by the tests: starting the real
// tools the machine has (moto_server, the AWS CLI) on loopback, requiring
// them where CI installs them, and keeping tests away from the
// developer's own keyrings and files (PrivateHome, KeyringService,
// RequirePrivateBus).
package testenv

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Require skips the test when tool is missing (on Windows: "no git for
// Windows on PATH", as under Wine, which has none), unless MFA_GIT_CI is set
// (as .ci/run sets it): there a missing tool is a failure, so a broken
// install step cannot pass silently. It returns the tool's path.
func Require(t testing.TB, tool string) string {
	t.Helper()
	RequireAll(t, tool)
	path, _ := exec.LookPath(tool)
	return path
}

// RequireAll is Require for several tools: the skip (or, in CI, the
// failure) names every one of them that is not on PATH.
func RequireAll(t testing.TB, tools ...string) {
	t.Helper()
	var missing []string
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	n := len(missing)
	names, are := missing[0], "is"
	if n > 1 {
		names, are = strings.Join(missing[:n-1], ", ")+" and "+missing[n-1], "are"
	}
	switch {
	case os.Getenv("MFA_GIT_CI") != "":
		t.Fatalf("%s %s required in CI but not on PATH", names, are)
	case runtime.GOOS == "windows":
		t.Skipf("no %s for Windows on PATH", names)
	default:
		t.Skipf("%s %s not installed", names, are)
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Moto starts moto_server on a loopback port and returns its URL. It is
// stopped when the test ends.
func Moto(t testing.TB) string {
	t.Helper()
	bin := Require(t, "moto_server")
	port := FreePort(t)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return url
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("moto_server did not start within 30s")
	return ""
}

// ClearAWSEnv empties, for the test, every AWS setting of the environment
// that would change which profile, region, endpoint or CA bundle the code
// under test uses, so the developer's own settings never leak in.
func ClearAWSEnv(t testing.TB) {
	t.Helper()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM",
		"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
		"AWS_CA_BUNDLE", "AWS_PROFILE", "MFA_GIT_PROFILE", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_SIGNIN",
		"AWS_LOGIN_CACHE_DIRECTORY"} {
		t.Setenv(k, "")
	}
}

// OtherUID is "another local user" in tests (nobody on Debian): the owner
// of folders, files and processes that are not the test's own.
const OtherUID = 65534

// RequireRoot skips the test unless it runs as root, which acting as
// OtherUID needs (why says what for); where MFA_GIT_CI is set, as CI,
// which runs as root, sets it, not being root is a failure.
func RequireRoot(t testing.TB, why string) {
	t.Helper()
	if os.Getuid() != 0 {
		if os.Getenv("MFA_GIT_CI") != "" {
			t.Fatal("CI runs as root and must run this test")
		}
		t.Skip("needs root to " + why)
	}
}
