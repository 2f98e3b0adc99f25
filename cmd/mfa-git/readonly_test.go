package main

import (
	"os"
	"os/exec"

	"github.com/rogpeppe/go-internal/testscript"
)

// readonly DIR: mount an empty read-only tmpfs on DIR (made if missing),
// so writes there fail with EROFS as on a read-only disk; unmounted when
// the script ends. Needs [can:mount].
func cmdReadOnly(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: readonly dir")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o700))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=64k,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		ts.Fatalf("mount a read-only tmpfs on %s: %v %s", dir, err, out)
	}
	ts.Defer(func() { exec.Command("umount", "-l", dir).Run() })
}
