package session

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The hint after waiting too long for another process's prompt names the
// profile as one quoted shell word too.
func TestLockWaitHintQuotesProfile(t *testing.T) {
	for _, name := range []string{"x; touch pwned", "a b", "$(id)", "dev"} {
		m, _, _, _ := newTestManager(t)
		p := &Profile{Name: name, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "s", MFASerial: "arn:aws:iam::123456789012:mfa/alice"}
		held, err := acquire(context.Background(), m.lockPath(p))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, _, err = m.acquire(ctx, p, false)
		cancel()
		held.release()
		h := Hint(err)
		if want := "mfa-git login --profile " + ShellQuote(name); err == nil || !strings.HasSuffix(h, want) {
			t.Errorf("%q: %v, hint %q; want it to end in %q", name, err, h, want)
		}
	}
}
