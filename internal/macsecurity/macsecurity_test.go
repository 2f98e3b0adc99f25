package macsecurity

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "''",
		"mfa-git":          "mfa-git",
		"session/dev/ab12": "session/dev/ab12",
		"it's a key":       `'it'"'"'s a key'`,
		"a b":              "'a b'",
		"$HOME`id`":        "'$HOME`id`'",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
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
