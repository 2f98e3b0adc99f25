package keystore

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the test binary as one process of a multi-process test
// when that test started it so (MFA_GIT_INDEX_TEST set), instead of a
// helper "test" that would be reported as skipped in every normal run.
func TestMain(m *testing.M) {
	if env, ok := os.LookupEnv("MFA_GIT_INDEX_TEST"); ok {
		if err := indexHelperProcess(env); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
