package prompt

import (
	"errors"
	"strings"
	"testing"
)

// TestCommandProgram finds the program a profile's command line runs
// first, as /bin/sh -c and cmd.exe /c read the line, and refuses the
// lines whose program cannot be known before the shell runs them.
func TestCommandProgram(t *testing.T) {
	t.Setenv("HOME", "/home/me")
	cases := []struct {
		goos, line string
		want       string // the program; "" for none
		err        string // part of the refusal; "" for none
	}{
		{"linux", "ykman oath accounts code -s aws", "ykman", ""},
		{"linux", "/usr/local/bin/vault-aws-creds --role dev", "/usr/local/bin/vault-aws-creds", ""},
		{"linux", `'/home/me/my tools/code' --x`, "/home/me/my tools/code", ""},
		{"linux", `"/opt/a b/code" "arg"`, "/opt/a b/code", ""},
		{"linux", `/opt/a\ b/code`, "/opt/a b/code", ""},
		{"linux", `"/opt/\"q\"/code"`, `/opt/"q"/code`, ""},
		{"linux", `/op"t/"co'de'`, "/opt/code", ""},
		{"linux", "  \t mfa-git credential-process --profile dev", "mfa-git", ""},
		{"linux", "mfa-git\n  credential-process\n\t--profile dev", "mfa-git", ""},
		{"linux", "touch ran; echo 123456", "touch", ""},
		{"linux", "sh -c 'touch ran; sandbox-code'", "sh", ""},
		{"linux", "A=1 B='x y' /bin/code", "/bin/code", ""},
		{"linux", "2>/dev/null </dev/null /bin/code", "/bin/code", ""},
		{"linux", ">>/tmp/log /bin/code", "/bin/code", ""},
		{"linux", "# a comment\n/bin/code", "/bin/code", ""},
		{"linux", "exec /bin/code", "/bin/code", ""},
		{"linux", "command -p code", "code", ""},
		{"linux", ". /etc/code.sh", "/etc/code.sh", ""},
		{"linux", "~/bin/code", "/home/me/bin/code", ""},
		{"linux", "~", "/home/me", ""},
		{"linux", "'~/bin/code'", "", "relative path"}, // quoted: not expanded
		{"linux", "echo 123456", "", ""},
		{"linux", "true", "", ""},
		{"linux", "", "", ""},
		{"linux", "A=1", "", ""},
		{"linux", `'if' x`, "if", ""}, // a quoted keyword is a command name
		{"linux", "./code", "", "relative path"},
		{"linux", "bin/code", "", "relative path"},
		{"linux", "exec ../code", "", "relative path"},
		{"linux", "$HOME/bin/code", "", "expansion"},
		{"linux", `"$DIR"/code`, "", "expansion"},
		{"linux", "`which code`", "", "expansion"},
		{"linux", "$(which code) --x", "", "expansion"},
		{"linux", "/opt/*/code", "", "expansion"},
		{"linux", "~alice/code", "", "expansion"},
		{"linux", "if true; then /bin/code; fi", "", `"if" is a shell keyword`},
		{"linux", "{ /bin/code; }", "", `"{" is a shell keyword`},
		{"linux", "! /bin/code", "", `"!" is a shell keyword`},
		{"linux", "(/bin/code)", "", `"(" starts a shell program`},
		{"linux", "eval /bin/code", "", `"eval" runs`},
		{"linux", "exec", "", "exec names no program"},
		{"linux", "'/bin/code", "", "unclosed ' quote"},
		{"linux", `"/bin/code`, "", `unclosed " quote`},
		{"windows", `"C:\Program Files\Yubico\ykman.exe" oath accounts code`, `C:\Program Files\Yubico\ykman.exe`, ""},
		{"windows", `"C:\x y\code.bat"`, `C:\x y\code.bat`, ""},
		{"windows", `Z:\tmp\token dir\code.bat`, `Z:\tmp\token`, ""},
		{"windows", `@ykman.exe oath code`, "ykman.exe", ""},
		{"windows", `op item get "AWS prod" --otp`, "op", ""},
		{"windows", `call C:\tools\code.bat`, `C:\tools\code.bat`, ""},
		{"windows", `\\server\share\code.exe`, `\\server\share\code.exe`, ""},
		{"windows", `echo 123456`, "", ""},
		{"windows", `tools\code.bat`, "", "relative path"},
		{"windows", `.\code.bat`, "", "relative path"},
		{"windows", `C:code.bat`, "", "relative path"},
		{"windows", `%USERPROFILE%\code.bat`, "", "%variable%"},
		{"windows", `"C:\x y\code.bat`, "", `unclosed " quote`},
	}
	for _, c := range cases {
		got, err := commandProgram(c.line, c.goos)
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("%s: commandProgram(%q) = %q, %v; want %q", c.goos, c.line, got, err, c.want)
			}
			continue
		}
		var e *errProgram
		if !errors.As(err, &e) || !strings.Contains(err.Error(), c.err) || e.Hint() == "" {
			t.Errorf("%s: commandProgram(%q) = %q, %v; want a refusal with a hint, saying %q", c.goos, c.line, got, err, c.err)
		}
	}
}
