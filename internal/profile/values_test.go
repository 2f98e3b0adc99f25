package profile

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestCheckProfileName(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"default", true}, {"dev", true}, {"team/dev", true}, {"a.b_c-d", true}, {"team box", true},
		{"x && touch pwned", true}, {"$(id)", true}, {"`id`", true}, {`it's "q"`, true},
		{"", false}, {"a\nb", false}, {"a\rb", false}, {"a\x00b", false}, {"a\tb", false}, {"a\x7f", false},
		{"a]b", false}, {"[a", false}, {"x; touch pwned", false}, {"a#b", false}, {" a", false}, {"a ", false}, {"a  b", false}, {"-x", false},
		{strings.Repeat("a", 257), false},
	} {
		err := CheckName(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("CheckName(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && hint.Of(err) == "" {
			t.Errorf("CheckName(%q): no hint", tt.name)
		}
	}
}

// ShellQuote gives sh exactly one word, the name itself, whatever it
// holds; plain names stay unquoted.
func TestShellQuote(t *testing.T) {
	testenv.Require(t, "sh")
	for _, s := range []string{"base", "team/dev", "x; touch pwned", "$(touch pwned)", "`touch pwned`", `it's "q" \ me`, "a b", "'", "''", "*", "~root", "a\tb", "!x", "#x", "a&b|c>d<e"} {
		out, err := exec.Command("sh", "-c", `printf '%s|' `+ShellQuote(s)).Output()
		if err != nil || string(out) != s+"|" {
			t.Errorf("sh read %q as %q (%v)", s, out, err)
		}
	}
	if ShellQuote("base") != "base" || ShellQuote("a.b-c_d/e@f") != "a.b-c_d/e@f" {
		t.Error("a plain name was quoted")
	}
}

func TestCheckMFASerial(t *testing.T) {
	for _, tt := range []struct {
		s  string
		ok bool
	}{
		{"arn:aws:iam::123456789012:mfa/alice", true}, {"arn:aws-us-gov:iam::123456789012:mfa/path/a+b=c,d.e@f-g", true}, {"GAHT12345678", true},
		{"", false}, {"short", false}, {"arn:aws:iam::1:mfa/a\n[profile x]", false}, {"arn:aws:iam::1:mfa/a\r", false},
		{"arn:aws:iam::1:mfa/a b", false}, {"arn:aws:iam::1:mfa/a;b", false}, {strings.Repeat("a", 257), false},
	} {
		if err := CheckMFASerial(tt.s); (err == nil) != tt.ok {
			t.Errorf("CheckMFASerial(%q) = %v, want ok %v", tt.s, err, tt.ok)
		}
	}
}
