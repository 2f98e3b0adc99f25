package gitconfig

import (
	"errors"
	"fmt"
	"strings"
)

// cfgLine is one logical line of a git config file: a physical line, or
// several when a value continues with a backslash at the end of a line.
type cfgLine struct {
	start, end int // bytes of the file, line ending included
	// section is the section the line belongs to (for a header, the one
	// it opens): the section name lowercased, and for a subsection a NUL
	// and the subsection as git compares it (case kept).
	section string
	header  bool
	// key is the lowercased name of the variable the line sets, or "";
	// value its value as git reads it (quotes and escapes undone).
	key, value string
	// keyOnHeader marks a header line that also sets a variable
	// ("[credential] helper = x").
	keyOnHeader bool
}

// configSyntaxError is a line git itself would refuse to read.
type configSyntaxError struct {
	line int
	msg  string
}

func (e *configSyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// Is makes the error match ErrSyntax.
func (e *configSyntaxError) Is(target error) bool { return target == ErrSyntax }

// ErrSyntax is matched (errors.Is) by the error for a git config
// file that git itself could not read, or that setup will not edit; its
// message names the line.
var ErrSyntax = errors.New("git config syntax")

// parseGitConfig splits a git config file into logical lines, following
// git's own reader (config.c in git 2.39): comments start with # or ; out
// of quotes, a section header is [name], [name "sub"] (sub case-sensitive,
// \" and \\ escaped) or the old [name.sub] (all lower-cased), a variable
// may follow a header on its line, values may be quoted, hold escapes \n
// \t \b \\ \", and continue on the next line after a backslash; CRLF
// counts as LF. Text git would refuse is an error naming its line.
func parseGitConfig(data []byte) ([]cfgLine, error) {
	p := &cfgParser{s: string(data), line: 1}
	if strings.HasPrefix(p.s, "\xef\xbb\xbf") {
		p.pos = 3
		if len(p.s) == 3 {
			// Only a byte-order mark: one empty line holds it, so the
			// lines still cover the file.
			return []cfgLine{{start: 0, end: 3}}, nil
		}
	}
	var lines []cfgLine
	section := ""
	for p.pos < len(p.s) {
		l := cfgLine{start: p.pos, section: section}
		if p.pos == 3 && strings.HasPrefix(p.s, "\xef\xbb\xbf") {
			l.start = 0
		}
		p.skipSpace()
		if p.peek() == '[' {
			id, err := p.header()
			if err != nil {
				return nil, err
			}
			section, l.section, l.header = id, id, true
			p.skipSpace()
		}
		switch c := p.peek(); {
		case c == '\n' || c == 0 && p.pos >= len(p.s):
			p.next()
		case c == '#' || c == ';':
			p.skipLine()
		default:
			// A variable may follow a header on its line, and git also
			// takes one before any section header.
			l.keyOnHeader = l.header
			var err error
			if l.key, l.value, err = p.variable(); err != nil {
				return nil, err
			}
		}
		l.end = p.pos
		lines = append(lines, l)
	}
	return lines, nil
}

type cfgParser struct {
	s    string
	pos  int
	line int
}

func (p *cfgParser) errorf(format string, args ...any) error {
	return &configSyntaxError{p.line, fmt.Sprintf(format, args...)}
}

// peek returns the next character as git's reader sees it: CRLF is '\n',
// and the end of the file is 0.
func (p *cfgParser) peek() byte {
	if p.pos >= len(p.s) {
		return 0
	}
	if p.s[p.pos] == '\r' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '\n' {
		return '\n'
	}
	return p.s[p.pos]
}

// next consumes the character peek returned.
func (p *cfgParser) next() byte {
	c := p.peek()
	switch {
	case p.pos >= len(p.s):
	case c == '\n' && p.s[p.pos] == '\r':
		p.pos += 2
	default:
		p.pos++
	}
	if c == '\n' {
		p.line++
	}
	return c
}

// unread steps the line count back over a line end just read.
func (p *cfgParser) unread(c byte) {
	if c == '\n' {
		p.line--
	}
}

// isSpace is what C's isspace calls space, but not a line end.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// skipSpace skips isSpace characters.
func (p *cfgParser) skipSpace() {
	for isSpace(p.peek()) {
		p.next()
	}
}

// skipLine consumes the rest of the line and its end.
func (p *cfgParser) skipLine() {
	for p.pos < len(p.s) {
		if p.next() == '\n' {
			return
		}
	}
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// header reads "[...]" and returns the section's id (cfgLine.section).
func (p *cfgParser) header() (string, error) {
	p.next() // '['
	var name strings.Builder
	for {
		c := p.next()
		switch {
		case c == ']':
			n := strings.ToLower(name.String())
			if n == "" {
				return "", p.errorf("an empty section name")
			}
			// [name], or the old [name.sub] all lower-cased.
			return strings.Replace(n, ".", "\x00", 1), nil
		case c == ' ' || c == '\t':
			return p.subsection(name.String())
		case c == '\n' || c == 0:
			p.unread(c) // the error is on the line that ended
			return "", p.errorf("a section header without its closing ]")
		case isKeyChar(c) || c == '.':
			name.WriteByte(c)
		default:
			return "", p.errorf("%q in a section name", c)
		}
	}
}

// subsection reads ` "sub"]` after a section name.
func (p *cfgParser) subsection(name string) (string, error) {
	for p.peek() == ' ' || p.peek() == '\t' {
		p.next()
	}
	if p.next() != '"' {
		return "", p.errorf("a section header whose subsection is not in double quotes")
	}
	var sub strings.Builder
	for {
		c := p.next()
		switch c {
		case '\n', 0:
			p.unread(c) // the error is on the line that ended
			return "", p.errorf("a subsection name without its closing quote")
		case '\\':
			c = p.next()
			if c == '\n' || c == 0 {
				return "", p.errorf("a subsection name without its closing quote")
			}
		case '"':
			if p.next() != ']' {
				return "", p.errorf("a section header without its closing ]")
			}
			return strings.ToLower(name) + "\x00" + sub.String(), nil
		}
		sub.WriteByte(c)
	}
}

// variable reads "name", "name = value" and the line end after it.
func (p *cfgParser) variable() (key, value string, err error) {
	if c := p.peek(); !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return "", "", p.errorf("%q where a variable name should start", c)
	}
	var k strings.Builder
	for isKeyChar(p.peek()) {
		k.WriteByte(p.next())
	}
	for p.peek() == ' ' || p.peek() == '\t' {
		p.next()
	}
	switch p.next() {
	case '\n', 0:
		return strings.ToLower(k.String()), "", nil // a boolean: true
	case '=':
	default:
		return "", "", p.errorf("no = after the variable name %q", k.String())
	}
	v, err := p.value()
	return strings.ToLower(k.String()), v, err
}

// value reads a value up to and including its line end (parse_value).
func (p *cfgParser) value() (string, error) {
	var v strings.Builder
	quote, comment, space := false, false, 0
	for {
		c := p.next()
		if c == '\n' || c == 0 && p.pos >= len(p.s) {
			if quote {
				p.unread(c) // the error is on the line that ended
				return "", p.errorf("a value with an unclosed double quote")
			}
			return v.String(), nil
		}
		if comment {
			continue
		}
		if !quote && isSpace(c) {
			if v.Len() > 0 {
				space++
			}
			continue
		}
		if !quote && (c == ';' || c == '#') {
			comment = true
			continue
		}
		for ; space > 0; space-- {
			v.WriteByte(' ')
		}
		switch c {
		case '\\':
			switch e := p.next(); e {
			case '\n':
				continue
			case 't':
				v.WriteByte('\t')
			case 'b':
				v.WriteByte('\b')
			case 'n':
				v.WriteByte('\n')
			case '\\', '"':
				v.WriteByte(e)
			default:
				return "", p.errorf("an unknown escape \\%c in a value", e)
			}
		case '"':
			quote = !quote
		default:
			v.WriteByte(c)
		}
	}
}

// quoteValue writes v as git config --add would: in double quotes when it
// starts or ends with a space or holds # or ;, with \ " and line ends
// escaped.
func quoteValue(v string) string {
	q := ""
	if strings.HasPrefix(v, " ") || strings.HasSuffix(v, " ") || strings.ContainsAny(v, "#;\r") {
		q = `"`
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\b", `\b`)
	return q + r.Replace(v) + q
}

// headerLine is the header git writes for [section "sub"].
func headerLine(section, sub string) string {
	return "[" + section + ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(sub) + `"]`
}
