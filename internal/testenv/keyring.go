package testenv

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// KeyringService returns the keystore service namespace for the test:
// the same for every call in one test, shared with no other test or test
// process. When the test ends, the kernel keyring of that name is removed
// from the user keyring with everything in it (on Linux; elsewhere there
// is nothing to remove), so a test run leaves nothing in @u.
func KeyringService(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("mfa-git-test-%d-%s", os.Getpid(), strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()))
	t.Cleanup(func() {
		if err := RemoveKeyctlNamespace(name); err != nil {
			t.Errorf("remove the kernel keyring %q: %v", name, err)
		}
	})
	return name
}
