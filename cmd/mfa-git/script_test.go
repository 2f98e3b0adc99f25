package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestMain(m *testing.M) {
	// The scripts run the real main, start-up included, as the binary does.
	testscript.Main(m, map[string]func(){
		"mfa-git":                main,
		"git-credential-mfa-git": main,
		"git-remote-codecommit":  main,
		// Reads JSON from stdin and prints "status name" per doctor check.
		"jsoncheck": func() {
			var checks []struct{ Name, Status string }
			if err := json.NewDecoder(os.Stdin).Decode(&checks); err != nil {
				fmt.Fprintln(os.Stderr, "not JSON:", err)
				os.Exit(1)
			}
			for _, c := range checks {
				fmt.Println(c.Status, c.Name)
			}
			os.Exit(0)
		},
		// A token command, as ykman or op would be: prints the code that
		// the sandbox's MFA device shows now.
		"sandbox-code": func() {
			url := os.Getenv("MFA_GIT_SANDBOX_STS") + "/_sandbox/code"
			if len(os.Args) > 1 && os.Args[1] == "next" {
				url += "?offset=1" // the code of the next 30-second step
			} else if len(os.Args) > 1 && os.Args[1] == "unused" {
				url += "?unused=1" // a code not used yet
			} else if len(os.Args) > 1 {
				url += "?user=" + os.Args[1] // another user's device
			}
			resp, err := http.Get(url)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			io.Copy(os.Stdout, resp.Body)
			os.Exit(0)
		},
	})
}

// TestScript runs the end-to-end scenarios in testdata/script: real git,
// real pseudo-terminals, the kernel keyring, and the sandbox on loopback.
// The scripts run git and sh (on Windows, Git for Windows' git.exe and
// sh.exe); a script that needs what only Linux has (strace, keyctl,
// gnome-keyring, setpriv, ...) or what mfa-git does not do on Windows
// (the agent) says so before its first command, with a [windows] skip.
func TestScript(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("the end-to-end scripts need Linux parts: the kernel keyring (keyctl), gnome-keyring on a private D-Bus, setpriv, strace and tmpfs mounts; they do not say yet which of them macOS lacks")
	}
	testenv.RequireAll(t, "sh", "git")
	if runtime.GOOS == "windows" {
		// Every script keeps its sessions in the Credential Manager.
		if os.Getenv("MFA_GIT_TEST_CREDMAN") != "1" {
			t.Skip("the Credential Manager may be the developer's own: set MFA_GIT_TEST_CREDMAN=1 where it is a throwaway one (CI)")
		}
	} else {
		testenv.RequirePrivateKeyring(t) // every script keeps its sessions in the kernel keyring
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			// Deferred first, so run last: the slots go back after every
			// other clean-up (script_sched_test.go).
			test := e.T().(interface{ Name() string }).Name()
			e.Defer(scripts.acquire(test))
			if heavyScripts[scriptName(test)] {
				release, err := testenv.LockRun("heavy", 5*time.Minute)
				if err != nil {
					return fmt.Errorf("wait for the other heavy tests: %w", err)
				}
				e.Defer(release)
			}
			work := e.WorkDir
			// Every default location is the script's own: nothing a script
			// runs finds the developer's files, keyrings or sockets.
			e.Setenv("HOME", filepath.Join(work, "home"))
			e.Setenv("XDG_CACHE_HOME", filepath.Join(work, "cache"))
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(work, "config"))
			e.Setenv("XDG_DATA_HOME", filepath.Join(work, "data"))
			e.Setenv("XDG_STATE_HOME", filepath.Join(work, "state"))
			e.Setenv("XDG_RUNTIME_DIR", filepath.Join(work, "runtime"))
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			// The script's keyring namespace goes when it ends (after the
			// agent, deferred below, has stopped): in the kernel keyring,
			// or on Windows in the Credential Manager.
			service := fmt.Sprintf("mfa-git-test-%d-%d", os.Getpid(), time.Now().UnixNano())
			e.Setenv("MFA_GIT_KEYRING_SERVICE", service)
			if runtime.GOOS == "windows" {
				for env, dir := range map[string]string{"USERPROFILE": "home", "APPDATA": "config", "LOCALAPPDATA": "cache"} {
					e.Setenv(env, filepath.Join(work, dir))
				}
				e.Setenv("MFA_GIT_KEYRING", "keychain")
				e.Defer(func() {
					if err := testenv.RemoveCredManNamespace(service); err != nil {
						e.T().Log("remove the script's Credential Manager entries: ", err)
					}
				})
			} else {
				e.Setenv("MFA_GIT_KEYRING", "keyctl")
				e.Defer(func() {
					if err := testenv.RemoveKeyctlNamespace(service); err != nil {
						e.T().Log("remove the script's kernel keyring: ", err)
					}
				})
			}
			// Scripts about the agent turn it on; others must not leave
			// autostarted agents behind.
			e.Setenv("MFA_GIT_AGENT", "off")
			e.Setenv("MFA_GIT_AGENT_SOCK", filepath.Join(work, "agent.sock"))
			// A helper run with the agent on starts one, detached, as it
			// would for a user; stop it when the script ends.
			sock := filepath.Join(work, "agent.sock")
			e.Defer(func() { (&agent.Client{Path: sock}).Stop(context.Background()) })
			e.Values[stateKey{}] = &scriptState{}
			if v := os.Getenv("MFA_GIT_CI"); v != "" {
				e.Setenv("MFA_GIT_CI", v)
			}
			for _, dir := range []string{"home", "runtime"} {
				if err := os.MkdirAll(filepath.Join(work, dir), 0o700); err != nil {
					return err
				}
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			// [tool:X]: X is on PATH. CI installs every tool the scripts
			// use, so there a missing one is an error, not a skip.
			if tool, ok := strings.CutPrefix(cond, "tool:"); ok {
				_, err := exec.LookPath(tool)
				if err != nil && os.Getenv("MFA_GIT_CI") != "" {
					return false, fmt.Errorf("%s is required in CI but not on PATH", tool)
				}
				return err == nil, nil
			}
			if cond == "can:mount" {
				return canMount(), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sandbox":   cmdSandbox,
			"githelper": cmdGitHelper,
			"code":      cmdCode,
			"stats":     cmdStats,
			"fakebus":   cmdFakeBus,
			"waitagent": cmdWaitAgent,
			"waitlease": cmdWaitLease,
			"gitfault": func(ts *testscript.TestScript, neg bool, args []string) {
				sb(ts).SetGitFault(strings.Join(args, ""))
			},
			"nosecrets":    cmdNoSecrets,
			"sandboxusers": cmdSandboxUsers,
			"loadgen":      cmdLoadgen,
			"sandboxclock": func(ts *testscript.TestScript, neg bool, args []string) {
				sb(ts).SetClockOffset(durationArg(ts, "sandboxclock", args))
			},
			"sandboxlifetime": cmdSandboxLifetime,
			"secretservice":   cmdSecretService,
			"nobody":          cmdNobody,
			"diskfull":        cmdDiskFull,
			"readonly":        cmdReadOnly,
			"fakeiam":         cmdFakeIAM,
			"ctrlc":           cmdCtrlC,
			"role":            cmdRole,
			"signin":          cmdSignIn,
			"killadd":         cmdKillAdd,
		},
	})
}

