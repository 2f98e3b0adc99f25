package gitcred

import (
	"strings"
	"testing"
)

// A URL's user information is never repeated in a message: not by
// ShowURL, not by CheckURLPattern refusing the URL for whatever reason.
func TestURLMessagesHideUserInfo(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"https://AKIAIOSFODNN7EXAMPLE:s3cret@git-codecommit.us-east-1.amazonaws.com/v1/repos/app", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app"},
		{"https://bob@git.example.com/v1/repos/app", "https://git.example.com/v1/repos/app"},
		{"https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app"},
		{"https://bob:s3cret%zz@host/x", "https://host/x"},
		{"https://bob:s3cret@ho st/x?a@b", "https://ho st/x?a@b"},
		{"not a url", "not a url"},
	} {
		if got := ShowURL(tc.raw); got != tc.want {
			t.Errorf("ShowURL(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
	for _, raw := range []string{
		"https://bob:s3cret@git.example.com",           // a user
		"https://bob:s3cret%zz@git.example.com",        // does not parse
		"https://bob:s3cret@git.example.com/a b",       // a space
		"http://bob:s3cret@git.example.com",            // not https
		"https://bob:s3cret@",                          // no host
		"https://bob:s3cret@git.example.com/?q=1#frag", // a query
	} {
		err := CheckURLPattern(raw)
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "bob") {
			t.Errorf("CheckURLPattern(%q): %v", raw, err)
		}
	}
}
