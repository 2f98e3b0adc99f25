package main

// The script commands in this file make the world around mfa-git
// misbehave: sessions that end within seconds, a Secret Service that dies
// or hangs, folders a user cannot write, a full disk.

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/rogpeppe/go-internal/testscript"
)

// sandboxlifetime DURATION: sessions the sandbox issues from now on last
// DURATION (0: as long as asked).
func cmdSandboxLifetime(ts *testscript.TestScript, neg bool, args []string) {
	sb(ts).SetSessionLifetime(durationArg(ts, "sandboxlifetime", args))
}

// durationArg is the one DURATION argument of the script command name.
func durationArg(ts *testscript.TestScript, name string, args []string) time.Duration {
	if len(args) != 1 {
		ts.Fatalf("usage: %s duration", name)
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	return d
}

// busConfig is a session bus with no activatable services: a Secret
// Service that dies stays gone until the script starts it again.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// secretservice start|stop|hang: "start" runs gnome-keyring-daemon,
// unlocked, on a private session bus (started the first time, and pointed
// at by DBUS_SESSION_BUS_ADDRESS), keeping its keyrings under
// $WORK/keyrings; "stop" kills it with SIGKILL, as a crash would; "hang"
// stops it with SIGSTOP, as a deadlock would leave it.
func cmdSecretService(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: secretservice start|stop|hang")
	}
	switch args[0] {
	case "start":
		if ts.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			startBus(ts)
		}
		startKeyringDaemon(ts)
	case "stop":
		d := keyringDaemon(ts)
		state(ts).keyringDaemon = nil
		d.Process.Kill()
		d.Wait()
		waitSecretsOwner(ts, false)
	case "hang":
		ts.Check(freeze(keyringDaemon(ts).Process))
	default:
		ts.Fatalf("usage: secretservice start|stop|hang")
	}
}

func keyringDaemon(ts *testscript.TestScript) *exec.Cmd {
	d := state(ts).keyringDaemon
	if d == nil {
		ts.Fatalf("no keyring daemon running")
	}
	return d
}

func startBus(ts *testscript.TestScript) {
	sock := ts.MkAbs("bus.sock")
	conf := ts.MkAbs("bus.conf")
	ts.Check(os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, sock)), 0o600))
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork")
	ts.Check(bus.Start())
	ts.Defer(func() { bus.Process.Kill(); bus.Wait() })
	// Ready when it accepts a connection: the socket file appears at
	// bind(2), a moment before listen(2), and a connection in between is
	// refused.
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			ts.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("dbus-daemon did not listen on %s within 5s", sock)
}

func startKeyringDaemon(ts *testscript.TestScript) {
	home := ts.MkAbs("keyrings")
	ts.Check(os.MkdirAll(home, 0o700))
	d := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	d.Env = []string{"HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_RUNTIME_DIR=" + home,
		"DBUS_SESSION_BUS_ADDRESS=" + ts.Getenv("DBUS_SESSION_BUS_ADDRESS"), "PATH=" + os.Getenv("PATH")}
	d.Stdin = strings.NewReader("test-keyring-password\n")
	ts.Check(d.Start())
	state(ts).keyringDaemon = d
	ts.Defer(func() { d.Process.Kill(); d.Wait() })
	waitSecretsOwner(ts, true)
}

