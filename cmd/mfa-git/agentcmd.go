package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/agent/service"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// agentClient returns a client for the agent's socket; with autoStart it
// starts a detached agent the first time none answers.
func (c *cli) agentClient(autoStart bool) *agent.Client {
	path, _ := c.agentSocket()
	cl := &agent.Client{Path: path, Waiting: c.waitingNotice, Warn: func(why error) {
		c.warn(hint.New(why, "not using the agent: "+why.Error()+"; using the keyring directly", hint.Of(why)))
	}}
	if autoStart {
		cl.AutoStart = func() {
			if pid, err := cl.Start(stateDir()); err == nil {
				fmt.Fprintf(c.stderr, "mfa-git: started the session agent (pid %d); MFA_GIT_AGENT=off disables it\n", pid)
			}
		}
	}
	return cl
}

func (c *cli) agent(ctx context.Context, args []string) error {
	sub := "start"
	if len(args) > 0 {
		sub = args[0]
	}
	if !agent.Supported && sub != "status" && c.set.agent != "off" {
		return hint.Wrap(agent.ErrUnsupported, "commands keep working without it")
	}
	if _, err := c.agentSocket(); err != nil && sub != "install" && sub != "uninstall" {
		return hint.Or(err, "set MFA_GIT_AGENT_SOCK to an absolute path, or unset it")
	}
	cl := c.agentClient(false)
	switch sub {
	case "start":
		if c.f.foreground {
			return c.runAgent()
		}
		if info, err := cl.Status(ctx); err == nil {
			fmt.Fprintf(c.stdout, "mfa-git: the agent is already running (pid %d, %s)\n", info.PID, info.Socket)
			return nil
		}
		dir, err := stateDirErr()
		var pid int
		if err == nil {
			pid, err = cl.Start(dir)
		}
		if err != nil {
			return hint.Or(fmt.Errorf("start the agent: %w", err), "the agent keeps its log in "+stateDir()+": make that folder writable, or set XDG_CACHE_HOME to one that is")
		}
		info, err := cl.WaitStarted(ctx, pid, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "mfa-git: agent started (pid %d, %s)\n", info.PID, info.Socket)
		return nil
	case "stop":
		if err := cl.Stop(ctx); err != nil {
			return hint.Wrap(fmt.Errorf("no agent to stop on %s (%w)", cl.Path, err), "nothing to stop")
		}
		fmt.Fprintln(c.stdout, "mfa-git: agent stopped")
		return nil
	case "status":
		if !agent.Supported && c.set.agent != "off" {
			fmt.Fprintln(c.stdout, "mfa-git: the agent does not run on this system yet; commands use the keystore directly")
			return nil
		}
		info, err := cl.Status(ctx)
		if err != nil {
			return hint.Wrap(fmt.Errorf("no agent on %s (%w)", cl.Path, err), "start one: mfa-git agent")
		}
		fmt.Fprintf(c.stdout, "agent:   pid %d, up %s\nsocket:  %s\nkeyring: %s\n", info.PID, time.Since(info.Started).Round(time.Second), info.Socket, info.Keyring)
		for _, s := range info.Sessions {
			fmt.Fprintf(c.stdout, "session: %-16s %s left\n", s.Profile, time.Until(s.Expires).Round(time.Minute))
		}
		return nil
	case "install", "uninstall":
		return c.agentService(sub == "install")
	}
	return usage(fmt.Sprintf("unknown agent command %q", sub), "use start, stop, status, install or uninstall")
}

// agentService writes and enables, or disables and removes, the service
// that starts the agent at login. The file is shown before it is enabled.
func (c *cli) agentService(install bool) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	home, err := userdir.Home()
	if err != nil {
		return err
	}
	svc, err := service.For(service.Config{Exe: exe, Home: home, LogFile: filepath.Join(stateDir(), "agent.log"), UID: os.Getuid(), Getenv: os.Getenv})
	if err != nil {
		return hint.Wrap(err, "start it from your login scripts instead: mfa-git agent")
	}
	out := service.Output{
		Say:     c.say,
		Warn:    c.warn,
		Command: func(argv []string) { fmt.Fprintf(c.stdout, "$ %s\n", strings.Join(argv, " ")) },
		Stdout:  c.stdout,
		Stderr:  c.stderr,
	}
	if !install {
		return svc.Uninstall(context.Background(), out)
	}
	return svc.Install(context.Background(), out)
}

// runAgent serves in this process until stopped or signalled.
func (c *cli) runAgent() error {
	// The settings are checked before anything is opened or listened on.
	margin, err := c.refreshMargin()
	if err != nil {
		return err
	}
	var lead time.Duration // agent.DefaultRefreshLead
	if v := c.set.agentRefreshLead; v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return usage(fmt.Sprintf("MFA_GIT_AGENT_REFRESH_LEAD=%q is not a duration", v), "use a Go duration such as 15m")
		}
		lead = d
	}
	store, err := c.openStore(context.Background())
	if err != nil {
		return err
	}
	logger := log.New(c.stderr, "mfa-git agent: ", log.LstdFlags)
	path, err := c.agentSocket()
	var srv *agent.Server
	if err == nil {
		srv, err = agent.Listen(path, store, logger)
	}
	if errors.Is(err, agent.ErrRunning) {
		// Success: the other agent serves. A service manager that started
		// this one must not restart it in a loop (launchd KeepAlive,
		// systemd Restart=on-failure restart only after a failure).
		fmt.Fprintf(c.stderr, "mfa-git: %v; leaving it to serve\n", err)
		return nil
	}
	if err != nil {
		return hint.Or(err, "check that "+filepath.Dir(path)+" is a folder you own and can write, or set MFA_GIT_AGENT_SOCK")
	}
	srv.RefreshLead, srv.Trace = lead, c.trace
	srv.Refresher = source.Refresher{Store: store, LockDir: filepath.Join(stateDir(), "locks"), Margin: margin, Warn: c.warn, Trace: c.trace}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-sigs
		logger.Printf("stopping on %v", sig)
		srv.Close()
	}()
	logger.Printf("listening on %s (pid %d, keyring %s)", path, os.Getpid(), store.Name())
	return srv.Serve()
}

// agentSocket is the agent's socket (agent.SocketPath), or why there is
// none.
func (c *cli) agentSocket() (string, error) { return agent.SocketPath(c.set.agentSock) }

// useAgent reports whether commands use the agent: where it runs, unless
// the user switched it off.
func (c *cli) useAgent() bool { return agent.Supported && c.set.agent != "off" }
