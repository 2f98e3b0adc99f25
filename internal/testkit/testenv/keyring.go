package testenv

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// KeyringService returns the keystore service namespace for the test:
// the same for every call in one test, shared with no other test or test
// process. When the test ends, the kernel keyring of that name is removed
// from the user keyring with everything in it (on Linux; elsewhere there
// is nothing to remove), so a test run leaves nothing in @u. On Linux it
// skips the test outside test.sh (see RequirePrivateKeyring).
func KeyringService(t testing.TB) string {
	t.Helper()
	if runtime.GOOS == "linux" {
		RequirePrivateKeyring(t)
	}
	name := fmt.Sprintf("mfa-git-test-%d-%s", os.Getpid(), strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()))
	t.Cleanup(func() {
		if err := RemoveKeyctlNamespace(name); err != nil {
			t.Errorf("remove the kernel keyring %q: %v", name, err)
		}
	})
	return name
}

// RequirePrivateKeyring skips the test unless it runs under test.sh,
// whose user namespace gives the tests a user keyring (@u) of their own
// (or, where there is no user namespace, one whose every key test.sh
// checks is left as it was): so a kernel keyring test never writes to
// the developer's @u, even if it is killed before its cleanup runs.
// Where MFA_GIT_CI is set, as CI sets it, running outside is a failure.
func RequirePrivateKeyring(t testing.TB) {
	t.Helper()
	if os.Getenv("MFA_GIT_TEST_ISOLATED") != "" {
		return
	}
	if os.Getenv("MFA_GIT_CI") != "" {
		t.Fatal("MFA_GIT_CI is set but the tests do not run under test.sh, so the kernel keyring tests would use this user's own keyring")
	}
	t.Skip("the kernel user keyring (@u) here is the developer's own: run ./test.sh (e.g. ./test.sh -run TestName ./pkg), which gives the tests one of their own")
}
