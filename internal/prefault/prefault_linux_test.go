package prefault

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// requirePopulate skips when the kernel lacks MADV_POPULATE_* (Linux
// before 5.14), where the package does nothing by design.
func requirePopulate(t *testing.T) {
	t.Helper()
	b, err := syscall.Mmap(-1, 0, pageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(b)
	p := uintptr(unsafe.Pointer(&b[0]))
	if err := madvise(p, p+pageSize, madvPopulateWrite); errors.Is(err, syscall.EINVAL) {
		t.Skip("this kernel has no MADV_POPULATE_WRITE (Linux 5.14): prefault does nothing here")
	}
}

// TestPopulateHeap checks that populateHeap maps heapAhead bytes of
// memory no one has touched (a new anonymous mapping, as the runtime's
// heap is, out of the range the package's initialiser populated): every
// page is in memory afterwards (mincore). That it asks for them to be
// written (MADV_POPULATE_WRITE, not _READ, which maps the shared zero page
// on some kernels) is checked in the program itself by the script
// startup-prefault.
func TestPopulateHeap(t *testing.T) {
	requirePopulate(t)
	fresh, err := syscall.Mmap(-1, 0, 4*heapAhead, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(fresh)
	p := uintptr(unsafe.Pointer(&fresh[0])) + 3*pageSize
	maps := readMaps(t)
	_, end, _, ok := mappingOf(maps, p)
	if !ok {
		t.Fatalf("no mapping holds %#x:\n%s", p, maps)
	}
	lo, hi := populateHeap(maps, p)
	if want := min(p&^(pageSize-1)+heapAhead, end); lo != p&^(pageSize-1) || hi != want {
		t.Fatalf("populateHeap(%#x) mapped %#x-%#x, want %#x-%#x", p, lo, hi, p&^(pageSize-1), want)
	}
	if hi-lo != heapAhead {
		t.Fatalf("populateHeap mapped %d bytes inside a %d-byte mapping, want %d", hi-lo, len(fresh), heapAhead)
	}
	vec := make([]byte, (hi-lo)/pageSize)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, lo, hi-lo, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatalf("mincore: %v", e)
	}
	for i, v := range vec {
		if v&1 == 0 {
			t.Fatalf("page %d of %d (%#x) is not in memory after populateHeap", i, len(vec), lo+uintptr(i)*pageSize)
		}
	}
}

// TestPopulateText checks that populateText maps the whole of the
// program's code: /proc/self/smaps counts every page of that mapping as
// resident in this process.
func TestPopulateText(t *testing.T) {
	requirePopulate(t)
	lo, hi := populateText(readMaps(t))
	f := TestPopulateText
	pc := **(**uintptr)(unsafe.Pointer(&f))
	if lo == 0 || pc < lo || pc >= hi {
		t.Fatalf("populateText mapped %#x-%#x, which does not hold this test's code (%#x)", lo, hi, pc)
	}
	size, rss := smaps(t, lo)
	if size == 0 || rss != size {
		t.Errorf("code mapping %#x-%#x: Rss %d kB of Size %d kB after populateText, want all of it", lo, hi, rss, size)
	}
}

func readMaps(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// smaps returns the Size and Rss, in kB, of the mapping that starts at lo.
func smaps(t *testing.T, lo uintptr) (size, rss int) {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if r, _, ok := strings.Cut(line, " "); ok && strings.Contains(r, "-") {
			in = strings.HasPrefix(r, fmt.Sprintf("%x-", lo)) || strings.HasPrefix(r, fmt.Sprintf("%08x-", lo))
			continue
		}
		if in {
			fmt.Sscanf(line, "Size: %d kB", &size)
			fmt.Sscanf(line, "Rss: %d kB", &rss)
		}
	}
	return size, rss
}
