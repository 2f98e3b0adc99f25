package gitcred

import (
	"strings"

	"github.com/spf13/pflag"
)

// OurHelper is what an mfa-git credential.helper value asks for: the
// profile and region its flags name ("" when it names none).
type OurHelper struct {
	Profile, Region string
}

// ParseOurHelper reads a credential.helper value as git runs it (through
// the shell, as "git credential-VALUE"): if it runs mfa-git ("mfa-git" or
// "mfa-git --profile 'team box' --region eu-west-1"), it returns the
// --profile and --region it passes. A value with shell syntax mfa-git
// never writes (variables, substitutions, several commands, a leading
// "!") is not ours.
func ParseOurHelper(value string) (OurHelper, bool) {
	words, ok := shellWords(value)
	if !ok || len(words) == 0 || words[0] != "mfa-git" {
		return OurHelper{}, false
	}
	fs := pflag.NewFlagSet("helper", pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	fs.SetOutput(nopWriter{})
	var h OurHelper
	fs.StringVarP(&h.Profile, "profile", "p", "", "")
	fs.StringVar(&h.Region, "region", "", "")
	if fs.Parse(words[1:]) != nil {
		return OurHelper{}, false
	}
	return h, true
}

type nopWriter struct{}

func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }

// shellWords splits s into words as a POSIX shell would, for the quoting
// mfa-git setup writes: single quotes, double quotes and backslashes. It
// reports false for anything else a shell would act on.
func shellWords(s string) ([]string, bool) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				words, in = append(words, cur.String()), false
				cur.Reset()
			}
			continue
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, false
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '$' || s[i] == '`' {
					return nil, false
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, false
			}
			i++
			cur.WriteByte(s[i])
		case strings.IndexByte("$`;&|<>()*?[]{}~!#\n", c) >= 0:
			return nil, false
		default:
			cur.WriteByte(c)
		}
		in = true
	}
	if in {
		words = append(words, cur.String())
	}
	return words, true
}
