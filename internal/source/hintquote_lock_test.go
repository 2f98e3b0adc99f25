package source

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/filelock"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// The hint after waiting too long for another process's prompt names the
// profile as one quoted shell word too.
func TestLockWaitHintQuotesProfile(t *testing.T) {
	for _, name := range []string{"x; touch pwned", "a b", "$(id)", "dev"} {
		m, _, _, _ := newTestManager(t)
		p := &profile.Profile{Name: name, AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "s", MFASerial: "arn:aws:iam::123456789012:mfa/alice"}
		held, err := filelock.Acquire(context.Background(), filepath.Join(m.LockDir, session.Digest(CacheKey(p))+".lock"), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, _, err = m.Obtain(ctx, MFAUser{Profile: p}, false)
		cancel()
		held.Release()
		h := hint.Of(err)
		if want := "mfa-git login --profile " + profile.ShellQuote(name); err == nil || !strings.HasSuffix(h, want) {
			t.Errorf("%q: %v, hint %q; want it to end in %q", name, err, h, want)
		}
	}
}
