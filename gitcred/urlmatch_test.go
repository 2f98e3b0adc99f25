package gitcred

import (
	"net/url"
	"testing"
)

func TestURLMatches(t *testing.T) {
	u, _ := url.Parse("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo")
	tests := map[string]bool{
		"https://git-codecommit.*.amazonaws.com":         true,
		"https://git-codecommit.us-east-1.amazonaws.com": true,
		"https://*.amazonaws.com":                        false, // one label per "*"
		"https://git-codecommit.*.amazonaws.com.cn":      false,
		"http://git-codecommit.*.amazonaws.com":          false,
		"https://git-codecommit.*.amazonaws.com:8443":    false,
		"https://git-codecommit.*.amazonaws.com/v1":      true,
		"https://git-codecommit.*.amazonaws.com/v1/rep":  false,
		"https://git-codecommit.*.amazonaws.com:443/":    true,
		"https://alice@git-codecommit.*.amazonaws.com":   false,
		"https://github.com":                             false,
	}
	for pat, want := range tests {
		if got := URLMatches(pat, u); got != want {
			t.Errorf("URLMatches(%q) = %v, want %v", pat, got, want)
		}
	}
}

func TestResolveHelpers(t *testing.T) {
	u, _ := url.Parse("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo")
	z := "file:/etc/gitconfig\x00credential.helper\nosxkeychain\x00" +
		"file:/home/a/.gitconfig\x00credential.https://git-codecommit.*.amazonaws.com.helper\n\x00" +
		"file:/home/a/.gitconfig\x00credential.https://git-codecommit.*.amazonaws.com.helper\nmfa-git --profile base\x00" +
		"file:/home/a/.gitconfig\x00credential.https://github.com.helper\ngh\x00" +
		"file:/home/a/.gitconfig\x00credential.https://git-codecommit.*.amazonaws.com.usehttppath\ntrue\x00"
	got := ResolveHelpers(z, u)
	if len(got) != 1 || got[0].Value != "mfa-git --profile base" || got[0].Origin != "/home/a/.gitconfig" {
		t.Fatalf("got %+v", got)
	}
	gh, _ := url.Parse("https://github.com/x/y")
	if got := ResolveHelpers(z, gh); len(got) != 2 || got[0].Value != "osxkeychain" || got[1].Value != "gh" {
		t.Fatalf("github: %+v", got)
	}
}
