package prompt

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// touchDelay is how long a token command may run before mfa-git says it
// is waiting for it: ykman and other hardware-key tools wait, silently
// when their own message goes nowhere, for a touch.
const touchDelay = time.Second

// notifyTimeout bounds the desktop notification program.
const notifyTimeout = 5 * time.Second

// touchNotice says, once the token command for p has run for touchDelay,
// that it is waiting, perhaps for a touch: on tty when there is one, else
// as a desktop notification (notify-send on a Linux desktop, osascript on
// macOS), so that a person is never left looking at a silent git. With
// neither there is no one to tell. The
// returned stop ends the wait; a notice already shown stays.
func touchNotice(p *profile.Profile, tty io.Writer) (stop func()) {
	text := fmt.Sprintf("mfa-git: waiting for the token command (mfa_process) of profile %s: touch your security key if it is blinking", p.Name)
	t := time.AfterFunc(touchDelay, func() {
		if tty != nil {
			fmt.Fprintln(tty, text)
			return
		}
		notify(text)
	})
	return func() { t.Stop() }
}

// notify shows text as a desktop notification, if this system has a way
// to; it waits at most notifyTimeout.
func notify(text string) {
	var argv []string
	switch {
	case runtime.GOOS == "darwin":
		argv = osascriptNotification(text)
	case os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "":
		argv = []string{"notify-send", "--app-name=mfa-git", "--expire-time=10000", "mfa-git", text}
	default:
		return
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	cmd.Env = child.WithoutSecrets(os.Environ())
	_ = cmd.Run()
}

// osascriptNotification is the argv that shows text in macOS's
// notification centre; text is passed as an argument, never as script.
func osascriptNotification(text string) []string {
	return []string{"osascript", "-e", "on run argv", "-e", `display notification (item 1 of argv) with title "mfa-git"`, "-e", "end run", text}
}