// scriptState is what one script's commands share; scripts run in
// parallel, each with its own.
type scriptState struct {
	sandbox       *sandbox.Sandbox
	ssoSession    bool          // signin wrote [sso-session corp]
	busConns      *atomic.Int32 // connections to the fakebus socket
	keyringDaemon *exec.Cmd     // see secretservice
}

type stateKey struct{}

func state(ts *testscript.TestScript) *scriptState {
	return ts.Value(stateKey{}).(*scriptState)
}

func sb(ts *testscript.TestScript) *sandbox.Sandbox {
	s := state(ts).sandbox
	if s == nil {
		ts.Fatalf("no sandbox: run the sandbox command first")
	}
	return s
}

// sandbox [-mfa-process|-mfa-process-unused]: start a sandbox, write the
// "sandbox" profile to ~/.aws (with a token command that prints the
// current code, or one not used yet) and git's helper config to
// ~/.gitconfig, and set STS, GITURL and REQ (a file holding a credential
// request for the demo repository).
func cmdSandbox(ts *testscript.TestScript, neg bool, args []string) {
	s, err := sandbox.Start(ts.MkAbs("sandbox"))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	state(ts).sandbox = s
	ts.Defer(s.Close)
	home := ts.Getenv("HOME")
	ts.Check(s.WriteProfile("sandbox", filepath.Join(home, ".aws/config"), filepath.Join(home, ".aws/credentials")))
	if len(args) > 0 && strings.HasPrefix(args[0], "-mfa-process") {
		f, err := os.OpenFile(filepath.Join(home, ".aws/config"), os.O_APPEND|os.O_WRONLY, 0)
		ts.Check(err)
		cmd := "sandbox-code"
		if args[0] == "-mfa-process-unused" {
			cmd += " unused"
		}
		fmt.Fprintln(f, "mfa_process = "+cmd)
		f.Close()
	}
	ts.Setenv("MFA_GIT_SANDBOX_STS", s.STSURL)
	ts.Setenv("STS", s.STSURL)
	ts.Setenv("GITURL", s.GitURL+"/v1/repos/demo")
	ts.Setenv("GITBASE", s.GitURL)
	host := strings.TrimPrefix(s.GitURL, "http://")
	ts.Check(os.WriteFile(ts.MkAbs("req.txt"), []byte("protocol=http\nhost="+host+"\npath=v1/repos/demo\n\n"), 0o600))
	cmdGitHelper(ts, false, []string{"mfa-git"})
}

