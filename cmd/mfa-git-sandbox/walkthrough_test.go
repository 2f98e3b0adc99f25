//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// TestWalkthroughOnTerminal runs the walk-through as a new user would, on
// a real pseudo-terminal: when mfa-git asks for the code, the sandbox
// device's code of that moment is on the screen; a wrong code is refused
// and the person is asked again, with the code shown then; the right one
// clones, and the second clone needs no code.
func TestWalkthroughOnTerminal(t *testing.T) {
	testenv.Require(t, "git")
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "mfa-git"), "../mfa-git")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build mfa-git: %v\n%s", err, out)
	}
	if err := os.Symlink("mfa-git", filepath.Join(bin, "git-credential-mfa-git")); err != nil {
		t.Fatal(err)
	}
	// This test binary is mfa-git-sandbox (see TestMain).
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "mfa-git-sandbox")); err != nil {
		t.Fatal(err)
	}

	term := openPTY(t)
	home := t.TempDir()
	cmd := exec.Command("sh", "../../internal/testkit/sandbox/walkthrough.sh")
	cmd.Env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "HOME=" + home, "TERM=dumb", "TMPDIR=" + t.TempDir(), "MFA_GIT_SANDBOX_TEST_MAIN=1"}
	for _, kv := range os.Environ() {
		// The session bus, so the default keyring is what the machine has.
		if strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") || strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	exited := term.start(t, cmd)

	shown := regexp.MustCompile(`the MFA device shows (\d{6}) now\)\r?\nmfa-git: MFA code \(one-time password\) for \S+, profile sandbox: `)
	first := term.expect(t, shown, 60*time.Second)
	wrong := []byte(first[1])
	wrong[0] = '0' + (wrong[0]-'0'+1)%10
	term.write(t, string(wrong)+"\n")
	term.expect(t, regexp.MustCompile(`AWS refused that code`), 30*time.Second)
	second := term.expect(t, shown, 60*time.Second)
	term.write(t, second[1]+"\n")
	term.expect(t, regexp.MustCompile(`3\. a second clone`), 60*time.Second)
	term.expect(t, regexp.MustCompile(`sandbox counters: \{"get_session_token":1,"get_session_failed":1,`), 30*time.Second)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("walk-through: %v\n%s", err, term.output())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("walk-through still running\n%s", term.output())
	}
	if strings.Contains(term.output(), first[1]+"\r\n") || strings.Contains(term.output(), second[1]+"\r\n") {
		t.Errorf("the typed code was echoed:\n%s", term.output())
	}
}

// start runs cmd in a new session whose controlling terminal is p's, and
// returns its exit. When the test ends, the whole session (git, mfa-git,
// an askpass program) gets SIGTERM, so a script's trap runs and stops the
// agent and the sandbox, then SIGKILL after 10 s.
func (p *pty) start(t *testing.T, cmd *exec.Cmd) <-chan error {
	t.Helper()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.tty, p.tty, p.tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.tty.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	return exited
}

// pty is a pseudo-terminal: the walk-through gets tty, the test reads
// and types on the master side.
type pty struct {
	master, tty *os.File
	mu          sync.Mutex
	buf         bytes.Buffer
	seen        int // output before this offset was matched already
}

func openPTY(t *testing.T) *pty {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &pty{master: m, tty: tty}
	t.Cleanup(func() { m.Close() })
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := m.Read(b)
			p.mu.Lock()
			p.buf.Write(b[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

// expect waits for re in the output after the last match.
func (p *pty) expect(t *testing.T, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		out := p.buf.String()[p.seen:]
		if loc := re.FindStringSubmatchIndex(out); loc != nil {
			m := re.FindStringSubmatch(out)
			p.seen += loc[1]
			p.mu.Unlock()
			return m
		}
		p.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q within %v; the terminal shows:\n%s", re, timeout, p.output())
	return nil
}

func (p *pty) write(t *testing.T, s string) {
	t.Helper()
	if _, err := p.master.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}
