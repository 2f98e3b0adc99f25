package prompt

import (
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// errProgram is why commandProgram cannot name the program a command
// line runs; fix says what to write instead.
type errProgram struct{ msg, fix string }

func (e *errProgram) Error() string { return e.msg }

// Hint says what to write instead.
func (e *errProgram) Hint() string { return e.fix }

// commandProgram returns the program the shell runs first for a
// profile's command line (mfa_process, credential_process), so its trust
// can be checked before the line runs: the first word as /bin/sh splits
// it (quotes, backslashes), after variable assignments and redirections,
// through exec and command; "" when that word is a builtin that runs no
// program (echo, test, true...); for . and source, the file they read.
// On Windows the line is cmd.exe's (see windowsProgram). A bare name is
// returned as it is: checkProgram looks it up on PATH, as the shell does.
//
// It refuses (an *errProgram) what it cannot check, since a careful user
// would rather fix the line than have an unchecked program run:
//   - a relative path (./code, bin/code): it names a file in the current
//     folder, which is the repository's untrusted content when git runs
//     mfa-git;
//   - a first word the shell expands ($VAR, `...`, $(...), *, ?, [),
//     whose program is known only once the shell runs; ~ and ~/ are
//     expanded from HOME, as sh does;
//   - a line that starts with a shell keyword (if, for, {, (, !...) or
//     with eval or trap, a program in itself, and a line the shell could
//     not read (an unclosed quote).
//
// Only the first command is checked: the commands after ;, && or |, and
// the programs that the first one runs, are named by the user's own
// trusted file, as the arguments of any program are.
func commandProgram(line, goos string) (string, error) {
	if goos == "windows" {
		return windowsProgram(line)
	}
	lx := shLexer{s: line}
	var pending string // the builtin whose next word is the program
	for {
		w, err := lx.next()
		if err != nil {
			return "", err
		}
		switch {
		case w.op == "":
			if pending == "" {
				return "", nil // an empty line, or only assignments
			}
			return "", &errProgram{fmt.Sprintf("%s names no program", pending), "write the program's absolute path after " + pending}
		case w.op == "<" || w.op == ">":
			if _, err := lx.next(); err != nil { // the redirection's file
				return "", err
			}
			continue
		case w.op == "\n" && pending == "":
			continue
		case w.op != "word":
			if pending != "" {
				return "", &errProgram{fmt.Sprintf("%s names no program", pending), "write the program's absolute path after " + pending}
			}
			return "", &errProgram{fmt.Sprintf("%q starts a shell program", w.op), shellProgramFix}
		}
		if pending == "" && isAssignment(w.raw) {
			continue
		}
		if pending == "command" && strings.HasPrefix(w.text, "-") && !w.quoted {
			continue // command -p NAME
		}
		if pending == "" && !w.quoted {
			switch {
			case shKeywords[w.text]:
				return "", &errProgram{fmt.Sprintf("%q is a shell keyword: the line is a shell program, whose programs mfa-git cannot tell", w.text), shellProgramFix}
			case w.text == "eval" || w.text == "trap":
				return "", &errProgram{fmt.Sprintf("%q runs a command made when the shell runs, which mfa-git cannot check", w.text), shellProgramFix}
			case w.text == "exec" || w.text == "command" || w.text == "." || w.text == "source":
				pending = w.text
				continue
			case shNoProgram[w.text] && !w.expands:
				return "", nil
			}
		}
		return wordProgram(w)
	}
}

// shellProgramFix is the hint for a line mfa-git cannot check.
const shellProgramFix = "put the commands in a script of your own (mode 0700, in a folder only you can write) and name the script by its absolute path"

// wordProgram is the program a word names, or why it cannot be checked.
func wordProgram(w shWord) (string, error) {
	if w.expands {
		return "", &errProgram{fmt.Sprintf("the program %s is chosen by the shell when it runs (an expansion), so mfa-git cannot check it", w.raw),
			"write the program's absolute path"}
	}
	p := w.text
	if w.tilde {
		home := userdir.ShellHome()
		if !strings.HasPrefix(home, "/") { // sh's paths: POSIX, whatever the host
			return "", &errProgram{fmt.Sprintf("the program %s is under HOME, which is not an absolute path", w.raw), "write the program's absolute path"}
		}
		p = home + strings.TrimPrefix(p, "~")
	}
	if strings.Contains(p, "/") && !strings.HasPrefix(p, "/") {
		return "", &errProgram{fmt.Sprintf("the program %s is a relative path, which names a file in the current folder (the repository git runs mfa-git in)", w.raw),
			"write the program's absolute path"}
	}
	return p, nil
}

// isAssignment reports whether a word as written is NAME=value (the
// value may be quoted; the name may not).
func isAssignment(s string) bool {
	name, _, ok := strings.Cut(s, "=")
	if !ok || name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	return strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == ""
}

// shKeywords are the words that start a compound command (POSIX
// reserved words, with bash's and zsh's common ones).
var shKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"case": true, "esac": true, "while": true, "until": true, "for": true, "in": true,
	"{": true, "}": true, "!": true, "[[": true, "]]": true, "function": true, "select": true, "time": true,
}

