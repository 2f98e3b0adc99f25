package atomicfile

import (
	"os"

	"golang.org/x/sys/windows"
)

// linkCount is how many names (hard links) the file at path has: NTFS
// has them too (mklink /H).
func linkCount(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(windows.Handle(f.Fd()), &info); err != nil {
		return 0, &os.PathError{Op: "GetFileInformationByHandle", Path: path, Err: err}
	}
	return uint64(info.NumberOfLinks), nil
}
