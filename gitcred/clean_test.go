package gitcred

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCleanStoreFileKeepsOtherLinesExactly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "creds")
	in := "https://a:b@github.com\r\nnot a url\n\nhttps://ASIA:x@git-codecommit.us-east-1.amazonaws.com\nhttps://c:d@example.com" // no final newline
	os.WriteFile(path, []byte(in), 0o640)
	removed, err := CleanStoreFile(path, false)
	if err != nil || len(removed) != 1 {
		t.Fatalf("removed %q, %v", removed, err)
	}
	got, _ := os.ReadFile(path)
	if want := "https://a:b@github.com\r\nnot a url\n\nhttps://c:d@example.com"; string(got) != want {
		t.Fatalf("kept %q, want %q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode changed to %v", fi.Mode().Perm())
	}
	if r, err := CleanStoreFile(filepath.Join(t.TempDir(), "missing"), false); r != nil || err != nil {
		t.Fatalf("missing file: %q %v", r, err)
	}
}
