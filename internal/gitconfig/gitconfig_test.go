package gitconfig

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

const cc = "https://git-codecommit.*.amazonaws.com"

// userConfig is a ~/.gitconfig written by hand: comments, tabs and
// spaces, the user's own helper and useHttpPath in a CodeCommit section
// with another key of theirs, a subsection with upper case letters, a
// quoted value with a comment after it, a continued line, an unrelated
// section after it, and no final newline.
const userConfig = "# my git config\n" +
	"[user]\n" +
	"    name = Bob ; a comment\n" +
	"\temail = \"bob@example.com\" # quoted\n" +
	"[credential \"" + cc + "\"]\n" +
	"\thelper = osxkeychain\n" +
	"  useHttpPath = false\n" +
	"\tusername = bob\n" +
	"[credential \"https://GitHub.com/MyOrg\"]\n" +
	"\thelper = store\n" +
	"[alias]\n" +
	"\tlg = log --graph \\\n" +
	"\t\t--oneline\n" +
	"[core]\n" +
	"\teditor = vim"

func gitIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return string(out), err
}

func isolateGit(t *testing.T) (cfg, state string) {
	t.Helper()
	testenv.Require(t, "git")
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	cfg = filepath.Join(dir, "gitconfig")
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	return cfg, filepath.Join(dir, "state")
}

// gitSees returns the helpers and useHttpPath git reads for pattern.
func gitSees(t *testing.T, pattern string) ([]string, string) {
	t.Helper()
	h, _ := gitIn(t, "", "config", "--global", "--get-all", "credential."+pattern+".helper")
	u, _ := gitIn(t, "", "config", "--global", "--type", "bool", "credential."+pattern+".useHttpPath")
	return strings.Split(strings.TrimSuffix(h, "\n"), "\n"), strings.TrimSpace(u)
}

// setup then setup --undo leaves the file byte for byte as it was, git
// reads only mfa-git for the CodeCommit patterns in between, a second
// setup changes nothing, and no line of the user's but their helper and
// useHttpPath lines in those sections is touched.
func TestSetupUndoByteForByte(t *testing.T) {
	crlf := strings.ReplaceAll(userConfig, "\n", "\r\n")
	for _, tt := range []struct {
		name, orig string
		keep       []string // lines that must stay while set up
	}{
		{"hand-written, no final newline", userConfig, []string{"\tusername = bob\n", "[credential \"https://GitHub.com/MyOrg\"]\n", "\t\t--oneline\n"}},
		{"with a final newline", userConfig + "\n", []string{"\tusername = bob\n"}},
		{"CRLF", crlf, []string{"\tusername = bob\r\n"}},
		{"CRLF with a final one", crlf + "\r\n", nil},
		{"empty file", "", nil},
		{"only a comment, no newline", "# nothing yet", []string{"# nothing yet\n"}},
		{"section and key in other case, two sections", "[Credential \"" + cc + "\"]\n\tHelper = manager\n[user]\n\tname = x\n[credential \"" + cc + "\"]\n\tUseHTTPPath\n\thelper = \"!f() { echo x; }; f\"\n\tusername = bob\n", []string{"[Credential \"" + cc + "\"]\n", "\tusername = bob\n"}},
		{"an mfa-git setup of an older version", "[credential \"" + cc + "\"]\n\thelper = \n\thelper = mfa-git --profile old\n\tuseHttpPath = true\n", nil},
		{"legacy section form and a BOM", "\xef\xbb\xbf[credential.helper]\n[credential]\n\thelper = cache\n", []string{"[credential]\n\thelper = cache\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, state := isolateGit(t)
			if err := os.WriteFile(cfg, []byte(tt.orig), 0o640); err != nil {
				t.Fatal(err)
			}
			g := File{Scope: "global", StateDir: state}
			entries := append(Entries("mfa-git --profile 'a b'"), Entry{"https://Proxy.Example.com/Repos", "mfa-git --ignore-host-check --region eu-west-1"})
			if _, err := g.Configure(entries); err != nil {
				t.Fatal(err)
			}
			after, _ := os.ReadFile(cfg)
			for _, e := range entries {
				if h, u := gitSees(t, e.Pattern); !slices.Equal(h, []string{"", e.Helper}) || u != "true" {
					t.Fatalf("git sees helpers %q, useHttpPath %q for %s in:\n%s", h, u, e.Pattern, after)
				}
			}
			for _, k := range tt.keep {
				if !strings.Contains(string(after), k) {
					t.Errorf("setup removed %q:\n%s", k, after)
				}
			}
			if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o640 {
				t.Errorf("mode %v", fi.Mode().Perm())
			}
			if ch, err := g.Configure(entries); err != nil || len(ch) != 0 {
				t.Fatalf("second setup: %q, %v", ch, err)
			}
			if again, _ := os.ReadFile(cfg); string(again) != string(after) {
				t.Fatalf("the second setup changed the file:\n%s", again)
			}
			if _, err := g.Unconfigure(); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(cfg); string(got) != tt.orig {
				t.Fatalf("after undo:\n got %q\nwant %q", got, tt.orig)
			}
		})
	}
}

