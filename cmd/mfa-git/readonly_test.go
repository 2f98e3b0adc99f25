package main

import "github.com/rogpeppe/go-internal/testscript"

// readonly DIR: mount an empty read-only tmpfs on DIR (made if missing),
// so writes there fail with EROFS as on a read-only disk; unmounted when
// the script ends. Needs [can:mount].
func cmdReadOnly(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: readonly dir")
	}
	mountTmpfs(ts, args[0], "ro,size=64k,mode=0700")
}
