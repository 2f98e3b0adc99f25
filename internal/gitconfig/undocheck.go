package gitconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// checkUndone reads the config file at path again after Unconfigure
// wrote it, and checks it against rec: git reads none of the helpers
// setup configured for its patterns, and every line setup took out is
// back in a section of its own name, with its value. It returns what is
// left, one sentence each (none when the undo did what it said), and the
// change lines of Unconfigure that the file does not bear out.
func (g File) checkUndone(path string, rec *setupRecord) (left []string, notDone map[string]bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s again to check the undo: %w", path, err)
	}
	notDone = map[string]bool{}
	if len(b) > 0 {
		for _, e := range rec.entriesBesides(nil) {
			out, err := g.git(nil, "config", "--file", path, "--get-all", "credential."+e.Pattern+".helper")
			if err != nil {
				return nil, nil, fmt.Errorf("ask git how it reads %s: %w", path, err)
			}
			if slices.Contains(strings.Split(strings.TrimSuffix(out, "\n"), "\n"), e.Helper) {
				left = append(left, fmt.Sprintf("git still reads helper = %s for credential.%s", e.Helper, e.Pattern))
				notDone[removedChange(e.Pattern)] = true
			}
		}
	}
	lines, err := parseGitConfig(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, r := range rec.Removed {
		if !holdsLine(lines, r) {
			left = append(left, fmt.Sprintf("%q is not back in %s", strings.TrimSpace(r.Text), strings.TrimSpace(r.Header)))
			notDone[putBackChange(r)] = true
		}
	}
	return left, notDone, nil
}

// removedChange and putBackChange are Unconfigure's change lines.
func removedChange(pattern string) string { return "removed the mfa-git helper for " + pattern }
func putBackChange(r removedLine) string {
	return fmt.Sprintf("put back %q in %s", strings.TrimSpace(r.Text), strings.TrimSpace(r.Header))
}

// holdsLine reports whether lines set r's variable to r's value in a
// section of r's name.
func holdsLine(lines []cfgLine, r removedLine) bool {
	want, err := parseGitConfig([]byte(strings.TrimRight(r.Header, "\r\n") + "\n" + strings.TrimRight(r.Text, "\r\n") + "\n"))
	if err != nil || len(want) == 0 {
		return false
	}
	w := want[len(want)-1]
	return slices.ContainsFunc(lines, func(l cfgLine) bool {
		return l.key != "" && l.section == w.section && l.key == w.key && l.value == w.value
	})
}

// undoLeft is the error for an undo that left something: each thing
// named, and how to finish by hand.
func undoLeft(path string, left []string) error {
	return hint.New(nil, fmt.Sprintf("setup --undo did not finish in %s: %s", path, strings.Join(left, "; ")),
		"edit "+path+" by hand (git config --edit) to remove or put back those lines")
}