// waitSecretsOwner waits up to 10s until org.freedesktop.secrets has (or
// has no) owner on the script's bus.
func waitSecretsOwner(ts *testscript.TestScript, want bool) {
	conn, err := dbus.Connect(ts.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	ts.Check(err)
	defer conn.Close()
	for i := 0; i < 200; i++ {
		var owned bool
		if conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&owned) == nil && owned == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("org.freedesktop.secrets owned = %v after 10s, want %v", !want, want)
}

// nobodyUID is the unprivileged user the "nobody" command runs as.
const nobodyUID = "65534"

// nobody setup | nobody CMD [ARGS...]: "setup" lets uid 65534 reach the
// script's folders (search permission on $WORK and its parents), copies
// this test binary there as mfa-git, git-credential-mfa-git and
// sandbox-code, and gives HOME,
// XDG_CACHE_HOME and XDG_CONFIG_HOME to that user, putting the copies
// first on PATH. Then "nobody CMD" runs
// CMD as uid 65534 with the script's environment, as exec would, so
// permissions apply as they do to a user (root ignores them).
func cmdNobody(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: nobody setup | nobody cmd [args...]")
	}
	bin := ts.MkAbs("nobody-bin")
	if args[0] == "setup" {
		for dir := ts.MkAbs("."); dir != "/"; dir = filepath.Dir(dir) {
			st, err := os.Stat(dir)
			ts.Check(err)
			// Only where the bit is missing, and keeping the sticky bit:
			// Perm() alone would take it off /tmp for everyone.
			if st.Mode().Perm()&0o001 == 0 {
				ts.Check(os.Chmod(dir, st.Mode()&(fs.ModePerm|fs.ModeSticky|fs.ModeSetgid|fs.ModeSetuid)|0o001))
			}
		}
		ts.Check(os.MkdirAll(bin, 0o755))
		exe, err := os.Executable()
		ts.Check(err)
		for _, name := range []string{"mfa-git", "git-credential-mfa-git", "sandbox-code"} {
			ts.Check(exec.Command("cp", exe, filepath.Join(bin, name)).Run())
			ts.Check(os.Chmod(filepath.Join(bin, name), 0o755))
		}
		for _, v := range []string{"HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
			dir := ts.Getenv(v)
			ts.Check(os.MkdirAll(dir, 0o700))
			if out, err := exec.Command("chown", "-R", nobodyUID+":"+nobodyUID, dir).CombinedOutput(); err != nil {
				ts.Fatalf("chown %s: %v %s", dir, err, out)
			}
		}
		ts.Setenv("PATH", bin+string(filepath.ListSeparator)+ts.Getenv("PATH"))
		return
	}
	err := ts.Exec("setpriv", append([]string{"--reuid=" + nobodyUID, "--regid=" + nobodyUID, "--clear-groups", "--"}, args...)...)
	if err != nil {
		ts.Logf("[%v]", err)
		if !neg {
			ts.Fatalf("unexpected command failure")
		}
	} else if neg {
		ts.Fatalf("unexpected command success")
	}
}

// diskfull DIR: mount a 64 KiB tmpfs on DIR (made if missing) and fill it,
// so writes there fail with ENOSPC as on a full disk; unmounted when the
// script ends. Needs [can:mount].
func cmdDiskFull(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: diskfull dir")
	}
	dir := mountTmpfs(ts, args[0], "size=64k,mode=0700")
	f, err := os.Create(filepath.Join(dir, "filler"))
	ts.Check(err)
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				ts.Fatalf("fill %s: %v", dir, err)
			}
			return
		}
	}
}

// canMount reports whether this process may mount a tmpfs (root with
// CAP_SYS_ADMIN), by trying once.
var canMount = sync.OnceValue(func() bool {
	dir, err := os.MkdirTemp("", "mfa-git-mount-")
	if err != nil {
		return false
	}
	defer os.Remove(dir)
	if exec.Command("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", dir).Run() != nil {
		return false
	}
	exec.Command("umount", dir).Run()
	return true
})

// mountTmpfs mounts a tmpfs with opts on the script's folder rel (made if
// missing), unmounted when the script ends, and returns its path.
func mountTmpfs(ts *testscript.TestScript, rel, opts string) string {
	dir := ts.MkAbs(rel)
	ts.Check(os.MkdirAll(dir, 0o700))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		ts.Fatalf("mount tmpfs (%s) on %s: %v %s", opts, dir, err, out)
	}
	ts.Defer(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}
