package gitconfig

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The parser reads every file as git does: the same variables, names and
// values, and an error exactly where git gives one.
func TestParserAgreesWithGit(t *testing.T) {
	testenv.Require(t, "git")
	for _, src := range []string{
		"",
		"[a]\nb = c\n",
		"[a]\n\tb=c\n  d = \"  quoted ; # \\\" \\\\ \\t \\n\"  ; comment\n",
		"[a]\nb = one \\\n  two\n",
		"[a]\nb = x   y\t z   \n",
		"[a]\nb\nc =\nd = \"\"\n",
		"[A \"Sub Section\"]\nKey = V\n[a \"x\\\"y\\\\z\"]\nk = v\n",
		"[a.B]\nk = v\n",
		"[a \"b\"] k = v\n[c]k2=v2",
		"\xef\xbb\xbf[a]\r\nb = c\r\n\r\n# x\r\n",
		"[a]\r\nb = c\\\r\n d\r\n",
		"# c\n; d\n   \n[a] # comment\n\tb = c # d\n",
		"[credential \"https://git-codecommit.*.amazonaws.com\"]\n\thelper =\n\thelper = \"!f() { echo x; }; f\"\n\tUseHttpPath\n",
		"[a]\nb = \"unclosed\n",
		"[a]\nb = bad \\q escape\n",
		"[a\nb = c\n",
		"[a \"b]\nc = d\n",
		"[a \"b\" ]\nc = d\n",
		"b = c\n[a]\n",
		"[a]\n1b = c\n",
		"[a]\nb c\n",
		"[a_b]\nc = d\n",
		"[a]\nb = c\rd\n",
		"[]\nb = c\n",
	} {
		f := filepath.Join(t.TempDir(), "config")
		os.WriteFile(f, []byte(src), 0o600)
		out, gitErr := exec.Command("git", "config", "--file", f, "--null", "--list").Output()
		lines, err := parseGitConfig([]byte(src))
		if (gitErr != nil) != (err != nil) {
			t.Errorf("%q: git says %v, the parser %v", src, gitErr, err)
			continue
		}
		if err != nil {
			continue
		}
		var want, got []string
		for _, e := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
			if e != "" {
				name, value, _ := strings.Cut(e, "\n")
				want = append(want, name+"="+value)
			}
		}
		for _, l := range lines {
			if l.key == "" {
				continue
			}
			name, sub, hasSub := strings.Cut(l.section, "\x00")
			if hasSub {
				name += "." + sub
			}
			if name != "" {
				name += "."
			}
			got = append(got, name+l.key+"="+l.value)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\n got %q\nwant %q", src, got, want)
		}
	}
}

// quoteValue writes what git reads back as the same value.
func TestQuoteValue(t *testing.T) {
	for _, v := range []string{"", "mfa-git", "mfa-git --profile 'a b'", " lead", "trail ", "a;b", "a#b", `a"b\c`, "tab\there", "!f() { x; }; f"} {
		lines, err := parseGitConfig([]byte("[a]\n\tk = " + quoteValue(v) + "\n"))
		if err != nil || len(lines) != 2 || lines[1].value != v {
			t.Errorf("%q written as %q reads back as %+v, %v", v, quoteValue(v), lines, err)
		}
	}
}

// Whatever the file, the parser does not panic, its lines cover the file
// exactly, in order, and undoing a setup gives the file back.
func FuzzParseGitConfig(f *testing.F) {
	f.Add([]byte(userConfig))
	f.Add([]byte("[a \"b\"] k = v\r\n[c.D]\n\tx = \"y\\\n z\"; c\n"))
	f.Add([]byte("\xef\xbb\xbf[credential \"" + cc + "\"]\n\thelper = a\n\tuseHttpPath"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := parseGitConfig(data)
		if err != nil {
			return
		}
		at := 0
		for _, l := range lines {
			if l.start != at || l.end <= l.start {
				t.Fatalf("line %+v does not start at %d", l, at)
			}
			at = l.end
		}
		if at != len(data) {
			t.Fatalf("lines end at %d of %d", at, len(data))
		}
		next, rec, err := applySetup(string(data), Entries("mfa-git"))
		if err != nil {
			return
		}
		rec.After = digestOf(next)
		if back, notes := undoSetup("config", next, rec); back != string(data) || notes != nil {
			t.Fatalf("undo gave %q (%q), want %q", back, notes, data)
		}
	})
}

// A section's id is its lower-cased name, and for a subsection a NUL and
// the subsection: as written in quotes, or lower-cased in the old
// [name.sub] form.
func TestSectionIDs(t *testing.T) {
	for src, want := range map[string]string{
		"[a]":              "a",
		"[A.B]":            "a\x00b",
		"[a.b.C]":          "a\x00b.c",
		`[A "Sub"]`:        "a\x00Sub",
		`[Cred "x.Y"]`:     "cred\x00x.Y",
		`[a ""]`:           "a\x00",
		"[credential.foo]": "credential\x00foo",
	} {
		lines, err := parseGitConfig([]byte(src + "\nk = v\n"))
		if err != nil || len(lines) != 2 || lines[1].section != want {
			t.Errorf("%s: lines %+v, %v; want section %q", src, lines, err, want)
		}
	}
}
