package prompt

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// scriptHeadSize is how much of a program Git for Windows reads to find
// its #! line (MAX_PATH in compat/mingw.c).
const scriptHeadSize = 260

// programArgv returns the argv that runs program with the argument text
// the way git runs an askpass program on this system: directly, except
// on Windows, where a script (VS Code's askpass.sh) cannot be executed
// and is run through the interpreter its #! line names.
func programArgv(program, text string) ([]string, error) {
	if runtime.GOOS != "windows" {
		return []string{program, text}, nil
	}
	argv, err := windowsArgv(program, readHead, lookPathExe)
	if err != nil {
		return nil, err
	}
	return append(argv, text), nil
}

// windowsArgv follows Git for Windows (compat/mingw.c parse_interpreter
// and try_shell_exec): a program ending in .exe runs as it is; otherwise
// the first line, if it starts with #! and ends in LF or CRLF, names the
// interpreter, of which only the base name counts ("/bin/sh -e" is sh),
// found on PATH as an .exe; the script's path becomes its first
// argument. One step further than git: "#!/usr/bin/env NAME" runs NAME
// directly, so no env.exe is needed. head reads the start of a file;
// lookPath finds an .exe on PATH.
func windowsArgv(program string, head func(string) ([]byte, error), lookPath func(string) (string, error)) ([]string, error) {
	if strings.HasSuffix(strings.ToLower(program), ".exe") {
		return []string{program}, nil
	}
	b, err := head(program)
	name := interpreterName(b)
	if err != nil || name == "" {
		return []string{program}, nil // unreadable: running it reports what is wrong
	}
	interp, err := lookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s starts with #! naming %s, which is not on PATH: %w", program, name, err)
	}
	return []string{interp, program}, nil
}

// interpreterName returns the base name of the interpreter a script's #!
// line names, or "" when there is no such line.
func interpreterName(b []byte) string {
	if len(b) < 4 || !bytes.HasPrefix(b, []byte("#!")) {
		return ""
	}
	end := bytes.IndexAny(b, "\r\n")
	if end < 0 {
		return "" // git needs the whole line
	}
	line := string(b[2:end])
	slash := strings.LastIndexAny(line, `/\`)
	if slash < 0 {
		return ""
	}
	fields := strings.Fields(line[slash+1:])
	if len(fields) == 0 {
		return ""
	}
	if fields[0] == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") && !strings.Contains(f, "=") {
				return f
			}
		}
	}
	return fields[0]
}

// readHead returns the first scriptHeadSize bytes of a file.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, scriptHeadSize))
}

// lookPathExe finds name.exe on PATH, never in the current folder (git
// runs helpers from a repository, whose content is not trusted).
func lookPathExe(name string) (string, error) {
	if strings.ContainsAny(name, `/\:`) {
		return "", fmt.Errorf("%q is not a plain program name", name)
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, name+".exe")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s.exe not found on PATH", name)
}
