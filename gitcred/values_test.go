package gitcred

import "testing"

func TestCheckURLPattern(t *testing.T) {
	for _, tt := range []struct {
		u  string
		ok bool
	}{
		{"https://git.example.com", true}, {"https://git.example.com:8443/v1/repos", true}, {"http://127.0.0.1:8080", true},
		{"http://localhost", true}, {"http://LocalHost:8080", true}, {"http://[::1]:9000", true},
		{"http://git.example.com", false}, {"ftp://git.example.com", false}, {"git.example.com", false}, {"https://", false},
		{"https://a.example.com\n[core]", false}, {"https://a.example.com\r", false}, {`https://a.example.com"]`, false},
		{`https://a.example.com\`, false}, {"https://a.example.com/a b", false}, {"https://user@a.example.com", false},
		{"https://a.example.com/?x=1", false}, {"https://a.example.com/#f", false}, {"https://a.example.com/'x", false},
	} {
		if err := CheckURLPattern(tt.u); (err == nil) != tt.ok {
			t.Errorf("CheckURLPattern(%q) = %v, want ok %v", tt.u, err, tt.ok)
		}
	}
}

func TestValidRegion(t *testing.T) {
	for _, tt := range []struct {
		r  string
		ok bool
	}{
		{"us-east-1", true}, {"us-gov-west-1", true}, {"cn-north-1", true}, {"ap-southeast-2", true},
		{"", false}, {"EU", false}, {"eu-west-1; touch x", false}, {"eu-west-1\n", false}, {"eu-west", false}, {"-eu-west-1", false},
		{"use-east-1", false}, {"u1-east-1", false}, {"us--1", false}, {"us-east-1a", false},
	} {
		if ValidRegion(tt.r) != tt.ok {
			t.Errorf("ValidRegion(%q) != %v", tt.r, tt.ok)
		}
	}
}
