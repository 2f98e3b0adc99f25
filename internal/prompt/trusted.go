package prompt

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/trust"
)

// ErrUntrusted is wrapped by the error for a command mfa-git refuses to
// run because another user could have chosen it (see internal/trust).
var ErrUntrusted = errors.New("refused to run a command another user could have chosen")

// profileCommandSource checks that the files p's command line key
// (mfa_process, credential_process) may have come from meet trust's
// rule. Until the profile reader records which file each value came
// from, both shared files are checked when they exist: this is the one
// place to narrow it to that file.
func profileCommandSource(p *profile.Profile, key string) error {
	for _, f := range []string{p.Files.Config, p.Files.Credentials} {
		if f == "" {
			continue
		}
		err := trust.Check(f)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return untrusted(err, fmt.Sprintf("%s of profile %q", key, p.Name), "it is read from "+f)
	}
	return nil
}

// profileCommand checks a profile's command line (the value of key,
// mfa_process or credential_process) before it runs through the shell:
// the files it is read from (profileCommandSource), then the program it
// runs first (commandProgram) with checkProgram. A line whose program
// mfa-git cannot tell is refused, with what to write instead.
func profileCommand(p *profile.Profile, key, line string) error {
	if err := profileCommandSource(p, key); err != nil {
		return err
	}
	what := fmt.Sprintf("%s of profile %q", key, p.Name)
	program, err := commandProgram(line, runtime.GOOS)
	if err != nil {
		return untrusted(err, what, "")
	}
	if program == "" {
		return nil // a builtin of the shell: no program to check
	}
	return checkProgram(what+", program", program)
}

// checkProgram checks that a prompt program (what, such as "askpass
// program from GIT_ASKPASS") and the interpreter its #! line names meet
// trust's rule. A bare name is looked up on PATH as exec does, and
// refused when PATH finds it through a relative folder (such as "." or
// an empty entry: the current folder is the repository git runs mfa-git
// in); a program that cannot be found or read is left for running it to
// report.
func checkProgram(what, program string) error {
	path, found := program, ""
	if !strings.ContainsAny(program, `/\`) {
		p, err := exec.LookPath(program)
		if errors.Is(err, exec.ErrDot) {
			return untrusted(&errProgram{fmt.Sprintf("PATH finds it as %s, through a relative folder (such as . or an empty entry) that names the current folder, the repository git runs mfa-git in", p),
				"remove . and empty entries from PATH, or write the program's absolute path"}, what+" "+program, "")
		}
		if err != nil {
			return nil
		}
		path, found = p, "PATH finds it as "+p
	}
	if err := trust.Check(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return untrusted(err, what+" "+program, found)
	}
	head, err := readHead(path)
	if err != nil {
		return nil
	}
	if interp := shebang(head); filepath.IsAbs(interp) {
		if err := trust.Check(interp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return untrusted(err, what+" "+program, "its #! line names "+interp)
		}
	}
	return nil
}

// untrusted is the refusal to run what because of err (a *trust.Error,
// an *errProgram, or the error of looking at a file); why says how the
// file is involved.
func untrusted(err error, what, why string) error {
	msg := fmt.Sprintf("refusing to run the %s: %v", what, err)
	if why != "" {
		msg = fmt.Sprintf("refusing to run the %s (%s): %v", what, why, err)
	}
	rule := "mfa-git runs only commands named in files that are yours or root's and that no one else can write (nor the folders on the way), and only programs that meet the same rule: "
	var unknown *errProgram
	if errors.As(err, &unknown) {
		rule = "mfa-git runs a command line only once it has checked the program the line runs (whose it is, who can write it): "
	}
	return hint.New(fmt.Errorf("%w: %w", ErrUntrusted, err), msg, rule+hint.Of(err))
}

// shebang returns the interpreter path a script's #! line names, as the
// kernel reads it, or "".
func shebang(b []byte) string {
	rest, ok := bytes.CutPrefix(b, []byte("#!"))
	if !ok {
		return ""
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}