// A missing ~/.gitconfig is created by setup and removed by undo.
func TestSetupUndoCreatedFile(t *testing.T) {
	cfg, state := isolateGit(t)
	g := File{Scope: "global", StateDir: state}
	if _, err := g.Configure(Entries("mfa-git")); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Unconfigure(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(cfg); !os.IsNotExist(err) {
		t.Fatalf("the file setup created is still there: %v", err)
	}
}

// A profile change replaces mfa-git's block and still undoes to the
// original; the user's lines are put back once.
func TestSetupTwiceWithAnotherProfile(t *testing.T) {
	cfg, state := isolateGit(t)
	os.WriteFile(cfg, []byte(userConfig), 0o600)
	g := File{Scope: "global", StateDir: state}
	for _, h := range []string{"mfa-git --profile a", "mfa-git --profile b"} {
		if _, err := g.Configure(Entries(h)); err != nil {
			t.Fatal(err)
		}
		if got, _ := gitSees(t, cc); !slices.Equal(got, []string{"", h}) {
			t.Fatalf("git sees %q", got)
		}
	}
	g.Unconfigure()
	if got, _ := os.ReadFile(cfg); string(got) != userConfig {
		t.Fatalf("after undo:\n%s", got)
	}
}

// When the user edits the file between setup and undo, undo removes only
// mfa-git's lines, puts the user's back where they were, and says what it
// could not do; it never removes a section or key the user wrote.
func TestUndoAfterUserEdits(t *testing.T) {
	onlyHelper := "[credential \"" + cc + "\"]\n\thelper = osxkeychain\n[user]\n\tname = Bob\n"
	for _, tt := range []struct {
		name        string
		orig        string
		edit        func(string) string
		want        string
		wantNote    string
		wantChanged bool
	}{
		{"the user's section held only a helper; mfa-git's block edited", onlyHelper, func(s string) string {
			return strings.Replace(s, "\thelper = mfa-git\n", "\thelper = mfa-git\n\t# mine\n", 1)
		}, "", "kept the header", true},
		{"a line added at the top", "", func(s string) string { return "[init]\n\tdefaultBranch = main\n" + s },
			"[init]\n\tdefaultBranch = main\n" + userConfig, "", true},
		{"a key added inside mfa-git's section", "", func(s string) string {
			return strings.Replace(s, "\tuseHttpPath = true\n", "\tuseHttpPath = true\n\tusername = me\n", 1)
		}, "", "kept the header", true},
		{"the user's section removed", "", func(s string) string {
			return strings.Replace(s, "[credential \""+cc+"\"]\n\tusername = bob\n", "", 1)
		}, "", "could not put back", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, state := isolateGit(t)
			orig := userConfig
			if tt.orig != "" {
				orig = tt.orig
			}
			os.WriteFile(cfg, []byte(orig), 0o600)
			g := File{Scope: "global", StateDir: state}
			if _, err := g.Configure(Entries("mfa-git")); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(cfg)
			os.WriteFile(cfg, []byte(tt.edit(string(b))), 0o600)
			notes, err := g.Unconfigure()
			// A line that cannot be put back is left undone: named, and
			// an error (the file read again does not hold it).
			if notBack := tt.wantNote == "could not put back"; (err != nil) != notBack || notBack && !strings.Contains(err.Error(), "is not back in") {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(cfg)
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("after undo:\n got %q\nwant %q", got, tt.want)
			}
			if tt.wantNote != "" && !strings.Contains(strings.Join(notes, "\n"), tt.wantNote) {
				t.Errorf("notes %q, want %q", notes, tt.wantNote)
			}
			if strings.Contains(string(got), "helper =\n") || strings.Contains(string(got), "mfa-git") {
				t.Errorf("mfa-git's lines are still there:\n%s", got)
			}
			keep := []string{"[user]", "name = Bob", "[credential \"https://GitHub.com/MyOrg\"]", "[core]"}
			if tt.orig != "" {
				keep = []string{"[user]", "name = Bob", "[credential \"" + cc + "\"]\n\thelper = osxkeychain\n"}
			}
			for _, k := range keep {
				if !strings.Contains(string(got), k) {
					t.Errorf("undo removed the user's %q:\n%s", k, got)
				}
			}
		})
	}
}

