package macsecurity

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                 `""`,
		"mfa-git":          "mfa-git",
		"session/dev/ab12": "session/dev/ab12",
		"it's a key":       `"it's a key"`,
		"a b":              `"a b"`,
		"$HOME`id`":        "\"$HOME`id`\"",
		`a"b\c`:            `"a\"b\\c"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// splitLine splits a line as security -i does: the quoting and escape
// rules of split_line in Apple's SecurityTool security.c. Unlike it, it
// takes only space and tab as blanks and has no argument limit, which
// Quote's words never reach.
func splitLine(line string) []string {
	var args []string
	var cur []byte
	const (
		skipWS = iota
		readArg
		readArgEscaped
		quotedArg
		quotedArgEscaped
	)
	state, quote := skipWS, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch state {
		case skipWS:
			switch {
			case c == ' ' || c == '\t':
			case c == '"' || c == '\'':
				quote, state, cur = c, quotedArg, []byte{}
			case c == '\\':
				state, cur = readArgEscaped, []byte{}
			default:
				state, cur = readArg, []byte{c}
			}
		case readArg:
			switch {
			case c == '\\':
				state = readArgEscaped
			case c == ' ' || c == '\t':
				args, state = append(args, string(cur)), skipWS
			default:
				cur = append(cur, c)
			}
		case quotedArg:
			switch c {
			case '\\':
				state = quotedArgEscaped
			case quote:
				args, state = append(args, string(cur)), skipWS
			default:
				cur = append(cur, c)
			}
		case readArgEscaped:
			cur, state = append(cur, c), readArg
		case quotedArgEscaped:
			cur, state = append(cur, c), quotedArg
		}
	}
	if state != skipWS {
		args = append(args, string(cur))
	}
	return args
}

// What Quote writes reaches security as one word, whatever it holds.
func TestQuoteSecurityParses(t *testing.T) {
	for _, word := range []string{"", "mfa-git", "it's a key", "'", `"`, `a\b`, `\`, `a"b'c\"`, "$HOME `id`", "tab\there", "ends with \\"} {
		line := "add-generic-password -s " + Quote(word) + " -a x"
		if got := splitLine(line); len(got) != 5 || got[2] != word || got[3] != "-a" {
			t.Errorf("%s splits into %q, want %q as one word", line, got, word)
		}
	}
}

// The outcome comes from the exit status, or from the message when
// security -i exited 0 after a failure.
func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		code int
		msg  string
		want int
	}{
		{44, "", notFound}, {36, "", locked}, {29, "", locked}, {128, "", canceled}, {51, "", denied}, {37, "", noChain}, {50, "", noChain},
		{0, "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.", notFound},
		{0, "User interaction is not allowed.", locked},
		{0, "A default keychain could not be found.", noChain},
		{0, "User canceled the operation.", canceled},
		{0, "The user name or passphrase you entered is not correct.", denied},
		{3, "something new", other},
	} {
		if got := kindOf(c.code, c.msg); got != c.want {
			t.Errorf("kindOf(%d, %q) = %d, want %d", c.code, c.msg, got, c.want)
		}
	}
}
