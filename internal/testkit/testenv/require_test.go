package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// skipRecorder is a testing.TB whose Skipf and Fatalf record the message
// and end the goroutine, as the real ones do.
type skipRecorder struct {
	testing.TB
	how, msg string
}

func (r *skipRecorder) Helper() {}
func (r *skipRecorder) Skipf(format string, args ...any) {
	r.how, r.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *skipRecorder) Fatalf(format string, args ...any) {
	r.how, r.msg = "fail", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// A missing tool skips the test naming every missing one (the way
// Windows' skips read there), or fails it in CI; a present one runs it.
func TestRequireAll(t *testing.T) {
	bin := t.TempDir()
	name := "present"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if err := os.WriteFile(filepath.Join(bin, name), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	for _, tt := range []struct {
		tools              []string
		ci                 string
		how, unix, windows string
	}{
		{[]string{"present"}, "", "", "", ""},
		{[]string{"present", "sh"}, "", "skip", "sh is not installed", "no sh for Windows on PATH"},
		{[]string{"sh", "present", "git"}, "", "skip", "sh and git are not installed", "no sh and git for Windows on PATH"},
		{[]string{"man", "mandb", "groff"}, "", "skip", "man, mandb and groff are not installed", "no man, mandb and groff for Windows on PATH"},
		{[]string{"sh", "git"}, "1", "fail", "sh and git are required in CI but not on PATH", "sh and git are required in CI but not on PATH"},
	} {
		t.Setenv("MFA_GIT_CI", tt.ci)
		r := &skipRecorder{TB: t}
		done := make(chan struct{})
		go func() { defer close(done); RequireAll(r, tt.tools...) }()
		<-done
		want := tt.unix
		if runtime.GOOS == "windows" {
			want = tt.windows
		}
		if r.how != tt.how || r.msg != want {
			t.Errorf("RequireAll(%q) with MFA_GIT_CI=%q: %s %q, want %s %q", tt.tools, tt.ci, r.how, r.msg, tt.how, want)
		}
	}
}
