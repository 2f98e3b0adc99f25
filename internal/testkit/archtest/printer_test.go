package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// printers are the only packages whose code may write "mfa-git: ..."
// lines: cmd/mfa-git, the one printer of errors, warnings and notices,
// and prompt, whose lines are the prompt itself (see its doc).
var printers = []string{"cmd/mfa-git/", "internal/prompt/"}

// TestOnePrinter fails when a package other than the printers holds a
// string that starts an "mfa-git:" line: packages return errors with
// hints, or pass warnings to a func cmd gives them.
func TestOnePrinter(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		for _, p := range printers {
			if strings.HasPrefix(rel, p) {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if code := strings.TrimSpace(line); !strings.HasPrefix(code, "//") && strings.Contains(code, `"mfa-git: `) {
				t.Errorf("%s:%d writes an mfa-git: line; return an error with a hint, or take a Warn func from cmd: %s", rel, i+1, code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
