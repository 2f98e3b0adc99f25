package session

import (
	"bufio"
	"bytes"
	"os"
	"strings"
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

// parseINI reads an AWS shared file. It never fails: lines it cannot read
// are skipped, as the AWS SDKs skip them. Later duplicate sections and keys
// win over earlier ones.
func parseINI(data []byte) iniFile {
	f := iniFile{}
	var (
		cur    *iniSection
		parent string // open nested block, "" when none
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		raw := strings.TrimRight(sc.Text(), "\r")
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
	return f
}

func readINI(path string) (iniFile, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	return parseINI(b), true
}

// profileSection finds a profile in the config file: [profile NAME], or
// [default] (also written [profile default]) for the default profile.
func (f iniFile) profileSection(name string) (iniSection, bool) {
	if s, ok := f["profile "+name]; ok {
		return s, true
	}
	if name == "default" {
		s, ok := f["default"]
		return s, ok
	}
	return iniSection{}, false
}

// ConfigSection is how a profile's section is named in the config file:
// "default" or "profile NAME".
func ConfigSection(profile string) string {
	if profile == "default" {
		return "default"
	}
	return "profile " + profile
}

// ProfileNames lists the profiles named in the shared files.
func ProfileNames(files Files) []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if f, ok := readINI(files.Config); ok {
		for s := range f {
			if s == "default" {
				add(s)
			} else if n, ok := strings.CutPrefix(s, "profile "); ok {
				add(strings.TrimSpace(n))
			}
		}
	}
	if f, ok := readINI(files.Credentials); ok {
		for s := range f {
			add(s)
		}
	}
	return names
}
