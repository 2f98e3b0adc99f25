package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestTempUnnamedUntilCommit: from the open of the temporary file until
// it is linked, the folder has no entry for it, so a process killed in
// between leaves nothing; after commit only the target is there.
func TestTempUnnamedUntilCommit(t *testing.T) {
	for _, existing := range []bool{false, true} {
		dir := t.TempDir()
		target := filepath.Join(dir, "config")
		want := []string(nil)
		if existing {
			must(t, os.WriteFile(target, []byte("old"), 0o600))
			want = []string{"config"}
		}
		tmp, err := createTemp(dir, 0o640)
		must(t, err)
		if tmp.named != nil {
			t.Skip("this file system has no O_TMPFILE")
		}
		if got := names(t, dir); !slices.Equal(got, want) {
			t.Fatalf("after open: folder holds %q, want %q", got, want)
		}
		_, err = tmp.f.Write([]byte("new"))
		must(t, err)
		must(t, tmp.f.Sync())
		if got := names(t, dir); !slices.Equal(got, want) {
			t.Fatalf("after write: folder holds %q, want %q", got, want)
		}
		must(t, tmp.commit(target))
		tmp.abort()
		if got := names(t, dir); !slices.Equal(got, []string{"config"}) {
			t.Errorf("after commit: folder holds %q", got)
		}
		b, err := os.ReadFile(target)
		must(t, err)
		fi, err := os.Stat(target)
		must(t, err)
		if string(b) != "new" || fi.Mode().Perm() != 0o640 {
			t.Errorf("target holds %q, mode %o", b, fi.Mode().Perm())
		}
	}
}

// TestTempAbort: a temporary file given up leaves nothing, named or not.
func TestTempAbort(t *testing.T) {
	dir := t.TempDir()
	tmp, err := createTemp(dir, 0o600)
	must(t, err)
	tmp.f.Write([]byte("x"))
	tmp.abort()
	n, err := createNamed(dir, 0o600)
	must(t, err)
	n.abort()
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("folder holds %q", got)
	}
}

// TestNamedFallback: the named temporary file (file systems without
// O_TMPFILE, other systems) replaces the target and leaves nothing else.
func TestNamedFallback(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "config")
	must(t, os.WriteFile(target, []byte("old"), 0o600))
	n, err := createNamed(dir, 0o644)
	must(t, err)
	n.f.Write([]byte("new"))
	must(t, n.commit(target))
	n.abort()
	b, _ := os.ReadFile(target)
	if got := names(t, dir); !slices.Equal(got, []string{"config"}) || string(b) != "new" {
		t.Errorf("folder holds %q, target %q", got, b)
	}
}