// githelper mfa-git|aws|none: configure git for the sandbox host with
// mfa-git, with the AWS CLI's CodeCommit helper, or with no helper.
func cmdGitHelper(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: githelper mfa-git|aws|none")
	}
	helper := map[string]string{
		"mfa-git": "mfa-git --profile sandbox --ignore-host-check --region " + sandbox.Region,
		"aws":     "!aws --profile sandbox codecommit credential-helper --ignore-host-check $@",
		"none":    "",
	}[args[0]]
	cfg := fmt.Sprintf("[credential %q]\n\thelper =\n\thelper = %s\n\tuseHttpPath = true\n[user]\n\tname = Test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n",
		sb(ts).GitURL, helper)
	ts.Check(os.WriteFile(filepath.Join(ts.Getenv("HOME"), ".gitconfig"), []byte(cfg), 0o600))
}

// code [-offset N] FILE: write the MFA code the device shows now (or N
// steps of 30s later) to FILE, as a person would type it.
func cmdCode(ts *testscript.TestScript, neg bool, args []string) {
	off := 0
	if len(args) == 3 && args[0] == "-offset" {
		off, _ = strconv.Atoi(args[1])
		args = args[2:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: code [-offset N] file")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(sb(ts).Code(off)+"\n"), 0o600))
}

// stats [-wait DURATION] FIELD N: the sandbox counter FIELD (one of
// sandbox.Stats.Count's names) equals N (with -wait: becomes N within
// DURATION); "role stats" is the same command.
func cmdStats(ts *testscript.TestScript, neg bool, args []string) {
	var deadline time.Time
	if len(args) == 4 && args[0] == "-wait" {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		deadline, args = time.Now().Add(d), args[2:]
	}
	if len(args) != 2 {
		ts.Fatalf("usage: stats [-wait d] field n")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	got := func() int {
		n, ok := sb(ts).Stats().Count(args[0])
		if !ok {
			ts.Fatalf("stats: no counter %q", args[0])
		}
		return n
	}
	for time.Now().Before(deadline) && (got() == want) == neg {
		time.Sleep(100 * time.Millisecond)
	}
	if n := got(); (n == want) == neg {
		ts.Fatalf("sandbox %s = %d, want %s%d", args[0], n, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// fakebus: point DBUS_SESSION_BUS_ADDRESS at a socket that counts
// connections; "fakebus N" asserts how many there were since.
func cmdFakeBus(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 1 {
		want, _ := strconv.Atoi(args[0])
		n := state(ts).busConns
		if n == nil {
			ts.Fatalf("run fakebus first")
		}
		got := int(n.Load())
		if (got == want) == neg {
			ts.Fatalf("%d connections to the session bus, want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
		return
	}
	path := ts.MkAbs("bus.sock")
	ln, err := net.Listen("unix", path)
	ts.Check(err)
	var n atomic.Int32
	state(ts).busConns = &n
	ts.Defer(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	ts.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
}

// waitagent: wait up to 5s for an agent to answer on MFA_GIT_AGENT_SOCK,
// and stop it when the script ends, however it ends.
func cmdWaitAgent(ts *testscript.TestScript, neg bool, args []string) {
	cl := &agent.Client{Path: ts.Getenv("MFA_GIT_AGENT_SOCK")}
	ts.Defer(func() { cl.Stop(context.Background()) })
	for i := 0; i < 100; i++ {
		if _, err := cl.Status(context.Background()); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("no agent answered on %s within 5s", cl.Path)
}

// nosecrets [dir...]: no secret the sandbox issued (or alice's long-term
// secret) appears in the last command's stdout or stderr, or in any file
// under the dirs, except ~/.aws/credentials, which holds the long-term
// key by design.
func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	secrets := sb(ts).Secrets()
	check := func(where, text string) {
		for _, sec := range secrets {
			if len(sec) >= 16 && strings.Contains(text, sec) {
				ts.Fatalf("a secret (%s...) appears in %s", sec[:4], where)
			}
		}
	}
	check("stdout", ts.ReadFile("stdout"))
	check("stderr", ts.ReadFile("stderr"))
	creds := filepath.Join(ts.Getenv("HOME"), ".aws", "credentials")
	for _, dir := range args {
		filepath.WalkDir(ts.MkAbs(dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || path == creds {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil {
				check(path, string(b))
			}
			return nil
		})
	}
}

// waitlease PROFILE WAITING: wait up to 20s until the agent has a lease in
// flight for PROFILE with WAITING callers waiting on it.
func cmdWaitLease(ts *testscript.TestScript, neg bool, args []string) {
	want, _ := strconv.Atoi(args[1])
	cl := &agent.Client{Path: ts.Getenv("MFA_GIT_AGENT_SOCK")}
	for i := 0; i < 400; i++ {
		if info, err := cl.Status(context.Background()); err == nil {
			for _, l := range info.Leases {
				if l.Profile == args[0] && l.Waiting >= want {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("no lease for %s with %d waiting within 20s", args[0], want)
}
