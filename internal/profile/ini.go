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

// The shared files are read by the rules of the AWS SDK for Go v2 (its
// config/internal/ini package), learnt from its source and written anew
// here; the differential test checks them against the SDK's own loader
// and the AWS CLI. One line at a time (split on "\n" only):
//
//   - a blank line, or one whose first character after spaces and tabs is
//     # or ;, is skipped;
//   - a line that, cut at its first # or ; and trimmed, is "[...]" opens
//     the section named by what is inside, trimmed, with the run of spaces
//     and tabs after its first word folded to one space ("[ profile  x ]"
//     is "profile x"); text after the "]" makes it no header;
//   - a line starting with a space or tab is a sub-property (key = value
//     under the key before it when that key's value is empty, else a
//     property of its own) or, without "=" or ":", a continuation of the
//     key before it, joined with "\n";
//   - any other line is a property: cut at the first " #", " ;", "\t#" or
//     "\t;" (a comment), split at the first "=", or at ":" when that comes
//     first, the key trimmed and lowercased, the value trimmed and
//     stripped of one pair of surrounding quotes;
//   - lines the rules do not take are ignored, as are properties before
//     the first section; a section or key given twice is merged, the later
//     value winning.
//
// There is no BOM handling: a file starting with one has its first line
// read as text, as the SDK does.

// iniValue is one key's value and where it was read.
type iniValue struct {
	str string
	// written is the value as written on its lines: comment cut and
	// trimmed, but its quotes kept (see resolved.commandLine).
	written string
	// nested holds a block's sub-properties ("s3 =" followed by indented
	// "key = value" lines), as read: unquoted, comments kept.
	nested map[string]string
	file   string
	line   int
}

// iniSection is the keys of one section, all its occurrences merged.
type iniSection struct {
	keys map[string]iniValue
}

// has reports whether the section sets key, even to "".
func (s *iniSection) has(key string) bool {
	_, ok := s.keys[key]
	return ok
}

// iniFile is an AWS shared config or credentials file, by section name as
// the reader names sections ("profile dev", "default", "services s").
type iniFile map[string]*iniSection

// lineKind is what a line of a shared file does.
type lineKind uint8

const (
	lineNone lineKind = iota // blank, comment, or not taken
	lineHeader
	lineKey    // sets a key of its section (a property, or a promoted sub-property)
	lineNested // adds a sub-property to its key's block
	lineCont   // continues its key's value
	lineLost   // a key line outside any section (read by no one)
)

// lineRole is how the reader took one line: for edits, which must change
// the lines the reader reads.
type lineRole struct {
	kind    lineKind
	section string // the section the line is in (for a header, the one it opens)
	key     string // the key the line sets or belongs to
	// val is, for a lineKey, the value the line sets as the reader reads
	// it, with its continuation lines.
	val string
}

// maxLineBytes bounds one line of a shared file. Real lines are far
// shorter; a longer one is reported, never silently cut or skipped.
const maxLineBytes = 1 << 20

// token is one line as the tokenizer sees it, before the parser's state.
type token struct {
	kind     lineKind // lineNone, lineHeader, lineKey, lineNested (indented key = value), lineCont
	key, val string
	written  string // val before its quotes were stripped
}

// tokenize classifies one line (without its "\n").
func tokenize(line string) token {
	if strings.TrimSpace(line) == "" {
		return token{}
	}
	if t := strings.TrimLeft(line, " \t"); t[0] == '#' || t[0] == ';' {
		return token{}
	}
	if name, ok := headerName(line); ok {
		return token{kind: lineHeader, key: name}
	}
	if line[0] != ' ' && line[0] != '\t' {
		k, v, ok := splitKeyValue(strings.TrimRight(cutComment(line), " \t"))
		if !ok {
			return token{}
		}
		return token{kind: lineKey, key: strings.ToLower(k), val: unquote(v), written: v}
	}
	s := strings.TrimLeft(line, " \t")
	if k, v, ok := splitKeyValue(s); ok {
		return token{kind: lineNested, key: strings.ToLower(k), val: unquote(v), written: v}
	}
	return token{kind: lineCont, val: s, written: s}
}

