package prompt

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// By the time the code prompt is on the terminal, echo is already off:
// a code typed or auto-typed the moment it appears is never shown.
func TestEchoOffBeforePrompt(t *testing.T) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer master.Close()
	mfd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(mfd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer slave.Close()

	// The prompt goes to a pipe that is already full, so writing it
	// blocks: while it does, echo must already be off. (Echo turned off
	// only after the prompt would stay on for as long as the write waits.)
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		t.Fatal(err)
	}
	unix.SetNonblock(p[1], true)
	for {
		if _, err := unix.Write(p[1], make([]byte, 4096)); err != nil {
			break // full
		}
	}
	unix.SetNonblock(p[1], false)
	r, w := os.NewFile(uintptr(p[0]), "prompt-r"), os.NewFile(uintptr(p[1]), "prompt-w")
	defer r.Close()
	defer w.Close()

	got := make(chan string, 1)
	go func() {
		code, _ := (&tty{slave, w}).ReadSecret(context.Background(), "MFA code: ")
		got <- code
	}()
	sfd := int(slave.Fd())
	for deadline := time.Now().Add(5 * time.Second); ; {
		tio, err := unix.IoctlGetTermios(sfd, unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("echo was still on while the prompt was being written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	go io.Copy(io.Discard, r) // let the prompt through
	master.Write([]byte("123456\n"))
	select {
	case code := <-got:
		if code != "123456" {
			t.Errorf("read %q", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadSecret did not return")
	}
	if after, _ := unix.IoctlGetTermios(sfd, unix.TCGETS); after == nil || after.Lflag&unix.ECHO == 0 {
		t.Error("echo was not turned back on")
	}
}
