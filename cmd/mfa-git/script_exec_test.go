//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
)

// ctrlc CMD [ARG...]: run CMD on a new pseudo-terminal as its controlling
// terminal (in the terminal's foreground process group, as a shell runs
// a command), wait for the file "ready", type Ctrl-C, and wait for CMD to
// exit. What CMD wrote to the terminal becomes stdout, followed by a line
// "[exit status N]" (N is -1 for a process ended by a signal).
func cmdCtrlC(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: ctrlc cmd [arg...]")
	}
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	ts.Check(err)
	defer ptmx.Close()
	ts.Check(unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetUint32(int(ptmx.Fd()), unix.TIOCGPTN)
	ts.Check(err)
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	ts.Check(err)
	path, err := exec.LookPath(args[0])
	if err != nil {
		path = args[0]
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range []string{"HOME", "PATH", "WORK", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR",
		"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "MFA_GIT_KEYRING", "MFA_GIT_KEYRING_SERVICE", "MFA_GIT_AGENT", "MFA_GIT_AGENT_SOCK", "MFA_GIT_SANDBOX_STS"} {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	ts.Check(cmd.Start())
	pts.Close()
	var (
		mu  sync.Mutex
		out bytes.Buffer
	)
	copied := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				break
			}
		}
		close(copied)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	ready := filepath.Join(cmd.Dir, "ready")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			ts.Fatalf("ctrlc: %s did not write ready within 20s", args[0])
		}
	}
	_, err = ptmx.Write([]byte{3}) // ^C: the terminal signals its foreground group
	ts.Check(err)
	select {
	case err = <-exited:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		ts.Fatalf("ctrlc: %s did not exit within 20s of Ctrl-C", args[0])
	}
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
	}
	mu.Lock()
	io.Copy(ts.Stdout(), &out)
	mu.Unlock()
	fmt.Fprintf(ts.Stdout(), "[exit status %d]\n", cmd.ProcessState.ExitCode())
	if err != nil && !neg {
		ts.Fatalf("ctrlc: %v", err)
	}
	if err == nil && neg {
		ts.Fatalf("ctrlc: %s succeeded unexpectedly", args[0])
	}
}
