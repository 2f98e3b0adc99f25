package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
)

// sandboxusers N: add users load1..loadN to the sandbox, each with its own
// key and MFA device, and profiles of the same names whose mfa_process
// prints that device's code.
func cmdSandboxUsers(ts *testscript.TestScript, neg bool, args []string) {
	n, _ := strconv.Atoi(args[0])
	home := ts.Getenv("HOME")
	cfg, err := os.OpenFile(filepath.Join(home, ".aws/config"), os.O_APPEND|os.O_WRONLY, 0)
	ts.Check(err)
	creds, err := os.OpenFile(filepath.Join(home, ".aws/credentials"), os.O_APPEND|os.O_WRONLY, 0)
	ts.Check(err)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("load%d", i)
		u := sb(ts).AddUser(name)
		c, k := sb(ts).ProfileFor(u, name)
		fmt.Fprintf(cfg, "%smfa_process = sandbox-code %s\n", c, name)
		fmt.Fprint(creds, k)
	}
	cfg.Close()
	creds.Close()
}

// loadgen -profiles N -clients C -rounds R: R rounds of C
// concurrent "mfa-git get" processes spread over profiles load1..loadN.
// Every answer is judged by the sandbox (a valid password, from the right
// user's session). It prints p50/p99 latency and the agent's memory.
func cmdLoadgen(ts *testscript.TestScript, neg bool, args []string) {
	opts := map[string]int{"-profiles": 5, "-clients": 200, "-rounds": 3}
	for i := 0; i+1 < len(args); i += 2 {
		v, err := strconv.Atoi(args[i+1])
		ts.Check(err)
		opts[args[i]] = v
	}
	if raceEnabled && opts["-clients"] > 50 {
		// test.sh runs this scenario again without -race at full size.
		opts["-clients"] = 50
	}
	s := sb(ts)
	host := strings.TrimPrefix(s.GitURL, "http://")
	req := []byte("protocol=http\nhost=" + host + "\npath=v1/repos/demo\n\n")
	exe, err := exec.LookPath("mfa-git")
	ts.Check(err)
	info, err := (&agent.Client{Path: ts.Getenv("MFA_GIT_AGENT_SOCK")}).Status(context.Background())
	ts.Check(err)
	agentPID := strconv.Itoa(info.PID)
	rss := func() string {
		b, err := os.ReadFile("/proc/" + agentPID + "/status")
		if err != nil {
			return "?"
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				return strings.Join(strings.Fields(l)[1:], " ")
			}
		}
		return "?"
	}
	before := rss()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		wrong     []string
	)
	env := append(os.Environ(), "HOME="+ts.Getenv("HOME"), "XDG_CACHE_HOME="+ts.Getenv("XDG_CACHE_HOME"),
		"MFA_GIT_AGENT=on", "MFA_GIT_AGENT_SOCK="+ts.Getenv("MFA_GIT_AGENT_SOCK"), "MFA_GIT_KEYRING=keyctl",
		"MFA_GIT_KEYRING_SERVICE="+ts.Getenv("MFA_GIT_KEYRING_SERVICE"), "MFA_GIT_SANDBOX_STS="+s.STSURL,
		"PATH="+ts.Getenv("PATH"), "AWS_CA_BUNDLE=")
	for r := 0; r < opts["-rounds"]; r++ {
		var wg sync.WaitGroup
		for c := 0; c < opts["-clients"]; c++ {
			profile := fmt.Sprintf("load%d", c%opts["-profiles"]+1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(exe, "get", "--profile", profile, "--ignore-host-check", "--region", sandbox.Region)
				cmd.Env = env
				cmd.Stdin = bytes.NewReader(req)
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				start := time.Now()
				err := cmd.Run()
				d := time.Since(start)
				var user, pass string
				for _, l := range strings.Split(out.String(), "\n") {
					if v, ok := strings.CutPrefix(l, "username="); ok {
						user = v
					}
					if v, ok := strings.CutPrefix(l, "password="); ok {
						pass = v
					}
				}
				reason, owner := s.CheckGitPassword(user, pass, "127.0.0.1", "/v1/repos/demo")
				mu.Lock()
				defer mu.Unlock()
				latencies = append(latencies, d)
				switch {
				case err != nil:
					wrong = append(wrong, fmt.Sprintf("%s: %v: %s", profile, err, strings.TrimSpace(errb.String())))
				case reason != "":
					wrong = append(wrong, profile+": "+reason)
				case owner != profile:
					wrong = append(wrong, fmt.Sprintf("%s got %s's session", profile, owner))
				}
			}()
		}
		wg.Wait()
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p := func(q int) time.Duration { return latencies[(len(latencies)-1)*q/100].Round(100 * time.Microsecond) }
	fmt.Fprintf(ts.Stdout(), "calls %d, wrong %d, p50 %s, p99 %s, agent RSS %s -> %s\n", len(latencies), len(wrong), p(50), p(99), before, rss())
	if len(wrong) > 0 {
		ts.Fatalf("%d wrong answers, e.g. %s", len(wrong), wrong[0])
	}
}
