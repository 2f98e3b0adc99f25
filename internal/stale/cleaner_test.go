package stale

import (
	"strings"
	"testing"
)

const (
	testCC    = "git-codecommit.us-east-1.amazonaws.com"
	testAKID  = "ASIAQWERTYUIOEXAMPLE"
	testToken = "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKEN+abc/def=="
	testSig   = "20240102T030405Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a"
	testIAM   = "alice-at-123456789012"
	testLong  = "Xk4bD8mW0p/Qr7+Tz2nE5vLc9yHj1aFg3sK6uI0oP8="
	testHex   = "b6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a"
)

func testCleaner(dryRun bool) cleaner { return cleaner{DryRun: dryRun} }

// noSecret fails the test if s shows a token or password.
func noSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testToken, testSig, testLong, "%"} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows a secret (%q):\n%s", what, secret, s)
		}
	}
}
func TestGitSecretPassword(t *testing.T) {
	for _, c := range []struct{ secret, want string }{
		{testSig, testSig},
		{testSig + "\npassword_expiry_utc=1700000000", testSig},
		{testSig + "\npassword_expiry_utc=1700000000\noauth_refresh_token=abc", testSig},
		{testSig + "\r\noauth_refresh_token=abc", testSig},
		{testSig + "\n", ""},
		{testSig + "\nfoo=bar", ""},
		{testSig + "\npassword_expiry_utc", ""},
		{"", ""},
	} {
		if got := gitSecretPassword(c.secret); got != c.want {
			t.Errorf("gitSecretPassword(%q) = %q, want %q", c.secret, got, c.want)
		}
	}
}
