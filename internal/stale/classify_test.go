package stale

import (
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
)

func TestStalePassword(t *testing.T) {
	signed := gitcred.Password("secret", gitcred.Target{Host: "git-codecommit.us-west-2.amazonaws.com", Region: "us-west-2", Path: "/v1/repos/test_repo"},
		time.Date(2017, 12, 24, 11, 53, 20, 0, time.UTC))
	for _, c := range []struct {
		name, user, password string
		want                 bool
	}{
		{"what the signer makes, long-term key", "AKIAIOSFODNN7EXAMPLE", signed, true},
		{"grc's published vector", "AKIAIOSFODNN7EXAMPLE", "20171224T115320Z" + testHex, true},
		{"session key and token", testAKID + "%" + testToken, signed, true},
		{"session key without token", testAKID, signed, true},
		{"IAM Git credentials are long-lived", "alice-at-123456789012", "Xk4bD8mW0p/Qr7+Tz2nE5vLc9yHj1aFg3sK6uI0oP8=", false},
		{"IAM Git user with a password shaped like a signature", "alice-at-123456789012", signed, false},
		{"static password with an access key id", "AKIAIOSFODNN7EXAMPLE", "hunter2", false},
		{"63 hex digits", testAKID, "20171224T115320Z" + testHex[:63], false},
		{"65 hex digits", testAKID, "20171224T115320Z" + testHex + "0", false},
		{"uppercase hex", testAKID, "20171224T115320Z" + strings.ToUpper(testHex), false},
		{"no Z", testAKID, "20171224T115320" + testHex + "0", false},
		{"30 February", testAKID, "20170230T115320Z" + testHex, false},
		{"month 13", testAKID, "20171324T115320Z" + testHex, false},
		{"hour 25", testAKID, "20171224T255320Z" + testHex, false},
		{"letters in the date", testAKID, "2017I224T115320Z" + testHex, false},
		{"empty password", testAKID, "", false},
		{"lowercase key id", strings.ToLower(testAKID), signed, false},
		{"key id too short", testAKID[:19], signed, false},
		{"key id too long", testAKID + "X", signed, false},
		{"other key prefix", "AIDAQWERTYUIOPASDFGH", signed, false},
		{"empty token", testAKID + "%", signed, false},
		{"token with a space", testAKID + "%abc def", signed, false},
		{"encoded token (not decoded)", testAKID + "%25" + "abc%2Fdef", signed, false},
		{"no user", "", signed, false},
		{"a token as the user", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", signed, false},
	} {
		if got := StalePassword(c.user, c.password); got != c.want {
			t.Errorf("%s: StalePassword(%q, %q) = %v, want %v", c.name, c.user, c.password, got, c.want)
		}
	}
}

func TestShowUser(t *testing.T) {
	for _, c := range []struct{ user, want string }{
		{testAKID + "%" + testToken, testAKID + " (session)"},
		{testAKID + "%x%y", testAKID + " (session)"},
		{testAKID + "%", testAKID + " (session)"},
		{"AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"},
		{"alice-at-123456789012", "alice-at-123456789012"},
		{"first.last@corp-at-123456789012", "first.last@corp-at-123456789012"},
		{"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "(user hidden)"},
		{"alice-at-12345678901", "(user hidden)"},
		{"bob%secret", "(user hidden)"},
		{"asiaqwertyuiopasdfgh%" + testToken, "(user hidden)"},
		{"", "(no user)"},
	} {
		got := ShowUser(c.user)
		if got != c.want {
			t.Errorf("ShowUser(%q) = %q, want %q", c.user, got, c.want)
		}
		if strings.Contains(got, testToken) || strings.Contains(got, "secret") || strings.Contains(got, "%") {
			t.Errorf("ShowUser(%q) = %q shows a secret", c.user, got)
		}
	}
}
