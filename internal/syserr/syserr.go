// Package syserr is the one place where mfa-git turns an error of the
// system (a failed open, write, mkdir, bind) into a sentence that says
// what happened and a hint that fixes that cause: a read-only disk is
// not a permission problem, and a full disk is not a quota.
package syserr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// cause is what one system error means, and how to fix it; the hint may
// name the file or folder with %[1]s.
type cause struct {
	sentence string
	hint     string
}

// causes is the table: each error the system gives that mfa-git meets
// when it writes its own files, folders and socket.
var causes = map[syscall.Errno]cause{
	syscall.ENAMETOOLONG: {"the path is too long for this system",
		"use a shorter path: a shorter HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME or XDG_RUNTIME_DIR (or MFA_GIT_AGENT_SOCK for the agent's socket)"},
	syscall.EACCES: {"permission denied",
		"make %[1]s yours and writable by you (ls -ld %[1]s shows its owner and mode), or point XDG_CACHE_HOME, XDG_CONFIG_HOME or XDG_RUNTIME_DIR at a folder that is"},
	syscall.EPERM: {"the operation is not permitted",
		"make %[1]s yours and writable by you (ls -ld %[1]s shows its owner and mode), or point XDG_CACHE_HOME, XDG_CONFIG_HOME or XDG_RUNTIME_DIR at a folder that is"},
	syscall.EROFS: {"the folder is on a read-only file system",
		"remount the file system that holds %[1]s read-write, or point XDG_CACHE_HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR at a writable folder"},
	syscall.ENOSPC: {"the disk is full",
		"free some space on the disk that holds %[1]s (df -h shows how full it is)"},
	syscall.EDQUOT: {"you are over your disk quota",
		"remove files of yours you no longer need (quota -s shows your quota), or ask for a larger one"},
	syscall.ELOOP: {"there are too many symlinks, or a symlink where a file was expected",
		"replace the symlink at %[1]s with the file or folder itself, or remove it"},
}

// Error is a system error with its cause in words and a fix.
type Error struct {
	err      error
	errno    syscall.Errno
	path     string
	sentence string
	hint     string
}

// Error keeps the words of the error it explains, with the system's short
// text for the cause replaced by the sentence.
func (e *Error) Error() string {
	msg := e.err.Error()
	if cut, ok := strings.CutSuffix(msg, e.errno.Error()); ok {
		return cut + e.sentence
	}
	return msg + " (" + e.sentence + ")"
}

// Unwrap returns the error explained.
func (e *Error) Unwrap() error { return e.err }

// Hint says how to fix the cause.
func (e *Error) Hint() string { return e.hint }

// Errno is the system's error number.
func (e *Error) Errno() syscall.Errno { return e.errno }

// Explain returns err explained (an *Error) when it carries a system
// error in the table, else err as it is. The hint names the path of the
// first *fs.PathError or *os.LinkError in err's chain, or "the folder
// named above". An error already explained is returned as it is.
func Explain(err error) error {
	var e *Error
	var errno syscall.Errno
	if err == nil || errors.As(err, &e) || !errors.As(err, &errno) {
		return err
	}
	c, ok := causes[errno]
	if !ok {
		return err
	}
	path := "the folder named above"
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		path = pe.Path
	case errors.As(err, &le):
		path = le.New
	}
	h := c.hint
	if strings.Contains(h, "%[1]s") {
		h = fmt.Sprintf(h, path)
	}
	return &Error{err: err, errno: errno, path: path, sentence: c.sentence, hint: h}
}
