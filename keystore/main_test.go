package keystore

import (
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
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

// noticeTo prints notices to w as cmd does.
func noticeTo(w io.Writer) func(error) {
	return func(err error) { fmt.Fprintf(w, "mfa-git: %v\nmfa-git: hint: %s\n", err, hint.Of(err)) }
}
