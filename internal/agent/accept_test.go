//go:build linux || darwin

package agent

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// An agent out of file descriptors (EMFILE) keeps serving: once some are
// free again it answers the connection that waited, and when stopped it
// leaves no socket behind. The agent runs in a child process whose
// descriptors are used up for real.
func TestAcceptEMFILE(t *testing.T) {
	if path := os.Getenv("MFA_GIT_TEST_EMFILE_SOCK"); path != "" {
		emfileChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "agent.sock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcceptEMFILE$")
	cmd.Env = append(os.Environ(), "MFA_GIT_TEST_EMFILE_SOCK="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	out := bufio.NewReader(stdout)
	expect := func(want string) {
		t.Helper()
		line, err := out.ReadString('\n')
		if strings.TrimSpace(line) != want {
			t.Fatalf("agent said %q (%v), want %q; its log:\n%s", line, err, want, stderr.String())
		}
	}
	expect("full")

	// A command connects while the agent has no descriptor to accept it.
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cn := &conn{Conn: c, r: bufio.NewReader(c)}
	cn.SetDeadline(time.Now().Add(10 * time.Second))
	if err := cn.send(request{Op: "status"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // several failed accepts
	fmt.Fprintln(stdin, "free")
	expect("freed")
	resp, err := cn.recv()
	if err != nil || resp.Status != "ok" || resp.Info == nil {
		t.Fatalf("the waiting command got %+v, %v; the agent's log:\n%s", resp, err, stderr.String())
	}
	// Later commands are served too, and stopping removes the socket.
	if err := (&Client{Path: path}).Stop(context.Background()); err != nil {
		t.Fatalf("stop: %v", err)
	}
	expect("served until closed")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("agent: %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("stale socket after stop: %v", err)
	}
	if !strings.Contains(stderr.String(), "too many open files") {
		t.Fatalf("the agent never ran out of descriptors; its log:\n%s", stderr.String())
	}
}

// emfileChild runs an agent, uses up its descriptors, and frees them when
// told on stdin.
func emfileChild(path string) {
	srv, err := Listen(path, keystoretest.NewMemory(), log.New(os.Stderr, "agent: ", 0))
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	lim := syscall.Rlimit{Cur: 64, Max: 64}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(1)
	}
	var fill []*os.File
	for {
		f, err := os.Open(os.DevNull)
		if err != nil {
			break
		}
		fill = append(fill, f)
	}
	fmt.Println("full")
	in := bufio.NewReader(os.Stdin)
	in.ReadString('\n')
	for _, f := range fill {
		f.Close()
	}
	fmt.Println("freed")
	if err := <-served; err != nil {
		fmt.Println("serve returned:", err)
		os.Exit(1)
	}
	fmt.Println("served until closed")
	os.Exit(0)
}