// An older mfa-git's setup (no record) is undone as before: its lines go,
// its sections go when empty, and a section the user added keys to stays
// with those keys.
func TestUndoWithoutRecord(t *testing.T) {
	cfg, state := isolateGit(t)
	orig := "[user]\n\tname = x\n"
	os.WriteFile(cfg, []byte(orig+
		"[credential \""+cc+"\"]\n\thelper = \n\thelper = mfa-git --profile base\n\tuseHttpPath = true\n"+
		"[credential \"https://git-codecommit.*.amazonaws.com.cn\"]\n\thelper = \n\thelper = mfa-git\n\tuseHttpPath = true\n\tusername = bob\n"), 0o600)
	ch, err := File{Scope: "global", StateDir: state}.Unconfigure()
	if err != nil || len(ch) != 2 {
		t.Fatalf("%q, %v", ch, err)
	}
	got, _ := os.ReadFile(cfg)
	if want := orig + "[credential \"https://git-codecommit.*.amazonaws.com.cn\"]\n\tusername = bob\n"; string(got) != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// A symlinked ~/.gitconfig (dotfile managers) is edited through the
// link: it stays a link, and the target keeps its mode.
func TestSetupThroughSymlink(t *testing.T) {
	cfg, state := isolateGit(t)
	target := filepath.Join(filepath.Dir(cfg), "dotfiles", "gitconfig")
	os.MkdirAll(filepath.Dir(target), 0o700)
	os.WriteFile(target, []byte(userConfig), 0o640)
	if err := os.Symlink("dotfiles/gitconfig", cfg); err != nil {
		t.Fatal(err)
	}
	g := File{Scope: "global", StateDir: state}
	for _, step := range []func() ([]string, error){
		func() ([]string, error) { return g.Configure(Entries("mfa-git")) },
		g.Unconfigure,
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(cfg); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v", err)
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
			t.Fatalf("target mode %v", fi.Mode().Perm())
		}
	}
	if got, _ := os.ReadFile(target); string(got) != userConfig {
		t.Fatalf("after undo: %q", got)
	}
}

// A file git itself cannot read is not edited.
func TestSetupRefusesBrokenConfig(t *testing.T) {
	for _, bad := range []string{
		"[credential \"" + cc + "\"\n\thelper = x\n",
		"[user]\n\tname = \"unclosed\n",
		"[user]\n\tname = a\\qb\n",
		"[user]\n\t1name = x\n",
		"[credential \"" + cc + "\"] helper = osxkeychain\n",
	} {
		cfg, state := isolateGit(t)
		os.WriteFile(cfg, []byte(bad), 0o600)
		if _, err := (File{Scope: "global", StateDir: state}).Configure(Entries("mfa-git")); err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: %v", bad, err)
		}
		if got, _ := os.ReadFile(cfg); string(got) != bad {
			t.Errorf("%q was changed", bad)
		}
	}
}

// The global file is where git writes: GIT_CONFIG_GLOBAL, else
// ~/.gitconfig, else an existing XDG file.
func TestGlobalPath(t *testing.T) {
	_, _ = isolateGit(t)
	home := os.Getenv("HOME")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "custom"))
	g := File{Scope: "global"}
	if p, _ := g.Path(); p != filepath.Join(home, "custom") {
		t.Errorf("with GIT_CONFIG_GLOBAL: %s", p)
	}
	os.Unsetenv("GIT_CONFIG_GLOBAL")
	if p, _ := g.Path(); p != filepath.Join(home, ".gitconfig") {
		t.Errorf("nothing exists: %s", p)
	}
	xdg := filepath.Join(home, ".config", "git", "config")
	os.MkdirAll(filepath.Dir(xdg), 0o700)
	os.WriteFile(xdg, nil, 0o600)
	if p, _ := g.Path(); p != xdg {
		t.Errorf("only the XDG file exists: %s", p)
	}
	os.WriteFile(filepath.Join(home, ".gitconfig"), nil, 0o600)
	if p, _ := g.Path(); p != filepath.Join(home, ".gitconfig") {
		t.Errorf("both exist: %s", p)
	}
	// git agrees: it writes where Path says.
	gitIn(t, "", "config", "--global", "x.y", "z")
	if b, _ := os.ReadFile(filepath.Join(home, ".gitconfig")); !strings.Contains(string(b), "y = z") {
		t.Errorf("git wrote elsewhere")
	}
}

// A later setup without --url keeps the URL an earlier one configured,
// and changes nothing else; undo still restores the original.
func TestSetupKeepsEarlierURL(t *testing.T) {
	cfg, state := isolateGit(t)
	os.WriteFile(cfg, []byte(userConfig), 0o600)
	g := File{Scope: "global", StateDir: state}
	proxy := Entry{"https://git.example.com", "mfa-git --ignore-host-check --region eu-west-1"}
	if _, err := g.Configure(append(Entries("mfa-git"), proxy)); err != nil {
		t.Fatal(err)
	}
	if ch, err := g.Configure(Entries("mfa-git")); err != nil || len(ch) != 0 {
		t.Fatalf("setup without --url: %q, %v", ch, err)
	}
	if h, _ := gitSees(t, proxy.Pattern); !slices.Equal(h, []string{"", proxy.Helper}) {
		t.Fatalf("the --url helper is gone: %q", h)
	}
	g.Unconfigure()
	if got, _ := os.ReadFile(cfg); string(got) != userConfig {
		t.Fatalf("after undo:\n%s", got)
	}
}