// headerName returns the section a header line opens.
func headerName(line string) (string, bool) {
	if i := strings.IndexAny(line, "#;"); i >= 0 {
		line = line[:i]
	}
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "[") || !strings.HasSuffix(t, "]") {
		return "", false
	}
	inner := strings.TrimSpace(t[1 : len(t)-1])
	first := strings.IndexAny(inner, " \t")
	if first < 0 {
		return inner, true
	}
	rest := strings.TrimLeft(inner[first:], " \t")
	if rest == "" {
		return "", true
	}
	return inner[:first] + " " + rest, true
}

// cutComment drops an inline comment: from the first # or ; after a
// space or tab.
func cutComment(s string) string {
	for i := 1; i < len(s); i++ {
		if (s[i] == '#' || s[i] == ';') && (s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i-1]
		}
	}
	return s
}

// splitKeyValue splits at the first "=", or at ":" when it comes first.
func splitKeyValue(s string) (key, value string, ok bool) {
	i := strings.IndexByte(s, '=')
	if c := strings.IndexByte(s, ':'); i < 0 || c >= 0 && c < i {
		i = c
	}
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
}

// unquote strips one pair of matching single or double quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// parseINI reads an AWS shared file by the rules above; path is recorded
// with each value. With roles, it also says how it took each line. A
// line longer than maxLineBytes is an error naming its number, returned
// with what was read before it.
func parseINI(path string, data []byte, roles *[]lineRole) (iniFile, error) {
	f := iniFile{}
	var (
		cur     *iniSection // nil before the first section and in "[]"
		section string
		key     string // the key later indented lines belong to
		keyAt   = -1   // the line (index in roles) that set key
	)
	for n := 1; ; n++ {
		raw, rest, more := bytes.Cut(data, []byte{'\n'})
		if len(raw) > maxLineBytes {
			return f, fmt.Errorf("line %d: the line is %d bytes long, more than the %d a config line may have", n, len(raw), maxLineBytes)
		}
		data = rest
		tok := tokenize(string(raw))
		role := lineRole{section: section}
		switch tok.kind {
		case lineHeader:
			section, key = tok.key, ""
			if cur = f[section]; cur == nil {
				cur = &iniSection{keys: map[string]iniValue{}}
				f[section] = cur
			}
			if section == "" {
				cur = nil
			}
			role = lineRole{kind: lineHeader, section: section}
		case lineNested:
			if cur == nil {
				role.kind = lineLost
				break
			}
			if v := cur.keys[key]; key != "" && v.str == "" {
				if v.nested == nil {
					v.nested = map[string]string{}
				}
				v.nested[tok.key] = tok.val
				cur.keys[key] = v
				role.kind, role.key = lineNested, key
				break
			}
			// A sub-property under a key with a value is a property.
			tok.val = strings.TrimSpace(cutComment(tok.val))
			tok.written = strings.TrimSpace(cutComment(tok.written))
			fallthrough
		case lineKey:
			if cur == nil {
				role.kind = lineLost
				break
			}
			key, keyAt = tok.key, n-1
			cur.keys[key] = iniValue{str: tok.val, written: tok.written, file: path, line: n}
			role.kind, role.key, role.val = lineKey, key, tok.val
		case lineCont:
			if cur == nil || key == "" {
				break
			}
			if v := cur.keys[key]; v.str != "" {
				v.str += "\n" + tok.val
				v.written += "\n" + tok.written
				cur.keys[key] = v
				if roles != nil && keyAt >= 0 {
					(*roles)[keyAt].val = v.str
				}
			}
			role.kind, role.key = lineCont, key
		}
		if roles != nil {
			*roles = append(*roles, role)
		}
		if !more {
			return f, nil
		}
	}
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
	f, err := parseINI(path, b, nil)
	if err != nil {
		return f, hint.New(err, fmt.Sprintf("%s: %v", path, err), "fix or remove that line of "+path)
	}
	return f, nil
}

// ConfigSection is how a profile's section is named in the config file:
// "default" or "profile NAME". (A config file with both [default] and
// [profile default] is read from the second: see configSectionIn.)
func ConfigSection(profile string) string {
	if profile == "default" {
		return "default"
	}
	return "profile " + profile
}
