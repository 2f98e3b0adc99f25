package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/codecommit"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// remoteHelperName is the name git runs for codecommit:// URLs; install.sh
// links it to mfa-git.
const remoteHelperName = "git-remote-" + codecommit.Scheme

// isRemoteHelper reports whether this process was started by git as the
// codecommit remote helper: by that name, with git's REMOTE [URL]
// arguments. The credential helper line the remote helper gives git may
// run the same file (a hard link or copy keeps the name), always with
// flags first, and so runs as mfa-git.
func isRemoteHelper(argv0 string, args []string) bool {
	name := strings.TrimSuffix(strings.ToLower(argv0), ".exe")
	return name == remoteHelperName && len(args) >= 1 && len(args) <= 2 && !strings.HasPrefix(args[0], "-")
}

// remoteFiles looks profiles up in the AWS shared files.
type remoteFiles struct{ files profile.Files }

func (f remoteFiles) Region(name string) (string, error) {
	r, err := profile.Region(name, f.files)
	if errors.Is(err, profile.ErrNoProfile) {
		next := profile.NoProfileHint(name)
		if names := profile.Names(f.files); len(names) > 0 {
			next = "use one of the profiles " + strings.Join(names, ", ") + " (codecommit://PROFILE@REPO), or " + next
		}
		return "", hint.Wrap(err, next)
	}
	return r, err
}

// remote serves git's "git-remote-codecommit REMOTE URL": it resolves the
// URL and runs git's own https remote helper on the plain https URL, with
// configuration in the environment that makes mfa-git (this binary) the
// only credential helper for it. The password reaches git over the
// credential protocol, never on a command line.
func (c *cli) remote(args []string) error {
	if len(args) < 2 {
		return hint.Wrap(errors.New(remoteHelperName+" needs the remote and its URL"), "git runs it for codecommit:// URLs: git clone codecommit://PROFILE@REPO")
	}
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	r, err := codecommit.Resolve(args[1], codecommit.Options{
		DefaultProfile: c.set.profileName(""),
		Endpoint:       c.set.codeCommitURL,
		Region:         remoteFiles{files}.Region,
	})
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return fmt.Errorf("find the mfa-git binary for git's credential helper: %w", err)
	}
	env, err := codecommit.AppendConfig(os.Environ(), r.Config(exe))
	if err != nil {
		return err
	}
	argv := r.Command(args[0])
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr
	code, err := child.Run(cmd, false)
	var start *child.StartError
	if errors.As(err, &start) {
		return hint.Wrap(fmt.Errorf("start %s: %w", strings.Join(cmd.Args[:2], " "), start.Err), "install git 2.31 or later and put it on PATH")
	}
	if err != nil {
		return err
	}
	return exitStatus(code)
}
