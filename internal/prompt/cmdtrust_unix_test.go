//go:build !windows

package prompt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// TestCommandProgramTrusted runs profile command lines (credential_process
// and mfa_process) whose program, or a folder, link or #! interpreter on
// its way, another user could replace, and checks that each is refused
// before anything runs, naming the file at fault with a hint that fixes
// it; the same lines naming programs that meet the rule run. The AWS
// files themselves are private in every case: only the program differs.
func TestCommandProgramTrusted(t *testing.T) {
	type setup struct {
		line  string // the command line in the profile
		blame string // "" to run; else the path (or word) the refusal names
		fix   string // what the hint says, when blame is set
	}
	// Every case gets d (0700), d/code (a 0755 script that leaves the mark
	// d/ran and prints a code) and d/open (0777, not sticky).
	cases := []struct {
		name string
		make func(t *testing.T, d string) setup
	}{
		{"program in an others-writable folder", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/code", 0o755)
			return setup{d + "/open/code --vault dev", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"others-writable program and folder (the red-team case)", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/creds.sh", 0o777)
			return setup{d + "/open/creds.sh", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"group-writable program", func(t *testing.T, d string) setup {
			chmod(t, d+"/code", 0o775)
			return setup{d + "/code", d + "/code", "chmod go-w " + d + "/code"}
		}},
		{"program owned by another user", func(t *testing.T, d string) setup {
			if err := os.Chown(d+"/code", 65534, 65534); err != nil {
				t.Skipf("cannot give a file to uid 65534 here (%v): test.sh runs the tests as root in a user namespace", err)
			}
			return setup{d + "/code", d + "/code", "chown"}
		}},
		{"bare name found on PATH in an others-writable folder", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/mfa-test-code", 0o755)
			t.Setenv("PATH", d+"/open:"+os.Getenv("PATH"))
			return setup{"mfa-test-code --account dev", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"symlink in an others-writable folder to a good program", func(t *testing.T, d string) setup {
			mustDo(t, os.Symlink(d+"/code", d+"/open/link"))
			return setup{d + "/open/link", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"#! interpreter in an others-writable folder", func(t *testing.T, d string) setup {
			copyFile(t, "/bin/sh", d+"/open/sh", 0o755)
			script, err := os.ReadFile(d + "/code")
			mustDo(t, err)
			mustDo(t, os.WriteFile(d+"/code", []byte(strings.Replace(string(script), "#!/bin/sh", "#!"+d+"/open/sh", 1)), 0o755))
			return setup{d + "/code", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"quoted path with spaces in an others-writable folder", func(t *testing.T, d string) setup {
			mkdir(t, d+"/open/my tools", 0o755)
			copyFile(t, d+"/code", d+"/open/my tools/code", 0o755)
			return setup{`"` + d + `/open/my tools/code" --x`, d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"after a variable assignment", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/code", 0o755)
			return setup{"LANG=C " + d + "/open/code", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"after exec", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/code", 0o755)
			return setup{"exec " + d + "/open/code", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"home-relative path through an others-writable folder", func(t *testing.T, d string) setup {
			copyFile(t, d+"/code", d+"/open/code", 0o755)
			t.Setenv("HOME", d+"/open")
			return setup{"~/code", d + "/open", "chmod go-w " + d + "/open"}
		}},
		{"relative path (the repository's files when git runs us)", func(t *testing.T, d string) setup {
			t.Chdir(d)
			return setup{"./code", "./code", "absolute path"}
		}},
		{"bare name found through . on PATH", func(t *testing.T, d string) setup {
			t.Chdir(d)
			t.Setenv("PATH", ".:"+os.Getenv("PATH"))
			return setup{"code", "relative folder", ". and empty entries"}
		}},
		{"program named by a variable", func(t *testing.T, d string) setup {
			t.Setenv("MFA_TEST_CODE", d+"/code")
			return setup{"$MFA_TEST_CODE", "$MFA_TEST_CODE", "absolute path"}
		}},
		{"a shell program", func(t *testing.T, d string) setup {
			return setup{"if true; then " + d + "/open/code; fi", `"if"`, "script"}
		}},
		{"0755 script in a private folder", func(t *testing.T, d string) setup {
			return setup{d + "/code", "", ""}
		}},
		{"quoted path with spaces in a private folder", func(t *testing.T, d string) setup {
			mkdir(t, d+"/my tools", 0o700)
			copyFile(t, d+"/code", d+"/my tools/code", 0o755)
			return setup{`'` + d + `/my tools/code' --x`, "", ""}
		}},
		{"a private folder in a sticky folder others can write (as /tmp)", func(t *testing.T, d string) setup {
			mkdir(t, d+"/tmp", 0o777|os.ModeSticky)
			mkdir(t, d+"/tmp/mine", 0o700)
			copyFile(t, d+"/code", d+"/tmp/mine/code", 0o755)
			return setup{d + "/tmp/mine/code", "", ""}
		}},
		{"a system program first", func(t *testing.T, d string) setup {
			return setup{"/bin/sh " + d + "/code", "", ""}
		}},
		{"a builtin first", func(t *testing.T, d string) setup {
			return setup{"test -d /; " + d + "/code", "", ""}
		}},
	}
	kinds := []struct {
		name string
		run  func(ctx context.Context, p *profile.Profile) (string, error)
	}{
		{"credential_process", func(ctx context.Context, p *profile.Profile) (string, error) {
			out, err := CredentialProcess(ctx, p, false)
			return strings.TrimSpace(string(out)), err
		}},
		{"mfa_process", func(ctx context.Context, p *profile.Profile) (string, error) {
			return TokenCommand{Command: p.TokenCommand}.Code(ctx, p)
		}},
	}
	for _, k := range kinds {
		for _, c := range cases {
			t.Run(k.name+"/"+c.name, func(t *testing.T) {
				d := t.TempDir()
				mustDo(t, os.Chmod(d, 0o700))
				mkdir(t, d+"/aws", 0o700)
				mkdir(t, d+"/open", 0o777)
				mark := filepath.Join(d, "ran")
				mustDo(t, os.WriteFile(d+"/code", []byte("#!/bin/sh\ntouch "+mark+"\necho 123456\n"), 0o755))
				s := c.make(t, d)
				mustDo(t, os.WriteFile(d+"/aws/config", []byte("[profile dev]\n"+k.name+" = "+s.line+"\n"), 0o600))
				p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev",
					TokenCommand: s.line, CredentialProcess: s.line,
					Files: profile.Files{Config: d + "/aws/config"}}
				out, err := k.run(context.Background(), p)
				_, statErr := os.Stat(mark)
				ran := statErr == nil
				if s.blame == "" {
					if err != nil || out != "123456" || !ran {
						t.Fatalf("%s = %q, %v (ran: %v); want the output of %s", k.name, out, err, ran, s.line)
					}
					return
				}
				if ran {
					t.Error("the command ran")
				}
				if !errors.Is(err, ErrUntrusted) {
					t.Fatalf("%s = %q, %v; want a refusal", k.name, out, err)
				}
				msg := err.Error()
				t.Logf("%s\nhint: %s", msg, hint.Of(err))
				if !strings.Contains(msg, "refusing to run the "+k.name+` of profile "dev"`) || !strings.Contains(msg, s.blame+" ") {
					t.Errorf("message %q does not name the %s and %s", msg, k.name, s.blame)
				}
				if h := hint.Of(err); !strings.Contains(h, s.fix) {
					t.Errorf("hint %q does not say %q", h, s.fix)
				}
			})
		}
	}
}

// TestTokenCommandGivenNotChecked: a token command typed by the user
// (--token-command, Given) is the user's own words, as today: it runs
// even when it names a program in an others-writable folder.
func TestTokenCommandGivenNotChecked(t *testing.T) {
	d := t.TempDir()
	mkdir(t, d+"/open", 0o777)
	mustDo(t, os.WriteFile(d+"/open/code", []byte("#!/bin/sh\necho 123456\n"), 0o777))
	p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev"}
	code, err := TokenCommand{Command: d + "/open/code", Given: true}.Code(context.Background(), p)
	if err != nil || code != "123456" {
		t.Fatalf("Code = %q, %v; want the given command to run", code, err)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	mustDo(t, err)
	mustDo(t, os.WriteFile(to, b, 0o600))
	chmod(t, to, mode)
}
