// Package gitconfig edits git configuration files for mfa-git setup: it
// adds the credential helper sections for CodeCommit and takes them out
// again byte for byte (setup --undo). It edits a file as text with its own
// parser of git's syntax, replaces it atomically through any symlink, and
// checks the result with git itself.
package gitconfig

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// gitTimeout bounds each git command setup runs.
const gitTimeout = 30 * time.Second

// File edits one git configuration file. It edits the file as text,
// so that what it adds can be taken out again byte for byte, and checks
// the result with git itself.
type File struct {
	// Scope is "global", "system" or "local" (the repository of the
	// current folder).
	Scope string
	// StateDir holds the records of what Configure changed (one 0600
	// file per config file), which Unconfigure needs to undo it.
	StateDir string
}

// git runs git with env added, within gitTimeout, and returns its output:
// "" when it exits 1 saying nothing, as git config does for a missing key.
func (g File) git(env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = append(child.WithoutSecrets(os.Environ()), env...) // git config needs none
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 && errb.Len() == 0 {
			return "", nil
		}
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// Path returns the file git config --SCOPE writes. For the global scope
// it applies git's rules itself (git-config(1), FILES): GIT_CONFIG_GLOBAL
// when set, else ~/.gitconfig, or $XDG_CONFIG_HOME/git/config (default
// ~/.config/git/config) when ~/.gitconfig does not exist and that does.
// For the others it asks git, which names the file it would edit.
func (g File) Path() (string, error) {
	if g.Scope != "global" {
		// git config --edit runs the editor on exactly the file it
		// writes; "echo" prints its name. Only the global scope creates
		// a missing file for the editor, and it is not asked here.
		out, err := g.git([]string{"GIT_EDITOR=echo"}, "config", "--"+g.Scope, "--edit")
		if err != nil {
			return "", err
		}
		p := strings.TrimRight(out, "\r\n")
		if p == "" {
			return "", fmt.Errorf("git did not name its --%s config file", g.Scope)
		}
		return p, nil
	}
	if p, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		if p == "" {
			return "", errors.New("GIT_CONFIG_GLOBAL is set but empty, so git has no global config file to write")
		}
		return p, nil
	}
	home, err := homeDir()
	if err != nil {
		return "", fmt.Errorf("find git's global config file: %w", err) // userdir's error carries its hint
	}
	user := filepath.Join(home, ".gitconfig")
	xdg := userdir.AbsEnv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	xdg = filepath.Join(xdg, "git", "config")
	if !readable(user) && readable(xdg) {
		return xdg, nil
	}
	return user, nil
}

// homeDir is HOME as git reads it: on Windows git sets it from
// HOMEDRIVE/HOMEPATH or USERPROFILE when missing; elsewhere a missing or
// relative HOME falls back to the user database, never the current
// folder (git runs helpers from a repository's root).
func homeDir() (string, error) {
	if runtime.GOOS == "windows" {
		if h := userdir.AbsEnv("HOME"); h != "" {
			return h, nil
		}
		if d, p := userdir.AbsEnv("HOMEDRIVE"), os.Getenv("HOMEPATH"); d != "" && p != "" {
			if fi, err := os.Stat(d + p); err == nil && fi.IsDir() {
				return d + p, nil
			}
		}
	}
	return userdir.Home()
}

func readable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// Entry is a credential URL pattern and the helper git runs for it.
type Entry struct{ Pattern, Helper string }

// Entries returns an Entry with helper for every CodeCommit host pattern.
func Entries(helper string) []Entry {
	var es []Entry
	for _, p := range gitcred.HostPatterns() {
		es = append(es, Entry{p, helper})
	}
	return es
}

// load finds the config file and returns its path, its text (a missing
// file is empty), whether it exists, and the record of the last setup.
func (g File) load() (path, text string, exists bool, rec *setupRecord, err error) {
	if path, err = g.Path(); err != nil {
		return "", "", false, nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	} else if err != nil {
		return "", "", false, nil, err
	} else {
		text, exists = string(b), true
	}
	rec, err = g.loadRecord(path)
	return path, text, exists, rec, err
}

