package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// Edits change the lines the reader takes, in every form the reader
// takes them, and keep every other byte. Each case compares the whole
// file after the edit.
func TestRemoveKeysReaderRoles(t *testing.T) {
	keys := []string{"aws_access_key_id", "aws_secret_access_key"}
	for _, tt := range []struct {
		name, section, orig, want string
	}{
		{"[profile default] beside [default]: both lose the keys", "default",
			"[default]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[profile default]\naws_access_key_id = AKIABBBBBBBBBBBBBBBB\naws_secret_access_key = s\nregion = eu-west-1\n",
			"[default]\n[profile default]\nregion = eu-west-1\n"},
		{"a colon as separator", "base",
			"[base]\naws_access_key_id: AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key :s\nregion = eu-west-1\n",
			"[base]\nregion = eu-west-1\n"},
		{"a continued value goes with its key", "base",
			"[base]\nregion = us-east-1\naws_secret_access_key = abc\n  def\n# kept\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n",
			"[base]\nregion = us-east-1\n# kept\n"},
		{"an indented key the reader promotes", "base",
			"[base]\nregion = us-east-1\n  aws_secret_access_key = s\n\taws_access_key_id=AKIAAAAAAAAAAAAAAAAA\n",
			"[base]\nregion = us-east-1\n"},
		{"every copy of a duplicate section, however its header is spaced", "base",
			"[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[other]\naws_access_key_id = AKIAOTHERKEY0EXAMPLE\n[ base ] ; again\naws_secret_access_key = s\n",
			"[base]\n[other]\naws_access_key_id = AKIAOTHERKEY0EXAMPLE\n[ base ] ; again\n"},
		{"[profile x] in the credentials file is not x", "x",
			"[profile x]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[x]\naws_access_key_id = AKIABBBBBBBBBBBBBBBB\naws_secret_access_key = s\n",
			"[profile x]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[x]\n"},
		{"[x] in the config file is not profile x", "profile x",
			"[x]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[profile x]\naws_secret_access_key = s\naws_access_key_id = AKIABBBBBBBBBBBBBBBB\n",
			"[x]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n[profile x]\n"},
		{"a header with text after ] is no header", "base",
			"[other]\n[base] x\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n",
			"[other]\n[base] x\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n"},
		{"BOM, CRLF and a last line without newline are kept", "base",
			"\ufeff# mine\r\n[base]\r\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\r\nregion = r",
			"\ufeff# mine\r\n[base]\r\nregion = r"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "file")
			os.WriteFile(path, []byte(tt.orig), 0o600)
			if err := dropKeys(path, tt.section, keys...); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.want {
				t.Errorf("dropKeys(%q):\n got %q\nwant %q", tt.section, got, tt.want)
			}
		})
	}
}

func TestSetKeysReaderRoles(t *testing.T) {
	for _, tt := range []struct {
		name, section, orig, key, value, want string
	}{
		{"the last copy of a duplicate section wins", "profile a",
			"[profile a]\nregion = us-east-1\n[profile b]\n[profile a]\nregion = us-west-2\n", "region", "eu-west-1",
			"[profile a]\nregion = us-east-1\n[profile b]\n[profile a]\nregion = eu-west-1\n"},
		{"a new key goes to the last copy", "profile a",
			"[profile a]\nregion = us-east-1\n[profile b]\n[profile a]\noutput = json\n\n", "mfa_serial", "arn:aws:iam::123456789012:mfa/a",
			"[profile a]\nregion = us-east-1\n[profile b]\n[profile a]\noutput = json\nmfa_serial = arn:aws:iam::123456789012:mfa/a\n\n"},
		{"[profile default] beside [default]", "default",
			"[default]\nregion = us-east-1\n[profile default]\nregion = us-west-2\n", "mfa_serial", "arn:aws:iam::123456789012:mfa/a",
			"[default]\nregion = us-east-1\n[profile default]\nregion = us-west-2\nmfa_serial = arn:aws:iam::123456789012:mfa/a\n"},
		{"a colon as separator is rewritten in place", "profile a",
			"[profile a]\nmfa_serial: arn:aws:iam::123456789012:mfa/old\nregion = r\n", "mfa_serial", "arn:aws:iam::123456789012:mfa/new",
			"[profile a]\nmfa_serial = arn:aws:iam::123456789012:mfa/new\nregion = r\n"},
		{"a continued value is replaced whole", "profile a",
			"[profile a]\ncredential_process = old\n  --flag\n; note\nregion = r\n", "credential_process", "new",
			"[profile a]\ncredential_process = new\n; note\nregion = r\n"},
		{"an indented key the reader promotes", "profile a",
			"[profile a]\nregion = r\n  mfa_serial = arn:aws:iam::123456789012:mfa/old\n", "mfa_serial", "arn:aws:iam::123456789012:mfa/new",
			"[profile a]\nregion = r\nmfa_serial = arn:aws:iam::123456789012:mfa/new\n"},
		{"[a] in the config file is not profile a", "profile a",
			"[a]\nregion = r\n", "region", "eu-west-1",
			"[a]\nregion = r\n\n[profile a]\nregion = eu-west-1\n"},
		{"BOM, CRLF and a last line without newline", "profile a",
			"\ufeff; mine\r\n[profile a]\r\nregion = r", "mfa_serial", "arn:aws:iam::123456789012:mfa/a",
			"\ufeff; mine\r\n[profile a]\r\nregion = r\r\nmfa_serial = arn:aws:iam::123456789012:mfa/a\r\n"},
		{"the last line, without newline, rewritten", "profile a",
			"[profile a]\nregion = r", "region", "eu-west-1",
			"[profile a]\nregion = eu-west-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			os.WriteFile(path, []byte(tt.orig), 0o600)
			if err := setKeys(path, tt.section, [][2]string{{tt.key, tt.value}}); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.want {
				t.Errorf("setKeys(%q):\n got %q\nwant %q", tt.section, got, tt.want)
			}
		})
	}
}

