package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// Edits change the lines the reader takes (parseINI's line roles), never
// a section or key of the same name that the reader ignores, and keep
// every other byte: a BOM, CRLF endings, comments, spacing, a last line
// without a newline. Each edit is then checked by reading the file again
// (editcheck.go).

// editTarget is the profile an edit of a section changes, and the
// sections of one file that hold it.
type editTarget struct {
	// section is the name the caller gave: "default" or "profile NAME"
	// for the config file (ConfigSection), NAME for the credentials file.
	section string
	// profile is the profile's name; config says the file is read by
	// the config file's rules.
	profile string
	config  bool
	// names are the sections (as parseINI names them) whose keys the
	// edit changes.
	names []string
}

// targetOf reads the section argument of prepareSet and the key removals.
// "profile NAME" is a config file section; "default" is too ([profile
// default] wins over [default] there; in the credentials file [profile
// default] is ignored, so treating [profile default] as a copy of the
// default profile only ever removes a key from a section no reader
// takes); any other name is a credentials file section, never [profile
// NAME].
//
// For the default profile both spellings are edited when keys are
// removed: the SDK for Go reads [profile default] when both exist, but
// the AWS CLI takes whichever of the two comes last, so a key left in
// either would still be read by one of them.
func targetOf(section string) editTarget {
	switch {
	case section == "default":
		return editTarget{section: section, profile: "default", config: true, names: []string{prefixProfile + "default", "default"}}
	case strings.HasPrefix(section, prefixProfile):
		return editTarget{section: section, profile: strings.TrimPrefix(section, prefixProfile), config: true, names: []string{section}}
	}
	return editTarget{section: section, profile: section, names: []string{section}}
}

// holds reports whether section is one of the target's sections.
func (t editTarget) holds(section string) bool {
	for _, n := range t.names {
		if n == section {
			return true
		}
	}
	return false
}

// winner is the section whose keys the reader takes for the target: for
// the default profile, [profile default] when the file has one.
func (t editTarget) winner(roles []lineRole) string {
	for _, n := range t.names {
		for _, r := range roles {
			if r.kind == lineHeader && r.section == n {
				return n
			}
		}
	}
	return t.section
}

// splitLines splits data as parseINI does (at "\n", each line keeping
// it) and returns how the reader takes each line.
func splitLines(path string, data []byte) ([]string, []lineRole, error) {
	var roles []lineRole
	if _, err := parseINI(path, data, &roles); err != nil {
		return nil, nil, hint.New(err, fmt.Sprintf("%s: nothing written: %v", path, err), "fix or remove that line of "+path+", then run the command again")
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) != len(roles) {
		return nil, nil, fmt.Errorf("%s: nothing written: read %d lines but took %d", path, len(lines), len(roles))
	}
	return lines, roles, nil
}

// lineEnding is how line ends: "\r\n", "\n", or "" for a last line
// without one.
func lineEnding(line string) string {
	switch {
	case strings.HasSuffix(line, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(line, "\n"):
		return "\n"
	}
	return ""
}

// prepareSet makes, in memory, the edit that makes the profile that
// section names in the AWS shared file at path hold each key = value pair, as the AWS SDK for Go reads the file,
// and changes nothing else. section is "default" or "profile NAME" for
// the config file (ConfigSection), NAME for the credentials file. The
// line the reader takes for a key (in the last copy of a section given
// more than once; in [profile default] over [default]) is rewritten in
// place, with its continuation lines; a new key goes after the last copy's
// last key line; a missing section is added at the end. Comments,
// spacing, line endings and other sections are kept byte for byte.
//
// A section, key or value that would add lines (a line break, any
// control character, a bracket in the section name) is refused and
// nothing is written. The edit is checked by the file's own rules
// (checkEdit); SetProfileKeys adds the check against both files. Its run
// replaces the file atomically, through a symlink, mode 0600 when new,
// else its own mode (atomicfile), then reads it again: if the reader
// does not find exactly the keys set and every other key as it was, the
// original bytes are put back and the error names the file and line.
func prepareSet(path, section string, kv [][2]string) (*fileEdit, error) {
	for _, p := range kv {
		if err := checkINIValue(section, p[0], p[1]); err != nil {
			return nil, hint.New(err, fmt.Sprintf("%s: nothing written: %v", path, err), "nothing was changed; check the value named above (a profile name, MFA serial or region)")
		}
	}
	data, err := os.ReadFile(path)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	t := targetOf(section)
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	out := data
	want := map[string]string{}
	for _, p := range kv {
		if out, err = setKey(path, out, t, p[0], p[1], nl); err != nil {
			return nil, err
		}
		want[p[0]] = p[1]
	}
	return &fileEdit{path: path, orig: data, existed: existed, out: out, check: func(after []byte) error {
		return checkEdit(path, data, after, t, want, nil)
	}}, nil
}

// setKey sets one key in data (see prepareSet).
func setKey(path string, data []byte, t editTarget, key, value, nl string) ([]byte, error) {
	lines, roles, err := splitLines(path, data)
	if err != nil {
		return nil, err
	}
	win := t.winner(roles)
	at, last := -1, -1 // the section's last line the reader takes, and key's
	for i, r := range roles {
		if r.section != win || r.kind == lineNone || r.kind == lineLost {
			continue
		}
		at = i
		if r.kind == lineKey && r.key == key {
			last = i
		}
	}
	switch {
	case last >= 0:
		lines[last] = key + " = " + value + lineEnding(lines[last])
		// The old value's continuation and block lines go with it.
		for j := last + 1; j < len(lines) && roles[j].kind != lineHeader && roles[j].kind != lineKey; j++ {
			if k := roles[j].kind; (k == lineCont || k == lineNested) && roles[j].key == key {
				lines[j] = ""
			}
		}
	case at >= 0:
		if lineEnding(lines[at]) == "" {
			lines[at] += nl
		}
		lines[at] += key + " = " + value + nl
	default: // a new section at the end, after a blank line
		n := len(lines)
		if n > 0 && lines[n-1] == "" {
			n--
			lines = lines[:n]
		}
		if n > 0 {
			if lineEnding(lines[n-1]) == "" {
				lines[n-1] += nl
			}
			lines = append(lines, nl)
		}
		lines = append(lines, "["+t.section+"]"+nl, key+" = "+value+nl)
	}
	return []byte(strings.Join(lines, "")), nil
}

// dropLines joins lines without those whose role drop takes: key lines,
// and the continuation and sub-property lines of the keys dropped.
func dropLines(lines []string, roles []lineRole, drop func(lineRole) bool) []byte {
	var out strings.Builder
	dropping := false // the last key line was dropped
	for i, l := range lines {
		r := roles[i]
		switch r.kind {
		case lineKey:
			dropping = drop(r)
			if dropping {
				continue
			}
		case lineNested, lineCont:
			if dropping {
				continue
			}
		case lineHeader:
			dropping = false
		}
		out.WriteString(l)
	}
	return []byte(out.String())
}