// Configure makes git use each entry's helper, and only it, for its
// pattern. It takes the helper and useHttpPath lines out of the sections
// of those patterns (recording them), and appends one section per entry:
// an empty helper (which clears helpers that earlier config files added,
// such as osxkeychain or manager), the helper, and useHttpPath = true.
// Every other byte of the file stays as it was, and running it again
// changes nothing. It returns one line per change, and checks with git
// that git reads the file as intended (else the file is put back).
func (g File) Configure(entries []Entry) ([]string, error) {
	path, cur, exists, rec, err := g.load()
	if err != nil {
		return nil, err
	}
	// The file as it was before the last setup, then set up afresh,
	// keeping the patterns that setup configured and this one does not
	// name (an earlier --url).
	base, changes := cur, []string(nil)
	if rec != nil {
		base, changes = undoSetup(path, cur, rec)
		entries = append(slices.Clip(entries), rec.entriesBesides(entries)...)
	}
	next, newRec, err := applySetup(base, entries)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if next == cur && rec != nil {
		return nil, nil
	}
	for _, r := range newRec.Removed {
		changes = append(changes, fmt.Sprintf("took out %q from %s in %s (setup --undo puts it back)", strings.TrimSpace(r.Text), strings.TrimSpace(r.Header), path))
	}
	for _, e := range entries {
		changes = append(changes, fmt.Sprintf("credential.%s: helper = (reset), helper = %s, useHttpPath = true", e.Pattern, e.Helper))
	}
	newRec.After = digestOf(next)
	newRec.Created = !exists || rec != nil && rec.Created && base == ""
	if err := g.saveRecord(path, newRec); err != nil {
		return nil, fmt.Errorf("keep the setup record (so that setup --undo can undo it): %w", err)
	}
	if err := atomicfile.Write(path, []byte(next), 0o644); err != nil {
		g.saveRecord(path, rec)
		return nil, err
	}
	if err := g.verify(path, entries); err != nil {
		if werr := atomicfile.Write(path, []byte(cur), 0o644); werr == nil {
			g.saveRecord(path, rec)
			return nil, fmt.Errorf("%w; %s was put back as it was", err, path)
		}
		return nil, err
	}
	return changes, nil
}

// verify asks git whether it reads path as Configure means it to.
func (g File) verify(path string, entries []Entry) error {
	for _, e := range entries {
		out, err := g.git(nil, "config", "--file", path, "--get-all", "credential."+e.Pattern+".helper")
		if err != nil {
			return err
		}
		if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, []string{"", e.Helper}) {
			return fmt.Errorf("git reads the helpers for %s in %s as %q, not as setup wrote them", e.Pattern, path, got)
		}
		out, err = g.git(nil, "config", "--file", path, "--type", "bool", "--get-all", "credential."+e.Pattern+".useHttpPath")
		if err != nil {
			return err
		}
		if strings.TrimSpace(out) != "true" {
			return fmt.Errorf("git reads useHttpPath for %s in %s as %q, not as setup wrote it", e.Pattern, path, strings.TrimSpace(out))
		}
	}
	return nil
}

// Unconfigure undoes Configure: it removes exactly the sections Configure
// appended and puts back the lines it took out. When the file is as
// Configure left it, the result is the file before, byte for byte; when
// it was edited since, only mfa-git's lines are removed, and what could
// not be put back is reported. Without a record (a setup by an older
// mfa-git), it removes the helper pair and useHttpPath from credential
// sections whose helpers are exactly "" then mfa-git.
func (g File) Unconfigure() ([]string, error) {
	path, cur, exists, rec, err := g.load()
	if err != nil {
		return nil, err
	}
	var changes []string
	next := cur
	if rec != nil && !exists {
		return []string{path + " is gone: nothing to remove"}, g.saveRecord(path, nil)
	}
	if rec != nil {
		next, changes = undoSetup(path, cur, rec)
		for _, p := range rec.Patterns {
			changes = append(changes, removedChange(p))
		}
		for _, r := range rec.Removed {
			changes = append(changes, putBackChange(r))
		}
		if lines, err := parseGitConfig([]byte(next)); err == nil && len(legacySections(lines)) > 0 {
			changes = append(changes, path+" still holds mfa-git lines written before setup kept records (they were there before this setup): run mfa-git setup --undo again to remove them")
		}
	} else {
		var cleared []string
		next, cleared, err = undoLegacy(cur)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, p := range cleared {
			changes = append(changes, "removed the mfa-git helper for "+p)
		}
	}
	switch {
	case rec != nil && rec.Created && next == "" && exists:
		// The file did not exist before setup made it.
		target, err := atomicfile.Resolve(path)
		if err == nil {
			err = os.Remove(target)
		}
		if err != nil {
			return nil, err
		}
	case next != cur:
		if err := atomicfile.Write(path, []byte(next), 0o644); err != nil {
			return nil, err
		}
	}
	if rec == nil {
		return changes, nil
	}
	// What was done is checked by reading the file again, not by the
	// edit's own account of it.
	left, notDone, err := g.checkUndone(path, rec)
	if err == nil && len(left) > 0 {
		changes = slices.DeleteFunc(changes, func(c string) bool { return notDone[c] })
		err = undoLeft(path, left)
	}
	if serr := g.saveRecord(path, nil); err == nil {
		err = serr
	}
	return changes, err
}
