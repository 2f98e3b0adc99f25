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

// TestCommandsOnlyFromTrustedFiles runs token commands and askpass
// programs named in files another user could write, and checks that each
// is refused before it runs (it would leave a mark), with a message that
// names the file and a hint that fixes it; the same from trusted files
// run.
func TestCommandsOnlyFromTrustedFiles(t *testing.T) {
	type setup struct {
		prompter Prompter
		blame    string // "" to run; else the path the refusal names
	}
	cases := []struct {
		name string
		make func(t *testing.T, d, prog string) setup
	}{
		{"mfa_process from a private config file", func(t *testing.T, d, prog string) setup {
			return setup{TokenCommand{Command: prog}, ""}
		}},
		{"mfa_process from a group-writable config file", func(t *testing.T, d, prog string) setup {
			chmod(t, d+"/aws/config", 0o660)
			return setup{TokenCommand{Command: prog}, d + "/aws/config"}
		}},
		{"mfa_process from an other-writable credentials file", func(t *testing.T, d, prog string) setup {
			chmod(t, d+"/aws/credentials", 0o606)
			return setup{TokenCommand{Command: prog}, d + "/aws/credentials"}
		}},
		{"mfa_process from a config file in an others-writable folder", func(t *testing.T, d, prog string) setup {
			chmod(t, d+"/aws", 0o777)
			return setup{TokenCommand{Command: prog}, d + "/aws"}
		}},
		{"mfa_process through a symlink into an others-writable folder", func(t *testing.T, d, prog string) setup {
			mkdir(t, d+"/open", 0o777)
			mustDo(t, os.Rename(d+"/aws/config", d+"/open/config"))
			mustDo(t, os.Symlink(d+"/open/config", d+"/aws/config"))
			return setup{TokenCommand{Command: prog}, d + "/open"}
		}},
		{"--token-command is the user's own words", func(t *testing.T, d, prog string) setup {
			chmod(t, d+"/aws/config", 0o666)
			return setup{&chooser{Options{TokenCommand: prog}}, ""}
		}},
		{"the chooser checks mfa_process", func(t *testing.T, d, prog string) setup {
			chmod(t, d+"/aws/config", 0o666)
			return setup{&chooser{Options{}}, d + "/aws/config"}
		}},
		{"askpass program of ours", func(t *testing.T, d, prog string) setup {
			return setup{askpass{program: prog}, ""}
		}},
		{"group-writable askpass program", func(t *testing.T, d, prog string) setup {
			chmod(t, prog, 0o770)
			return setup{askpass{program: prog}, prog}
		}},
		{"askpass program whose #! interpreter others can replace", func(t *testing.T, d, prog string) setup {
			mkdir(t, d+"/open", 0o777)
			sh, err := os.ReadFile("/bin/sh")
			mustDo(t, err)
			mustDo(t, os.WriteFile(d+"/open/sh", sh, 0o755))
			script, err := os.ReadFile(prog)
			mustDo(t, err)
			mustDo(t, os.WriteFile(prog, []byte(strings.Replace(string(script), "#!/bin/sh", "#!"+d+"/open/sh", 1)), 0o700))
			return setup{askpass{program: prog}, d + "/open"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			mustDo(t, os.Chmod(d, 0o700))
			mkdir(t, d+"/aws", 0o700)
			mark := filepath.Join(d, "ran")
			prog := filepath.Join(d, "code")
			mustDo(t, os.WriteFile(prog, []byte("#!/bin/sh\ntouch "+mark+"\necho 123456\n"), 0o700))
			mustDo(t, os.WriteFile(d+"/aws/config", []byte("[profile dev]\nmfa_process = "+prog+"\n"), 0o600))
			mustDo(t, os.WriteFile(d+"/aws/credentials", nil, 0o600))
			s := c.make(t, d, prog)
			p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev", TokenCommand: prog,
				Files: profile.Files{Config: d + "/aws/config", Credentials: d + "/aws/credentials"}}
			code, err := s.prompter.Code(context.Background(), p)
			_, statErr := os.Stat(mark)
			ran := statErr == nil
			if s.blame == "" {
				if err != nil || code != "123456" || !ran {
					t.Fatalf("Code = %q, %v (ran: %v); want the code from the command", code, err, ran)
				}
				return
			}
			if ran {
				t.Error("the command ran")
			}
			if !errors.Is(err, ErrUntrusted) {
				t.Fatalf("Code = %q, %v; want a refusal", code, err)
			}
			if !strings.Contains(err.Error(), "refusing to run") || !strings.Contains(err.Error(), s.blame+" ") {
				t.Errorf("message %q does not name %s", err, s.blame)
			}
			if h := hint.Of(err); !strings.Contains(h, "chmod go-w "+s.blame) {
				t.Errorf("hint %q does not say chmod go-w %s", h, s.blame)
			}
		})
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	mustDo(t, os.Chmod(path, mode))
}

func mkdir(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	mustDo(t, os.Mkdir(path, 0o700))
	chmod(t, path, mode)
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
