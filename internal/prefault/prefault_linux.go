package prefault

import (
	"syscall"
	"unsafe"
)

const (
	pageSize = 4096
	// heapAhead is how much of the heap, from where the next new span
	// goes, is populated: a cached get grows the heap by less than
	// that, and populating more costs more than the faults it saves.
	heapAhead = 1 << 20
	// maxText bounds the code mapped: mfa-git's is about 5 MB.
	maxText = 32 << 20

	madvPopulateRead  = 22 // Linux 5.14
	madvPopulateWrite = 23
)

func init() {
	heap := uintptr(unsafe.Pointer(probe()))
	var buf [4 << 10]byte
	maps := buf[:readFile("/proc/self/maps", buf[:])]
	populateHeap(maps, heap)
	populateText(maps)
}

// probe returns a new large object: the runtime carves those from the
// lowest free pages of the heap, where the next spans will go too.
//
//go:noinline
func probe() *[40 << 10]byte { return new([40 << 10]byte) }

// populateHeap maps up to heapAhead bytes of the heap from p, where the
// next allocations go, within the part of the heap the runtime has mapped
// (maps is the text of /proc/self/maps): the runtime maps the heap 4 MB
// at a time, so when p is near the end of that, less. It returns the
// range it mapped.
func populateHeap(maps []byte, p uintptr) (lo, hi uintptr) {
	_, end, _, ok := mappingOf(maps, p)
	if !ok {
		return 0, 0
	}
	lo = p &^ (pageSize - 1)
	hi = lo + min(heapAhead, end-lo)
	if madvise(lo, hi, madvPopulateWrite) != nil {
		return 0, 0
	}
	return lo, hi
}

// populateText maps the program's code and returns the range it mapped
// (0, 0 when it did not).
func populateText(maps []byte) (lo, hi uintptr) {
	// A func value points to a word holding the function's entry PC
	// (the gc compiler's layout, which reflect.Value.Pointer reads too).
	f := populateText
	pc := **(**uintptr)(unsafe.Pointer(&f))
	lo, hi, exec, ok := mappingOf(maps, pc)
	if !ok || !exec || hi-lo > maxText {
		return 0, 0
	}
	if madvise(lo, hi, madvPopulateRead) != nil {
		return 0, 0
	}
	return lo, hi
}

func madvise(lo, hi uintptr, advice int) error {
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, uintptr(advice)); e != 0 {
		return e
	}
	return nil
}

// readFile reads path into buf and returns how many bytes it read: a
// prefix of the file when buf is too small, 0 on any error.
func readFile(path string, buf []byte) int {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		k, err := syscall.Read(fd, buf[n:])
		if k <= 0 || err != nil {
			break
		}
		n += k
	}
	return n
}