// An edit the reader would not read as meant is refused before anything
// is written (the file keeps its bytes, or is not created), and the
// error names the file and line.
func TestEditsVerified(t *testing.T) {
	for _, tt := range []struct {
		name, orig string
		edit       func(path string) error
		line       int
	}{
		{"an inline comment in the value", "[profile a]\nregion = r\n",
			func(p string) error {
				return setKeys(p, "profile a", [][2]string{{"credential_process", "mfa-git credential-process --profile 'a #b'"}})
			}, 3},
		{"quotes the reader strips", "[profile a]\nregion = r\n",
			func(p string) error { return setKeys(p, "profile a", [][2]string{{"external_id", "'x'"}}) }, 3},
		{"spaces the reader trims", "[profile a]\nregion = r\n",
			func(p string) error { return setKeys(p, "profile a", [][2]string{{"region", "eu-west-1 "}}) }, 2},
		{"a removal that would make a promoted key a sub-property", "[base]\ns3 =\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n  region = r\n",
			func(p string) error { return dropKeys(p, "base", "aws_access_key_id") }, 4},
		{"a new file", "",
			func(p string) error { return setKeys(p, "profile a", [][2]string{{"region", `"eu-west-1"`}}) }, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			if tt.orig != "" {
				os.WriteFile(path, []byte(tt.orig), 0o640)
			}
			err := tt.edit(path)
			if err == nil {
				got, _ := os.ReadFile(path)
				t.Fatalf("the edit succeeded; the file reads:\n%s", got)
			}
			if want := path + ":" + strconv.Itoa(tt.line) + ":"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("err = %v, want %q and nothing changed", err, want)
			}
			got, rerr := os.ReadFile(path)
			if tt.orig == "" {
				if !os.IsNotExist(rerr) {
					t.Errorf("the edit created the file: %q %v", got, rerr)
				}
				return
			}
			if string(got) != tt.orig {
				t.Errorf("the file changed:\n got %q\nwant %q", got, tt.orig)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != testenv.Perm(0o640, false) {
				t.Errorf("mode %v", fi.Mode().Perm())
			}
		})
	}
}

// What the file says after it is written is checked again, read from
// disk: when that differs from what the edit meant (another program
// wrote the file meanwhile, say), the file is put back as it was, or
// removed when the edit created it.
func TestFileEditPutsBack(t *testing.T) {
	for _, existed := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "config")
		orig := []byte("[profile a]\nregion = r\n")
		if existed {
			os.WriteFile(path, orig, 0o640)
		}
		calls := 0
		e := &fileEdit{path: path, orig: orig, existed: existed, out: []byte("[profile a]\nregion = s\n"), check: func([]byte) error {
			if calls++; calls > 1 {
				return errors.New(path + ":2: not what was meant")
			}
			return nil
		}}
		if err := e.precheck(); err != nil {
			t.Fatal(err)
		}
		err := e.write()
		if err == nil || !strings.Contains(err.Error(), "put back as it was") {
			t.Errorf("existed=%v: err = %v, want the file put back", existed, err)
		}
		got, rerr := os.ReadFile(path)
		if existed && string(got) != string(orig) || !existed && !os.IsNotExist(rerr) {
			t.Errorf("existed=%v: the file now %q, %v", existed, got, rerr)
		}
	}
}

// An edit's message names a secret key that would change, never its
// value.
func TestReadKeyAsHidesSecrets(t *testing.T) {
	for _, tc := range []struct {
		key, want string
	}{
		{"aws_secret_access_key", "set (value not shown)"},
		{"aws_session_token", "set (value not shown)"},
		{"mfa_serial", `"SECRETVALUE"`},
	} {
		if got := readKeyAs(tc.key, iniValue{str: "SECRETVALUE"}, true); got != tc.want {
			t.Errorf("readKeyAs(%s) = %s, want %s", tc.key, got, tc.want)
		}
		if got := readKeyAs(tc.key, iniValue{}, false); got != "unset" {
			t.Errorf("readKeyAs(%s, unset) = %s", tc.key, got)
		}
	}
}
