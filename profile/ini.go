package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// iniFile is an AWS shared config or credentials file: sections of
// key = value lines. Keys are lowercased; comments start with # or ; at
// the start of a line; a key with an empty value opens a nested block of
// indented key = value lines (as in "s3 =" or a services section's
// "sts =").
type iniFile map[string]iniSection

type iniSection struct {
	keys   map[string]string
	nested map[string]map[string]string
}

// maxLineBytes bounds one line of a shared file. Real lines are far
// shorter; a longer one is reported, never silently cut or skipped.
const maxLineBytes = 1 << 20

// parseINI reads an AWS shared file. Lines it cannot read are skipped, as
// the AWS SDKs skip them; a line longer than maxLineBytes is an error
// naming its number, returned with what was read before it. Later
// duplicate sections and keys win over earlier ones.
func parseINI(data []byte) (iniFile, error) {
	f := iniFile{}
	var (
		cur    *iniSection
		parent string // open nested block, "" when none
	)
	for n := 1; len(data) > 0; n++ {
		var rawb []byte
		rawb, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(rawb) > maxLineBytes {
			return f, fmt.Errorf("line %d: the line is %d bytes long, more than the %d a config line may have", n, len(rawb), maxLineBytes)
		}
		raw := strings.TrimRight(string(rawb), "\r")
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			cur, parent = nil, ""
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			name := strings.Join(strings.Fields(line[1:end]), " ")
			s, ok := f[name]
			if !ok {
				s = iniSection{keys: map[string]string{}, nested: map[string]map[string]string{}}
				f[name] = s
			}
			cur = &s
			continue
		}
		if cur == nil {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if indented := raw[0] == ' ' || raw[0] == '\t'; indented && parent != "" {
			cur.nested[parent][k] = v
			continue
		}
		parent = ""
		if v == "" {
			parent = k
			if cur.nested[k] == nil {
				cur.nested[k] = map[string]string{}
			}
			continue
		}
		cur.keys[k] = v
	}
	return f, nil
}

// readINI reads the shared file at path. A missing file is an empty one.
// Errors name the file (and the line, for one that cannot be read).
func readINI(path string) (iniFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return iniFile{}, nil
	}
	if err != nil {
		return iniFile{}, err
	}
	f, err := parseINI(b)
	if err != nil {
		return f, hint.New(err, fmt.Sprintf("%s: %v", path, err), "fix or remove that line of "+path)
	}
	return f, nil
}

// ConfigSection is how a profile's section is named in the config file:
// "default" or "profile NAME".
func ConfigSection(profile string) string {
	if profile == "default" {
		return "default"
	}
	return "profile " + profile
}

// Names lists the profiles named in the shared files, sorted.
func Names(files Files) []string {
	// A file that cannot be read is reported when its profiles are
	// loaded; here what could be read is listed.
	sf := readShared(files)
	names := map[string]bool{}
	for s := range sf.cfg {
		if n, ok := strings.CutPrefix(s, "profile "); ok {
			names[n] = true
		} else if s == "default" {
			names[s] = true
		}
	}
	for s := range sf.creds {
		names[s] = true
	}
	delete(names, "")
	return slices.Sorted(maps.Keys(names))
}
