package testenv

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recordingFile, beside a copy of a test binary named git, says what that
// copy does when run: the file to append its environment to (first line)
// and what to print (the rest).
const recordingFile = "git.recording"

// init makes a test binary that was started as the fake git of
// RecordingGit (a copy of itself named git or git.exe) do only that and
// exit, before any test runs.
func init() {
	exe, err := os.Executable()
	if err != nil || !strings.EqualFold(strings.TrimSuffix(filepath.Base(exe), ".exe"), "git") {
		return
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(exe), recordingFile))
	if err != nil {
		return // not RecordingGit's copy
	}
	envFile, stdout, _ := strings.Cut(string(b), "\n")
	f, err := os.OpenFile(envFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err == nil {
		_, err = io.WriteString(f, strings.Join(os.Environ(), "\n")+"\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake git:", err)
		os.Exit(2)
	}
	fmt.Println(stdout)
	os.Exit(0)
}

// RecordingGit puts, for the test, a fake git first on PATH that prints
// stdout and appends its environment (one VAR=value a line) to the file
// it returns, so a test can see what a git child was given. The fake is
// this test binary itself, hard-linked or copied as git, or git.exe on
// Windows, which the package's init turns into the fake: so it runs on
// every system, Windows and Wine included.
func RecordingGit(t testing.TB, stdout string) (envFile string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	envFile = filepath.Join(t.TempDir(), "env")
	name := "git"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if err := linkOrCopy(self, filepath.Join(bin, name)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, recordingFile), []byte(envFile+"\n"+stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return envFile
}

// linkOrCopy makes dst the same file as src, or a copy of it where they
// are on different file systems or on Windows, which cannot delete a link
// to a running program (t.TempDir's cleanup would fail): an executable
// either way.
func linkOrCopy(src, dst string) error {
	if runtime.GOOS != "windows" && os.Link(src, dst) == nil {
		return nil
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o700)
}
