package profile

import (
	"context"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// A token command is a command line: its quotes are part of it. The SDK's
// rule of stripping one pair of quotes around a whole value applies to
// the SDK's keys, not to mfa_process, where it would turn a quoted path
// with a space into two words.
func TestTokenCommandKeepsQuotes(t *testing.T) {
	testenv.ClearAWSEnv(t)
	creds := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
	tests := []struct{ line, want string }{
		{`mfa_process = "C:\Program Files\Yubico\ykman.exe"`, `"C:\Program Files\Yubico\ykman.exe"`},
		{`mfa_process = '/home/me/my tools/code'`, `'/home/me/my tools/code'`},
		{`mfa_process = "C:\x y\code.bat" # my key`, `"C:\x y\code.bat"`},
		{`mfa_process = "/opt/a b/code" "arg"`, `"/opt/a b/code" "arg"`},
		{"mfa_process =   ykman oath accounts code -s aws  ", "ykman oath accounts code -s aws"},
		{`mfa_process: "quoted colon"`, `"quoted colon"`},
		{"mfa_process = \"first\"\n  \"second\"", "\"first\"\n\"second\""},
	}
	for _, tt := range tests {
		f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n"+tt.line+"\n", creds)
		p, err := Load(context.Background(), "base", f, nil)
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if p.TokenCommand != tt.want {
			t.Errorf("%q: token command %q, want %q", tt.line, p.TokenCommand, tt.want)
		}
	}
}
