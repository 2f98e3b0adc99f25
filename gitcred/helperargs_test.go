package gitcred

import "testing"

func TestParseOurHelper(t *testing.T) {
	tests := []struct {
		value  string
		want   OurHelper
		isOurs bool
	}{
		{"mfa-git", OurHelper{}, true},
		{"mfa-git --profile base", OurHelper{Profile: "base"}, true},
		{"mfa-git --profile 'team box' --ignore-host-check --region us-east-1", OurHelper{Profile: "team box", Region: "us-east-1"}, true},
		{`mfa-git --profile "it's" --region=eu-west-1`, OurHelper{Profile: "it's", Region: "eu-west-1"}, true},
		{`mfa-git -p dev\ box`, OurHelper{Profile: "dev box"}, true},
		{"mfa-git --profile 'a'\\''b'", OurHelper{Profile: "a'b"}, true},
		{"mfa-git --profile base --future-flag x", OurHelper{Profile: "base"}, true},
		{"", OurHelper{}, false},
		{"osxkeychain", OurHelper{}, false},
		{"/usr/bin/mfa-git --profile base", OurHelper{}, false},
		{"!mfa-git --profile base", OurHelper{}, false},
		{"mfa-git --profile $P", OurHelper{}, false},
		{`mfa-git --profile "$(id)"`, OurHelper{}, false},
		{"mfa-git --profile base; rm x", OurHelper{}, false},
		{"mfa-git --profile 'open", OurHelper{}, false},
		{"mfa-git --profile", OurHelper{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseOurHelper(tt.value)
		if ok != tt.isOurs || got != tt.want {
			t.Errorf("ParseOurHelper(%q) = %+v, %v; want %+v, %v", tt.value, got, ok, tt.want, tt.isOurs)
		}
	}
}
