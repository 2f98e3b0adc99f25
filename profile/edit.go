package profile

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/hint"
)

// SetKeys makes section of the AWS shared file at path hold each key =
// value pair, and changes nothing else: an existing key's line is rewritten
// in place, a new key goes after the section's last key line, a missing
// section is added at the end. Comments, spacing, order and other sections
// are kept byte for byte. A section, key or value that would add lines
// (a line break, any control character, a bracket in the section name) is
// refused and nothing is written. The file is replaced atomically, through
// a symlink, mode 0600 when new, else its own mode (atomicfile).
func SetKeys(path, section string, kv [][2]string) error {
	for _, p := range kv {
		if err := checkINIValue(section, p[0], p[1]); err != nil {
			return hint.New(err, fmt.Sprintf("%s: nothing written: %v", path, err), "nothing was changed; check the value named above (a profile name, MFA serial or region)")
		}
	}
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	lines := slices.Collect(strings.Lines(string(data)))
	nl := "\n"
	if strings.Contains(string(data), "\r\n") {
		nl = "\r\n"
	}
	start, end := -1, len(lines) // the section's header line, and where it ends
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "[") {
			continue
		}
		if start >= 0 {
			end = i
			break
		}
		if j := strings.IndexByte(t, ']'); j > 0 && strings.Join(strings.Fields(t[1:j]), " ") == section {
			start = i
		}
	}
	if start < 0 { // a new section at the end, after a blank line
		if n := len(lines); n > 0 {
			if !strings.HasSuffix(lines[n-1], "\n") {
				lines[n-1] += nl
			}
			lines = append(lines, nl)
		}
		lines = append(lines, "["+section+"]"+nl)
		start, end = len(lines)-1, len(lines)
	}
	lastKey := start
	for _, p := range kv {
		found := false
		for i := start + 1; i < end; i++ {
			t := strings.TrimSpace(lines[i])
			if t == "" || t[0] == '#' || t[0] == ';' {
				continue
			}
			lastKey = max(lastKey, i) // nested lines too: never split a block
			k, _, ok := strings.Cut(t, "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), p[0]) && lines[i][0] != ' ' && lines[i][0] != '\t' {
				ending := nl
				if !strings.HasSuffix(lines[i], "\n") {
					ending = ""
				}
				lines[i] = strings.TrimRight(k, " \t") + " = " + p[1] + ending
				found = true
				break
			}
		}
		if !found {
			if !strings.HasSuffix(lines[lastKey], "\n") {
				lines[lastKey] += nl
			}
			lines = slices.Insert(lines, lastKey+1, p[0]+" = "+p[1]+nl)
			lastKey++
			end++
		}
	}
	return atomicfile.Write(path, []byte(strings.Join(lines, "")), 0o600)
}

// RemoveKeys deletes the lines of the given keys from section, and
// nothing else.
func RemoveKeys(path, section string, keys ...string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[strings.ToLower(k)] = true
	}
	var out strings.Builder
	in := false
	for l := range strings.Lines(string(data)) {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			j := strings.IndexByte(t, ']')
			in = j > 0 && strings.Join(strings.Fields(t[1:j]), " ") == section
		} else if in && l[0] != ' ' && l[0] != '\t' {
			if k, _, ok := strings.Cut(t, "="); ok && drop[strings.ToLower(strings.TrimSpace(k))] {
				continue
			}
		}
		out.WriteString(l)
	}
	return atomicfile.Write(path, []byte(out.String()), 0o600)
}
