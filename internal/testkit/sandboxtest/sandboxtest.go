// Package sandboxtest starts the sandbox for tests of the packages that
// call STS, with a profile that reaches it.
package sandboxtest

import (
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// Profile starts a sandbox that ends with the test, clears the AWS
// settings of the environment, and returns the sandbox and an IAM user's
// profile for it (keys, MFA device, one-hour sessions, its STS endpoint).
func Profile(t testing.TB) (*sandbox.Sandbox, *profile.Profile) {
	t.Helper()
	testenv.ClearAWSEnv(t)
	sb, err := sandbox.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb, &profile.Profile{Name: "sandbox", AccessKeyID: sb.AccessKeyID, SecretAccessKey: sb.SecretAccessKey,
		MFASerial: sb.MFASerial, Duration: time.Hour, Region: sandbox.Region, Endpoint: sb.STSURL}
}