// shNoProgram are builtins that run no program.
var shNoProgram = map[string]bool{
	"echo": true, "printf": true, "true": true, "false": true, ":": true, "test": true, "[": true,
	"cd": true, "pwd": true, "set": true, "unset": true, "export": true, "readonly": true, "umask": true,
	"ulimit": true, "read": true, "shift": true, "exit": true, "return": true, "wait": true, "type": true,
	"hash": true, "alias": true, "unalias": true, "local": true, "getopts": true, "times": true, "kill": true,
}

// shWord is one word or operator of a sh command line.
type shWord struct {
	op      string // "word"; else the operator: ";", "&", "|", "(", ")", "<", ">", "\n"; "" at the end
	text    string // the word with quotes and backslashes removed
	raw     string // the word as written
	quoted  bool   // some of it was quoted or escaped
	expands bool   // it holds an expansion the shell makes: $, `, or an unquoted glob
	tilde   bool   // it starts with an unquoted ~ or ~/ (home)
}

// shLexer splits a sh command line into words and operators, as the
// shell's token recognition does (POSIX 2.3), enough to find the first
// command's name.
type shLexer struct {
	s string
	i int
}

func (l *shLexer) next() (shWord, error) {
	for l.i < len(l.s) && (l.s[l.i] == ' ' || l.s[l.i] == '\t' || l.s[l.i] == '\\' && l.i+1 < len(l.s) && l.s[l.i+1] == '\n') {
		if l.s[l.i] == '\\' {
			l.i++
		}
		l.i++
	}
	if l.i == len(l.s) {
		return shWord{}, nil
	}
	switch c := l.s[l.i]; c {
	case '#':
		for l.i < len(l.s) && l.s[l.i] != '\n' {
			l.i++
		}
		return l.next()
	case ';', '&', '|', '(', ')', '\n':
		l.i++
		return shWord{op: string(c)}, nil
	case '<', '>':
		return l.redirection(), nil
	}
	start := l.i
	var b strings.Builder
	w := shWord{op: "word"}
	for l.i < len(l.s) {
		c := l.s[l.i]
		if strings.IndexByte(" \t\n;&|()<>", c) >= 0 {
			break
		}
		switch c {
		case '\\':
			w.quoted = true
			l.i++
			if l.i < len(l.s) && l.s[l.i] != '\n' {
				b.WriteByte(l.s[l.i])
			}
		case '\'':
			w.quoted = true
			end := strings.IndexByte(l.s[l.i+1:], '\'')
			if end < 0 {
				return shWord{}, &errProgram{"the command line has an unclosed ' quote, so the shell cannot read it", "close the quote"}
			}
			b.WriteString(l.s[l.i+1 : l.i+1+end])
			l.i += end + 1
		case '"':
			w.quoted = true
			if err := l.doubleQuoted(&b, &w); err != nil {
				return shWord{}, err
			}
		case '$', '`':
			w.expands = true
			b.WriteByte(c)
		case '*', '?', '[':
			w.expands = true
			b.WriteByte(c)
		case '~':
			if l.i == start {
				rest := l.s[l.i+1:]
				w.tilde = rest == "" || strings.IndexByte("/ \t\n;&|()<>", rest[0]) >= 0
				if !w.tilde {
					w.expands = true // ~user
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
		l.i++
	}
	w.text, w.raw = b.String(), l.s[start:l.i]
	// An io number (2>file) belongs to the redirection after it.
	if !w.quoted && l.i < len(l.s) && (l.s[l.i] == '<' || l.s[l.i] == '>') && strings.Trim(w.text, "0123456789") == "" {
		return l.redirection(), nil
	}
	return w, nil
}

// doubleQuoted reads a "..." part that starts at l.i, leaving l.i on its
// closing quote: a backslash escapes only $ ` " \ and newline there.
func (l *shLexer) doubleQuoted(b *strings.Builder, w *shWord) error {
	for l.i++; l.i < len(l.s); l.i++ {
		switch c := l.s[l.i]; c {
		case '"':
			return nil
		case '\\':
			if l.i+1 < len(l.s) && strings.IndexByte("$`\"\\\n", l.s[l.i+1]) >= 0 {
				l.i++
				if l.s[l.i] != '\n' {
					b.WriteByte(l.s[l.i])
				}
				continue
			}
			b.WriteByte(c)
		case '$', '`':
			w.expands = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return &errProgram{`the command line has an unclosed " quote, so the shell cannot read it`, "close the quote"}
}

// redirection reads a redirection operator (<, >, >>, <&, >&, <>, >|,
// <<, <<-) that starts at l.i; the word after it is its file.
func (l *shLexer) redirection() shWord {
	op := l.s[l.i : l.i+1]
	l.i++
	for l.i < len(l.s) && strings.IndexByte("<>&|-", l.s[l.i]) >= 0 {
		l.i++
	}
	return shWord{op: op}
}

// windowsProgram is commandProgram for a cmd.exe command line: after
// any @, the first word is a "quoted" path or runs up to a space or one
// of & | < > ( ); cmd.exe's own commands (echo, set...) run no program;
// call names the program after it. %VAR% is refused as an expansion.
// (cmd.exe tries the current folder before PATH for a bare name unless
// NoDefaultCurrentDirectoryInExePath is set; checkProgram looks on PATH.)
func windowsProgram(line string) (string, error) {
	rest := strings.TrimLeft(line, " \t@")
	for {
		var word string
		quoted := strings.HasPrefix(rest, `"`)
		if quoted {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return "", &errProgram{`the command line has an unclosed " quote`, "close the quote"}
			}
			word, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexAny(rest, " \t&|<>()")
			if end < 0 {
				end = len(rest)
			}
			word, rest = rest[:end], rest[end:]
		}
		if word == "" {
			return "", nil
		}
		lower := strings.ToLower(word)
		if !quoted && lower == "call" {
			rest = strings.TrimLeft(rest, " \t")
			continue
		}
		if !quoted && cmdBuiltins[lower] {
			return "", nil
		}
		if strings.ContainsAny(word, "%!") {
			return "", &errProgram{fmt.Sprintf("the program %s is chosen by cmd.exe when it runs (a %%variable%%), so mfa-git cannot check it", word), "write the program's absolute path"}
		}
		drive := len(word) >= 3 && word[1] == ':' && (word[2] == '\\' || word[2] == '/')
		rooted := drive || strings.HasPrefix(word, `\`) || strings.HasPrefix(word, "/")
		if strings.ContainsAny(word, `/\:`) && !rooted {
			return "", &errProgram{fmt.Sprintf("the program %s is a relative path, which names a file in the current folder (the repository git runs mfa-git in)", word),
				"write the program's absolute path"}
		}
		return word, nil
	}
}

// cmdBuiltins are cmd.exe's own commands that run no program.
var cmdBuiltins = map[string]bool{
	"echo": true, "set": true, "rem": true, "cd": true, "chdir": true, "ver": true, "vol": true,
	"type": true, "exit": true, "setlocal": true, "endlocal": true, "echo.": true,
}
